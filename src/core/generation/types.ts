// What every backend (the local engine, a remote OpenAI-compatible server) takes and streams
// back. Surfaces (panel, commands, comments, SCM) consume only these shapes.
import type { ChatMessage, HarmonyEvent, ReasoningEffort, ToolSpec } from '../harmony/types';

export interface SamplingOptions {
  /** Default 0.7, as in the model makers' examples. */
  readonly temperature?: number;
  /** Default 0.9. */
  readonly topP?: number;
  readonly topK?: number;
  readonly seed?: number;
}

/** A block of workspace text attached to the last user message (a file, a selection, a diff). */
export interface AttachedContext {
  readonly label: string;
  readonly text: string;
}

export interface GenerateRequest {
  /**
   * Conversation key: requests with the same key reuse the KV cache of the previous turn.
   * Absent: a one-off request that may reuse whatever prefix happens to match.
   */
  readonly conversation?: string;
  readonly messages: readonly ChatMessage[];
  /** Attached to the last user message; the first thing shortened when the prompt is too long. */
  readonly context?: readonly AttachedContext[];
  readonly tools?: readonly ToolSpec[];
  readonly reasoningEffort?: ReasoningEffort;
  /** Always bounded; default DEFAULT_MAX_TOKENS. */
  readonly maxTokens?: number;
  readonly sampling?: SamplingOptions;
}

export const DEFAULT_MAX_TOKENS = 4096;
export const DEFAULT_SAMPLING = { temperature: 0.7, topP: 0.9 } as const;

export interface Usage {
  readonly promptTokens: number;
  /** Prompt tokens found in the KV cache from an earlier turn. */
  readonly reusedTokens: number;
  /** Prompt tokens evaluated for this request (promptTokens - reusedTokens). */
  readonly evaluatedTokens: number;
  readonly generatedTokens: number;
  /** From the request's arrival to the first generated token. */
  readonly timeToFirstTokenMs: number;
  /** Generated tokens per second after the first. */
  readonly tokensPerSecond: number;
}

/**
 * Why generation stopped: the model finished its answer (`return`, `end`), asked for tools
 * (`call`), hit `maxTokens` (`length`), the user stopped it (`cancelled`), or the output could
 * not be read (`malformed`, `truncated`: see the preceding notice).
 */
export type StopReason = 'return' | 'end' | 'call' | 'length' | 'cancelled' | 'eos' | 'malformed' | 'truncated';

export type ErrorCode =
  | 'model-not-found'
  | 'model-is-folder'
  | 'model-permission-denied'
  | 'not-gguf'
  | 'model-incomplete'
  | 'model-corrupt'
  | 'unsupported-architecture'
  | 'out-of-memory'
  | 'no-model'
  | 'prompt-too-long'
  | 'worker-crashed'
  | 'internal'
  // An OpenAI-compatible server (src/engine/remote.ts):
  | 'server-unreachable'
  | 'server-timeout'
  | 'server-tls'
  | 'server-unauthorized'
  | 'server-forbidden'
  | 'server-model-not-found'
  | 'server-rate-limited'
  | 'server-rejected'
  | 'server-error'
  | 'server-cannot-parse'
  | 'server-stream-interrupted'
  | 'server-malformed';

export interface LocalizedText {
  readonly en: string;
  readonly ja: string;
}

export interface EngineError {
  readonly code: ErrorCode;
  readonly message: LocalizedText;
  /** Technical detail for the log (the underlying error), never shown as the main message. */
  readonly detail?: string;
}

export type EngineEvent =
  /** Reasoning and answer text, and tool calls, as the Harmony parser reads them. */
  | Exclude<HarmonyEvent, { readonly type: 'end' }>
  /** Something the user should know about this request (context trimmed, queue position...). */
  | { readonly type: 'notice'; readonly code: NoticeCode; readonly message: LocalizedText }
  | { readonly type: 'usage'; readonly usage: Usage }
  | { readonly type: 'done'; readonly reason: StopReason }
  | { readonly type: 'error'; readonly error: EngineError };

export type NoticeCode = 'queued' | 'context-trimmed' | 'output-malformed' | 'retrying' | 'tool-arguments-invalid';
