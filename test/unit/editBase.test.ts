// Stale edits: a change is made on the text the model read or on its own pending proposal, and
// refused when the file changed under either.
import * as assert from 'node:assert/strict';
import { editBase } from '../../src/core/edits/editBase';

describe('edit base (stale detection)', () => {
  it('edits the file as it is when the model read it, or never read it', () => {
    assert.deepEqual(editBase({ current: 'a\n', read: 'a\n' }, 'x.ts'), { ok: true, base: 'a\n', baseline: 'a\n' });
    assert.deepEqual(editBase({ current: 'a\n' }, 'x.ts'), { ok: true, base: 'a\n', baseline: 'a\n' });
  });

  it('refuses a file that changed since the model read it, with a message that says what to do', () => {
    const outcome = editBase({ current: 'a\nuser line\n', read: 'a\n' }, 'src/x.ts');
    assert.equal(outcome.ok, false);
    if (outcome.ok) return;
    assert.equal(outcome.reason, 'changed-since-read');
    assert.match(outcome.error.en, /src\/x\.ts changed since you read it: read_file it again/);
    assert.match(outcome.error.ja, /もう一度 read_file/);
  });

  it('builds on a pending proposal, keeping the text before the first change as what Accept compares with', () => {
    const pending = { baseline: 'a\n', proposed: 'a\nb\n' };
    assert.deepEqual(editBase({ current: 'a\n', read: 'a\n', pending }, 'x.ts'), { ok: true, base: 'a\nb\n', baseline: 'a\n' });
  });

  it('refuses when the user changed the file after the proposal (even a line ending)', () => {
    const outcome = editBase({ current: 'a\r\n', pending: { baseline: 'a\n', proposed: 'a\nb\n' } }, 'x.ts');
    assert.equal(outcome.ok || outcome.reason, 'changed-since-proposal');
  });
});
