// The conversation of an inline chat thread, kept as chat transcript entries so that "Open in
// panel" hands the panel the very turns the thread had: the first question carries the lines it
// is about as a selection attachment (which later prompts replay), follow-ups are plain
// questions, and answers are fed back without their reasoning (chatPrompt never sends it).
// Also the thread's lines as text: what the model reads, and what Apply as edit replaces.
import { editedCode } from '../prompts/editAnswer';
import { inlineInstructions } from '../prompts/inlineChat';
import type { ResolvedLanguage } from '../prompts/chat';
import type { LineRange } from '../review/lineRanges';
import { chatPrompt, type ChatPrompt } from './chatMessages';
import type { Attachment, TranscriptEntry } from './conversation';

type AssistantEntry = Extract<TranscriptEntry, { kind: 'assistant' }>;

/** `entries` with `question` asked; only the thread's first question carries the selection. */
export function withQuestion(entries: readonly TranscriptEntry[], question: string, selection: Attachment): TranscriptEntry[] {
  const first = !entries.some((e) => e.kind === 'user');
  return [...entries, { kind: 'user', text: question, ...(first ? { attachments: [selection] } : {}) }];
}

/** The request for the answer to the thread's latest question. */
export function inlinePrompt(entries: readonly TranscriptEntry[], language: ResolvedLanguage): ChatPrompt {
  return chatPrompt(entries, { instructions: inlineInstructions(language) });
}

/** The answer that ends the thread, if its latest question has one. */
export function latestAnswer(entries: readonly TranscriptEntry[]): AssistantEntry | undefined {
  const last = entries.at(-1);
  return last?.kind === 'assistant' ? last : undefined;
}

/**
 * The replacement the latest answer proposes: its code block, complete (a block cut by Stop
 * before its closing fence is not offered). An explanation without code proposes nothing.
 */
export function proposedCode(entries: readonly TranscriptEntry[]): string | undefined {
  const answer = latestAnswer(entries);
  return answer && answer.stopReason !== 'error' ? editedCode(answer.answer)?.code : undefined;
}

/**
 * The thread's contextValue: flags the manifest's `commentThread =~ /flag/` clauses read.
 * `streaming` offers Stop; `ready` the reply box; `answered` Open in panel; `canApply` Apply as
 * edit; `proposed` (its edit waits in a diff) Accept and Reject instead.
 */
export function threadFlags(entries: readonly TranscriptEntry[], streaming: boolean, proposed = false): string {
  if (streaming) return 'llmJpInline streaming';
  const flags = ['llmJpInline', 'ready'];
  if (entries.some((e) => e.kind === 'assistant')) flags.push('answered');
  if (proposed) flags.push('proposed');
  else if (proposedCode(entries) !== undefined) flags.push('canApply');
  return flags.join(' ');
}

/** The lines a selection covers (0-based, inclusive): one ending at a line's start covers the lines above it. */
export function selectedLines(start: { line: number; character: number }, end: { line: number; character: number }): LineRange {
  const endLine = end.character === 0 && end.line > start.line ? end.line - 1 : end.line;
  return { startLine: start.line, endLine };
}

/** Where `range`'s lines lie in `text`, their last line break included. */
function lineSpan(text: string, range: LineRange): { start: number; end: number } {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  const last = starts.length - 1;
  const startLine = Math.min(Math.max(0, range.startLine), last);
  const endLine = Math.min(Math.max(startLine, range.endLine), last);
  return { start: starts[startLine], end: endLine + 1 <= last ? starts[endLine + 1] : text.length };
}

/** The text of `range`'s lines, with the line break after the last one when there is one. */
export function linesText(text: string, range: LineRange): string {
  const { start, end } = lineSpan(text, range);
  return text.slice(start, end);
}
