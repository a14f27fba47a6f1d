// The built-in LLM-jp-3 / 3.1 instruct prompt: what the chat template published with those
// models (tokenizer_config.json of llm-jp/llm-jp-3-*-instruct*, llm-jp/llm-jp-3.1-*-instruct4)
// writes. A system message stands for the fixed instruction sentence below: its own text is
// not written. Roles other than system, user and assistant write nothing.

import type { ChatMessage } from '../harmony/types';
import { PartsWriter, type RenderPart } from '../harmony/dialects/parts';

export const LLM_JP_3_BOS = '<s>';
export const LLM_JP_3_EOS = '</s>';
export const LLM_JP_3_SYSTEM_SENTENCE = '以下は、タスクを説明する指示です。要求を適切に満たす応答を書きなさい。';

export interface LlmJp3Input {
  readonly messages: readonly ChatMessage[];
  readonly addGenerationPrompt: boolean;
  readonly bosToken?: string;
  readonly eosToken?: string;
}

const INSTRUCTION_HEADER = '\n\n### 指示:\n';
const RESPONSE_HEADER = '\n\n### 応答:\n';

export function renderLlmJp3(input: LlmJp3Input): readonly RenderPart[] {
  const out = new PartsWriter();
  out.structure(input.bosToken ?? LLM_JP_3_BOS);
  input.messages.forEach((message, i) => {
    if (message.role === 'user') {
      out.structure(INSTRUCTION_HEADER).content(text(message));
    } else if (message.role === 'system') {
      out.structure(LLM_JP_3_SYSTEM_SENTENCE);
    } else if (message.role === 'assistant') {
      out.structure(RESPONSE_HEADER).content(text(message)).structure(input.eosToken ?? LLM_JP_3_EOS);
    }
    // The published template writes the generation prompt inside its message loop.
    if (i === input.messages.length - 1 && input.addGenerationPrompt) out.structure(RESPONSE_HEADER);
  });
  return out.parts;
}

function text(message: ChatMessage): string {
  if (message.content === undefined) throw new TypeError(`The chat template needs "content" in a ${message.role} message.`);
  return message.content;
}
