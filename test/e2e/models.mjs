// Generated GGUF models for the e2e tests (the engine tests' generator, compiled by tsc).
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from '../../scripts/code-server.mjs';

const models = createRequire(import.meta.url)(path.join(repoRoot, 'out', 'test', 'engine', 'models.js'));

export const GREETING_ANSWER = 'こんにちは！例えば次のように書けます。\n\n```ts\nconst answer: number = 42;\n```';

export const GREETING_SCRIPT =
  `<|channel|>analysis<|message|>挨拶には挨拶で返します。<|end|><|start|>assistant<|channel|>final<|message|>${GREETING_ANSWER}<|return|>`;

/** Asking exactly this selects the hostile turn (the scripted model's trigger for its second turn). */
export const HOSTILE_QUESTION = '危ない出力を見せて';

/** Model output that would run code or navigate if the panel trusted it. */
export const HOSTILE_ANSWER = [
  '<img src=x onerror="document.body.dataset.pwned=1">',
  '<script>document.body.dataset.pwned=2</script>',
  '[clickme](javascript:document.body.dataset.pwned=3)',
  '<a href="javascript:void(0)" onclick="document.body.dataset.pwned=4">second</a>',
  '<iframe src="https://example.com/"></iframe>',
  '',
  '| column-a | column-b | column-c | column-d |',
  '|---|---|---|---|',
  '| cell-a1 | cell-b1 | cell-c1 | cell-d1 |',
  '| cell-a2 | cell-b2 | cell-c2 | cell-d2 |',
].join('\n');

const HOSTILE_SCRIPT = `<|channel|>final<|message|>${HOSTILE_ANSWER}<|return|>`;

/** Asking exactly this makes the chat model read README.md with its read_file tool. */
export const README_QUESTION = 'READMEを読んで';

/** What the chat model answers once it has read README.md. */
export const README_ANSWER = 'READMEを読みました。テスト用のワークスペースの説明です。';

const README_CALL =
  '<|channel|>analysis<|message|>READMEを読んで確認します。<|end|><|start|>assistant to=functions.read_file' +
  '<|channel|>commentary json<|message|>{"path":"README.md"}<|call|>';

/** Attached text holding this word (after a space) makes the chat model answer ATTACHMENT_ANSWER. */
export const ATTACHMENT_WORD = '合言葉はやまびこ';

export const ATTACHMENT_ANSWER = '添付されたコードの合言葉を確認しました。';

/** Editor commands: a code word selects what the editor model writes (see editor.test.ts). */
export const EDITOR_WORDS = { doc: '文書化テスト', translate: '翻訳テスト', breaks: '改変テスト' };

export const DOC_TARGET = 'export function addTax(price: number): number {\n  return Math.round(price * 1.1); // 文書化テスト 税込み\n}\n';
export const DOC_RESULT = '/**\n * 税込み価格を返します。\n * @param price 税抜き価格\n */\n' + DOC_TARGET;
export const TRANSLATE_TARGET = '// 翻訳テスト 税率\nconst RATE = 1.1; // 消費税\nexport const withTax = (price: number): number => price * RATE;\n';
export const TRANSLATE_RESULT = '// translation test: tax rate\nconst RATE = 1.1; // consumption tax\nexport const withTax = (price: number): number => price * RATE;\n';
export const BREAKS_TARGET = '// 改変テスト 税率\nconst RATE = 1.1;\n';
/** A "translation" that also changes the code: it must be refused. */
export const BREAKS_RESULT = '// breaking test: tax rate\nconst RATE = 1.08;\n';

/** Commit messages: a word in the diff selects the scripted commit model's answer (see scm.test.ts). */
export const COMMIT_WORDS = { ja: 'コミット日本語テスト', en: 'コミット英語テスト' };
/** What the commit model writes for a diff without those words (the pieces of a large diff, their summaries). */
export const COMMIT_DEFAULT = 'chore: 大きな変更をまとめて追加';
export const COMMIT_JA = 'feat: 税込み価格の計算を追加\n\n消費税率を定数 RATE にまとめました。';
export const COMMIT_EN = 'Add a helper for tax-included prices\n\nKeep the consumption tax rate in one constant.';

/** Tool-driven edits (see toolEdits.test.ts): the file, the change the model proposes, the file after it. */
export const AGENT_FILE = 'export function divide(a: number, b: number): number {\r\n  return a / b;\r\n}\r\n';
export const AGENT_RESULT = "export function divide(a: number, b: number): number {\r\n  if (b === 0) throw new Error('ゼロでは割れません');\r\n  return a / b;\r\n}\r\n";
export const AGENT_ANSWER = 'ゼロ除算の確認を追加する変更を提案しました。差分を確認してください。';
export const RENAME_ANSWER = 'addTax を withTax に変更する提案をしました。';
export const OUTSIDE_ANSWER = 'ワークスペースの外のファイルは読めませんでした。';

/** Inline chat (see inlineChat.test.ts): a word in the question selects the inline model's answer. */
export const INLINE_WORDS = { change: 'インライン修正', followUp: 'インライン追加' };
export const INLINE_FILE = 'export function total(items: number[]): number {\n  let sum = 0;\n  for (const item of items) sum += item;\n  return sum;\n}\n';
export const INLINE_REASONING = 'ループをreduceにまとめます。';
export const INLINE_CODE_ANSWER = '合計はreduceで短く書けます。\n\n```typescript\n  return items.reduce((sum, item) => sum + item, 0);\n```';
export const INLINE_FOLLOW_UP = 'reduceは初期値0から順に各要素を足します。';
export const INLINE_EXPLAIN = 'この行は合計を0で初期化しています。';

const call = (name, args) => `<|channel|>analysis<|message|>${name} を使います。<|end|><|start|>assistant to=functions.${name}<|channel|>commentary json<|message|>${JSON.stringify(args)}<|call|>`;
const answer = (text) => `<|channel|>final<|message|>${text}<|return|>`;

const finalCode = (code) => `<|channel|>final<|message|>\`\`\`typescript\n${code}\`\`\`<|return|>`;

/** Code review (see review.test.ts): the file as staged, and what the scripted reviewer reports on it. */
export const REVIEW_BEFORE = 'export function divide(a: number, b: number): number {\n  return a / b;\n}\n';
export const REVIEW_FILE = [
  'export function divide(a: number, b: number): number {',
  '  const result = a / b;',
  '  return result;',
  '}',
  '',
  'export function average(values: number[]): number {',
  '  let total = 0;',
  '  for (const v of values) total += v;',
  '  return total / values.length;',
  '}',
  '',
].join('\n');
export const REVIEW_MESSAGES = {
  zero: 'b が 0 のときに Infinity になります。0 の場合を確認してください。',
  empty: '空の配列では NaN を返します。',
  wrong: 'この行は掛け算になっています。',
  outside: '別のファイルへの指摘です。',
};
export const REVIEW_REPLACEMENT = "  if (b === 0) throw new Error('ゼロでは割れません');\n  const result = a / b;";
export const REVIEW_SUMMARY = 'レビューしました。ゼロ除算と空の配列の扱いを確認してください。';
export const REVIEW_EXPLANATION = '0 で割ると JavaScript では例外にならず Infinity になるため、呼び出し側で気づけません。';
// Each report's reasoning differs: the scripted weights tell apart repeated steps by a word used once.
const report = (thought, over) =>
  `<|channel|>analysis<|message|>${thought}<|end|><|start|>assistant to=functions.report_finding<|channel|>commentary json<|message|>` +
  `${JSON.stringify(inSchemaOrder({ path: 'calc.ts', severity: 'warning', category: 'bug', ...over }))}<|call|>`;
/** The engine's grammar writes an object's keys in its schema's order. */
const inSchemaOrder = (args) =>
  Object.fromEntries(['path', 'start_line', 'end_line', 'severity', 'category', 'message', 'quote', 'replacement'].filter((k) => k in args).map((k) => [k, args[k]]));
// What the extension answers each report (core/review/findings.ts findingResult), as the 4.0 template writes it (tojson).
const results = [
  '"Recorded as finding 1."',
  '"Recorded as finding 2, at lines 9-9: the quote is there, not at the lines given."',
  '"Not recorded: lines 3-3 of calc.ts do not hold the quote. Copy the code exactly."',
  '"Not recorded: src/other.ts is not one of the files under review."',
];

/** Paths of the models the e2e suites use, written once. */
export function e2eModels() {
  return {
    tame: models.tamePlainModel(),
    greeting: models.scriptedModel('scripted-greeting', { turns: [GREETING_SCRIPT, { text: HOSTILE_SCRIPT, after: HOSTILE_QUESTION }] }),
    // The chat's features: a plain answer; a read_file call and the answer after its result;
    // an answer chosen by a word of an attachment.
    chat: models.scriptedModel('scripted-chat', {
      turns: [
        GREETING_SCRIPT,
        { text: README_CALL, after: README_QUESTION },
        `<|channel|>final<|message|>${README_ANSWER}<|return|>`,
        { text: `<|channel|>final<|message|>${ATTACHMENT_ANSWER}<|return|>`, after: ATTACHMENT_WORD },
      ],
    }),
    editor: models.scriptedModel('scripted-editor', {
      turns: [
        GREETING_SCRIPT,
        { text: finalCode(DOC_RESULT), after: EDITOR_WORDS.doc },
        { text: finalCode(TRANSLATE_RESULT), after: EDITOR_WORDS.translate },
        { text: finalCode(BREAKS_RESULT), after: EDITOR_WORDS.breaks },
      ],
    }),
    // Reads calc.ts, then proposes one replacement in it (LF in the arguments; the file is CRLF).
    agentEdit: models.scriptedModel('scripted-agent-edit', {
      turns: [
        call('read_file', { path: 'calc.ts' }),
        call('replace_in_file', { path: 'calc.ts', edits: [{ old_text: '  return a / b;', new_text: "  if (b === 0) throw new Error('ゼロでは割れません');\n  return a / b;" }] }),
        answer(AGENT_ANSWER),
      ],
    }),
    agentCreate: models.scriptedModel('scripted-agent-create', {
      turns: [call('create_file', { path: 'notes/new.md', content: '# メモ\n\n新しいファイルです。\n' }), answer('notes/new.md を作る提案をしました。')],
    }),
    agentOutside: models.scriptedModel('scripted-agent-outside', { turns: [call('read_file', { path: '../../etc/passwd' }), answer(OUTSIDE_ANSWER)] }),
    agentRename: models.scriptedModel('scripted-agent-rename', {
      turns: [call('rename_symbol', { path: 'agent/math.ts', line: 1, symbol: 'addTax', new_name: 'withTax' }), answer(RENAME_ANSWER)],
    }),
    // Four reports: on the right lines with a suggestion; on the wrong lines (its quote is 3 lines
    // below); quoting code the file does not hold; on a file outside the review. Then a summary.
    review: models.scriptedModel('scripted-review', {
      turns: [
        report('除算を確認する。', { start_line: 2, end_line: 2, message: REVIEW_MESSAGES.zero, quote: '  const result = a / b;', replacement: REVIEW_REPLACEMENT }),
        { text: report('平均も見る。', { start_line: 6, end_line: 6, severity: 'info', message: REVIEW_MESSAGES.empty, quote: '  return total / values.length;' }), after: results[0] },
        { text: report('三つ目。', { start_line: 3, end_line: 3, message: REVIEW_MESSAGES.wrong, quote: '  return a * b;' }), after: results[1] },
        { text: report('最後に別のファイル。', { path: 'src/other.ts', start_line: 1, end_line: 1, message: REVIEW_MESSAGES.outside, quote: 'x' }), after: results[2] },
        { text: answer(REVIEW_SUMMARY), after: results[3] },
      ],
    }),
    reviewExplain: models.scriptedModel('scripted-review-explain', { turns: [`<|channel|>analysis<|message|>詳しく説明します。<|end|><|start|>assistant<|channel|>final<|message|>${REVIEW_EXPLANATION}<|return|>`] }),
    // An explanation (no code) by default; a change with reasoning; a follow-up after it.
    inline: models.scriptedModel('scripted-inline', {
      turns: [
        answer(INLINE_EXPLAIN),
        { text: `<|channel|>analysis<|message|>${INLINE_REASONING}<|end|><|start|>assistant${answer(INLINE_CODE_ANSWER)}`, after: INLINE_WORDS.change },
        { text: answer(INLINE_FOLLOW_UP), after: INLINE_WORDS.followUp },
      ],
    }),
    // Reasoning, a preamble and a fence around the message: only the message may reach the box.
    commit: models.scriptedModel('scripted-commit', {
      turns: [
        `<|channel|>analysis<|message|>差分を読んで要点をまとめます。<|end|><|start|>assistant<|channel|>final<|message|>${COMMIT_DEFAULT}<|return|>`,
        { text: `<|channel|>analysis<|message|>税率の定数化です。<|end|><|start|>assistant<|channel|>final<|message|>以下はコミットメッセージです。\n\n\`\`\`text\n${COMMIT_JA}\n\`\`\`<|return|>`, after: COMMIT_WORDS.ja },
        { text: `<|channel|>analysis<|message|>The diff adds a tax helper.<|end|><|start|>assistant<|channel|>final<|message|>${COMMIT_EN}<|return|>`, after: COMMIT_WORDS.en },
      ],
    }),
  };
}

/** What the model on the e2e suite's llama-server answers (see serverBackend.test.ts). */
export const SERVER_REASONING = 'サーバーで考えます。';
export const SERVER_ANSWER = 'サーバーのモデルが答えました。';

/**
 * A real llama-server (built from node-llama-cpp's llama.cpp, scripts/llama-tools.mjs) on a
 * scripted model, for the chat panel's run against a server; undefined, with the reason, where it
 * cannot be built. --skip-chat-parsing: this llama.cpp cannot parse LLM-jp-4's output itself
 * (test/engine/remoteLlamaServer.test.ts); the extension reads the raw text.
 */
export async function startLlamaServer(log) {
  const require = createRequire(import.meta.url);
  const { LlamaServer, freePort, llamaServerBinary } = require(path.join(repoRoot, 'out', 'test', 'engine', 'llamaServer.js'));
  const { llamaCppScriptedModel } = require(path.join(repoRoot, 'out', 'test', 'engine', 'models.js'));
  const found = await llamaServerBinary(log);
  if ('skip' in found) return { skip: found.skip };
  const model = llamaCppScriptedModel('llama-server-e2e', [
    `<|channel|>analysis<|message|>${SERVER_REASONING}<|end|><|start|>assistant<|channel|>final<|message|>${SERVER_ANSWER}<|return|>`,
  ]);
  // The chat's tool schemas take about 3,500 tokens of the scripted vocabulary.
  const server = new LlamaServer(found.binary, model, await freePort(), ['--skip-chat-parsing', '-c', '8192']);
  await server.start();
  return { server };
}

/** Texts whose token counts the language-model provider must report (see languageModels.test.ts). */
export const COUNTED_TEXTS = ['READMEを読んで', 'こんにちは、世界', 'const answer: number = 42;'];

/**
 * How many tokens each text takes in `modelPath`, by the exact tokenizer built from the GGUF's own
 * vocabulary (read here with node-llama-cpp's GGUF reader, apart from the extension's engine).
 */
export async function tokenCounts(modelPath, texts) {
  const { readGgufFileInfo } = await import('node-llama-cpp');
  const { UnigramTokenizer } = createRequire(import.meta.url)(path.join(repoRoot, 'out', 'src', 'core', 'tokenizer', 'index.js'));
  const { tokens, scores } = (await readGgufFileInfo(modelPath, { readTensorInfo: false })).metadata.tokenizer.ggml;
  const tokenizer = UnigramTokenizer.fromVocab([...tokens], [...scores]);
  return Object.fromEntries(texts.map((text) => [text, tokenizer.encodeParts([{ kind: 'content', text }]).length]));
}

/** Settings that point the extension at `modelPath` on the CPU with one thread (CI machines have 2 cores). */
export function modelSettings(modelPath) {
  return { 'llmJp.modelPath': modelPath, 'llmJp.gpu': 'off', 'llmJp.threads': 1, 'llmJp.contextSize': 8192 };
}
