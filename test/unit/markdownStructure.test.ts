import * as assert from 'node:assert/strict';
import { markdownDifference, markdownSkeleton } from '../../src/core/edits/markdownStructure';

const DOC = [
  '---',
  'title: Setup',
  'tags: [a, b]',
  '---',
  '# Setup',
  '',
  'Run `npm install`, then see the [guide](https://example.com/guide "Guide") and ![logo](img/logo.png).',
  '',
  '```sh',
  'npm test  # runs everything',
  '```',
  '',
  '| Option | Meaning |',
  '| :----- | ------: |',
  '| `--x`  | does x  |',
  '',
  '[ref]: https://example.com/ref',
].join('\n');

const TRANSLATED = [
  '---',
  'title: Setup',
  'tags: [a, b]',
  '---',
  '# セットアップ',
  '',
  '![ロゴ](img/logo.png) を見て、[ガイド](https://example.com/guide "ガイド") を読んでから `npm install` を実行します。',
  '',
  '```sh',
  'npm test  # runs everything',
  '```',
  '',
  '| オプション | 意味 |',
  '| :----- | ------: |',
  '| `--x`  | x をする |',
  '',
  '[ref]: https://example.com/ref',
].join('\n');

describe('a Markdown translation', () => {
  it('reads the parts that must be kept', () => {
    const skeleton = markdownSkeleton(DOC);
    assert.equal(skeleton.frontMatter, 'title: Setup\ntags: [a, b]');
    assert.deepEqual(skeleton.codeBlocks.map((b) => b.line), [9]);
    assert.deepEqual([...skeleton.inlineCode].sort(), ['--x', 'npm install']);
    assert.deepEqual([...skeleton.links].sort(), ['https://example.com/guide', 'https://example.com/ref', 'img/logo.png']);
    assert.deepEqual(skeleton.tables.map((t) => t.columns), [[2, 2]]);
  });

  it('may translate the prose and reorder inline code and links', () => {
    assert.equal(markdownDifference(DOC, TRANSLATED), undefined);
    assert.equal(markdownDifference(DOC.replace(/\n/g, '\r\n'), TRANSLATED), undefined);
  });

  it('may not change front matter, code blocks, inline code, links or tables', () => {
    const cases: Array<[string, string, string]> = [
      ['front matter', 'title: Setup', 'title: セットアップ'],
      ['code block', 'npm test  # runs everything', 'npm test  # すべて実行'],
      ['inline code', '`npm install`', '`npm i`'],
      ['link', '(https://example.com/guide "ガイド")', '(https://example.com/ガイド "ガイド")'],
      ['table', '| `--x`  | x をする |', '| `--x`  | x | をする |'],
      ['table', '| :----- | ------: |', '| ------ | ------: |'],
    ];
    const expected = ['front-matter', 'code-block', 'inline-code', 'link', 'table', 'table'];
    cases.forEach(([name, from, to], i) => {
      assert.ok(TRANSLATED.includes(from), name);
      assert.equal(markdownDifference(DOC, TRANSLATED.replace(from, to))?.kind, expected[i], name);
    });
    assert.deepEqual(markdownDifference(DOC, TRANSLATED.replace(/```sh[\s\S]*?```\n/, '')), { kind: 'code-block', line: 9 });
  });
});
