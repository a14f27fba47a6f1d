// The commit box while a message streams into it (src/vscode/scm/commitBox.ts, which needs no
// VS Code at run time): updates at most every 50 ms, the hint back exactly, the user's typing
// never overwritten, stale echoes of our own writes not taken for typing.
import * as assert from 'node:assert/strict';
import { BOX_UPDATE_MS, CommitBox } from '../../src/vscode/scm/commitBox';

/** An input box that records when each value was set. */
class RecordingBox {
  readonly writes: Array<{ value: string; at: number }> = [];
  private current: string;
  constructor(initial: string) {
    this.current = initial;
  }
  get value(): string {
    return this.current;
  }
  set value(value: string) {
    this.current = value;
    this.writes.push({ value, at: performance.now() });
  }
  /** What the workbench does: the value changes without our setter (typing, a late echo). */
  changeFromOutside(value: string): void {
    this.current = value;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('commit box', () => {
  it('writes the streamed text at most every 50 ms, ending with the latest', async () => {
    const box = new RecordingBox('');
    const commit = new CommitBox(box, () => assert.fail('no typing here'));
    let text = '';
    const started = performance.now();
    while (performance.now() - started < 400) {
      text += 'あ';
      commit.show(text);
      await sleep(2);
    }
    await sleep(BOX_UPDATE_MS + 20);
    assert.ok(box.writes.length >= 2 && box.writes.length <= 10, `${box.writes.length} writes in 400 ms`);
    for (let i = 1; i < box.writes.length; i++) {
      // Timers may fire a millisecond early.
      assert.ok(box.writes[i].at - box.writes[i - 1].at >= BOX_UPDATE_MS - 2, `write ${i} came ${box.writes[i].at - box.writes[i - 1].at} ms after the one before`);
    }
    assert.equal(box.value, text);
  });

  it('puts the hint back exactly, whitespace and line breaks included', async () => {
    const hint = 'WIP: 途中のメモ\n\n  末尾の空白も残す  ';
    const box = new RecordingBox(hint);
    const commit = new CommitBox(box, () => assert.fail('no typing here'));
    assert.equal(commit.hint, hint);
    commit.show('feat: 途中');
    await sleep(BOX_UPDATE_MS + 20);
    assert.equal(box.value, 'feat: 途中');
    commit.show('feat: 途中まで書いた');
    await commit.restore();
    assert.equal(box.value, hint);
    await sleep(BOX_UPDATE_MS + 20);
    assert.equal(box.value, hint, 'no pending update lands after the restore');
  });

  it('takes a late echo of its own earlier write for what it is, not for typing', async () => {
    const box = new RecordingBox('');
    let typed = false;
    const commit = new CommitBox(box, () => (typed = true));
    commit.show('fix: a');
    await sleep(BOX_UPDATE_MS + 20);
    commit.show('fix: ab');
    await sleep(BOX_UPDATE_MS + 20);
    box.changeFromOutside('fix: a'); // the workbench echoing the first write after the second
    assert.equal(commit.edited, false);
    commit.show('fix: abc');
    await commit.finish('fix: abc');
    assert.equal(box.value, 'fix: abc');
    assert.equal(typed, false);
  });

  it('stops writing once the user types, and leaves their text on finish and on restore', async () => {
    const box = new RecordingBox('hint');
    let typed = 0;
    const commit = new CommitBox(box, () => typed++);
    commit.show('feat: streamed');
    await sleep(BOX_UPDATE_MS + 20);
    box.changeFromOutside('feat: streamed — my own words');
    commit.show('feat: streamed more');
    await sleep(BOX_UPDATE_MS + 20);
    assert.equal(box.value, 'feat: streamed — my own words');
    await commit.finish('feat: final');
    await commit.restore();
    assert.equal(box.value, 'feat: streamed — my own words');
    assert.equal(commit.edited, true);
    assert.equal(typed, 1, 'the run is told once');
  });
});
