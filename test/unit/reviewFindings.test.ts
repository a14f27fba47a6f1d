// Review findings (issue 15's core): the report_finding arguments checked again, each finding
// anchored to the lines that hold its quote (moved nearby or dropped, never shown on wrong lines),
// and comment threads' lines moved through later edits of their file.
import * as assert from 'node:assert/strict';
import { anchorFinding, parseFinding, REPORT_FINDING_TOOL } from '../../src/core/review/findings';
import { moveRange, moveRangeThrough } from '../../src/core/review/lineRanges';
import { jsonSchemaToGrammar } from '../../src/core/tools/jsonSchemaGrammar';

const FILE = ['export function divide(a: number, b: number): number {', '  return a / b;', '}', '', 'export function half(x: number): number {', '  return x / 2;', '}', ''].join('\n');
const args = (over: Record<string, unknown> = {}) =>
  JSON.stringify({ path: 'src/calc.ts', start_line: 2, end_line: 2, severity: 'warning', category: 'bug', message: 'b が 0 のとき Infinity になります。', quote: '  return a / b;', ...over });

describe('review findings', () => {
  it('parse a well-formed finding into 0-based lines, and refuse what a grammar would not let through', () => {
    const parsed = parseFinding(args({ replacement: "  if (b === 0) throw new Error('b');\n  return a / b;" }));
    assert.ok(parsed.ok);
    assert.deepEqual({ ...parsed.finding, replacement: undefined }, {
      path: 'src/calc.ts', startLine: 1, endLine: 1, severity: 'warning', category: 'bug', message: 'b が 0 のとき Infinity になります。', quote: '  return a / b;', replacement: undefined,
    });
    for (const [bad, why] of [
      [args({ start_line: 0 }), /line numbers/],
      [args({ start_line: 3, end_line: 2 }), /line numbers/],
      [args({ severity: 'fatal' }), /severity/],
      [args({ category: 'vibes' }), /category/],
      [args({ message: '  ' }), /message/],
      [args({ path: '../../etc/passwd' }), /outside|\.\./],
      [args({ path: '.git/config' }), /\.git/],
      [args({ extra: 1 }), /Unknown arguments: extra/],
      ['{"path":', /JSON/],
    ] as const) {
      const outcome = parseFinding(bad);
      assert.equal(outcome.ok, false, bad);
      if (!outcome.ok) assert.match(outcome.error.en, why, bad);
    }
  });

  it('have a schema the engine turns into a grammar', () => {
    const grammar = jsonSchemaToGrammar(REPORT_FINDING_TOOL.function.parameters ?? {});
    assert.match(grammar, /root ::=/);
    for (const word of ['"\\"error\\""', '"\\"security\\""']) assert.ok(grammar.includes(word), `${word} in the grammar`);
  });

  it('stay on their lines when those lines hold the quote, whitespace aside', () => {
    assert.deepEqual(anchorFinding({ startLine: 1, endLine: 1, quote: 'return a / b;' }, FILE), { kind: 'exact', startLine: 1, endLine: 1 });
    assert.deepEqual(anchorFinding({ startLine: 0, endLine: 2, quote: '  return   a / b;' }, FILE.replace(/\n/g, '\r\n')), { kind: 'exact', startLine: 0, endLine: 2 });
  });

  it('move to the nearest place that holds the quote when the lines are off, keeping their span', () => {
    assert.deepEqual(anchorFinding({ startLine: 3, endLine: 3, quote: '  return a / b;' }, FILE), { kind: 'moved', startLine: 1, endLine: 1 });
    assert.deepEqual(anchorFinding({ startLine: 20, endLine: 21, quote: 'return x / 2;' }, FILE), { kind: 'moved', startLine: 5, endLine: 6 });
  });

  it('are dropped, not shown on the wrong lines, when the quote is nowhere near, ambiguous, or blank', () => {
    assert.deepEqual(anchorFinding({ startLine: 1, endLine: 1, quote: 'return a * b;' }, FILE), { kind: 'dropped', reason: 'quote-not-found' });
    // Lines 3 and 7 both close a function, two lines away from line 5 each.
    assert.deepEqual(anchorFinding({ startLine: 4, endLine: 4, quote: '}' }, FILE), { kind: 'dropped', reason: 'quote-ambiguous' });
    assert.deepEqual(anchorFinding({ startLine: 1, endLine: 1, quote: '\n  \n' }, FILE), { kind: 'dropped', reason: 'quote-not-found' });
    const far = `${'\n'.repeat(40)}${FILE}`;
    assert.deepEqual(anchorFinding({ startLine: 1, endLine: 1, quote: '  return a / b;' }, far), { kind: 'dropped', reason: 'quote-not-found' });
    assert.deepEqual(anchorFinding({ startLine: 500, endLine: 500, quote: 'nothing here' }, FILE), { kind: 'dropped', reason: 'past-end' });
  });
});

describe('comment thread lines through edits', () => {
  const at = (line: number, character = 0) => ({ line, character });
  const thread = { startLine: 10, endLine: 12 };

  it('move down with lines inserted above, up with lines deleted above', () => {
    assert.deepEqual(moveRange(thread, { start: at(2), end: at(2), text: 'a\nb\n' }), { startLine: 12, endLine: 14 });
    assert.deepEqual(moveRange(thread, { start: at(2), end: at(5), text: '' }), { startLine: 7, endLine: 9 });
    assert.deepEqual(moveRange(thread, { start: at(10), end: at(10), text: 'new line\n' }), { startLine: 11, endLine: 13 }, 'inserted at the start of its first line');
  });

  it('stay for edits below, and for edits inside one line', () => {
    assert.deepEqual(moveRange(thread, { start: at(13), end: at(20), text: '' }), thread);
    assert.deepEqual(moveRange(thread, { start: at(11, 4), end: at(11, 9), text: 'renamed' }), thread);
  });

  it('grow and shrink with lines inserted or deleted inside, and shrink to one line when all of it goes', () => {
    assert.deepEqual(moveRange(thread, { start: at(11, 3), end: at(11, 3), text: '\n\n' }), { startLine: 10, endLine: 14 });
    assert.deepEqual(moveRange(thread, { start: at(11), end: at(12), text: '' }), { startLine: 10, endLine: 11 });
    assert.deepEqual(moveRange(thread, { start: at(9), end: at(13), text: 'x\n' }), { startLine: 9, endLine: 9 });
    assert.deepEqual(moveRange(thread, { start: at(10), end: at(13), text: '' }), { startLine: 10, endLine: 10 });
  });

  it('follow a sequence of edits in order', () => {
    assert.deepEqual(moveRangeThrough(thread, [{ start: at(0), end: at(0), text: '// header\n' }, { start: at(1), end: at(3), text: '' }]), { startLine: 9, endLine: 11 });
  });
});
