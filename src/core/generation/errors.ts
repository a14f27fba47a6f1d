// Engine errors as the user reads them, in English and Japanese. The code is for programs, the
// message for people, the detail for the log.
import { formatByteSize } from '../models/byteSize';
import type { EngineError, ErrorCode, LocalizedText } from './types';

const MESSAGES: Record<ErrorCode, (...args: string[]) => LocalizedText> = {
  'model-not-found': (file) => ({
    en: `The model file was not found: ${file}`,
    ja: `モデルファイルが見つかりません: ${file}`,
  }),
  'model-is-folder': (file) => ({
    en: `This is a folder, not a model file: ${file}`,
    ja: `これはフォルダーで、モデルファイルではありません: ${file}`,
  }),
  // EACCES or EPERM on the file or a folder above it: the user can fix this, so say it is permission.
  'model-permission-denied': (file) => ({
    en: `You do not have permission to read this model file: ${file}`,
    ja: `このモデルファイルを読み取る権限がありません: ${file}`,
  }),
  'not-gguf': (file) => ({
    en: `This is not a GGUF model file: ${file}`,
    ja: `GGUF 形式のモデルファイルではありません: ${file}`,
  }),
  // expected '': the file ends inside its header, so the size it should have is unknown.
  'model-incomplete': (file, expected = '', actual = '') =>
    expected === ''
      ? {
          en: `The model file is incomplete: it ends inside its header, after ${bytes(actual, 'en-US', 'bytes')} (was the download interrupted?): ${file}`,
          ja: `モデルファイルが不完全です。ヘッダーの途中、${bytes(actual, 'ja-JP', 'バイト')} で終わっています（ダウンロードが中断されませんでしたか？）: ${file}`,
        }
      : {
          en: `The model file is incomplete: it should be at least ${bytes(expected, 'en-US', 'bytes')} but is ${bytes(actual, 'en-US', 'bytes')} (was the download interrupted?): ${file}`,
          ja: `モデルファイルが不完全です。少なくとも ${bytes(expected, 'ja-JP', 'バイト')} あるはずが ${bytes(actual, 'ja-JP', 'バイト')} しかありません（ダウンロードが中断されませんでしたか？）: ${file}`,
        },
  // The file's size was checked before llama.cpp read it (model-incomplete): what is left is a
  // damaged header or a file this llama.cpp cannot read, so no guess about an interrupted download.
  'model-corrupt': (file, reason) => ({
    en: `llama.cpp cannot read this model file (it is damaged, or made for another version of llama.cpp)${reason ? `: ${reason}` : ''}: ${file}`,
    ja: `llama.cpp がこのモデルファイルを読めません（壊れているか、別のバージョンの llama.cpp 向けのファイルです）${reason ? `: ${reason}` : ''}: ${file}`,
  }),
  'unsupported-architecture': (architecture) => ({
    en: `Architecture "${architecture}" is not supported by this version of llama.cpp.`,
    ja: `アーキテクチャ「${architecture}」は、この llama.cpp ではサポートされていません。`,
  }),
  'out-of-memory': () => ({
    en: 'Not enough memory to load this model, even on the CPU. Try a smaller model or quantization, or close other programs.',
    ja: 'CPU でもこのモデルを読み込むメモリが足りません。より小さいモデルや量子化を選ぶか、他のプログラムを閉じてください。',
  }),
  'no-model': () => ({
    en: 'No model is set. Run "LLM-jp: Choose Model" to download one or to use a GGUF file you have.',
    ja: 'モデルが設定されていません。「LLM-jp: モデルを選択」でダウンロードするか、手元の GGUF ファイルを指定してください。',
  }),
  'prompt-too-long': (limit) => ({
    en: `The question alone does not fit in the model's context of ${limit} tokens.`,
    ja: `質問だけでモデルのコンテキスト長（${limit} トークン）を超えています。`,
  }),
  'worker-crashed': (how) => ({
    en: `The model process stopped unexpectedly (${how}). It restarts on the next request.`,
    ja: `モデルのプロセスが予期せず停止しました（${how}）。次のリクエストで再起動します。`,
  }),
  internal: () => ({
    en: 'The model failed with an internal error; the log has the details.',
    ja: 'モデルで内部エラーが発生しました。詳細はログを確認してください。',
  }),
  // The server's messages name the server (its URL, never the API key) so that a user with
  // several configurations knows which one failed.
  'server-unreachable': (url, reason) => ({
    en: `The server ${url} cannot be reached${reason ? ` (${reason})` : ''}. Is it running, and are the URL and port right?`,
    ja: `サーバー ${url} に接続できません${reason ? `（${reason}）` : ''}。サーバーが起動しているか、URL とポートが正しいか確認してください。`,
  }),
  'server-timeout': (url, seconds) => ({
    en: `The server ${url} sent nothing for ${seconds} seconds. It may be overloaded; the timeout is the request timeout setting.`,
    ja: `サーバー ${url} から ${seconds} 秒間応答がありません。混雑している可能性があります（待ち時間はリクエストのタイムアウト設定で変えられます）。`,
  }),
  'server-tls': (url, reason) => ({
    en: `The server ${url} could not be verified (${reason}). If it uses your organization's certificate authority, set its CA file.`,
    ja: `サーバー ${url} の証明書を検証できません（${reason}）。組織の認証局を使っている場合は、その CA ファイルを設定してください。`,
  }),
  'server-unauthorized': (url) => ({
    en: `The server ${url} refused the request as unauthorized (401): the API key is missing or wrong. Set it with "LLM-jp: Set Server API Key…".`,
    ja: `サーバー ${url} がリクエストを認証エラーとして拒否しました（401）。API キーが設定されていないか、間違っています。「LLM-jp: サーバーの API キーを設定…」で設定してください。`,
  }),
  'server-forbidden': (url, message) => ({
    en: `The server ${url} does not allow this API key to use it (403)${message ? `: ${message}` : ''}.`,
    ja: `サーバー ${url} はこの API キーでの利用を許可していません（403）${message ? `: ${message}` : ''}。`,
  }),
  'server-model-not-found': (model, url, message) => ({
    en: `The server ${url} has no model "${model}" (404)${message ? `: ${message}` : ''}. Check the model name (Choose Model lists the server's models) and the base URL.`,
    ja: `サーバー ${url} にモデル「${model}」がありません（404）${message ? `: ${message}` : ''}。モデル名（「モデルを選択」にサーバーのモデルが表示されます）とベース URL を確認してください。`,
  }),
  'server-rate-limited': (url, attempts) => ({
    en: `The server ${url} is still refusing requests as too many (429) after ${attempts} attempts. Try again later.`,
    ja: `サーバー ${url} は ${attempts} 回試してもリクエストが多すぎるとして拒否しています（429）。しばらくしてから再度お試しください。`,
  }),
  'server-rejected': (status, message) => ({
    en: `The server rejected the request (${status})${message ? `: ${message}` : ''}.`,
    ja: `サーバーがリクエストを拒否しました（${status}）${message ? `: ${message}` : ''}。`,
  }),
  'server-error': (status, message) => ({
    en: `The server failed (${status})${message ? `: ${message}` : ''}.`,
    ja: `サーバーでエラーが発生しました（${status}）${message ? `: ${message}` : ''}。`,
  }),
  // llama-server's chat parser fails on LLM-jp-4 output it does not expect (its spaced Harmony
  // form, ggml-org/llama.cpp #25321, #27720); with --skip-chat-parsing it streams the raw text,
  // which the extension reads itself.
  'server-cannot-parse': (message) => ({
    en: `The server could not read the model's output with its chat parser${message ? ` (${message})` : ''}. For llama-server, start it with --skip-chat-parsing: the extension then reads LLM-jp's output itself.`,
    ja: `サーバーがチャットパーサーでモデルの出力を読み取れませんでした${message ? `（${message}）` : ''}。llama-server の場合は --skip-chat-parsing を付けて起動してください。拡張機能が LLM-jp の出力を直接読み取ります。`,
  }),
  'server-stream-interrupted': (url) => ({
    en: `The server ${url} stopped sending in the middle of the answer. The answer is incomplete.`,
    ja: `サーバー ${url} からの送信が回答の途中で止まりました。回答は不完全です。`,
  }),
  'server-malformed': (what) => ({
    en: `The server's reply could not be read (${what}). Is the base URL an OpenAI-compatible server?`,
    ja: `サーバーの応答を読み取れません（${what}）。ベース URL は OpenAI 互換サーバーですか？`,
  }),
};

/** `arg`: the message's argument (a file, a limit), or its arguments in order. */
export function engineError(code: ErrorCode, arg: string | readonly string[] = '', detail?: string): EngineError {
  const message = MESSAGES[code](...(typeof arg === 'string' ? [arg] : arg));
  return detail === undefined ? { code, message } : { code, message, detail };
}

/** "1,048,576 bytes (1.0 MB)": exact, as a size check needs, and readable. */
function bytes(count: string, locale: string, unit: string): string {
  const value = Number(count);
  return `${value.toLocaleString(locale)} ${unit} (${formatByteSize(value)})`;
}

/** Errors crossing a process boundary arrive as plain objects; this tells an EngineError apart. */
export function isEngineError(value: unknown): value is EngineError {
  if (typeof value !== 'object' || value === null) return false;
  const error = value as Partial<EngineError>;
  return typeof error.code === 'string' && error.code in MESSAGES && typeof error.message?.en === 'string';
}
