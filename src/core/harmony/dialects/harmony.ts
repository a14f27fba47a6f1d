// The built-in LLM-jp-4 prompt renderer: what the official 4.0 and 4.1 chat templates write for
// the same inputs, produced as structure and content parts.

import type { ChatMessage, ToolCall, ToolSpec } from '../types';
import { concatText, truthy } from './jinjaValues';
import { PartsWriter, type RenderPart } from './parts';
import { pyJsonDumps } from './pythonJson';
import { writeToolNamespace, type HarmonyVersion } from './toolNamespace';

export interface HarmonyInput {
  readonly messages: readonly ChatMessage[];
  readonly tools?: readonly ToolSpec[];
  readonly addGenerationPrompt: boolean;
  readonly reasoningEffort?: string;
  readonly modelIdentity?: string;
  readonly knowledgeCutoff?: string;
  /** Already resolved: the templates fall back to today's date, which the caller computes. */
  readonly currentDate: string;
}

export const DEFAULT_MODEL_IDENTITY = 'You are LLM-jp-4, a large language model trained by LLM-jp.';
export const DEFAULT_KNOWLEDGE_CUTOFF = '2025-12';
const KNOWN_EFFORTS = new Set(['low', 'medium', 'high']);

export function renderHarmony(input: HarmonyInput, version: HarmonyVersion): readonly RenderPart[] {
  const out = new PartsWriter();
  const tools = truthy(input.tools) ? input.tools : undefined;
  writeSystem(out, input, tools !== undefined);

  const [first] = input.messages;
  if (first === undefined) throw new TypeError('The chat template needs at least one message.');
  const leadsWithInstructions = first.role === 'developer' || first.role === 'system';
  const instructions = leadsWithInstructions ? first.content : '';
  const turns = leadsWithInstructions ? input.messages.slice(1) : input.messages;

  if (truthy(instructions) || tools !== undefined) {
    out.structure('<|start|>developer<|message|>');
    if (truthy(instructions)) out.structure('# Instructions\n\n').content(instructions ?? '').structure('\n\n');
    if (tools !== undefined) {
      out.structure('# Tools\n\n');
      writeToolNamespace(out, tools, version);
    }
    out.structure('<|end|>');
  }

  if (version === '4.0') writeTurns40(out, turns, input.addGenerationPrompt);
  else writeTurns41(out, turns, input.addGenerationPrompt);
  if (input.addGenerationPrompt) out.structure('<|start|>assistant');
  return out.parts;
}

function writeSystem(out: PartsWriter, input: HarmonyInput, hasTools: boolean): void {
  out.structure('<|start|>system<|message|>');
  optionText(out, input.modelIdentity, DEFAULT_MODEL_IDENTITY);
  out.structure('\nKnowledge cutoff: ');
  optionText(out, input.knowledgeCutoff, DEFAULT_KNOWLEDGE_CUTOFF);
  out.structure('\nCurrent date: ').content(input.currentDate).structure('\n\nReasoning: ');
  const effort = input.reasoningEffort ?? 'medium';
  if (KNOWN_EFFORTS.has(effort)) out.structure(effort);
  else out.content(effort);
  out.structure('\n\n# Valid channels: analysis, commentary, final. Channel must be included for every message.');
  if (hasTools) out.structure("\nCalls to these tools must go to the commentary channel: 'functions'.");
  out.structure('<|end|>');
}

/** A caller's setting is content; the template's own default is structure. */
function optionText(out: PartsWriter, value: string | undefined, fallback: string): void {
  if (value === undefined) out.structure(fallback);
  else out.content(value);
}

/**
 * 4.0: one call per assistant message (later calls are ignored); a call's reasoning is replayed
 * until a later final answer closes the tool loop; results are attributed to the latest call.
 */
function writeTurns40(out: PartsWriter, turns: readonly ChatMessage[], addGenerationPrompt: boolean): void {
  let lastCallName: string | undefined;
  turns.forEach((message, i) => {
    const isLast = i === turns.length - 1;
    if (message.role === 'assistant') {
      checkChannelTags(message);
      if (message.tool_calls !== undefined) {
        const answeredLater = turns
          .slice(i + 1)
          .some((later) => later.role === 'assistant' && later.tool_calls === undefined);
        const call = message.tool_calls[0];
        if (call === undefined) throw new TypeError('The chat template needs at least one call in "tool_calls".');
        const reasoning = callReasoning(message);
        if (reasoning !== undefined && !answeredLater) writeAnalysis(out, reasoning);
        const fn = callFunction(call);
        out.structure('<|start|>assistant to=functions.').content(concatText(fn.name, 'a tool call name'));
        out.structure('<|channel|>commentary json<|message|>').content(pyJsonDumps(fn.arguments)).structure('<|call|>');
        lastCallName = concatText(fn.name, 'a tool call name');
      } else if (isLast && !addGenerationPrompt) {
        writeTrainingAnswer(out, message);
      } else {
        writeFinal(out, message);
        lastCallName = undefined;
      }
    } else if (message.role === 'tool') {
      if (lastCallName === undefined) {
        throw new Error('Message has tool role, but there was no previous assistant message with a tool call!');
      }
      writeToolResult(out, lastCallName, message);
    } else if (message.role === 'user') {
      writeUser(out, message);
    }
  });
}

/**
 * 4.1: every call of a message is written (`<|end|>` between, `<|call|>` after the last) with
 * `<|constrain|> json`; string arguments are written verbatim; earlier reasoning is never
 * replayed; a result is attributed to its `name`, else to the call at its position.
 */
function writeTurns41(out: PartsWriter, turns: readonly ChatMessage[], addGenerationPrompt: boolean): void {
  let lastCallName: string | undefined;
  let groupNames: string[] = [];
  let resultIndex = 0;
  turns.forEach((message, i) => {
    const isLast = i === turns.length - 1;
    if (message.role === 'assistant') {
      checkChannelTags(message);
      if (message.tool_calls !== undefined) {
        const reasoning = callReasoning(message);
        if (reasoning !== undefined && isLast && !addGenerationPrompt) writeAnalysis(out, reasoning);
        groupNames = [];
        resultIndex = 0;
        message.tool_calls.forEach((call, j) => {
          const fn = callFunction(call);
          const name = concatText(fn.name, 'a tool call name');
          out.structure('<|start|>assistant to=functions.').content(name);
          out.structure('<|channel|>commentary <|constrain|> json<|message|>');
          out.content(typeof fn.arguments === 'string' ? fn.arguments : pyJsonDumps(fn.arguments));
          out.structure(j === message.tool_calls!.length - 1 ? '<|call|>' : '<|end|>');
          lastCallName = name;
          groupNames.push(name);
        });
      } else if (isLast && !addGenerationPrompt) {
        writeTrainingAnswer(out, message);
      } else {
        writeFinal(out, message);
        lastCallName = undefined;
      }
    } else if (message.role === 'tool') {
      const name = truthy(message.name)
        ? message.name
        : resultIndex < groupNames.length
          ? groupNames[resultIndex]
          : lastCallName;
      resultIndex++;
      if (name === undefined) {
        throw new Error(
          "Message has tool role, but could not resolve its source function name (no 'name' field and no preceding assistant tool call).",
        );
      }
      writeToolResult(out, name, message);
    } else if (message.role === 'user') {
      writeUser(out, message);
    }
  });
}

function checkChannelTags(message: ChatMessage): void {
  for (const [field, text] of [
    ['content', message.content],
    ['thinking', message.thinking],
  ] as const) {
    if (text !== undefined && (text.includes('<|channel|>analysis<|message|>') || text.includes('<|channel|>final<|message|>'))) {
      throw new Error(
        `You have passed a message containing <|channel|> tags in the ${field} field: pass reasoning in 'thinking' and the answer in 'content'.`,
      );
    }
  }
}

/** The reasoning written before a tool call: content or thinking, never both. */
function callReasoning(message: ChatMessage): string | undefined {
  if (truthy(message.content) && truthy(message.thinking)) {
    throw new Error(
      'Cannot pass both content and thinking in an assistant message with tool calls! Put the analysis message in one or the other, but not both.',
    );
  }
  if (truthy(message.content)) return message.content;
  if (truthy(message.thinking)) return message.thinking;
  return undefined;
}

function callFunction(call: ToolCall): ToolCall['function'] {
  return truthy(call.function) ? call.function : (call as unknown as ToolCall['function']);
}

function writeAnalysis(out: PartsWriter, text: string): void {
  out.structure('<|start|>assistant<|channel|>analysis<|message|>').content(text).structure('<|end|>');
}

/** The last assistant turn without a generation prompt: training data, so reasoning stays. */
function writeTrainingAnswer(out: PartsWriter, message: ChatMessage): void {
  if (message.thinking !== undefined) writeAnalysis(out, message.thinking);
  out.structure('<|start|>assistant<|channel|>final<|message|>').content(required(message, 'content'));
  out.structure('<|return|>');
}

function writeFinal(out: PartsWriter, message: ChatMessage): void {
  out.structure('<|start|>assistant<|channel|>final<|message|>').content(required(message, 'content'));
  out.structure('<|end|>');
}

function writeToolResult(out: PartsWriter, name: string, message: ChatMessage): void {
  out.structure('<|start|>functions.').content(name).structure(' to=assistant<|channel|>commentary<|message|>');
  out.content(pyJsonDumps(required(message, 'content'))).structure('<|end|>');
}

function writeUser(out: PartsWriter, message: ChatMessage): void {
  out.structure('<|start|>user<|message|>').content(required(message, 'content')).structure('<|end|>');
}

function required(message: ChatMessage, field: 'content'): string {
  const value = message[field];
  if (value === undefined) throw new TypeError(`The chat template needs "${field}" in a ${message.role} message.`);
  return value;
}
