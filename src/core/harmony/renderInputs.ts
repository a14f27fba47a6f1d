// The variables a chat template is rendered with, as Hugging Face's apply_chat_template passes
// them: messages and tools in the OpenAI shape (a field the caller left out is absent, because
// the templates test `"thinking" in message`), the generation flag, the LLM-jp keyword
// arguments only when set (the templates test `is not defined`), and the special tokens.

import type { ChatDialect, ChatMessage, ToolSpec } from './types';

export interface TemplateOptions {
  readonly tools?: readonly ToolSpec[];
  readonly addGenerationPrompt?: boolean;
  readonly reasoningEffort?: string;
  readonly modelIdentity?: string;
  readonly knowledgeCutoff?: string;
  readonly currentDate?: string;
  readonly specialTokens?: Readonly<Record<string, string>>;
}

/** special_tokens_map.json of each family, which Hugging Face passes to every template. */
export const SPECIAL_TOKENS: Readonly<Record<ChatDialect, Readonly<Record<string, string>>>> = {
  'llm-jp-4.0': harmonyTokens(),
  'llm-jp-4.1': harmonyTokens(),
  'llm-jp-3': { bos_token: '<s>', eos_token: '</s>', unk_token: '<unk>' },
};

function harmonyTokens(): Readonly<Record<string, string>> {
  return {
    bos_token: '<|startoftext|>',
    eos_token: '<|return|>',
    unk_token: '<|unk|>',
    pad_token: '<|endoftext|>',
    cls_token: '<|cls|>',
    sep_token: '<|sep|>',
    mask_token: '<|mask|>',
  };
}

/** Applied to every caller-supplied string, so that it can be found again in the output. */
export type TextMark = (text: string) => string;

const unmarked: TextMark = (text) => text;

export interface MarkPlan {
  readonly messages: TextMark;
  readonly tools: TextMark;
  readonly settings: TextMark;
}

const NO_MARKS: MarkPlan = { messages: unmarked, tools: unmarked, settings: unmarked };

export function templateVariables(
  messages: readonly ChatMessage[],
  options: TemplateOptions,
  dialect: ChatDialect,
  marks: MarkPlan = NO_MARKS,
): Record<string, unknown> {
  const variables: Record<string, unknown> = {
    ...SPECIAL_TOKENS[dialect],
    ...options.specialTokens,
    messages: messages.map((message) => templateMessage(message, marks.messages)),
    tools: options.tools === undefined ? null : options.tools.map((tool) => markSchema(tool, marks.tools)),
    documents: null,
    add_generation_prompt: options.addGenerationPrompt ?? false,
  };
  if (options.reasoningEffort !== undefined) variables.reasoning_effort = options.reasoningEffort;
  if (options.modelIdentity !== undefined) variables.model_identity = marks.settings(options.modelIdentity);
  if (options.knowledgeCutoff !== undefined) variables.knowledge_cutoff = marks.settings(options.knowledgeCutoff);
  if (options.currentDate !== undefined) variables.conversation_start_date = marks.settings(options.currentDate);
  return variables;
}

const dropped: TextMark = () => '';

/**
 * The text of the variables that is rendered without marks (roles, `type` values, schema keys,
 * special tokens): the marker characters must be absent from it.
 */
export function unmarkedText(messages: readonly ChatMessage[], options: TemplateOptions, dialect: ChatDialect): string {
  return JSON.stringify(templateVariables(messages, options, dialect, { messages: dropped, tools: dropped, settings: dropped }));
}

function templateMessage(message: ChatMessage, mark: TextMark): Record<string, unknown> {
  const out: Record<string, unknown> = { role: message.role };
  if (message.content !== undefined) out.content = mark(message.content);
  if (message.thinking !== undefined) out.thinking = mark(message.thinking);
  if (message.tool_calls !== undefined) {
    out.tool_calls = message.tool_calls.map((call) => {
      const copy: Record<string, unknown> = {};
      if (call.id !== undefined) copy.id = mark(call.id);
      if (call.type !== undefined) copy.type = call.type;
      const args = call.function.arguments;
      copy.function = {
        name: mark(call.function.name),
        arguments: typeof args === 'string' ? mark(args) : markJson(args, mark),
      };
      return copy;
    });
  }
  if (message.tool_call_id !== undefined) out.tool_call_id = mark(message.tool_call_id);
  if (message.name !== undefined) out.name = mark(message.name);
  return out;
}

/** Every key and string of a JSON value. */
function markJson(value: unknown, mark: TextMark): unknown {
  if (typeof value === 'string') return mark(value);
  if (Array.isArray(value)) return value.map((item) => markJson(item, mark));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [mark(k), markJson(v, mark)]));
  }
  return value;
}

/**
 * A tool schema's text, leaving alone what templates branch on: `type` values and the keys of
 * schema objects, except the parameter names under `properties` (written into the prompt, and
 * matched against `required`, whose entries are marked the same way).
 */
function markSchema(value: unknown, mark: TextMark, key?: string): unknown {
  if (typeof value === 'string') return key === 'type' ? value : mark(value);
  if (Array.isArray(value)) {
    return key === 'type' ? value : value.map((item) => markSchema(item, mark));
  }
  if (typeof value === 'object' && value !== null) {
    const namesParameters = key === 'properties';
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [namesParameters ? mark(k) : k, markSchema(v, mark, namesParameters ? undefined : k)]),
    );
  }
  return value;
}
