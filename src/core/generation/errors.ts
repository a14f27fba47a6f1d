// Engine errors as the user reads them, in English and Japanese. The code is for programs, the
// message for people, the detail for the log.
import type { EngineError, ErrorCode, LocalizedText } from './types';

const MESSAGES: Record<ErrorCode, (arg: string) => LocalizedText> = {
  'model-not-found': (file) => ({
    en: `The model file was not found: ${file}`,
    ja: `モデルファイルが見つかりません: ${file}`,
  }),
  'not-gguf': (file) => ({
    en: `This is not a GGUF model file: ${file}`,
    ja: `GGUF 形式のモデルファイルではありません: ${file}`,
  }),
  'model-corrupt': (file) => ({
    en: `The model file is damaged or incomplete (was the download interrupted?): ${file}`,
    ja: `モデルファイルが壊れているか不完全です（ダウンロードが中断されませんでしたか？）: ${file}`,
  }),
  'unsupported-architecture': (architecture) => ({
    en: `This version of llama.cpp cannot run models of architecture "${architecture}".`,
    ja: `この llama.cpp ではアーキテクチャ「${architecture}」のモデルを実行できません。`,
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
};

export function engineError(code: ErrorCode, arg = '', detail?: string): EngineError {
  return detail === undefined ? { code, message: MESSAGES[code](arg) } : { code, message: MESSAGES[code](arg), detail };
}

/** Errors crossing a process boundary arrive as plain objects; this tells an EngineError apart. */
export function isEngineError(value: unknown): value is EngineError {
  if (typeof value !== 'object' || value === null) return false;
  const error = value as Partial<EngineError>;
  return typeof error.code === 'string' && error.code in MESSAGES && typeof error.message?.en === 'string';
}
