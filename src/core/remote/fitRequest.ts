// A request cut to the server's context before it is sent, as the local engine cuts its prompt
// (oldest turns first, then the largest attachment; the latest question never), so a long chat
// gets a notice rather than the server's 400. The server renders the prompt itself, so the
// count is the estimate that errs high over what is sent: every message, attachment and schema.
import { fitConversation } from '../generation/fitPrompt';
import { contextTrimmedNotice } from '../generation/notices';
import { estimateTokens } from '../generation/tokenEstimate';
import { DEFAULT_MAX_TOKENS, type EngineEvent, type GenerateRequest } from '../generation/types';
import type { ChatMessage } from '../harmony/types';

/** The template's headers around each message, generously. */
const MESSAGE_OVERHEAD = 8;
/** Room left for the answer, as the local engine leaves it. */
const MIN_ANSWER_ROOM = 512;

function messageTokens(message: ChatMessage): number {
  const calls = (message.tool_calls ?? []).map((c) => `${c.function.name} ${typeof c.function.arguments === 'string' ? c.function.arguments : JSON.stringify(c.function.arguments)}`);
  return MESSAGE_OVERHEAD + estimateTokens([message.content ?? '', ...calls].join('\n'));
}

export type FittedRequest =
  | { readonly ok: true; readonly request: GenerateRequest; readonly notice?: Extract<EngineEvent, { type: 'notice' }> }
  | { readonly ok: false };

export function fitRemoteRequest(request: GenerateRequest, contextSize: number): FittedRequest {
  const maxTokens = request.maxTokens ?? DEFAULT_MAX_TOKENS;
  const budget = contextSize - Math.min(maxTokens, Math.max(MIN_ANSWER_ROOM, contextSize >> 2));
  const fixed = estimateTokens(JSON.stringify(request.tools ?? [])) + 64; // the system header, the reasoning line
  const fitted = fitConversation(request.messages, request.context ?? [], (messages, context) => {
    let total = fixed;
    for (const message of messages) total += messageTokens(message);
    for (const item of context) total += MESSAGE_OVERHEAD + estimateTokens(item.label) + estimateTokens(item.text);
    return total <= budget;
  });
  if (!fitted) return { ok: false };
  const trimmed = fitted.droppedMessages > 0 || fitted.shortenedContext.length > 0;
  return {
    ok: true,
    request: trimmed ? { ...request, messages: fitted.messages, context: fitted.context } : request,
    ...(trimmed ? { notice: contextTrimmedNotice(contextSize, fitted.droppedMessages, fitted.shortenedContext) } : {}),
  };
}
