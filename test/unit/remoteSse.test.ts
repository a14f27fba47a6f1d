import * as assert from 'node:assert/strict';
import { SseReader, type SseEvent } from '../../src/core/remote/sseReader';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

/** Feeds `text` to a reader cut at the given byte offsets. */
function readCut(text: string, cuts: readonly number[]): SseEvent[] {
  const all = bytes(text);
  const reader = new SseReader();
  const events: SseEvent[] = [];
  let from = 0;
  for (const cut of [...cuts, all.length]) {
    events.push(...reader.push(all.subarray(from, cut)));
    from = cut;
  }
  return [...events, ...reader.end()];
}

describe('SseReader', () => {
  it('reads data fields, skips comments and joins multi-line data', () => {
    const events = readCut(': keep-alive\n\ndata: {"a":1}\n\ndata: one\ndata: two\n\nevent: ping\ndata: x\n\ndata: [DONE]\n\n', []);
    assert.deepEqual(events, [{ data: '{"a":1}' }, { data: 'one\ntwo' }, { event: 'ping', data: 'x' }, { data: '[DONE]' }]);
  });

  it('reads CRLF and CR line ends, also when the CR and the LF arrive in different chunks', () => {
    const text = 'data: a\r\n\r\ndata: b\r\rdata: c\n\n';
    const whole = readCut(text, []);
    assert.deepEqual(whole, [{ data: 'a' }, { data: 'b' }, { data: 'c' }]);
    for (let cut = 1; cut < text.length; cut++) assert.deepEqual(readCut(text, [cut]), whole, `cut at ${cut}`);
  });

  it('never turns a character split across chunks into U+FFFD, wherever the bytes are cut', () => {
    const text = 'data: {"content":"日本語の回答🎉"}\n\n';
    const length = bytes(text).length;
    for (let a = 1; a < length; a++) {
      for (const b of [a + 1, a + 2]) {
        const events = readCut(text, b < length ? [a, b] : [a]);
        assert.deepEqual(events, [{ data: '{"content":"日本語の回答🎉"}' }], `cuts ${a}, ${b}`);
      }
    }
  });

  it('does not dispatch an event whose blank line never came, and says it held one', () => {
    const reader = new SseReader();
    assert.deepEqual(reader.push(bytes('data: {"cut":')), []);
    assert.equal(reader.holdsPartialEvent, true);
    assert.deepEqual(reader.end(), []);
  });

  it('takes a field without a colon as an empty value and keeps a value without the space', () => {
    assert.deepEqual(readCut('data\n\ndata:x\n\n', []), [{ data: '' }, { data: 'x' }]);
  });
});
