// The one road to the model. A surface (the chat panel, an editor command, later the SCM box, a
// comment thread, VS Code's chat) hands over a task, and gets back its events as they happen:
// reasoning and answer text, tool cards, notices, usage. Tool rounds, their limit, cancellation
// and the bookkeeping of what was said live here once; surfaces only render.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { ToolExchange } from '../../core/chat/conversation';
import { MAX_DETAIL } from '../../core/chat/fields';
import type { AttachedContext, GenerateRequest, StopReason, Usage } from '../../core/generation/types';
import type { ChatMessage, ReasoningEffort, ToolSpec } from '../../core/harmony/types';
import type { ProposalCard, ToolCard, ToolStatus } from '../../core/protocol';
import { MAX_READ_BYTES, MAX_TOOL_ROUNDS } from '../../core/tools/chatTools';
import { localized, type EngineService } from './engineService';
import { reasoningEffortSetting } from './taskSettings';

/** What running a tool call gave. */
export interface ToolOutcome {
  readonly status: Exclude<ToolStatus, 'running'>;
  /** What the model reads. */
  readonly result: string;
  /** What the card shows: the start of the result, or the error in the user's language. */
  readonly summary: string;
  /** File changes the call proposed, waiting for the user (shown on its card). */
  readonly proposals?: readonly ProposalCard[];
}

/** Tools a task offers the model, and how to run a call of one. */
export interface ToolSet {
  readonly specs: readonly ToolSpec[];
  /**
   * Absent: the task's caller runs the tools (VS Code's language-model API hands calls back to
   * the extension that asked): the calls are yielded as `toolCall` events and the task ends.
   */
  run?(name: string, args: string, limits: { readonly maxReadBytes: number }): Promise<ToolOutcome>;
}

export interface TaskPrompt {
  readonly messages: readonly ChatMessage[];
  /** Attached to the last user message; the engine shortens it first when the prompt is too long. */
  readonly context?: readonly AttachedContext[];
}

export interface Task {
  /** Requests with the same key reuse the KV cache of the previous one. */
  readonly conversation?: string;
  /** The prompt of each round, given the tool calls this task has made so far. */
  prompt(exchanges: readonly ToolExchange[]): TaskPrompt;
  readonly tools?: ToolSet;
  /** Default: the user's setting. */
  readonly reasoningEffort?: ReasoningEffort;
  /** Default: the user's setting. */
  readonly maxTokens?: number;
  /** Tool rounds allowed (default: the llmJp.maxToolSteps setting): a review reports each finding in a round of its own. */
  readonly maxToolRounds?: number;
}

export type TaskEvent =
  | { readonly type: 'reasoning'; readonly text: string }
  | { readonly type: 'answer'; readonly text: string }
  /** Something the user should know (context trimmed, tool limit), in their language. */
  | { readonly type: 'notice'; readonly text: string }
  /** A call of a tool the caller runs (a ToolSet without `run`); the task ends after them. */
  | { readonly type: 'toolCall'; readonly name: string; readonly arguments: string }
  /** A tool call's card: first running, then done, failed or unavailable. */
  | { readonly type: 'tool'; readonly card: ToolCard }
  /** Each request as it goes to the engine (tests read the prompt's inputs from it). */
  | { readonly type: 'request'; readonly request: GenerateRequest }
  | { readonly type: 'usage'; readonly usage: Usage };

export interface TaskOutcome {
  readonly stopReason: StopReason | 'error';
  /** In the user's language. */
  readonly error?: string;
  readonly reasoning: string;
  readonly answer: string;
  /** Reasoning pieces streamed (about its tokens). */
  readonly reasoningTokens: number;
  /** From the request reaching the model to the first answer text; loading the model is not counted. */
  readonly thinkingMs?: number;
  readonly exchanges: readonly ToolExchange[];
  readonly cards: readonly ToolCard[];
  /** The last round's. */
  readonly usage?: Usage;
}

/** A tool name the panel and storage accept, from whatever the model wrote. */
function safeToolName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
  return cleaned === '' ? '_' : cleaned;
}

function shorten(text: string, max = MAX_DETAIL): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** How much of a file the model may read: a whole file must leave room in a small context. */
function readLimit(contextSize: number | undefined): number {
  return contextSize === undefined ? MAX_READ_BYTES : Math.min(MAX_READ_BYTES, contextSize * 2);
}

export class RequestService {
  constructor(
    readonly engine: EngineService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Runs `task` to its end, yielding what happens; returns what was said. */
  async *run(task: Task, signal: AbortSignal): AsyncGenerator<TaskEvent, TaskOutcome, undefined> {
    const maxTokens = task.maxTokens ?? vscode.workspace.getConfiguration('llmJp').get<number>('maxTokens', 4096);
    const maxToolRounds = task.maxToolRounds ?? Math.max(1, Math.min(50, vscode.workspace.getConfiguration('llmJp').get<number>('maxToolSteps', MAX_TOOL_ROUNDS)));
    const exchanges: ToolExchange[] = [];
    const cards: ToolCard[] = [];
    const said = { reasoning: '', answer: '', reasoningTokens: 0 };
    const clock: { firstTokenAt?: number; reasoningEnd?: number; answerAt?: number; firstTtft?: number } = {};
    let stopReason: StopReason | 'error' | undefined;
    let error: string | undefined;
    let usage: Usage | undefined;

    const card = (next: ToolCard): TaskEvent => {
      const index = cards.findIndex((c) => c.callId === next.callId);
      if (index >= 0) cards[index] = next;
      else cards.push(next);
      return { type: 'tool', card: next };
    };

    try {
      for (let round = 0; ; round++) {
        const calls: Array<{ name: string; arguments: string }> = [];
        let roundReasoning = '';
        stopReason = undefined;
        const prompt = task.prompt(exchanges);
        const request: GenerateRequest = {
          ...(task.conversation !== undefined ? { conversation: task.conversation } : {}),
          messages: prompt.messages,
          ...(prompt.context !== undefined ? { context: prompt.context } : {}),
          ...(task.tools ? { tools: task.tools.specs } : {}),
          reasoningEffort: task.reasoningEffort ?? reasoningEffortSetting(),
          maxTokens,
        };
        yield { type: 'request', request };
        for await (const event of this.engine.generate(request, signal)) {
          switch (event.type) {
            case 'reasoning': {
              clock.firstTokenAt ??= performance.now();
              // Reasoning of a later round reads as a new paragraph of the same trace.
              const piece = roundReasoning === '' && said.reasoning !== '' ? `\n\n${event.text}` : event.text;
              roundReasoning += event.text;
              said.reasoning += piece;
              said.reasoningTokens++;
              clock.reasoningEnd = performance.now();
              yield { type: 'reasoning', text: piece };
              break;
            }
            case 'answer':
              clock.firstTokenAt ??= performance.now();
              clock.answerAt ??= performance.now();
              said.answer += event.text;
              yield { type: 'answer', text: event.text };
              break;
            case 'toolCall':
              clock.firstTokenAt ??= performance.now();
              calls.push(event);
              break;
            case 'notice':
              yield { type: 'notice', text: localized(event.message) };
              break;
            case 'usage':
              this.log.info(`usage: ${JSON.stringify(event.usage)}`);
              clock.firstTtft ??= event.usage.timeToFirstTokenMs;
              usage = event.usage;
              yield { type: 'usage', usage: event.usage };
              break;
            case 'done':
              stopReason = event.reason;
              break;
            case 'error':
              stopReason = 'error';
              error = localized(event.error.message);
              usage = undefined;
              break;
          }
        }
        if (stopReason !== 'call' || calls.length === 0 || signal.aborted || !task.tools) break;
        if (!task.tools.run) {
          for (const call of calls) yield { type: 'toolCall', name: call.name, arguments: call.arguments };
          break;
        }
        if (round >= maxToolRounds) {
          for (const call of calls) {
            yield card({
              callId: randomUUID(),
              name: safeToolName(call.name),
              arguments: shorten(call.arguments),
              status: 'failed',
              result: vscode.l10n.t('Not run: the model called tools too many times.'),
            });
          }
          yield { type: 'notice', text: vscode.l10n.t('The model kept calling tools, so the answer stopped after {0} rounds.', maxToolRounds) };
          break;
        }
        for (const [index, call] of calls.entries()) {
          const running: ToolCard = { callId: randomUUID(), name: safeToolName(call.name), arguments: shorten(call.arguments), status: 'running' };
          yield card(running);
          const outcome = await task.tools.run(call.name, call.arguments, { maxReadBytes: readLimit(this.engine.model?.contextSize) });
          yield card({
            ...running,
            status: outcome.status,
            result: shorten(outcome.summary),
            ...(outcome.proposals && outcome.proposals.length > 0 ? { proposals: outcome.proposals } : {}),
          });
          exchanges.push({
            callId: running.callId,
            name: running.name,
            arguments: call.arguments,
            // The reasoning before a round's calls belongs with its first call.
            ...(index === 0 && roundReasoning !== '' ? { reasoning: roundReasoning } : {}),
            result: outcome.result,
          });
        }
        if (signal.aborted) {
          stopReason = 'cancelled';
          break;
        }
      }
    } catch (unexpected) {
      this.log.error(`the request failed: ${unexpected instanceof Error ? (unexpected.stack ?? unexpected.message) : String(unexpected)}`);
      stopReason = 'error';
      error = String(unexpected);
    }

    // The engine always ends a stream with `done` or `error` (Stop included: `done: cancelled`),
    // so a reason is missing only when something broke on the way.
    if (stopReason === undefined) {
      stopReason = 'error';
      error ??= vscode.l10n.t('The answer ended unexpectedly.');
    }
    const thinkingEnd = clock.answerAt ?? clock.reasoningEnd;
    const thinkingMs =
      clock.firstTokenAt !== undefined && thinkingEnd !== undefined ? thinkingEnd - clock.firstTokenAt + (clock.firstTtft ?? 0) : undefined;
    return {
      stopReason,
      ...(error !== undefined ? { error } : {}),
      reasoning: said.reasoning,
      answer: said.answer,
      reasoningTokens: said.reasoningTokens,
      ...(thinkingMs !== undefined ? { thinkingMs } : {}),
      exchanges,
      cards,
      ...(usage !== undefined ? { usage } : {}),
    };
  }
}
