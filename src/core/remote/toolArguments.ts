// Tool-call arguments from a server are checked again here: vLLM passes the model's invalid JSON
// through unchanged, and a call whose arguments are not a JSON object cannot be executed.
import type { EngineEvent } from '../generation/types';

type ToolCallEvent = Extract<EngineEvent, { type: 'toolCall' }>;
type Notice = Extract<EngineEvent, { type: 'notice' }>;

/** The call as an event, `parsed` when its arguments are a JSON object, `parseError` otherwise. */
export function checkedToolCall(name: string, args: string): ToolCallEvent {
  // Some servers send no arguments at all for a function without parameters.
  const text = args.trim() === '' ? '{}' : args;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { type: 'toolCall', name, arguments: args, parseError: error instanceof Error ? error.message : String(error) };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { type: 'toolCall', name, arguments: args, parseError: 'the arguments are not a JSON object' };
  }
  return { type: 'toolCall', name, arguments: args, parsed };
}

/** Said beside a call whose arguments could not be read, so that it is never passed on silently. */
export function invalidArgumentsNotice(call: ToolCallEvent): Notice {
  const shown = call.arguments.length > 120 ? `${call.arguments.slice(0, 120)}…` : call.arguments;
  return {
    type: 'notice',
    code: 'tool-arguments-invalid',
    message: {
      en: `The server sent a call to ${call.name} whose arguments are not valid JSON (${call.parseError}): ${shown}`,
      ja: `サーバーから届いた ${call.name} の呼び出しの引数が正しい JSON ではありません（${call.parseError}）: ${shown}`,
    },
  };
}
