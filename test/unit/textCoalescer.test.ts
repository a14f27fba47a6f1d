// The model process sends text deltas at most once per frame: checked with a clock the test
// moves by hand, so that "within a frame" and "a frame later" are exact.
import * as assert from 'node:assert/strict';
import { FRAME_MS, coalesceText, type CoalescerClock } from '../../src/core/generation/textCoalescer';
import type { EngineEvent } from '../../src/core/generation/types';

class ManualClock implements CoalescerClock {
  time = 1000;
  private timers: { at: number; callback: () => void; id: number }[] = [];
  private nextId = 1;
  now(): number {
    return this.time;
  }
  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.time + ms, callback, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.callback();
    }
    this.time = until;
  }
  get pending(): number {
    return this.timers.length;
  }
}

function setup() {
  const clock = new ManualClock();
  const sent: { at: number; event: EngineEvent }[] = [];
  const coalescer = coalesceText((event) => sent.push({ at: clock.time, event }), { clock });
  return { clock, sent, coalescer };
}

const answer = (text: string): EngineEvent => ({ type: 'answer', text });
const reasoning = (text: string): EngineEvent => ({ type: 'reasoning', text });

describe('text coalescer (one IPC message per frame)', () => {
  it('sends the first delta at once', () => {
    const { sent, coalescer, clock } = setup();
    coalescer.emit(answer('こ'));
    assert.deepEqual(sent, [{ at: clock.time, event: answer('こ') }]);
  });

  it('sends every token at once when tokens come slower than one a frame', () => {
    const { sent, coalescer, clock } = setup();
    for (const piece of ['a', 'b', 'c', 'd']) {
      coalescer.emit(answer(piece));
      clock.advance(FRAME_MS + 4);
    }
    assert.deepEqual(sent.map((s) => s.event), ['a', 'b', 'c', 'd'].map(answer));
    assert.equal(clock.pending, 0, 'no timer was needed');
  });

  it('joins the deltas of one frame into one message, sent when the frame ends', () => {
    const { sent, coalescer, clock } = setup();
    const start = clock.time;
    coalescer.emit(answer('東'));
    for (const piece of ['京', 'の', '天']) {
      clock.advance(4);
      coalescer.emit(answer(piece));
    }
    assert.equal(sent.length, 1, 'the three later deltas are held');
    clock.advance(FRAME_MS);
    assert.deepEqual(sent.map((s) => s.event), [answer('東'), answer('京の天')]);
    assert.equal(sent[1].at, start + FRAME_MS, 'held text waits no longer than the rest of the frame');
  });

  it('at 200 tokens/s sends about one message per frame and loses no text', () => {
    const { sent, coalescer, clock } = setup();
    const pieces = Array.from({ length: 1000 }, (_, i) => `t${i} `);
    for (const piece of pieces) {
      coalescer.emit(answer(piece));
      clock.advance(5);
    }
    coalescer.emit({ type: 'done', reason: 'length' });
    const text = sent.flatMap((s) => (s.event.type === 'answer' ? [s.event.text] : [])).join('');
    assert.equal(text, pieces.join(''));
    const messages = sent.length - 1;
    const frames = (1000 * 5) / FRAME_MS;
    assert.ok(messages <= frames + 2 && messages >= frames / 2, `${messages} messages for ${frames.toFixed(0)} frames`);
    assert.deepEqual(sent.at(-1)?.event, { type: 'done', reason: 'length' });
  });

  it('sends held text before any other event, in order, and keeps reasoning apart from the answer', () => {
    const { sent, coalescer } = setup();
    coalescer.emit(reasoning('考'));
    coalescer.emit(reasoning('え'));
    coalescer.emit(answer('答'));
    coalescer.emit(answer('え'));
    coalescer.emit({ type: 'toolCall', name: 'read_file', arguments: '{}', parsed: {} });
    coalescer.emit(answer('後'));
    coalescer.emit({ type: 'usage', usage: { promptTokens: 1, reusedTokens: 0, evaluatedTokens: 1, generatedTokens: 5, timeToFirstTokenMs: 1, tokensPerSecond: 1 } });
    assert.deepEqual(
      sent.map((s) => (s.event.type === 'answer' || s.event.type === 'reasoning' ? `${s.event.type}:${s.event.text}` : s.event.type)),
      ['reasoning:考', 'reasoning:え', 'answer:答え', 'toolCall', 'answer:後', 'usage'],
    );
  });

  it('flush() sends what is held and cancels the frame timer', () => {
    const { sent, coalescer, clock } = setup();
    coalescer.emit(answer('a'));
    coalescer.emit(answer('b'));
    assert.equal(clock.pending, 1);
    coalescer.flush();
    assert.equal(clock.pending, 0);
    assert.deepEqual(sent.map((s) => s.event), [answer('a'), answer('b')]);
    clock.advance(100);
    assert.equal(sent.length, 2, 'nothing is sent twice');
  });
});
