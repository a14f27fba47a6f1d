// LLM-jp chat format: prompt rendering (src/core/harmony/render.ts) and output parsing, by
// token ids (parser.ts) or by text (textParser.ts). Other programs import this module.
export { renderChat, renderChatParts, detectDialect, type RenderOptions, type RenderPart, type RenderPartKind } from './render';
export { HarmonyTokenParser, type TokenBytes, type HarmonyParserState } from './parser';
export { HarmonyTextParser, parseHarmonyText, type ParsedHarmonyText } from './textParser';
export type {
  ChatDialect,
  ChatMessage,
  HarmonyEndReason,
  HarmonyEvent,
  ReasoningEffort,
  ToolCall,
  ToolSpec,
} from './types';
