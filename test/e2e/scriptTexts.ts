// What the scripted e2e models write and what the tests ask them: one place for both sides, the
// driver's model generator (test/e2e/models.mjs, which reads this compiled) and the suites that
// run in the extension host (test/e2e/suite), so a script and its test cannot drift apart.

export const GREETING_ANSWER = 'こんにちは！例えば次のように書けます。\n\n```ts\nconst answer: number = 42;\n```';

export const GREETING_REASONING = '挨拶には挨拶で返します。';

export const GREETING_SCRIPT =
  `<|channel|>analysis<|message|>${GREETING_REASONING}<|end|><|start|>assistant<|channel|>final<|message|>${GREETING_ANSWER}<|return|>`;

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

/** Asking exactly this makes the chat model read README.md with its read_file tool. */
export const README_QUESTION = 'READMEを読んで';

/** The workspace's README.md, as the chat suites write it. */
export const README = '# テスト用ワークスペース\n\nこのフォルダーは e2e テストで使います。\n';

/** What the chat model answers once it has read README.md. */
export const README_ANSWER = 'READMEを読みました。テスト用のワークスペースの説明です。';

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

/** What the model on the e2e suite's llama-server answers (see serverBackend.test.ts). */
export const SERVER_REASONING = 'サーバーで考えます。';

export const SERVER_ANSWER = 'サーバーのモデルが答えました。';

/** Texts whose token counts the language-model provider must report (see languageModels.test.ts). */
export const COUNTED_TEXTS = ['READMEを読んで', 'こんにちは、世界', 'const answer: number = 42;'];
