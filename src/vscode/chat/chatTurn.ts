// One assistant turn of the chat, as a sink of the request path: the task is the conversation
// so far with the chat's instructions and workspace tools; its events become panel messages,
// and its outcome the turn's transcript entry.
import type * as vscode from 'vscode';
import { chatPrompt } from '../../core/chat/chatMessages';
import type { TranscriptEntry } from '../../core/chat/conversation';
import type { GenerateRequest } from '../../core/generation/types';
import type { ReasoningEffort } from '../../core/harmony/types';
import { chatInstructions } from '../../core/prompts/chat';
import type { ExtensionToPanel } from '../../core/protocol';
import { answerLanguage } from '../request/taskSettings';
import { thoughtFor, usageStats } from './panelStrings';
import type { RequestService, ToolSet } from '../request/requestService';

export type AssistantEntry = Extract<TranscriptEntry, { kind: 'assistant' }>;

export interface TurnContext {
  readonly requests: RequestService;
  readonly log: vscode.LogOutputChannel;
  readonly conversationId: string;
  /** The conversation so far, ending with the question to answer. */
  readonly entries: readonly TranscriptEntry[];
  readonly turnId: string;
  readonly signal: AbortSignal;
  /** The session's workspace tools (they remember what the model read). */
  readonly tools: ToolSet;
  /** Set where the question asks for more thought than the user's setting (Explain step by step). */
  readonly reasoningEffort?: ReasoningEffort;
  post(message: ExtensionToPanel): void;
  /** A notice for the transcript (context trimmed, tool limit reached). */
  notice(text: string): void;
  /** Each request as it goes to the engine (tests read the prompt's inputs from it). */
  onRequest?(request: GenerateRequest): void;
}

export async function runTurn(turn: TurnContext): Promise<AssistantEntry> {
  const { turnId, post } = turn;
  const instructions = chatInstructions(answerLanguage());
  const events = turn.requests.run(
    {
      conversation: turn.conversationId,
      prompt: (pending) => chatPrompt(turn.entries, { instructions, pending }),
      tools: turn.tools,
      ...(turn.reasoningEffort !== undefined ? { reasoningEffort: turn.reasoningEffort } : {}),
    },
    turn.signal,
  );
  let stats: string | undefined;
  for (;;) {
    const next = await events.next();
    if (next.done) {
      const outcome = next.value;
      if (outcome.stopReason === 'error') stats = undefined;
      const reasoningSummary =
        outcome.reasoning === '' ? undefined : thoughtFor((outcome.thinkingMs ?? 0) / 1000, outcome.reasoningTokens);
      return {
        kind: 'assistant',
        reasoning: outcome.reasoning,
        answer: outcome.answer,
        stopReason: outcome.stopReason,
        ...(outcome.error !== undefined ? { error: outcome.error } : {}),
        ...(reasoningSummary !== undefined ? { reasoningSummary } : {}),
        ...(stats !== undefined ? { stats } : {}),
        ...(outcome.cards.length > 0 ? { tools: outcome.cards } : {}),
        ...(outcome.exchanges.length > 0 ? { toolCalls: outcome.exchanges } : {}),
      };
    }
    const event = next.value;
    switch (event.type) {
      case 'reasoning':
      case 'answer':
        post({ type: 'turnDelta', turnId, part: event.type, text: event.text });
        break;
      case 'tool':
        post({ type: 'toolCard', turnId, card: event.card });
        break;
      case 'notice':
        turn.notice(event.text);
        break;
      case 'request':
        turn.onRequest?.(event.request);
        break;
      case 'usage':
        stats = usageStats(event.usage.tokensPerSecond, event.usage.promptTokens + event.usage.generatedTokens, turn.requests.engine.model?.contextSize);
        break;
    }
  }
}
