// What the reviewer reads and what a review keeps: numbered listings from a diff (new-file line
// numbers, removed lines unnumbered), skipped and deleted files, pieces that fit a budget; the
// review prompts in each language; findings stored, read back and counted; a suggestion's lines
// replaced without touching the rest of the file.
import * as assert from 'node:assert/strict';
import { replaceLines } from '../../src/core/edits/replaceLines';
import { explainFindingPrompt, reviewPrompt } from '../../src/core/prompts/review';
import { anchorFinding, findingResult, REPORT_FINDING } from '../../src/core/review/findings';
import { diffMaterial, fileMaterial, numberedFile, reviewPieces } from '../../src/core/review/reviewMaterial';
import { findingNumbers, nextFinding, parseStoredFindings, type StoredFinding } from '../../src/core/review/storedFindings';

const DIFF = [
  'diff --git a/src/calc.ts b/src/calc.ts',
  'index 1111111..2222222 100644',
  '--- a/src/calc.ts',
  '+++ b/src/calc.ts',
  '@@ -1,4 +1,5 @@',
  ' export function divide(a: number, b: number): number {',
  '-  return a / b; // old',
  '+  if (b === 0) return 0;',
  '+  return a / b;',
  ' }',
  ' ',
  '@@ -10,2 +11,3 @@ export function half(x: number) {',
  '   return x / 2;',
  '+  // 追加',
  ' }',
  'diff --git a/package-lock.json b/package-lock.json',
  'index 3333333..4444444 100644',
  '--- a/package-lock.json',
  '+++ b/package-lock.json',
  '@@ -1 +1 @@',
  '-{"lockfileVersion": 2}',
  '+{"lockfileVersion": 3}',
  'diff --git a/old.ts b/old.ts',
  'deleted file mode 100644',
  'index 5555555..0000000',
  '--- a/old.ts',
  '+++ /dev/null',
  '@@ -1 +0,0 @@',
  '-export const gone = 1;',
  '',
].join('\n');

function stored(over: Partial<StoredFinding> = {}): StoredFinding {
  return {
    id: 'f1', uri: 'file:///w/src/calc.ts', path: 'src/calc.ts', reviewId: 'r1', reviewLabel: 'the staged changes', createdAt: 1000,
    startLine: 1, endLine: 1, severity: 'warning', category: 'bug', message: 'b が 0 のとき 0 を返すのは誤りです。', quote: '  if (b === 0) return 0;', ...over,
  };
}

describe('review material and prompts', () => {
  it('numbers kept and added lines as in the new file, leaves removed lines unnumbered, and skips lockfiles and deleted files', () => {
    const material = diffMaterial(DIFF, 100_000);
    assert.deepEqual(material.files.map((f) => f.path), ['src/calc.ts']);
    assert.deepEqual(material.skipped, [{ path: 'package-lock.json', reason: 'lockfile' }, { path: 'old.ts', reason: 'deleted' }]);
    const lines = material.files[0].listing.split('\n');
    assert.deepEqual(lines.slice(0, 6), [
      '@@ -1,4 +1,5 @@',
      '    1   export function divide(a: number, b: number): number {',
      '      -   return a / b; // old',
      '    2 +   if (b === 0) return 0;',
      '    3 +   return a / b;',
      '    4   }',
    ]);
    assert.ok(lines.includes('   12 +   // 追加'), lines.join('\n'));
    // A numbered line's quote (its text after the marker) anchors on that very line of the new file.
    const newFile = 'export function divide(a: number, b: number): number {\n  if (b === 0) return 0;\n  return a / b;\n}\n';
    assert.deepEqual(anchorFinding({ startLine: 1, endLine: 1, quote: '  if (b === 0) return 0;' }, newFile), { kind: 'exact', startLine: 1, endLine: 1 });
  });

  it('cuts a file longer than one request at a line end, and packs files into pieces within the budget', () => {
    const text = Array.from({ length: 400 }, (_, i) => `const v${i} = ${i};`).join('\n');
    const whole = fileMaterial('big.ts', text, 1_000);
    assert.equal(whole.files[0].cut, true);
    assert.ok(whole.files[0].listing.length <= 1_000);
    assert.ok(whole.files[0].listing.endsWith(';'), 'cut at the end of a line');
    assert.equal(numberedFile('a\r\nb\r\n'), '    1   a\n    2   b');
    const files = ['a', 'b', 'c', 'd'].map((p) => ({ path: `${p}.ts`, listing: 'x'.repeat(400), cut: false }));
    const pieces = reviewPieces(files, 1_000);
    assert.deepEqual(pieces.map((p) => p.map((f) => f.path)), [['a.ts', 'b.ts'], ['c.ts', 'd.ts']]);
    assert.deepEqual(reviewPieces([{ path: 'huge.ts', listing: 'x'.repeat(5_000), cut: true }], 1_000).length, 1);
  });

  it('asks for findings in the chosen language, with the files as context and the left-out files named', () => {
    const material = diffMaterial(DIFF, 100_000);
    const ja = reviewPrompt({ language: 'ja', label: 'ステージ済みの変更', kind: 'diff', files: material.files, skipped: material.skipped, piece: [2, 3] });
    const system = ja.messages[0].content as string;
    assert.match(system, new RegExp(REPORT_FINDING));
    assert.match(system, /言語: message と最後のまとめは日本語/);
    const question = ja.messages[1].content as string;
    assert.match(question, /ステージ済みの変更をレビューしてください。対象のファイル: src\/calc\.ts/);
    assert.match(question, /3 回に分けており、これはその 2 回目/);
    assert.match(question, /package-lock\.json（ロックファイル）、old\.ts（削除されたファイル）/);
    assert.deepEqual(ja.context.map((c) => c.label), ['src/calc.ts']);
    assert.ok(!system.includes('export function'), 'the code is context, never instructions');
    const en = reviewPrompt({ language: 'en', label: 'main..HEAD', kind: 'diff', files: material.files, skipped: [] });
    assert.match(en.messages[0].content as string, /Language: write each message and the final summary in English/);
    assert.match(en.messages[1].content as string, /^Please review main\.\.HEAD\. Files: src\/calc\.ts$/);
    const both = reviewPrompt({ language: 'both', label: 'x', kind: 'file', files: material.files, skipped: [] });
    assert.match(both.messages[0].content as string, /English: /);
    assert.match(both.messages[0].content as string, /ファイルの行番号です/);
    const explain = explainFindingPrompt({ language: 'en', finding: stored({ replacement: '  if (b === 0) throw new Error();' }), excerpt: '    2   if (b === 0) return 0;' });
    assert.match(explain.messages[1].content as string, /Suggested replacement:\n {2}if \(b === 0\) throw/);
    assert.deepEqual(explain.context, [{ label: 'src/calc.ts', text: '    2   if (b === 0) return 0;' }]);
  });

  it('tells the model what became of each report', () => {
    assert.equal(findingResult({ recorded: 1, anchored: { kind: 'exact', startLine: 1, endLine: 1 } }), 'Recorded as finding 1.');
    assert.equal(
      findingResult({ recorded: 2, anchored: { kind: 'moved', startLine: 4, endLine: 5 } }),
      'Recorded as finding 2, at lines 5-6: the quote is there, not at the lines given.',
    );
    assert.equal(findingResult({ refused: 'outside', finding: { path: 'x.ts', startLine: 0, endLine: 0 } }), 'Not recorded: x.ts is not one of the files under review.');
    assert.match(findingResult({ refused: 'quote-not-found', finding: { path: 'x.ts', startLine: 2, endLine: 3 } }), /lines 3-4 of x\.ts do not hold the quote/);
  });
});

describe('stored review findings', () => {
  it('reads back whole records only, each once', () => {
    const good = stored();
    const parsed = parseStoredFindings([good, { ...good }, { ...good, id: 'f2', severity: 'fatal' }, { ...good, id: 'f3', startLine: 5, endLine: 2 }, { ...good, id: 'f4', quote: '' }, 'junk', null, { ...good, id: 'f5', replacement: 7 }]);
    assert.deepEqual(parsed, [good]);
    assert.deepEqual(parseStoredFindings({ not: 'a list' }), []);
    assert.deepEqual(parseStoredFindings(undefined), []);
  });

  it('numbers findings within their review by the order they came, and steps through them by file and line', () => {
    const list = [stored({ id: 'b', createdAt: 2 }), stored({ id: 'a', createdAt: 1 }), stored({ id: 'c', createdAt: 3, reviewId: 'r2' })];
    const numbers = findingNumbers(list);
    assert.deepEqual(numbers.get('a'), { index: 1, total: 2 });
    assert.deepEqual(numbers.get('b'), { index: 2, total: 2 });
    assert.deepEqual(numbers.get('c'), { index: 1, total: 1 });
    const places = [
      { id: 1, uri: 'file:///a.ts', startLine: 10 },
      { id: 2, uri: 'file:///a.ts', startLine: 3 },
      { id: 3, uri: 'file:///b.ts', startLine: 0 },
    ];
    assert.equal(nextFinding(places, { uri: 'file:///a.ts', line: 3 }, 1)?.id, 1);
    assert.equal(nextFinding(places, { uri: 'file:///a.ts', line: 10 }, 1)?.id, 3);
    assert.equal(nextFinding(places, { uri: 'file:///b.ts', line: 5 }, 1)?.id, 2, 'wraps to the first');
    assert.equal(nextFinding(places, { uri: 'file:///a.ts', line: 3 }, -1)?.id, 3, 'wraps to the last');
    assert.equal(nextFinding(places, undefined, 1)?.id, 2);
    assert.equal(nextFinding([], undefined, 1), undefined);
  });
});

describe('replacing whole lines', () => {
  it('changes only the lines named, in the file line endings, and removes lines for an empty replacement', () => {
    assert.equal(replaceLines('a\nb\nc\n', 1, 1, 'B1\nB2\n'), 'a\nB1\nB2\nc\n');
    assert.equal(replaceLines('a\r\nb\r\nc\r\n', 1, 1, 'B1\nB2'), 'a\r\nB1\r\nB2\r\nc\r\n');
    assert.equal(replaceLines('a\nb\r\nc\n', 2, 2, 'C'), 'a\nb\r\nC\n', 'the other lines keep their own endings');
    assert.equal(replaceLines('a\nb\nc', 1, 2, ''), 'a');
    assert.equal(replaceLines('a\nb\nc\n', 0, 0, ''), 'b\nc\n');
    assert.equal(replaceLines('a\nb\nc\n', 1, 1, ''), 'a\nc\n');
    assert.throws(() => replaceLines('a\n', 3, 3, 'x'), RangeError);
  });
});
