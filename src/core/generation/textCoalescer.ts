// Text deltas leave the model process at most once per frame. A fast model (a GPU gives a token
// every few milliseconds) would otherwise cost one IPC message, one JSON round trip and one panel
// update per token, while the eye sees at most one frame in 16 ms. The first delta is never held,
// and a model slower than one token per frame sends every token at once, as before.
import type { EngineEvent } from './types';

/** One frame at 60 Hz. */
export const FRAME_MS = 16;

export interface CoalescerClock {
  now(): number;
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const systemClock: CoalescerClock = {
  now: () => performance.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

type TextEvent = Extract<EngineEvent, { type: 'answer' | 'reasoning' }>;

const isText = (event: EngineEvent): event is TextEvent => event.type === 'answer' || event.type === 'reasoning';

export interface TextCoalescer {
  /** Sends `event`, or holds a text delta for the rest of the frame; anything else sends what is held first. */
  emit(event: EngineEvent): void;
  /** Sends what is held now. */
  flush(): void;
}

export function coalesceText(send: (event: EngineEvent) => void, { frameMs = FRAME_MS, clock = systemClock } = {}): TextCoalescer {
  let held: TextEvent | undefined;
  let timer: unknown;
  let lastSentAt = Number.NEGATIVE_INFINITY;

  const flush = (): void => {
    if (timer !== undefined) {
      clock.clearTimeout(timer);
      timer = undefined;
    }
    if (!held) return;
    const event = held;
    held = undefined;
    lastSentAt = clock.now();
    send(event);
  };

  return {
    emit(event) {
      if (!isText(event)) {
        flush();
        send(event);
        return;
      }
      if (held && held.type !== event.type) flush();
      if (held) {
        held = { type: held.type, text: held.text + event.text };
        return;
      }
      const wait = lastSentAt + frameMs - clock.now();
      if (wait <= 0) {
        lastSentAt = clock.now();
        send(event);
        return;
      }
      held = event;
      timer ??= clock.setTimeout(() => {
        timer = undefined;
        flush();
      }, wait);
    },
    flush,
  };
}
