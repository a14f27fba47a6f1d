// Decodes and samples for every sequence of a context that has work, one shared decode a step
// (continuous batching, as llama-server does), by calling node-llama-cpp's native context and
// sampler directly. node-llama-cpp's own evaluate() wraps the same native calls in queues, locks,
// timers and a sampler reconfiguration per token: 0.50-1.12 ms of main-thread time per token,
// against 0.24-0.48 ms for this loop (bench/RESULTS.md), time that a GPU's 5 ms token pays in full.
// The loop owns the context: every decode and KV-cache erase of its sequences happens in its
// steps, one after another, so no lock is needed; nothing else may decode on the context.
import type { LlamaContext, LlamaContextSequence, LlamaGrammarEvaluationState, LlamaModel, Token } from 'node-llama-cpp';

/**
 * A prompt is decoded at most this many tokens a step, so that a cancel, and the other
 * sequence's next token, wait for one slice at most.
 */
export const PROMPT_SLICE = 256;

export interface SamplingSettings {
  readonly temperature: number;
  readonly topP: number;
  /** Default 40, llama.cpp's (and node-llama-cpp's evaluate()'s). */
  readonly topK?: number;
  /** Default 0 (off). */
  readonly minP?: number;
  readonly seed: number;
}

export interface DecodeJob {
  readonly sequence: LlamaContextSequence;
  /** The whole prompt (at least one token). What the sequence's KV cache holds of it is kept. */
  readonly prompt: readonly Token[];
  readonly sampling: SamplingSettings;
  /** The grammar the next token must follow, if any; asked before every sample. */
  readonly grammar?: () => LlamaGrammarEvaluationState | undefined;
  readonly signal: AbortSignal;
  /** Hears each sampled token; `false` ends the job before that token is decoded. */
  readonly onToken: (token: Token) => boolean;
}

/** Why a job ended: its `onToken` said so, its signal was aborted, or the context has no room left. */
export type DecodeEnd = 'stopped' | 'cancelled' | 'context-full';

export interface DecodeResult {
  readonly end: DecodeEnd;
  /** Prompt tokens found in the KV cache, not decoded again. */
  readonly reused: number;
}

// node-llama-cpp 3.22.1's native objects and sequence bookkeeping, as far as this loop uses
// them. `nativeParts` checks them once per context, so an update that renames one fails the
// engine tests rather than a user's request.
interface NativeContext {
  initBatch(size: number): void;
  addToBatch(sequenceId: number, firstTokenIndex: number, tokens: Uint32Array, logitIndexes: Uint32Array): Uint32Array;
  decodeBatch(): Promise<void>;
  removeTokenCellsFromSequence(sequenceId: number, start: number, end: number): boolean;
  sampleToken(batchLogitIndex: number, sampler: NativeSampler): Promise<number>;
}
interface NativeSampler {
  applyConfig(config: Record<string, unknown>): void;
  dispose(): void;
}
type NativeSamplerClass = new (model: unknown) => NativeSampler;
interface SequenceState {
  readonly _sequenceId: number;
  _nextTokenIndex: number;
  _contextTokens: Token[];
  _loadedTokenPredictions: unknown[];
}

interface NativeParts {
  readonly native: NativeContext;
  readonly Sampler: NativeSamplerClass;
  readonly nativeModel: unknown;
}

function nativeParts(context: LlamaContext, model: LlamaModel): NativeParts {
  const native = (context as unknown as { _ctx?: NativeContext })._ctx;
  const internals = model as unknown as { _model?: unknown; _llama?: { _bindings?: { AddonSampler?: NativeSamplerClass } } };
  const Sampler = internals._llama?._bindings?.AddonSampler;
  const methods = ['initBatch', 'addToBatch', 'decodeBatch', 'removeTokenCellsFromSequence', 'sampleToken'] as const;
  if (
    !native ||
    methods.some((name) => typeof native[name] !== 'function') ||
    typeof Sampler !== 'function' ||
    internals._model === undefined
  ) {
    throw new Error('node-llama-cpp has changed: its native context or sampler is not where the decode loop expects it');
  }
  return { native, Sampler, nativeModel: internals._model };
}

function sequenceState(sequence: LlamaContextSequence): SequenceState {
  const state = sequence as unknown as Partial<SequenceState>;
  if (typeof state._sequenceId !== 'number' || typeof state._nextTokenIndex !== 'number' || !Array.isArray(state._contextTokens) || !Array.isArray(state._loadedTokenPredictions)) {
    throw new Error('node-llama-cpp has changed: a sequence keeps its tokens where the decode loop does not expect them');
  }
  return state as SequenceState;
}

interface ActiveJob {
  readonly job: DecodeJob;
  readonly state: SequenceState;
  readonly sampler: NativeSampler;
  readonly config: Record<string, unknown>;
  grammar: LlamaGrammarEvaluationState | undefined;
  /** Prompt tokens kept from the KV cache; the cache is cut back to them at the first step. */
  reused: number;
  started: boolean;
  /** Tokens to decode next: the rest of the prompt, then each sampled token. */
  pending: readonly Token[];
  readonly resolve: (end: DecodeEnd) => void;
  readonly reject: (error: unknown) => void;
}

interface BatchItem {
  readonly active: ActiveJob;
  readonly tokens: readonly Token[];
  /** Whether this step ends the job's pending tokens, so a token is sampled after it. */
  readonly samples: boolean;
  logitIndex: number;
}

const LAST = (length: number): Uint32Array => Uint32Array.of(length - 1);
const NONE = new Uint32Array(0);

export class DecodeLoop {
  private readonly parts: NativeParts;
  private readonly jobs = new Set<ActiveJob>();
  private driving = false;
  private closed = false;
  private readonly idle: (() => void)[] = [];

  constructor(private readonly context: LlamaContext) {
    this.parts = nativeParts(context, context.model);
  }

  /**
   * Keeps what the sequence's KV cache holds of the prompt, decodes the rest, then samples and
   * decodes token after token until `onToken` says stop, the signal is aborted or the context is
   * full. The sequence's token bookkeeping stays node-llama-cpp's, so its contextTokens and
   * compareContextTokens stay true.
   */
  run(job: DecodeJob): Promise<DecodeResult> {
    if (this.closed) return Promise.reject(new Error('the model was unloaded'));
    if (job.prompt.length === 0) return Promise.reject(new Error('a decode job needs at least one token'));
    const state = sequenceState(job.sequence);
    if (state._loadedTokenPredictions.length > 0) return Promise.reject(new Error('the decode loop does not drive sequences with a token predictor'));
    // At least the prompt's last token is decoded again: its logits give the first sample.
    const reused = Math.min(job.sequence.compareContextTokens(job.prompt as Token[]).firstDifferentIndex, job.prompt.length - 1);
    return new Promise<DecodeResult>((resolve, reject) => {
      const sampler = new this.parts.Sampler(this.parts.nativeModel);
      const { temperature, topP, topK = 40, minP = 0, seed } = job.sampling;
      const config = { temperature, minP, topK, topP, seed };
      try {
        sampler.applyConfig(config);
      } catch (error) {
        sampler.dispose();
        reject(error);
        return;
      }
      const finish = (settle: () => void): void => {
        if (!this.jobs.delete(active)) return;
        sampler.dispose();
        settle();
      };
      const active: ActiveJob = {
        job,
        state,
        sampler,
        config,
        grammar: undefined,
        reused,
        started: false,
        pending: job.prompt.slice(reused),
        resolve: (end) => finish(() => resolve({ end, reused: active.reused })),
        reject: (error) => finish(() => reject(error)),
      };
      this.jobs.add(active);
      if (this.driving) return;
      // From a microtask, so that jobs handed over in the same turn share the first decode.
      this.driving = true;
      queueMicrotask(() => void this.drive());
    });
  }

  /** Ends every job (as cancelled) after the step in flight; the context may be disposed once this resolves. */
  close(): Promise<void> {
    this.closed = true;
    return this.driving ? new Promise((resolve) => this.idle.push(resolve)) : Promise.resolve();
  }

  private async drive(): Promise<void> {
    try {
      while (this.jobs.size > 0) await this.step();
    } finally {
      this.driving = false;
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** One decode for every job with work (as far as the batch has room), then one sample each. */
  private async step(): Promise<void> {
    let items: BatchItem[] = [];
    try {
      if (this.context.disposed) throw new Error('the model was unloaded');
      items = this.plan();
      if (items.length === 0) return;
      const sampled = await this.decodeAndSample(items);
      items.forEach((item, index) => {
        const outcome = sampled[index];
        if (outcome.status === 'rejected') item.active.reject(outcome.reason);
        else if (outcome.value !== undefined) this.hand(item.active, outcome.value);
      });
    } catch (error) {
      for (const active of items.length > 0 ? items.map((item) => item.active) : [...this.jobs]) active.reject(error);
    }
  }

  private async decodeAndSample(items: readonly BatchItem[]): Promise<PromiseSettledResult<number | undefined>[]> {
    const { native } = this.parts;
    native.initBatch(items.reduce((sum, item) => sum + item.tokens.length, 0));
    for (const item of items) {
      const { state } = item.active;
      const tokens = Uint32Array.from(item.tokens);
      const logits = native.addToBatch(state._sequenceId, state._nextTokenIndex, tokens, item.samples ? LAST(tokens.length) : NONE);
      item.logitIndex = item.samples ? logits[0] : -1;
    }
    await native.decodeBatch();
    for (const item of items) {
      item.active.state._nextTokenIndex += item.tokens.length;
      item.active.state._contextTokens.push(...item.tokens);
      item.active.pending = item.active.pending.slice(item.tokens.length);
    }
    // The logits are the batch's until the next decode: sample them all before letting go.
    return Promise.allSettled(items.map((item) => (item.samples ? this.sample(item) : undefined)));
  }

  /** Which jobs decode what this step: a prompt slice each, within the context's batch size. */
  private plan(): BatchItem[] {
    const items: BatchItem[] = [];
    let room = this.context.batchSize;
    for (const active of [...this.jobs]) {
      if (this.closed || active.job.signal.aborted) {
        active.resolve('cancelled');
        continue;
      }
      if (!active.started) this.cutBack(active);
      const free = this.context.contextSize - 1 - active.state._nextTokenIndex;
      if (free <= 0) {
        active.resolve('context-full');
        continue;
      }
      const count = Math.min(active.pending.length, PROMPT_SLICE, room, free);
      if (count <= 0) continue; // the batch is full: next step
      items.push({ active, tokens: active.pending.slice(0, count), samples: count === active.pending.length, logitIndex: -1 });
      room -= count;
    }
    return items;
  }

  /**
   * Erases what the KV cache holds past the reused prefix. Where llama.cpp cannot cut a
   * sequence's cache in the middle (recurrent or sliding-window models), the whole prompt is
   * decoded again.
   */
  private cutBack(active: ActiveJob): void {
    active.started = true;
    const { state } = active;
    if (state._nextTokenIndex === active.reused) return;
    const { native } = this.parts;
    const partial = active.reused > 0 && !active.job.sequence.needsCheckpoints && native.removeTokenCellsFromSequence(state._sequenceId, active.reused, -1);
    if (!partial) {
      native.removeTokenCellsFromSequence(state._sequenceId, 0, -1);
      active.reused = 0;
      active.pending = active.job.prompt;
    }
    state._nextTokenIndex = active.reused;
    state._contextTokens.length = active.reused;
  }

  private async sample(item: BatchItem): Promise<number> {
    const { active } = item;
    const grammar = active.job.grammar?.();
    if (grammar !== active.grammar) {
      // The native sampler keeps what did not change and swaps only the grammar.
      const state = (grammar as unknown as { _state?: unknown } | undefined)?._state;
      active.sampler.applyConfig(state === undefined ? active.config : { ...active.config, grammarEvaluationState: state });
      active.grammar = grammar;
    }
    return this.parts.native.sampleToken(item.logitIndex, active.sampler);
  }

  private hand(active: ActiveJob, token: number): void {
    if (token < 0) {
      active.reject(new Error('llama.cpp sampled no token'));
      return;
    }
    try {
      if (active.job.onToken(token as Token)) active.pending = [token as Token];
      else active.resolve('stopped');
    } catch (error) {
      active.reject(error);
    }
  }
}
