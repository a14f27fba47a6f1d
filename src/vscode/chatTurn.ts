// One assistant turn of the chat: stream the answer to the panel and, when the model stops to
// call tools, run them (cards in the panel), hand the results back and let it go on, at most
// MAX_TOOL_ROUNDS times. The turn's text, cards and tool exchanges become its transcript entry.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { chatPrompt } from '../core/chat/chatMessages';
import type { ToolExchange, TranscriptEntry } from '../core/chat/conversation';
import { MAX_DETAIL } from '../core/chat/fields';
import { chatInstructions } from '../core/prompts/chat';
import type { EngineEvent, GenerateRequest, StopReason } from '../core/generation/types';
import type { ExtensionToPanel, ToolCard } from '../core/protocol';
import { CHAT_TOOLS, MAX_READ_BYTES, MAX_TOOL_ROUNDS } from '../core/tools/chatTools';
import { runChatTool } from './chatTools';
import { localized, type EngineService } from './engineService';
import { answerLanguage, reasoningEffortSetting } from './panelSettings';
import { thoughtFor, usageStats } from './panelStrings';

export type AssistantEntry = Extract<TranscriptEntry, { kind: 'assistant' }>;

export interface TurnContext {
  readonly engine: EngineService;
  readonly log: vscode.LogOutputChannel;
  readonly conversationId: string;
  /** The conversation so far, ending with the question to answer. */
  readonly entries: readonly TranscriptEntry[];
  readonly turnId: string;
  readonly signal: AbortSignal;
  post(message: ExtensionToPanel): void;
  /** A notice for the transcript (context trimmed, tool limit reached). */
  notice(text: string): void;
  /** Each request as it goes to the engine (tests read the prompt's inputs from it). */
  onRequest?(request: GenerateRequest): void;
}

type ToolCallEvent = Extract<EngineEvent, { type: 'toolCall' }>;

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

export async function runTurn(turn: TurnContext): Promise<AssistantEntry> {
  const { engine, signal, turnId, post } = turn;
  const config = vscode.workspace.getConfiguration('llmJp');
  const instructions = chatInstructions(answerLanguage());
  const exchanges: ToolExchange[] = [];
  const cards: ToolCard[] = [];
  // Thinking time runs from the question to the first word of the answer, as the user waits it.
  const text = { reasoning: '', answer: '', reasoningTokens: 0, startedAt: performance.now(), reasoningEnd: 0 };
  let stopReason: StopReason | 'error' | undefined;
  let error: string | undefined;
  let stats: string | undefined;

  const showCard = (card: ToolCard): void => {
    const index = cards.findIndex((c) => c.callId === card.callId);
    if (index >= 0) cards[index] = card;
    else cards.push(card);
    post({ type: 'toolCard', turnId, card });
  };

  try {
    for (let round = 0; ; round++) {
      const calls: ToolCallEvent[] = [];
      let roundReasoning = '';
      stopReason = undefined;
      const { messages, context } = chatPrompt(turn.entries, { instructions, pending: exchanges });
      const request: GenerateRequest = {
        conversation: turn.conversationId,
        messages,
        context,
        tools: CHAT_TOOLS,
        reasoningEffort: reasoningEffortSetting(),
        maxTokens: config.get<number>('maxTokens', 4096),
      };
      turn.onRequest?.(request);
      for await (const event of engine.generate(request, signal)) {
        switch (event.type) {
          case 'reasoning': {
            // Reasoning of a later round reads as a new paragraph of the same trace.
            const piece = roundReasoning === '' && text.reasoning !== '' ? `\n\n${event.text}` : event.text;
            roundReasoning += event.text;
            text.reasoningEnd = performance.now();
            text.reasoningTokens++;
            text.reasoning += piece;
            post({ type: 'turnDelta', turnId, part: 'reasoning', text: piece });
            break;
          }
          case 'answer':
            if (text.answer === '') text.reasoningEnd = performance.now();
            text.answer += event.text;
            post({ type: 'turnDelta', turnId, part: 'answer', text: event.text });
            break;
          case 'toolCall':
            calls.push(event);
            break;
          case 'notice':
            turn.notice(localized(event.message));
            break;
          case 'usage':
            turn.log.info(`usage: ${JSON.stringify(event.usage)}`);
            stats = usageStats(event.usage.tokensPerSecond, event.usage.promptTokens + event.usage.generatedTokens, engine.model?.contextSize);
            break;
          case 'done':
            stopReason = event.reason;
            break;
          case 'error':
            stopReason = 'error';
            error = localized(event.error.message);
            stats = undefined;
            break;
        }
      }
      if (stopReason !== 'call' || calls.length === 0 || signal.aborted) break;
      if (round >= MAX_TOOL_ROUNDS) {
        for (const call of calls) {
          showCard({
            callId: randomUUID(),
            name: safeToolName(call.name),
            arguments: shorten(call.arguments),
            status: 'failed',
            result: vscode.l10n.t('Not run: the model called tools too many times.'),
          });
        }
        turn.notice(vscode.l10n.t('The model kept calling tools, so the answer stopped after {0} rounds.', MAX_TOOL_ROUNDS));
        break;
      }
      for (const [index, call] of calls.entries()) {
        const card: ToolCard = { callId: randomUUID(), name: safeToolName(call.name), arguments: shorten(call.arguments), status: 'running' };
        showCard(card);
        const outcome = await runChatTool(call.name, call.arguments, readLimit(engine.model?.contextSize));
        showCard({ ...card, status: outcome.status, result: shorten(outcome.summary) });
        exchanges.push({
          callId: card.callId,
          name: card.name,
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
    turn.log.error(`the chat turn failed: ${unexpected instanceof Error ? (unexpected.stack ?? unexpected.message) : String(unexpected)}`);
    stopReason = 'error';
    error = String(unexpected);
  }

  // The engine always ends a stream with `done` or `error` (Stop included: `done: cancelled`),
  // so a reason is missing only when something broke on the way.
  if (stopReason === undefined) {
    stopReason = 'error';
    error ??= vscode.l10n.t('The answer ended unexpectedly.');
  }
  const reasoningSummary = text.reasoning === '' ? undefined : thoughtFor((text.reasoningEnd - text.startedAt) / 1000, text.reasoningTokens);
  return {
    kind: 'assistant',
    reasoning: text.reasoning,
    answer: text.answer,
    stopReason,
    ...(error !== undefined ? { error } : {}),
    ...(reasoningSummary !== undefined ? { reasoningSummary } : {}),
    ...(stats !== undefined ? { stats } : {}),
    ...(cards.length > 0 ? { tools: cards } : {}),
    ...(exchanges.length > 0 ? { toolCalls: exchanges } : {}),
  };
}
