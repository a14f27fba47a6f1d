// Streamed /v1/chat/completions chunks, as the engine's events. What servers send differs:
// - vLLM with the model makers' parsers: reasoning as `delta.reasoning` (older: `reasoning_content`),
//   the answer as `delta.content`, calls as `delta.tool_calls` (arguments in pieces, calls by index);
// - llama-server with a chat parser for the template: the same, `reasoning_content`;
// - a server without a parser for LLM-jp-4: the raw Harmony text in `delta.content`, possibly in
//   llama.cpp's spaced form; the Harmony text parser reads it, calls included.
// Either way one `toolCall` event per call, its arguments checked again.
import { HarmonyTextParser } from '../harmony/textParser';
import type { HarmonyEvent } from '../harmony/types';
import { engineError } from '../generation/errors';
import { malformedOutputNotice } from '../generation/notices';
import type { EngineError, EngineEvent, StopReason, Usage } from '../generation/types';
import { serverErrorMessage, serverFailure } from './serverErrors';
import { checkedToolCall, invalidArgumentsNotice } from './toolArguments';

/** The control strings that can open raw Harmony output (after llama.cpp's optional space). */
const HARMONY_OPENERS = ['<|channel|>', '<|start|>', '<|message|>', '<|constrain|>', '<|end|>', '<|return|>', '<|call|>'];
/** A tool call in the 4.0 role form starts with its recipient, before any control string. */
const ROLE_FORM_OPENER = /^ ?to=functions\./;
/** How much leading content may wait while the translator decides whether it is raw Harmony. */
const MAX_UNDECIDED_CHARS = 32;

export interface ChatStreamOptions {
  /** A clock in milliseconds (performance.now) and the moment the request was sent. */
  readonly now: () => number;
  readonly startedAt: number;
}

interface PendingCall {
  id?: string;
  name: string;
  args: string;
}

export class ChatStreamTranslator {
  private mode: 'undecided' | 'plain' | 'harmony' = 'undecided';
  private undecided = '';
  private harmony: HarmonyTextParser | undefined;
  private harmonyEnd: HarmonyEvent | undefined;
  private readonly calls = new Map<number, PendingCall>();
  private emittedCalls = 0;
  private finishReason: string | undefined;
  private sawDone = false;
  private failed = false;
  private usage: { prompt?: number; cached?: number; completion?: number; tokensPerSecond?: number } = {};
  private firstTokenAt: number | undefined;
  private lastTokenAt: number | undefined;
  private deltas = 0;

  constructor(private readonly options: ChatStreamOptions) {}

  /** Whether the server sent [DONE]: nothing more is to be read. */
  get sawEnd(): boolean {
    return this.sawDone;
  }

  /** Whether the server said the answer is complete ([DONE] or a finish_reason). */
  get complete(): boolean {
    return this.sawDone || this.finishReason !== undefined;
  }

  /** One SSE `data` field. An error event ends the stream: the caller stops reading. */
  push(data: string): EngineEvent[] {
    if (this.failed) return [];
    if (data.trim() === '[DONE]') {
      this.sawDone = true;
      return [];
    }
    let chunk: unknown;
    try {
      chunk = JSON.parse(data);
    } catch {
      return this.fail(engineError('server-malformed', 'an event that is not JSON', `data: ${data.slice(0, 500)}`));
    }
    if (typeof chunk !== 'object' || chunk === null) return this.fail(engineError('server-malformed', 'an event that is not a JSON object', `data: ${data.slice(0, 500)}`));
    const record = chunk as Record<string, unknown>;
    // llama-server and vLLM report a failure inside an already started stream this way.
    if (record.error !== undefined) {
      const code = (record.error as { code?: unknown } | null)?.code;
      return this.fail(serverFailure(typeof code === 'number' ? code : 500, serverErrorMessage(data) ?? '', `data: ${data.slice(0, 2000)}`));
    }
    this.readUsage(record);
    const events: EngineEvent[] = [];
    const choices = Array.isArray(record.choices) ? (record.choices as unknown[]) : [];
    const choice = choices.find((c) => typeof c === 'object' && c !== null && ((c as Record<string, unknown>).index ?? 0) === 0) as
      | Record<string, unknown>
      | undefined;
    if (choice === undefined) return events;
    const delta = (typeof choice.delta === 'object' && choice.delta !== null ? choice.delta : {}) as Record<string, unknown>;
    // vLLM renamed reasoning_content to reasoning; releases in between send the same text under
    // both names, so one of them is read, never both.
    const reasoning = [delta.reasoning, delta.reasoning_content].find((t): t is string => typeof t === 'string' && t !== '');
    if (reasoning !== undefined) {
      this.tick();
      events.push({ type: 'reasoning', text: reasoning });
    }
    if (typeof delta.content === 'string' && delta.content !== '') {
      this.tick();
      events.push(...this.content(delta.content));
    }
    if (Array.isArray(delta.tool_calls)) {
      this.tick();
      for (const piece of delta.tool_calls as unknown[]) this.toolCallDelta(piece);
    }
    if (typeof choice.finish_reason === 'string') this.finishReason = choice.finish_reason;
    return events;
  }

  /**
   * The response body ended. A stream with no [DONE] and no finish_reason stopped mid-answer;
   * otherwise the held text and calls come out, then usage and done.
   */
  finish(server: string): EngineEvent[] {
    if (this.failed) return [];
    const events: EngineEvent[] = [...this.flushContent(), ...this.flushCalls()];
    if (!this.complete) {
      this.failed = true;
      return [...events, { type: 'error', error: engineError('server-stream-interrupted', server, `no [DONE] after ${this.deltas} deltas`) }];
    }
    return [...events, { type: 'usage', usage: this.finalUsage() }, { type: 'done', reason: this.stopReason() }];
  }

  /** The consumer stopped the stream: what was already read, then done: cancelled. */
  cancel(): EngineEvent[] {
    if (this.failed) return [];
    this.failed = true;
    return [{ type: 'done', reason: 'cancelled' }];
  }

  private fail(error: EngineError): EngineEvent[] {
    this.failed = true;
    return [{ type: 'error', error }];
  }

  private tick(): void {
    const now = this.options.now();
    this.firstTokenAt ??= now;
    this.lastTokenAt = now;
    this.deltas++;
  }

  private content(text: string): EngineEvent[] {
    if (this.mode === 'plain') return [{ type: 'answer', text }];
    if (this.mode === 'harmony') return this.fromHarmony(this.harmony!.push(text));
    this.undecided += text;
    const head = this.undecided.trimStart();
    const spaced = head.startsWith(' ') ? head.slice(1) : head;
    if (HARMONY_OPENERS.some((o) => spaced.startsWith(o)) || ROLE_FORM_OPENER.test(this.undecided)) return this.startHarmony();
    const couldStillOpen =
      this.undecided.length < MAX_UNDECIDED_CHARS &&
      (HARMONY_OPENERS.some((o) => o.startsWith(spaced)) || ' to=functions.'.startsWith(this.undecided) || 'to=functions.'.startsWith(this.undecided));
    if (couldStillOpen) return [];
    this.mode = 'plain';
    const held = this.undecided;
    this.undecided = '';
    return [{ type: 'answer', text: held }];
  }

  private startHarmony(): EngineEvent[] {
    this.mode = 'harmony';
    this.harmony = new HarmonyTextParser();
    const held = this.undecided;
    this.undecided = '';
    return this.fromHarmony(this.harmony.push(held));
  }

  private flushContent(): EngineEvent[] {
    if (this.mode === 'undecided') {
      const held = this.undecided;
      this.undecided = '';
      this.mode = 'plain';
      // Whitespace alone, or the beginning of a control string the stream never finished.
      return held.trim() === '' ? [] : [{ type: 'answer', text: held }];
    }
    if (this.mode === 'harmony' && this.harmony) return this.fromHarmony(this.harmony.end());
    return [];
  }

  private fromHarmony(events: readonly HarmonyEvent[]): EngineEvent[] {
    const out: EngineEvent[] = [];
    for (const event of events) {
      if (event.type === 'end') {
        this.harmonyEnd ??= event;
        if (event.reason === 'malformed' || event.reason === 'truncated') out.push(malformedOutputNotice(event.detail));
      } else if (event.type === 'toolCall') {
        out.push(...this.call(event.name, event.arguments));
      } else {
        out.push(event);
      }
    }
    return out;
  }

  private toolCallDelta(piece: unknown): void {
    if (typeof piece !== 'object' || piece === null) return;
    const p = piece as { index?: unknown; id?: unknown; function?: { name?: unknown; arguments?: unknown } };
    // Servers that send whole calls often leave out the index: each such piece is a new call.
    const index = typeof p.index === 'number' ? p.index : 1_000_000 + this.calls.size;
    let call = this.calls.get(index);
    if (!call) {
      call = { name: '', args: '' };
      this.calls.set(index, call);
    }
    if (typeof p.id === 'string' && p.id !== '') call.id = p.id;
    if (typeof p.function?.name === 'string') call.name += p.function.name;
    const args = p.function?.arguments;
    if (typeof args === 'string') call.args += args;
    else if (typeof args === 'object' && args !== null) call.args += JSON.stringify(args);
  }

  private flushCalls(): EngineEvent[] {
    const out: EngineEvent[] = [];
    for (const index of [...this.calls.keys()].sort((a, b) => a - b)) {
      const call = this.calls.get(index)!;
      out.push(...this.call(call.name, call.args));
    }
    this.calls.clear();
    return out;
  }

  private call(name: string, args: string): EngineEvent[] {
    this.emittedCalls++;
    const event = checkedToolCall(name, args);
    return event.parseError !== undefined ? [event, invalidArgumentsNotice(event)] : [event];
  }

  private stopReason(): StopReason {
    if (this.emittedCalls > 0) return 'call';
    switch (this.finishReason) {
      case 'length':
        return 'length';
      case 'tool_calls':
        return 'call';
      case 'stop':
        return this.harmonyEnd?.type === 'end' && (this.harmonyEnd.reason === 'malformed' || this.harmonyEnd.reason === 'truncated') ? this.harmonyEnd.reason : 'return';
      default:
        return this.harmonyEnd?.type === 'end' ? this.harmonyEnd.reason : 'return';
    }
  }

  private readUsage(record: Record<string, unknown>): void {
    const usage = record.usage as Record<string, unknown> | undefined | null;
    if (typeof usage === 'object' && usage !== null) {
      if (typeof usage.prompt_tokens === 'number') this.usage.prompt = usage.prompt_tokens;
      if (typeof usage.completion_tokens === 'number') this.usage.completion = usage.completion_tokens;
      const details = usage.prompt_tokens_details as Record<string, unknown> | undefined | null;
      if (typeof details?.cached_tokens === 'number') this.usage.cached = details.cached_tokens;
    }
    // llama-server's own figures: the cache reuse and the generation speed it measured.
    const timings = record.timings as Record<string, unknown> | undefined | null;
    if (typeof timings === 'object' && timings !== null) {
      if (typeof timings.cache_n === 'number') this.usage.cached = timings.cache_n;
      if (typeof timings.predicted_per_second === 'number') this.usage.tokensPerSecond = timings.predicted_per_second;
    }
  }

  private finalUsage(): Usage {
    const promptTokens = this.usage.prompt ?? 0;
    const reusedTokens = Math.min(this.usage.cached ?? 0, promptTokens);
    const generatedTokens = this.usage.completion ?? this.deltas;
    const first = this.firstTokenAt ?? this.options.now();
    const last = this.lastTokenAt ?? first;
    const measured = generatedTokens > 1 && last > first ? ((generatedTokens - 1) * 1000) / (last - first) : 0;
    return {
      promptTokens,
      reusedTokens,
      evaluatedTokens: promptTokens - reusedTokens,
      generatedTokens,
      timeToFirstTokenMs: Math.round(first - this.options.startedAt),
      tokensPerSecond: this.usage.tokensPerSecond ?? measured,
    };
  }
}
