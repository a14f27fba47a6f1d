// Shapes shared by the LLM-jp prompt renderer, the tokenizer splice and the output parser.

/** A chat message in the OpenAI shape the LLM-jp chat templates read. */
export interface ChatMessage {
  readonly role: 'system' | 'developer' | 'user' | 'assistant' | 'tool';
  readonly content?: string;
  /** Reasoning (analysis channel) of an assistant turn. */
  readonly thinking?: string;
  readonly tool_calls?: readonly ToolCall[];
  /** For role 'tool': the id of the call this result answers. */
  readonly tool_call_id?: string;
  /** For role 'tool': the function's name. */
  readonly name?: string;
}

export interface ToolCall {
  readonly id?: string;
  readonly type?: 'function';
  readonly function: { readonly name: string; readonly arguments: string | Record<string, unknown> };
}

/** A tool in the OpenAI function shape. */
export interface ToolSpec {
  readonly type: 'function';
  readonly function: {
    readonly name: string;
    readonly description?: string;
    readonly parameters?: Record<string, unknown>;
  };
}

export type ReasoningEffort = 'low' | 'medium' | 'high';
export type ChatDialect = 'llm-jp-4.0' | 'llm-jp-4.1' | 'llm-jp-3';

/** Events parsed from what the model emits after `<|start|>assistant`. */
export type HarmonyEvent =
  | { readonly type: 'reasoning'; readonly text: string }
  | { readonly type: 'answer'; readonly text: string }
  | {
      readonly type: 'toolCall';
      readonly name: string;
      /** The arguments exactly as generated. */
      readonly arguments: string;
      /** Present when `arguments` parsed as JSON. */
      readonly parsed?: unknown;
      /** Present when it did not. */
      readonly parseError?: string;
    }
  | { readonly type: 'end'; readonly reason: HarmonyEndReason; readonly detail?: string };

/**
 * Why the assistant's output ended: `return` (<|return|>), `end` (<|end|> after a final answer),
 * `call` (<|call|>: tool calls await results), `eos` (the input ran out cleanly),
 * `truncated` (the input stopped mid-message or mid-header), `malformed` (a header the parser
 * could not read: the detail says what).
 */
export type HarmonyEndReason = 'return' | 'end' | 'call' | 'eos' | 'truncated' | 'malformed';
