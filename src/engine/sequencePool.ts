// Hands out the context's sequences one request at a time; a conversation gets back the
// sequence that holds its KV cache when it is free. Requests beyond the pool wait in order.
import type { LlamaContext, LlamaContextSequence } from 'node-llama-cpp';

interface Slot {
  readonly sequence: LlamaContextSequence;
  conversation: string | undefined;
  busy: boolean;
  lastUsed: number;
}

interface Waiter {
  readonly onQueued: (position: number) => void;
  readonly resolve: (slot: Slot) => void;
  readonly reject: (reason: unknown) => void;
}

export class SequencePool {
  private readonly slots: Slot[];
  private readonly waiters: Waiter[] = [];
  private clock = 0;

  constructor(context: LlamaContext) {
    this.slots = Array.from({ length: context.totalSequences }, () => ({
      sequence: context.getSequence(),
      conversation: undefined,
      busy: false,
      lastUsed: 0,
    }));
  }

  /**
   * Resolves with a sequence for this request. `onQueued` hears the request's place in the
   * queue (1 = next) whenever it changes.
   */
  async acquire(conversation: string | undefined, onQueued: (position: number) => void, signal: AbortSignal): Promise<LlamaContextSequence> {
    const free = this.pick(conversation);
    if (free) return this.take(free, conversation);
    const slot = await new Promise<Slot>((resolve, reject) => {
      const waiter: Waiter = { onQueued, resolve, reject };
      this.waiters.push(waiter);
      onQueued(this.waiters.length);
      signal.addEventListener(
        'abort',
        () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) {
            this.waiters.splice(index, 1);
            reject(signal.reason);
          }
        },
        { once: true },
      );
    });
    return this.take(slot, conversation);
  }

  release(sequence: LlamaContextSequence): void {
    const slot = this.slots.find((s) => s.sequence === sequence);
    if (!slot) return;
    slot.busy = false;
    const waiter = this.waiters.shift();
    if (waiter) {
      slot.busy = true;
      waiter.resolve(slot);
      this.waiters.forEach((w, index) => w.onQueued(index + 1));
    }
  }

  dispose(): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('the model was unloaded'));
  }

  private pick(conversation: string | undefined): Slot | undefined {
    const free = this.slots.filter((s) => !s.busy);
    if (free.length === 0) return undefined;
    return (
      (conversation !== undefined ? free.find((s) => s.conversation === conversation) : undefined) ??
      free.reduce((oldest, s) => (s.lastUsed < oldest.lastUsed ? s : oldest))
    );
  }

  private take(slot: Slot, conversation: string | undefined): LlamaContextSequence {
    slot.busy = true;
    slot.conversation = conversation;
    slot.lastUsed = ++this.clock;
    return slot.sequence;
  }
}
