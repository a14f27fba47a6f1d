// Context the user attaches to a question (a selection, a file, the problems list), as the model
// reads it: a heading naming where the text comes from, then the text in a code fence. The same
// text is written for a question whether it is the latest one (sent as the request's context,
// which the engine may shorten to fit) or an earlier one (inlined), so an unchanged
// conversation renders byte-identical prompts turn after turn and the KV cache is reused.
import { attachContext } from '../generation/fitPrompt';
import type { AttachedContext } from '../generation/types';
import type { Attachment } from './conversation';

/** A file attached whole is cut after this many UTF-8 bytes. */
export const MAX_ATTACHED_FILE_BYTES = 200 * 1024;
/** Most problems listed in one attachment. */
export const MAX_PROBLEMS = 200;

/** The heading the model reads above an attachment (English: it is for the model, not the user). */
export function attachmentHeading(attachment: Attachment): string {
  const where = attachment.detail ?? attachment.label;
  const language = attachment.languageId ? ` (${attachment.languageId})` : '';
  switch (attachment.kind) {
    case 'selection':
      return `Selected code from ${where}${language}:`;
    case 'file':
      return `File ${where}${language}:`;
    case 'problems':
      return 'Problems VS Code reports (path:line:column severity message):';
  }
}

export function toAttachedContext(attachments: readonly Attachment[]): AttachedContext[] {
  return attachments.map((a) => ({ label: attachmentHeading(a), text: a.content }));
}

/** A question with its attachments written out, exactly as the engine writes the latest one. */
export function inlineAttachments(text: string, attachments: readonly Attachment[] | undefined): string {
  if (!attachments || attachments.length === 0) return text;
  return attachContext([{ role: 'user', content: text }], toAttachedContext(attachments))[0].content ?? text;
}

/** "app.ts:10-24" (1-based lines; one line: "app.ts:10"). */
export function selectionLabel(name: string, firstLine: number, lastLine: number): string {
  return firstLine === lastLine ? `${name}:${firstLine}` : `${name}:${firstLine}-${lastLine}`;
}

function utf8Size(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/** The UTF-8 size of `text`. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) bytes += utf8Size(ch.codePointAt(0) ?? 0);
  return bytes;
}

/**
 * The longest prefix of `text` within `maxBytes` of UTF-8 (never half a character), ended at a
 * line break when one lies in its last tenth.
 */
export function cutToBytes(text: string, maxBytes: number): { readonly text: string; readonly cut: boolean } {
  let bytes = 0;
  let end = 0;
  for (const ch of text) {
    const size = utf8Size(ch.codePointAt(0) ?? 0);
    if (bytes + size > maxBytes) break;
    bytes += size;
    end += ch.length;
  }
  if (end === text.length) return { text, cut: false };
  const lineEnd = text.lastIndexOf('\n', end - 1);
  const cutAt = lineEnd >= 0 && lineEnd + 1 >= end * 0.9 ? lineEnd + 1 : end;
  return { text: text.slice(0, cutAt), cut: true };
}

/** Appended to a file cut at MAX_ATTACHED_FILE_BYTES, so the model knows it sees only a part. */
export function cutNote(totalBytes: number, shownBytes: number): string {
  return `\n[… cut: the file has ${totalBytes} bytes; the first ${shownBytes} are shown]`;
}

export type ProblemSeverity = 'error' | 'warning' | 'info' | 'hint';

export interface Problem {
  /** Workspace-relative path (or the full one outside the workspace). */
  readonly path: string;
  /** 0-based, as VS Code's ranges. */
  readonly line: number;
  readonly character: number;
  readonly severity: ProblemSeverity;
  readonly message: string;
  readonly source?: string;
  readonly code?: string;
}

const SEVERITY_ORDER: Record<ProblemSeverity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

/** One line per problem, "path:line:col severity message (source code)", errors first. */
export function formatProblems(problems: readonly Problem[], max = MAX_PROBLEMS): string {
  const sorted = [...problems].sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.line - b.line ||
      a.character - b.character,
  );
  const lines = sorted.slice(0, max).map((p) => {
    const origin = [p.source, p.code].filter((s) => s !== undefined && s !== '').join(' ');
    const message = p.message.replace(/\s*\n\s*/g, ' ').trim();
    return `${p.path}:${p.line + 1}:${p.character + 1} ${p.severity} ${message}${origin ? ` (${origin})` : ''}`;
  });
  if (sorted.length > max) lines.push(`… ${sorted.length - max} more`);
  return lines.join('\n');
}
