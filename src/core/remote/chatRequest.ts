// The body of POST /v1/chat/completions for one engine request. The server renders the prompt
// with its own chat template, so the messages go as the OpenAI shape; attachments are appended
// to the last user message exactly as the local engine appends them (attachContext).
import { attachContext } from '../generation/fitPrompt';
import { DEFAULT_MAX_TOKENS, DEFAULT_SAMPLING, type GenerateRequest } from '../generation/types';
import type { ChatMessage, ReasoningEffort, ToolSpec } from '../harmony/types';

export interface WireToolCall {
  readonly id?: string;
  readonly type: 'function';
  readonly function: { readonly name: string; readonly arguments: string };
}

export interface WireMessage {
  readonly role: ChatMessage['role'];
  readonly content: string | null;
  readonly tool_calls?: readonly WireToolCall[];
  readonly tool_call_id?: string;
  readonly name?: string;
}

export interface ChatCompletionBody {
  readonly model: string;
  readonly messages: readonly WireMessage[];
  readonly stream: true;
  readonly stream_options: { readonly include_usage: true };
  readonly max_tokens: number;
  readonly temperature: number;
  readonly top_p: number;
  readonly top_k?: number;
  readonly seed?: number;
  readonly tools?: readonly ToolSpec[];
  readonly tool_choice?: 'auto';
  readonly reasoning_effort?: ReasoningEffort;
  /** The LLM-jp-4 templates read `reasoning_effort` as a template variable; llama-server passes these through. */
  readonly chat_template_kwargs?: { readonly reasoning_effort: ReasoningEffort };
}

/**
 * One message on the wire. Reasoning (`thinking`) is never sent back: the server's template and
 * reasoning parser own the analysis channel, and a server that rendered it would bill for it.
 * Tool-call arguments must be a JSON string in the OpenAI API, whatever shape the transcript holds.
 */
function toWire(message: ChatMessage): WireMessage {
  const wire: { -readonly [K in keyof WireMessage]: WireMessage[K] } = { role: message.role, content: message.content ?? null };
  if (message.tool_calls && message.tool_calls.length > 0) {
    wire.tool_calls = message.tool_calls.map((call) => ({
      ...(call.id !== undefined ? { id: call.id } : {}),
      type: 'function',
      function: {
        name: call.function.name,
        arguments: typeof call.function.arguments === 'string' ? call.function.arguments : JSON.stringify(call.function.arguments),
      },
    }));
  } else if (message.role === 'assistant' && wire.content === null) {
    wire.content = '';
  }
  if (message.tool_call_id !== undefined) wire.tool_call_id = message.tool_call_id;
  if (message.role === 'tool' && message.name !== undefined) wire.name = message.name;
  if (message.role === 'tool' && wire.content === null) wire.content = '';
  return wire;
}

export function chatCompletionBody(request: GenerateRequest, model: string): ChatCompletionBody {
  const sampling = { ...DEFAULT_SAMPLING, ...request.sampling };
  const tools = request.tools ?? [];
  return {
    model,
    messages: attachContext(request.messages, request.context ?? []).map(toWire),
    stream: true,
    stream_options: { include_usage: true },
    max_tokens: Math.max(1, request.maxTokens ?? DEFAULT_MAX_TOKENS),
    temperature: sampling.temperature,
    top_p: sampling.topP,
    ...(sampling.topK !== undefined ? { top_k: sampling.topK } : {}),
    ...(sampling.seed !== undefined ? { seed: sampling.seed } : {}),
    ...(tools.length > 0 ? { tools, tool_choice: 'auto' as const } : {}),
    ...(request.reasoningEffort !== undefined
      ? { reasoning_effort: request.reasoningEffort, chat_template_kwargs: { reasoning_effort: request.reasoningEffort } }
      : {}),
  };
}
