import * as assert from 'node:assert/strict';
import { splitDiff } from '../../src/core/commit/diffFiles';
import { packTexts, planDiff, type CountTokens } from '../../src/core/commit/diffPlan';

/** About four characters a token, rounded up: the sum over parts is never below the whole. */
function counter(): { readonly count: CountTokens; readonly calls: number[] } {
  const calls: number[] = [];
  return {
    calls,
    count: async (texts) => {
      calls.push(texts.length);
      return texts.map((t) => Math.ceil(t.length / 4));
    },
  };
}
const tokens = (text: string): number => Math.ceil(text.length / 4);

function fileDiff(path: string, hunks: readonly string[][]): string {
  const lines = [`diff --git a/${path} b/${path}`, 'index 1111111..2222222 100644', `--- a/${path}`, `+++ b/${path}`];
  hunks.forEach((hunk, i) => lines.push(`@@ -${i * 100 + 1},${hunk.length} +${i * 100 + 1},${hunk.length} @@ hunk ${i}`, ...hunk));
  return lines.join('\n') + '\n';
}

function plus(n: number, tag: string): string[] {
  return Array.from({ length: n }, (_, i) => `+${tag} line ${i} ${'x'.repeat(20)}`);
}

describe('packing texts', () => {
  it('fills groups in order, within budget, counting the joins', () => {
    const items = [5, 5, 5, 9, 1, 20, 2].map((t, i) => ({ id: i, tokens: t }));
    const groups = packTexts(items, 12);
    assert.deepEqual(groups.map((g) => g.map((i) => i.id)), [[0, 1], [2], [3, 4], [5], [6]]);
    assert.deepEqual(packTexts(items, 12, 0).map((g) => g.map((i) => i.id)), [[0, 1], [2], [3, 4], [5], [6]]);
    assert.deepEqual(packTexts([{ tokens: 6 }, { tokens: 6 }], 12, 0).length, 1);
    assert.deepEqual(packTexts([], 10), []);
  });
});

describe('diff plan', () => {
  it('keeps a small diff whole, with skipped files named', async () => {
    const diff = fileDiff('src/a.ts', [plus(3, 'a')]) + fileDiff('package-lock.json', [plus(500, 'lock')]) + fileDiff('src/b.ts', [plus(2, 'b')]);
    const { count, calls } = counter();
    const plan = await planDiff(splitDiff(diff), 10_000, count);
    assert.equal(plan.fitsWhole, true);
    assert.deepEqual(plan.skipped, [{ path: 'package-lock.json', reason: 'lockfile' }]);
    assert.deepEqual(plan.included.map((f) => f.path), ['src/a.ts', 'src/b.ts']);
    assert.equal(plan.pieces.length, 1);
    assert.deepEqual(plan.pieces[0].paths, ['src/a.ts', 'src/b.ts']);
    assert.equal(plan.pieces[0].text, plan.included.map((f) => f.text).join(''));
    assert.ok(!plan.pieces[0].text.includes('lock line'));
    assert.deepEqual(calls, [2]);
  });

  it('packs whole files into pieces in order when they do not fit at once', async () => {
    const diff = Array.from({ length: 10 }, (_, i) => fileDiff(`src/f${i}.ts`, [plus(10, `f${i}`)])).join('');
    const files = splitDiff(diff);
    const one = tokens(files[0].text);
    const plan = await planDiff(files, one * 3 + 5, counter().count);
    assert.equal(plan.fitsWhole, false);
    assert.deepEqual(plan.pieces.map((p) => p.paths.length), [3, 3, 3, 1]);
    assert.deepEqual(plan.pieces.flatMap((p) => p.paths), files.map((f) => f.path));
    assert.equal(plan.pieces.map((p) => p.text).join(''), diff);
    for (const p of plan.pieces) {
      assert.ok(p.tokens <= one * 3 + 5);
      assert.ok(tokens(p.text) <= p.tokens);
      assert.equal(p.part, undefined);
    }
  });

  it('cuts a large file at hunks, repeating its header and numbering the parts', async () => {
    const diff = fileDiff('src/small.ts', [plus(2, 's')]) + fileDiff('src/big.ts', Array.from({ length: 6 }, (_, i) => plus(10, `h${i}`))) + fileDiff('src/after.ts', [plus(2, 'z')]);
    const files = splitDiff(diff);
    const budget = 260;
    const plan = await planDiff(files, budget, counter().count);
    const big = plan.pieces.filter((p) => p.part);
    assert.ok(big.length >= 3, `${big.length} parts`);
    big.forEach((p, i) => {
      assert.deepEqual(p.paths, ['src/big.ts']);
      assert.deepEqual(p.part, { index: i + 1, of: big.length });
      assert.ok(p.text.startsWith('diff --git a/src/big.ts b/src/big.ts\nindex 1111111..2222222 100644\n--- a/src/big.ts\n+++ b/src/big.ts\n@@ '), p.text.slice(0, 120));
    });
    assert.deepEqual(plan.pieces.map((p) => p.paths[0]), ['src/small.ts', ...big.map(() => 'src/big.ts'), 'src/after.ts']);
    for (const p of plan.pieces) assert.ok(p.tokens <= budget && tokens(p.text) <= p.tokens, `${p.tokens}`);
    // Every hunk line is in exactly one part, in order.
    const header = 'diff --git a/src/big.ts b/src/big.ts\nindex 1111111..2222222 100644\n--- a/src/big.ts\n+++ b/src/big.ts\n';
    assert.equal(header + big.map((p) => p.text.slice(header.length)).join(''), files[1].text);
  });

  it('cuts a huge hunk at lines and a huge line by characters', async () => {
    // Prose: a 2,000-character line in Markdown is a paragraph, not minified code.
    const long = '+' + 'あいうえお'.repeat(400) + '\n';
    const diff = fileDiff('docs/huge.md', [plus(400, 'only')]).replace('+only line 200', long.slice(0, -1) + '\n+only line 200');
    const files = splitDiff(diff);
    const budget = 300;
    const { count, calls } = counter();
    const plan = await planDiff(files, budget, count);
    assert.ok(plan.pieces.length > 10);
    for (const p of plan.pieces) {
      assert.ok(p.tokens <= budget && tokens(p.text) <= p.tokens, `${p.tokens}`);
      assert.ok(p.text.startsWith('diff --git a/docs/huge.md'));
    }
    const header = files[0].text.slice(0, files[0].text.indexOf('@@'));
    assert.equal(plan.pieces.map((p) => p.text.slice(header.length)).join(''), files[0].text.slice(header.length));
    assert.ok(calls.length <= 6, `${calls.length} count calls`);
  });

  it('plans a 20,000-line diff quickly, in a few count rounds', async () => {
    const parts = [fileDiff('package-lock.json', [plus(5000, 'lock')])];
    for (let f = 0; f < 20; f++) parts.push(fileDiff(`src/m${f}.ts`, Array.from({ length: 10 }, (_, h) => plus(50, `m${f}h${h}`))));
    parts.push(fileDiff('src/giant.ts', [plus(5000, 'giant')]));
    const diff = parts.join('');
    assert.ok(diff.split('\n').length > 20_000);
    const { count, calls } = counter();
    const start = performance.now();
    const plan = await planDiff(splitDiff(diff), 2000, count);
    const elapsed = performance.now() - start;
    assert.ok(elapsed < 1000, `${elapsed} ms`);
    assert.ok(calls.length <= 4, `${calls.length} count calls`);
    assert.deepEqual(plan.skipped, [{ path: 'package-lock.json', reason: 'lockfile' }]);
    assert.ok(plan.pieces.every((p) => p.tokens <= 2000));
    const seen = plan.pieces.flatMap((p) => p.paths).filter((p, i, all) => all.indexOf(p) === i);
    assert.deepEqual(seen, plan.included.map((f) => f.path));
  });

  it('has no pieces when every file is skipped', async () => {
    const plan = await planDiff(splitDiff(fileDiff('yarn.lock', [plus(3, 'y')])), 100, counter().count);
    assert.deepEqual([plan.included.length, plan.pieces.length, plan.fitsWhole], [0, 0, false]);
    assert.deepEqual(plan.skipped, [{ path: 'yarn.lock', reason: 'lockfile' }]);
  });
});
