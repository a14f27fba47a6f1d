// Which chat format a template speaks. Kept apart from the renderer so that code needing only
// this (the model picker, GGUF summaries) does not load the Jinja engine.
import type { ChatDialect } from './types';

const HARMONY_V1_MARKER = 'chat_format=llm-jp-harmony-v1';
const INSTRUCT_MARKERS = ['### 指示:', '### 応答:'];

/** Which built-in renderer writes what a template writes. */
export function detectDialect(template: string | undefined): ChatDialect {
  if (template === undefined) return 'llm-jp-4.0';
  if (template.includes(HARMONY_V1_MARKER)) return 'llm-jp-4.1';
  if (INSTRUCT_MARKERS.some((marker) => template.includes(marker))) return 'llm-jp-3';
  return 'llm-jp-4.0';
}

