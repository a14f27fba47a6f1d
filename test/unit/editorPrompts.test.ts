import * as assert from 'node:assert/strict';
import { excerptAround, splitLines } from '../../src/core/prompts/codeExcerpt';
import { editedCode } from '../../src/core/prompts/editAnswer';
import { editorTaskPrompt, translationTarget, type EditorTaskKind, type TaskCode } from '../../src/core/prompts/editorTasks';

const TS = ['// 合計を返す', 'export function sum(xs: number[]): number {', '  return xs.reduce((a, b) => a + b, 0);', '}'];

function codeOf(lines: readonly string[], languageId = 'typescript', symbolName?: string): TaskCode {
  return {
    path: 'src/sum.ts',
    languageId,
    excerpt: excerptAround(lines, { start: 1, end: 3 }, 10_000),
    target: symbolName ? 'symbol' : 'selection',
    targetLines: { start: 1, end: 3 },
    ...(symbolName ? { symbolName } : {}),
  };
}

const ALL: EditorTaskKind[] = ['explain', 'explainStepByStep', 'docComment', 'translateComments', 'translateDocument', 'explainProblem'];
const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

describe('editor task prompts', () => {
  it('ask in the chosen language and attach the code with its path, lines and language', () => {
    for (const kind of ALL) {
      for (const language of ['ja', 'en'] as const) {
        const prompt = editorTaskPrompt({ kind, language, code: codeOf(TS, 'typescript', 'sum') });
        assert.equal(JAPANESE.test(prompt.question), language === 'ja', `${kind} ${language}: ${prompt.question}`);
        const [code] = prompt.attachments;
        assert.equal(code.content, TS.join('\n'), kind);
        assert.equal(code.languageId, 'typescript');
        assert.equal(code.label, 'sum.ts:1-4');
        assert.equal(code.detail, 'src/sum.ts:1-4');
        assert.equal(prompt.edit, ['docComment', 'translateComments', 'translateDocument'].includes(kind), kind);
      }
    }
  });

  it('name the symbol, and ask for more reasoning only for step by step', () => {
    assert.match(editorTaskPrompt({ kind: 'explain', language: 'en', code: codeOf(TS, 'typescript', 'sum') }).question, /^Explain `sum` \(lines 2-4\)/);
    assert.equal(editorTaskPrompt({ kind: 'explain', language: 'en', code: codeOf(TS) }).reasoningEffort, undefined);
    assert.equal(editorTaskPrompt({ kind: 'explainStepByStep', language: 'ja', code: codeOf(TS) }).reasoningEffort, 'high');
  });

  it("write doc comments in each language's convention and ask for the whole code in one block", () => {
    const expected: Record<string, RegExp> = { typescript: /TSDoc/, python: /PEP 257/, rust: /rustdoc/, go: /Go doc comment/, java: /Javadoc/, csharp: /XML documentation/ };
    for (const [languageId, convention] of Object.entries(expected)) {
      const prompt = editorTaskPrompt({ kind: 'docComment', language: 'en', code: codeOf(TS, languageId, 'sum') });
      assert.match(prompt.question, convention, languageId);
      assert.match(prompt.question, new RegExp(`single \`\`\`${languageId} code block`));
      assert.match(prompt.question, /Do not change the code/);
      assert.match(editorTaskPrompt({ kind: 'docComment', language: 'ja', code: codeOf(TS, languageId, 'sum') }).question, /コード自体は一文字も変えない/);
    }
  });

  it('explain a problem with its message and the problems in range', () => {
    const problems = [{ line: 2, character: 9, severity: 'error' as const, message: "Type 'string' is not assignable\nto type 'number'.", source: 'ts', code: '2322' }];
    for (const language of ['ja', 'en'] as const) {
      const prompt = editorTaskPrompt({ kind: 'explainProblem', language, code: codeOf(TS), problems });
      assert.match(prompt.question, /Type 'string' is not assignable to type 'number'\./);
      assert.equal(prompt.attachments.length, 2);
      assert.equal(prompt.attachments[1].kind, 'problems');
      assert.equal(prompt.attachments[1].content, "src/sum.ts:3:10 error Type 'string' is not assignable to type 'number'. (ts 2322)");
    }
  });

  it('say which lines of a long file are shown', () => {
    const lines = Array.from({ length: 50_000 }, (_, i) => `const v${i} = ${i};`);
    const code: TaskCode = { path: 'big.ts', languageId: 'typescript', excerpt: excerptAround(lines, { start: 25_000, end: 25_010 }, 4_000), target: 'selection', targetLines: { start: 25_000, end: 25_010 } };
    const ja = editorTaskPrompt({ kind: 'explain', language: 'ja', code });
    const en = editorTaskPrompt({ kind: 'explain', language: 'en', code });
    const range = `${code.excerpt.shown.start + 1}-${code.excerpt.shown.end + 1}`;
    assert.ok(ja.question.startsWith('選択したコード（25001-25011 行目）'), ja.question);
    assert.ok(en.question.startsWith('Explain the selected code (lines 25001-25011)'), en.question);
    assert.ok(ja.question.includes(`全 50000 行のうち ${range} 行目`), ja.question);
    assert.ok(en.question.includes(`Lines ${range} of 50000`), en.question);
  });
});

describe('excerpt around the target', () => {
  const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i}: ${'x'.repeat(i % 70)}`);

  it('keeps a 50,000-line file within budget, the target whole and centred', () => {
    for (const budget of [500, 8_000, 60_000]) {
      const excerpt = excerptAround(lines, { start: 30_000, end: 30_004 }, budget);
      assert.ok(excerpt.text.length <= budget, `${excerpt.text.length} > ${budget}`);
      assert.ok(excerpt.shown.start <= 30_000 && excerpt.shown.end >= 30_004);
      assert.equal(excerpt.trimmed, true);
      assert.equal(excerpt.targetCut, false);
      assert.equal(excerpt.text, lines.slice(excerpt.shown.start, excerpt.shown.end + 1).join('\n'));
      const before = 30_000 - excerpt.shown.start;
      const after = excerpt.shown.end - 30_004;
      assert.ok(Math.abs(before - after) <= 2 || budget > 60_000, `${before} above, ${after} below`);
      // Nothing more would have fitted.
      const next = Math.min(lines[excerpt.shown.start - 1].length, lines[excerpt.shown.end + 1].length) + 1;
      assert.ok(excerpt.text.length + next > budget);
    }
  });

  it('cuts a target larger than the budget, and a line larger than the budget', () => {
    const big = excerptAround(lines, { start: 100, end: 20_000 }, 5_000);
    assert.equal(big.targetCut, true);
    assert.equal(big.shown.start, 100);
    assert.ok(big.text.length <= 5_000);
    const huge = excerptAround(['a', 'b'.repeat(2_000_000), 'c'], { start: 1, end: 1 }, 1_000);
    assert.equal(huge.targetCut, true);
    assert.ok(huge.text.length <= 1_000 && huge.text.startsWith('bbb') && huge.text.endsWith('…'));
  });

  it('shows a short file whole', () => {
    const excerpt = excerptAround(TS, { start: 3, end: 1 }, 10_000);
    assert.deepEqual([excerpt.shown, excerpt.trimmed, excerpt.targetCut], [{ start: 0, end: 3 }, false, false]);
    assert.deepEqual(splitLines('a\r\nb\rc\nd'), ['a', 'b', 'c', 'd']);
  });
});

describe('edited code in an answer', () => {
  it('is the code block, or the longest of several', () => {
    assert.deepEqual(editedCode('Here:\n```ts\nconst a = 1;\n```\nDone.'), { code: 'const a = 1;' });
    assert.deepEqual(editedCode('```ts\nx\n```\n\n```ts\nlonger one\n```'), { code: 'longer one' });
    assert.deepEqual(editedCode('````md\n```js\ninner\n```\n````'), { code: '```js\ninner\n```' });
    assert.equal(editedCode('I cannot do that.'), undefined);
  });

  it('is the answer itself for a whole document, unwrapped from one markdown block', () => {
    assert.deepEqual(editedCode('# 題\n\n本文\n', { wholeDocument: true }), { code: '# 題\n\n本文' });
    assert.deepEqual(editedCode('````markdown\n# T\n```sh\nls\n```\n````', { wholeDocument: true }), { code: '# T\n```sh\nls\n```' });
    assert.deepEqual(editedCode('# T\n```sh\nls\n```', { wholeDocument: true }), { code: '# T\n```sh\nls\n```' });
  });
});

describe('translation direction', () => {
  it('goes into English from Japanese comments, into Japanese otherwise', () => {
    assert.equal(translationTarget('// 合計を返す\n// 空なら 0'), 'en');
    assert.equal(translationTarget('// returns the sum'), 'ja');
    assert.equal(translationTarget('// returns the sum (合計)'), 'ja');
    assert.equal(translationTarget(''), 'ja');
  });
});
