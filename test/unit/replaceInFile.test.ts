import * as assert from 'node:assert/strict';
import { applyReplacements, checkProposal, type ReplaceOutcome } from '../../src/core/edits/replaceInFile';
import { isPlaceholderLine, newPlaceholder } from '../../src/core/edits/placeholders';

const FILE = ['import { x } from "./x";', '', 'function add(a, b) {', '  return a + b;', '}', '', 'function sub(a, b) {', '  return a - b;', '}', ''].join('\n');

function applied(outcome: ReplaceOutcome): Extract<ReplaceOutcome, { ok: true }> {
  assert.ok(outcome.ok, outcome.ok ? '' : `${outcome.code}: ${outcome.error.en}`);
  return outcome;
}

function failed(outcome: ReplaceOutcome, code: string): Extract<ReplaceOutcome, { ok: false }> {
  assert.equal(outcome.ok, false, outcome.ok ? `applied: ${JSON.stringify(outcome.text)}` : '');
  assert.ok(!outcome.ok);
  assert.equal(outcome.code, code, outcome.error.en);
  assert.ok(outcome.error.en.endsWith('None of the edits were applied.'), outcome.error.en);
  assert.ok(outcome.error.ja.endsWith('どの編集も適用していません。'), outcome.error.ja);
  return outcome;
}

/** A file of `n` distinct lines. */
function numbered(n: number, eol = '\n'): string {
  return Array.from({ length: n }, (_, i) => `const value${i} = compute(${i}, "item ${i}");`).join(eol) + eol;
}

describe('replace_in_file: applying edits', () => {
  it('replace a text that matches exactly once, reporting its line', () => {
    const result = applied(applyReplacements(FILE, [{ oldText: '  return a - b;', newText: '  return a - b - 0;' }]));
    assert.equal(result.text, FILE.replace('a - b;', 'a - b - 0;'));
    assert.deepEqual(result.applied, [{ index: 0, line: 8, whitespaceTolerant: false }]);
  });

  it('apply several edits given in any order, each matched in the original', () => {
    const result = applied(
      applyReplacements(FILE, [
        { oldText: 'return a - b;', newText: 'return a - b; // sub' },
        { oldText: 'import { x } from "./x";\n', newText: '' },
        { oldText: 'return a + b;', newText: 'return a + b; // add' },
      ]),
    );
    assert.equal(result.text, FILE.replace('import { x } from "./x";\n', '').replace('a + b;', 'a + b; // add').replace('a - b;', 'a - b; // sub'));
    assert.deepEqual(
      result.applied.map((a) => [a.index, a.line]),
      [
        [0, 8],
        [1, 1],
        [2, 4],
      ],
    );
  });

  it('refuse an old_text that matches nowhere, quoting the nearest lines of the file with their numbers', () => {
    const outcome = failed(applyReplacements(FILE, [{ oldText: 'function sub(a, b) {\n  return a - c;\n}', newText: 'x' }]), 'not-found');
    assert.equal(outcome.index, 0);
    assert.match(outcome.error.en, /old_text was not found in the file/);
    assert.ok(outcome.error.en.includes('7: function sub(a, b) {\n8:   return a - b;\n9: }'), outcome.error.en);
    assert.match(outcome.error.en, /Call read_file on the file again and copy old_text exactly/);
    assert.ok(outcome.error.ja.includes('7: function sub(a, b) {'), outcome.error.ja);
    assert.match(outcome.error.ja, /read_file でファイルを読み直し/);
    // Nothing alike: said so, no lines quoted.
    const nothing = failed(applyReplacements(FILE, [{ oldText: 'ZZZZ QQQQ', newText: 'x' }]), 'not-found');
    assert.match(nothing.error.en, /No line of the file looks like it\. Call read_file/);
    assert.doesNotMatch(nothing.error.en, /\d+: /);
    assert.match(failed(applyReplacements('', [{ oldText: 'a', newText: 'b' }]), 'not-found').error.en, /The file is empty/);
  });

  it('refuse an old_text found several times, saying how many and on which lines', () => {
    const outcome = failed(applyReplacements(FILE, [{ oldText: '(a, b) {', newText: '(a, b, c) {' }]), 'ambiguous');
    assert.match(outcome.error.en, /matches 2 places \(lines 3, 7\)/);
    assert.match(outcome.error.en, /Add a few unchanged lines before or after it/);
    assert.match(outcome.error.ja, /2 か所（3, 7 行目）/);
    // Overlapping occurrences count too.
    assert.match(failed(applyReplacements('aaa\n', [{ oldText: 'aa', newText: 'b' }]), 'ambiguous').error.en, /2 places \(lines 1\)/);
    // Many places: the first ten lines, then an ellipsis.
    const many = failed(applyReplacements('x\n'.repeat(50), [{ oldText: 'x', newText: 'y' }]), 'ambiguous');
    assert.match(many.error.en, /matches 50 places \(lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, …\)/);
  });

  it('refuse edits that overlap each other', () => {
    const outcome = failed(
      applyReplacements(FILE, [
        { oldText: 'function add(a, b) {\n  return a + b;', newText: 'function add(a, b) {\n  return b + a;' },
        { oldText: '  return a + b;\n}', newText: '  return a + b + 0;\n}' },
      ]),
      'overlap',
    );
    assert.equal(outcome.index, 1);
    assert.match(outcome.error.en, /Edits 1 and 2 change overlapping text \(line 4\)/);
    assert.match(outcome.error.ja, /編集 1 と 2/);
    // The same text twice is an overlap too; edits that only touch are not.
    failed(applyReplacements(FILE, [{ oldText: 'return a + b;', newText: '1' }, { oldText: 'return a + b;', newText: '2' }]), 'overlap');
    const touching = applied(applyReplacements('abcd\n', [{ oldText: 'ab', newText: 'AB' }, { oldText: 'cd', newText: 'CD' }]));
    assert.equal(touching.text, 'ABCD\n');
  });

  it('use a match that is unique when runs of white space are taken as equal, and say so', () => {
    // Other indentation, trailing spaces, a blank line the model added.
    const file = 'class A {\n\tfoo() {\n\t\treturn 1;   \n\t}\n\n\tbar() {}\n}\n';
    const result = applied(applyReplacements(file, [{ oldText: '    foo() {\n        return 1;\n\n    }\n', newText: '\tfoo() {\n\t\treturn 2;\n\t}\n' }]));
    assert.equal(result.text, 'class A {\n\tfoo() {\n\t\treturn 2;\n\t}\n\n\tbar() {}\n}\n');
    assert.deepEqual(result.applied, [{ index: 0, line: 2, whitespaceTolerant: true }]);
    // Spaces inside a line: several blanks in the file, one in old_text.
    const spaced = applied(applyReplacements('x  =   1;\ny = 2;\n', [{ oldText: 'x = 1;', newText: 'x = 3;' }]));
    assert.equal(spaced.text, 'x = 3;\ny = 2;\n');
    assert.equal(spaced.applied[0].whitespaceTolerant, true);
    // A blank line missing from old_text.
    const blank = applied(applyReplacements('a();\n\nb();\nc();\n', [{ oldText: 'a();\nb();', newText: 'a();\nb2();' }]));
    assert.equal(blank.text, 'a();\nb2();\nc();\n');
    // Never white space where the file has none, and never a guess between several loose matches.
    failed(applyReplacements('foo(a,b);\n', [{ oldText: 'foo(a, b);', newText: 'x' }]), 'not-found');
    failed(applyReplacements('if (a) {\n  x();\n}\nif (a) {\n    x();\n}\n', [{ oldText: 'if (a) {\n x();', newText: 'y' }]), 'ambiguous');
    // A line break is not a space.
    failed(applyReplacements('a b\n', [{ oldText: 'a\nb', newText: 'x' }]), 'not-found');
  });

  it('keep a CRLF file CRLF, even where new_text uses LF, and leave the other bytes alone', () => {
    const crlf = FILE.replace(/\n/g, '\r\n');
    const result = applied(applyReplacements(crlf, [{ oldText: 'function add(a, b) {\n  return a + b;\n}', newText: 'function add(a, b) {\n  // sum\n  return a + b;\n}' }]));
    assert.equal(result.text, crlf.replace('{\r\n  return a + b;', '{\r\n  // sum\r\n  return a + b;'));
    assert.doesNotMatch(result.text.replace(/\r\n/g, ''), /\n/);
    // old_text written with CRLF matches too.
    const crlfOld = applied(applyReplacements(crlf, [{ oldText: 'return a - b;\r\n}', newText: 'return b - a;\r\n}' }]));
    assert.equal(crlfOld.text, crlf.replace('a - b', 'b - a'));
    // An LF file stays LF where the model wrote CRLF.
    assert.equal(applied(applyReplacements(FILE, [{ oldText: 'return a - b;', newText: 'x;\r\ny;' }])).text, FILE.replace('return a - b;', 'x;\ny;'));
    // A file of mixed line breaks: the lines not edited keep theirs.
    const mixed = 'a\r\nb\nc\r\nd\r\n';
    assert.equal(applied(applyReplacements(mixed, [{ oldText: 'c', newText: 'C1\nC2' }])).text, 'a\r\nb\nC1\r\nC2\r\nd\r\n');
    assert.equal(applied(applyReplacements(mixed, [{ oldText: 'a\nb', newText: 'AB' }])).text, 'AB\nc\r\nd\r\n');
  });

  it('keep the final newline, or its lack, as the file had it', () => {
    assert.equal(applied(applyReplacements('a\nb', [{ oldText: 'b', newText: 'c' }])).text, 'a\nc');
    assert.equal(applied(applyReplacements('a\nb', [{ oldText: 'b', newText: 'c\n' }])).text, 'a\nc');
    assert.equal(applied(applyReplacements('a\nb\n', [{ oldText: 'b\n', newText: 'c' }])).text, 'a\nc\n');
    assert.equal(applied(applyReplacements('a\r\nb\r\n', [{ oldText: 'b\n', newText: 'c' }])).text, 'a\r\nc\r\n');
    assert.equal(applied(applyReplacements('a\r\nb', [{ oldText: 'b', newText: 'c\r\n' }])).text, 'a\r\nc');
    assert.equal(applied(applyReplacements('only', [{ oldText: 'only', newText: 'one\ntwo' }])).text, 'one\ntwo');
  });

  it('work on Japanese text and characters beyond the BMP', () => {
    const file = '# 説明\n\n関数は値を返します。😀\n// 合計を計算する\nconst 合計 = 𠮷野家(1, 2);\n';
    const result = applied(applyReplacements(file, [{ oldText: 'const 合計 = 𠮷野家(1, 2);', newText: 'const 合計 = 𠮷野家(1, 2, 3); // 𩸽' }, { oldText: '😀', newText: '🎉' }]));
    assert.equal(result.text, '# 説明\n\n関数は値を返します。🎉\n// 合計を計算する\nconst 合計 = 𠮷野家(1, 2, 3); // 𩸽\n');
    assert.deepEqual(
      result.applied.map((a) => a.line),
      [5, 3],
    );
    // Loose match across an ideographic text, and nearest lines quoted whole (no half surrogate).
    assert.equal(applied(applyReplacements(file, [{ oldText: 'const  合計 =   𠮷野家(1, 2);', newText: 'x' }])).applied[0].whitespaceTolerant, true);
    const missing = failed(applyReplacements(file, [{ oldText: 'const 合計 = 𠮷野家(1, 9);', newText: 'x' }]), 'not-found');
    assert.ok(missing.error.en.includes('5: const 合計 = 𠮷野家(1, 2);'), missing.error.en);
    assert.ok(missing.error.ja.startsWith('この編集: old_text がファイルに見つかりません'));
  });

  it('refuse placeholders the new text brings in, but not ones the old text had, nor ordinary code', () => {
    for (const placeholder of [
      '// ... existing code ...',
      '  // ...',
      '# rest of the code remains the same',
      '/* ... */',
      '// ...existing code...',
      '// 以下省略',
      '// （略）',
      '# 変更なし',
      '<!-- ... -->',
      '    // ... other methods',
      '// Rest of the file unchanged',
      '…',
    ]) {
      const outcome = failed(applyReplacements(FILE, [{ oldText: 'function sub(a, b) {\n  return a - b;\n}', newText: `function sub(a, b) {\n${placeholder}\n}` }]), 'placeholder');
      assert.ok(outcome.error.en.includes(`"${placeholder.trim()}"`), outcome.error.en);
      assert.equal(outcome.index, 0);
    }
    // The second edit's placeholder names the second edit.
    assert.equal(
      failed(applyReplacements(FILE, [{ oldText: 'return a + b;', newText: 'return a + b + 0;' }, { oldText: 'return a - b;', newText: '// ...' }]), 'placeholder').index,
      1,
    );
    // A `// ...` that old_text already had is kept; code with spreads and ellipses is code.
    const withComment = 'function f(...args) {\n  // ...\n  return g(...args);\n}\n';
    const kept = applied(applyReplacements(withComment, [{ oldText: '  // ...\n  return g(...args);', newText: '  // ...\n  return h(...args, ...rest);' }]));
    assert.equal(kept.text, 'function f(...args) {\n  // ...\n  return h(...args, ...rest);\n}\n');
    const code = [
      'const all = [...items, ...more];',
      'call(...args);',
      '  ...defaults,',
      'def f(self) -> int:',
      '    ...',
      '// 引数を省略した場合は 0 を使う',
      '// 値をそのまま返す',
      '// TODO: more tests...',
      'const url = "http://example.com/...";',
      '// see the existing tests in test/unit for more',
      'print("rest of the code")',
    ].join('\n');
    assert.ok(applied(applyReplacements('x\n', [{ oldText: 'x', newText: code }])));
    assert.deepEqual(code.split('\n').filter(isPlaceholderLine), []);
  });

  it('refuse a result less than half as long as a file of more than 20 lines', () => {
    const file = numbered(40);
    const lines = file.split('\n');
    const half = lines.slice(0, 25).join('\n') + '\n';
    const outcome = failed(applyReplacements(file, [{ oldText: lines.slice(5, 40).join('\n'), newText: 'const done = true;' }]), 'shrink');
    assert.match(outcome.error.en, /from 40 lines to 6 .*more than half/);
    assert.match(outcome.error.ja, /40 行から 6 行/);
    // Removing less than half is fine; a small file may lose more.
    assert.ok(applied(applyReplacements(file, [{ oldText: lines.slice(25, 40).join('\n') + '\n', newText: '' }])).text === half);
    assert.equal(applied(applyReplacements('a\nb\nc\nd\n', [{ oldText: 'b\nc\nd\n', newText: '' }])).text, 'a\n');
  });

  it('apply nothing when one edit fails: the outcome says which, and no text comes back', () => {
    const edits = [
      { oldText: 'return a + b;', newText: 'return a + b + 1;' },
      { oldText: 'return a * b;', newText: 'return a * b * 1;' },
      { oldText: 'return a - b;', newText: 'return a - b - 1;' },
    ];
    const outcome = failed(applyReplacements(FILE, edits), 'not-found');
    assert.equal(outcome.index, 1);
    assert.ok(!('text' in outcome));
    assert.match(outcome.error.en, /^Edit 2 of 3: old_text was not found/);
    assert.match(outcome.error.ja, /^編集 2\/3: /);
  });

  it('refuse an empty old_text and edits that change nothing', () => {
    assert.equal(failed(applyReplacements(FILE, [{ oldText: '', newText: 'x' }]), 'empty-old').index, 0);
    assert.equal(failed(applyReplacements(FILE, [{ oldText: 'a', newText: 'a' }, { oldText: '', newText: 'x' }]), 'empty-old').index, 1);
    const same = failed(applyReplacements(FILE, [{ oldText: 'return a + b;', newText: 'return a + b;' }]), 'no-change');
    assert.match(same.error.en, /change nothing/);
    failed(applyReplacements(FILE, []), 'no-change');
    // A CRLF old_text and an LF new_text of the same lines change nothing in a CRLF file.
    const crlf = 'a\r\nb\r\n';
    failed(applyReplacements(crlf, [{ oldText: 'a\r\nb', newText: 'a\nb' }]), 'no-change');
  });

  it('stay fast on a 10,000-line file: exact, loose, ambiguous and missing matches', function () {
    this.timeout(20_000);
    const file = numbered(10_000, '\r\n');
    const started = Date.now();
    const edits = Array.from({ length: 20 }, (_, i) => {
      const n = i * 500 + 7;
      return { oldText: `const value${n} = compute(${n},  "item ${n}");`, newText: `const value${n} = compute(${n}, "changed");` };
    });
    const result = applied(applyReplacements(file, edits));
    assert.equal(result.applied.filter((a) => a.whitespaceTolerant).length, 20);
    assert.equal(result.applied[3].line, 1508);
    assert.ok(result.text.includes('const value1507 = compute(1507, "changed");\r\nconst value1508'));
    assert.equal(result.text.split('"changed"').length - 1, 20);
    assert.equal(result.text.split('\r\n').length, file.split('\r\n').length);
    failed(applyReplacements(file, [{ oldText: 'compute(', newText: 'x(' }]), 'ambiguous');
    const missing = failed(applyReplacements(file, [{ oldText: 'const value4242 = compute(4242, "item 4243");', newText: 'x' }]), 'not-found');
    assert.match(missing.error.en, /4243: const value4242 = compute\(4242, "item 4242"\);/);
    // Generous: the point is linear work, not a benchmark (a quadratic one takes minutes here).
    assert.ok(Date.now() - started < 15_000, `${Date.now() - started} ms`);
  });
});

describe('replace_in_file: checking a proposed content', () => {
  it('accept new content, refuse new placeholders and large shrinks', () => {
    assert.deepEqual(checkProposal('', 'export const a = 1;\n'), { ok: true });
    assert.deepEqual(checkProposal(FILE, FILE + 'more\n'), { ok: true });
    const placeholder = checkProposal('', 'class A {\n  // ... rest of the code\n}\n');
    assert.equal(placeholder.ok, false);
    assert.equal(!placeholder.ok && placeholder.code, 'placeholder');
    assert.match(!placeholder.ok ? placeholder.error.en : '', /"\/\/ \.\.\. rest of the code"/);
    assert.match(!placeholder.ok ? placeholder.error.ja : '', /省略/);
    // A placeholder-like line the original already had is not new.
    assert.deepEqual(checkProposal('a\n// ...\n', 'b\n// ...\n'), { ok: true });
    const file = numbered(30);
    const shrink = checkProposal(file, numbered(10));
    assert.equal(!shrink.ok && shrink.code, 'shrink');
    assert.deepEqual(checkProposal(file, numbered(16)), { ok: true });
    assert.deepEqual(checkProposal(numbered(20), 'x\n'), { ok: true });
  });

  it('compare placeholders by count', () => {
    assert.equal(newPlaceholder('// ...\n', '// ...\n// ...\n'), '// ...');
    assert.equal(newPlaceholder('// ...\n// ...\n', '// ...\n'), undefined);
    assert.equal(newPlaceholder('', 'x = 1\n'), undefined);
  });
});
