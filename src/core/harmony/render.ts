// Chat prompts for LLM-jp models: the model's own template through Jinja when it has one, the
// built-in renderer of its dialect otherwise, both also as structure/content parts so that the
// tokenizer never reads special tokens out of text the caller supplied.

import { renderHarmony } from './dialects/harmony';
import { joinParts, type RenderPart } from './dialects/parts';
import { renderTemplate } from './jinjaTemplate';
import { strftime } from './jinjaStrftime';
import { SPECIAL_TOKENS, templateVariables, unmarkedText, type MarkPlan, type TextMark } from './renderInputs';
import { escapeText, pickMarkers, plainText, splitMarked, wrapText } from './textMarks';
import type { ChatDialect, ChatMessage, ReasoningEffort, ToolSpec } from './types';
import { renderLlmJp3 } from '../legacy/llmJp3';
import { detectDialect } from './dialect';

export { detectDialect } from './dialect';

export type { RenderPart, RenderPartKind } from './dialects/parts';

export interface RenderOptions {
  readonly tools?: readonly ToolSpec[];
  /** End with the assistant header so the model writes the next turn. Hugging Face's default: false. */
  readonly addGenerationPrompt?: boolean;
  /** Absent: the template's default (medium). */
  readonly reasoningEffort?: ReasoningEffort;
  readonly modelIdentity?: string;
  readonly knowledgeCutoff?: string;
  /** YYYY-MM-DD; absent: today in local time, as the template's strftime_now writes it. */
  readonly currentDate?: string;
  /** The built-in renderer used when there is no template; default llm-jp-4.0. */
  readonly dialect?: ChatDialect;
  /**
   * bos_token, eos_token, ... as the template sees them (the GGUF's own tokens, say); absent:
   * those of the dialect's published tokenizer.
   */
  readonly specialTokens?: Readonly<Record<string, string>>;
}

/**
 * The prompt text. With a template: that template rendered as Hugging Face renders it. Without:
 * what the official template of `options.dialect` renders for the same inputs.
 */
export function renderChat(
  template: string | undefined,
  messages: readonly ChatMessage[],
  options: RenderOptions = {},
): string {
  if (template === undefined) return joinParts(renderBuiltIn(messages, options));
  return renderTemplate(template, templateVariables(messages, options, dialectOf(template, options)));
}

/**
 * The same prompt as parts whose concatenation is `renderChat(...)`: `content` parts hold text
 * that came from the caller (message contents, reasoning, tool-call arguments and results as
 * written, tool names and schema text, model identity and dates), `structure` parts the rest.
 * Part boundaries are not token boundaries: text between two special tokens is still one run.
 *
 * With a template, the caller's strings are rendered once more, escaped and wrapped in
 * private-use characters (which `==` and `length` see through; textMarks.ts), and the wrapped
 * runs become the content parts; the unwrapped text must equal the plain render. Templates that
 * cut or rewrite caller text (`trim`, slicing, `split`) can break that: then tool schemas are
 * left unwrapped (their text becomes structure), and if even that fails this throws.
 */
export function renderChatParts(
  template: string | undefined,
  messages: readonly ChatMessage[],
  options: RenderOptions = {},
): readonly RenderPart[] {
  if (template === undefined) return renderBuiltIn(messages, options);
  const dialect = dialectOf(template, options);
  const plain = renderTemplate(template, templateVariables(messages, options, dialect));
  const markers = pickMarkers(template + unmarkedText(messages, options, dialect));
  const wrap: TextMark = (text) => wrapText(markers, text);
  const escape: TextMark = (text) => escapeText(markers, text);
  const plans: MarkPlan[] = [
    { messages: wrap, tools: wrap, settings: wrap },
    { messages: wrap, tools: escape, settings: wrap },
  ];
  for (const plan of plans) {
    let marked: string;
    try {
      marked = renderTemplate(template, templateVariables(messages, options, dialect, plan), (text) => plainText(markers, text));
    } catch {
      continue;
    }
    const parts = splitMarked(markers, marked);
    if (parts !== undefined && joinParts(parts) === plain) return parts;
  }
  throw new Error('This chat template transforms message text, so its prompt cannot be split into parts.');
}

function dialectOf(template: string, options: RenderOptions): ChatDialect {
  return options.dialect ?? detectDialect(template);
}

function renderBuiltIn(messages: readonly ChatMessage[], options: RenderOptions): readonly RenderPart[] {
  const dialect = options.dialect ?? 'llm-jp-4.0';
  const addGenerationPrompt = options.addGenerationPrompt ?? false;
  if (dialect === 'llm-jp-3') {
    const tokens = { ...SPECIAL_TOKENS['llm-jp-3'], ...options.specialTokens };
    return renderLlmJp3({ messages, addGenerationPrompt, bosToken: tokens.bos_token, eosToken: tokens.eos_token });
  }
  return renderHarmony(
    {
      messages,
      tools: options.tools,
      addGenerationPrompt,
      reasoningEffort: options.reasoningEffort,
      modelIdentity: options.modelIdentity,
      knowledgeCutoff: options.knowledgeCutoff,
      currentDate: options.currentDate ?? strftime('%Y-%m-%d'),
    },
    dialect === 'llm-jp-4.1' ? '4.1' : '4.0',
  );
}
