// VS Code's language-model messages (`vscode.lm`, as another extension sends them) as the
// LLM-jp chat format reads them. The adapter turns VS Code's part classes into these plain
// shapes; here they become Harmony messages: text, an assistant's tool calls (one per assistant
// message, as the 4.0 template reads them), and tool results matched to their calls by id.
// Whatever the caller sends, nothing of it can become a control token: the engine renders it.
import type { ChatMessage, ToolSpec } from '../harmony/types';

export type LmRole = 'user' | 'assistant' | 'system';

export type LmPart =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'toolCall'; readonly callId: string; readonly name: string; readonly input: unknown }
  | { readonly kind: 'toolResult'; readonly callId: string; readonly text: string };

export interface LmMessage {
  readonly role: LmRole;
  readonly parts: readonly LmPart[];
}

export interface LmTool {
  readonly name: string;
  readonly description: string;
  readonly inputSchema?: object;
}

/** A caller's tool in the function shape the engine offers the model (a schema-less tool takes an empty object). */
export function lmToolSpec(tool: LmTool): ToolSpec {
  const schema = tool.inputSchema && typeof tool.inputSchema === 'object' ? (tool.inputSchema as Record<string, unknown>) : { type: 'object', properties: {} };
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: schema } };
}

function argumentsOf(input: unknown): string | Record<string, unknown> {
  if (input && typeof input === 'object' && !Array.isArray(input)) return input as Record<string, unknown>;
  return JSON.stringify(input ?? {});
}

/**
 * The messages of a language-model request in the chat format's terms. System text (VS Code has
 * a system role for some callers) comes first as one system message; a tool result whose call is
 * not in the request is passed as user text, so the model still sees what the caller sent.
 */
export function lmChatMessages(messages: readonly LmMessage[]): ChatMessage[] {
  const system: string[] = [];
  const out: ChatMessage[] = [];
  const names = new Map<string, string>();
  for (const message of messages) {
    const text = message.parts
      .filter((p): p is Extract<LmPart, { kind: 'text' }> => p.kind === 'text')
      .map((p) => p.text)
      .join('');
    if (message.role === 'system') {
      if (text.trim() !== '') system.push(text);
      continue;
    }
    if (message.role === 'assistant') {
      if (text !== '') out.push({ role: 'assistant', content: text });
      for (const part of message.parts) {
        if (part.kind !== 'toolCall') continue;
        names.set(part.callId, part.name);
        out.push({ role: 'assistant', tool_calls: [{ id: part.callId, type: 'function', function: { name: part.name, arguments: argumentsOf(part.input) } }] });
      }
      continue;
    }
    const orphans: string[] = [];
    for (const part of message.parts) {
      if (part.kind !== 'toolResult') continue;
      const name = names.get(part.callId);
      // The chat format answers a result only after its call: one without is read as the user's text.
      if (name === undefined) orphans.push(part.text);
      else out.push({ role: 'tool', tool_call_id: part.callId, name, content: part.text });
    }
    const userText = [...orphans, text].filter((t) => t !== '').join('\n\n');
    if (userText !== '') out.push({ role: 'user', content: userText });
  }
  return system.length > 0 ? [{ role: 'system', content: system.join('\n\n') }, ...out] : out;
}

/** The text a message is counted as (its text, its tool calls' JSON, its results). */
export function lmMessageText(message: LmMessage): string {
  return message.parts
    .map((part) => (part.kind === 'text' ? part.text : part.kind === 'toolResult' ? part.text : `${part.name} ${JSON.stringify(part.input ?? {})}`))
    .join('\n');
}
