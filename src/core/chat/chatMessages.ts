// The messages the model reads for a conversation: the answer-language instructions, each
// question with its attachments, each tool call with its result, each answer. Reasoning is never
// fed back as such; only the reasoning right before a tool call travels with the call, and the
// chat template decides whether it is rendered (LLM-jp-4.0 replays it until the final answer).
import type { ChatMessage } from '../harmony/types';
import type { AttachedContext } from '../generation/types';
import { inlineAttachments, toAttachedContext } from './attachments';
import type { ToolExchange, TranscriptEntry } from './conversation';

export interface ChatPrompt {
  readonly messages: readonly ChatMessage[];
  /** The latest question's attachments: the engine appends them and may shorten them to fit. */
  readonly context: readonly AttachedContext[];
}

export interface ChatPromptOptions {
  /** Written first as a system message (the developer "# Instructions" of LLM-jp-4). */
  readonly instructions?: string;
  /** Tool calls of the turn being generated, after the latest question. */
  readonly pending?: readonly ToolExchange[];
}

/** A tool call and its result: one call per assistant message, as the 4.0 template reads them. */
export function exchangeMessages(exchange: ToolExchange): ChatMessage[] {
  // The 4.0 template writes arguments through tojson: pass the object, or the text when the
  // model's JSON did not parse (the template then quotes it; the model still sees what it wrote).
  let args: string | Record<string, unknown> = exchange.arguments;
  try {
    const parsed: unknown = JSON.parse(exchange.arguments);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) args = parsed as Record<string, unknown>;
  } catch {
    // keep the text
  }
  return [
    {
      role: 'assistant',
      ...(exchange.reasoning ? { thinking: defuseChannelTags(exchange.reasoning) } : {}),
      tool_calls: [{ id: exchange.callId, type: 'function', function: { name: exchange.name, arguments: args } }],
    },
    { role: 'tool', name: exchange.name, tool_call_id: exchange.callId, content: exchange.result },
  ];
}

/**
 * LLM-jp-4's template refuses an assistant message whose text holds a channel header, so an
 * answer that merely talks about the format (or a hostile one) would make every later turn of
 * the conversation fail. A zero-width space inside such a header keeps the text readable.
 */
function defuseChannelTags(text: string): string {
  return text.replace(/<\|channel\|>(analysis|final)<\|message\|>/g, '<|channel|>$1\u200b<|message|>');
}

function entryMessages(entry: TranscriptEntry, inline: boolean): ChatMessage[] {
  switch (entry.kind) {
    case 'user':
      return [{ role: 'user', content: inline ? inlineAttachments(entry.text, entry.attachments) : entry.text }];
    case 'assistant':
      return [
        ...(entry.toolCalls ?? []).flatMap(exchangeMessages),
        ...(entry.answer !== '' ? [{ role: 'assistant' as const, content: defuseChannelTags(entry.answer) }] : []),
      ];
    case 'notice':
      return [];
  }
}

/** What the model reads of a stored conversation, every attachment written out. */
export function toChatMessages(entries: readonly TranscriptEntry[]): ChatMessage[] {
  return entries.flatMap((entry) => entryMessages(entry, true));
}

/** The request for the next assistant turn of `entries`, whose latest question is being answered. */
export function chatPrompt(entries: readonly TranscriptEntry[], options: ChatPromptOptions = {}): ChatPrompt {
  const lastUser = entries.map((e) => e.kind).lastIndexOf('user');
  const messages: ChatMessage[] = options.instructions ? [{ role: 'system', content: options.instructions }] : [];
  let context: AttachedContext[] = [];
  entries.forEach((entry, i) => {
    if (i === lastUser && entry.kind === 'user') context = toAttachedContext(entry.attachments ?? []);
    messages.push(...entryMessages(entry, i !== lastUser));
  });
  for (const exchange of options.pending ?? []) messages.push(...exchangeMessages(exchange));
  return { messages, context };
}
