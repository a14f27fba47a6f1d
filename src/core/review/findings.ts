// Review findings as the model reports them: one `report_finding` tool call per finding, so that
// the engine constrains each with a grammar from this schema and each can appear as a comment
// thread as soon as it is made. A finding names its lines and quotes the code it is about; the
// quote is what anchors it: a finding whose lines do not hold its quote is moved to where the
// quote is (near the lines it named), or dropped, never shown on the wrong lines.
import type { LocalizedText } from '../generation/types';
import type { ToolSpec } from '../harmony/types';
import { checkWorkspacePath } from '../tools/workspacePaths';

export const REPORT_FINDING = 'report_finding';

export const SEVERITIES = ['error', 'warning', 'info'] as const;
export type FindingSeverity = (typeof SEVERITIES)[number];
export const CATEGORIES = ['bug', 'security', 'performance', 'readability', 'style', 'test', 'docs'] as const;
export type FindingCategory = (typeof CATEGORIES)[number];

const MAX_MESSAGE_CHARS = 2_000;
const MAX_QUOTE_CHARS = 2_000;
const MAX_REPLACEMENT_CHARS = 20_000;

export const REPORT_FINDING_TOOL: ToolSpec = {
  type: 'function',
  function: {
    name: REPORT_FINDING,
    description:
      'Report one review finding on the changed code. Call once per finding. quote: the exact code of those lines, copied from the file. replacement: the new text for those lines, only when you propose one.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'The file, relative to the workspace folder' },
        start_line: { type: 'integer', minimum: 1, description: 'First line of the code the finding is about (1-based)' },
        end_line: { type: 'integer', minimum: 1, description: 'Last line (inclusive)' },
        severity: { type: 'string', enum: [...SEVERITIES] },
        category: { type: 'string', enum: [...CATEGORIES] },
        message: { type: 'string', minLength: 1, maxLength: MAX_MESSAGE_CHARS, description: 'What is wrong and why, in the requested language' },
        quote: { type: 'string', minLength: 1, maxLength: MAX_QUOTE_CHARS, description: 'The exact code of those lines' },
        replacement: { type: 'string', maxLength: MAX_REPLACEMENT_CHARS, description: 'Optional: the lines as they should be' },
      },
      required: ['path', 'start_line', 'end_line', 'severity', 'category', 'message', 'quote'],
      additionalProperties: false,
    },
  },
};

export interface Finding {
  /** Workspace-relative, checked like every tool path. */
  readonly path: string;
  /** 0-based, inclusive. */
  readonly startLine: number;
  readonly endLine: number;
  readonly severity: FindingSeverity;
  readonly category: FindingCategory;
  readonly message: string;
  readonly quote: string;
  readonly replacement?: string;
}

export type ParsedFinding = { readonly ok: true; readonly finding: Finding } | { readonly ok: false; readonly error: LocalizedText };

function refuse(en: string, ja: string): ParsedFinding {
  return { ok: false, error: { en, ja } };
}

const isLine = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 1;
const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.trim() !== '' && value.length <= max;

/** Checks a report_finding call's arguments again (a server or another model may send anything). */
export function parseFinding(args: string): ParsedFinding {
  let value: unknown;
  try {
    value = JSON.parse(args);
  } catch {
    return refuse('The arguments are not valid JSON.', '引数が正しい JSON ではありません。');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return refuse('The arguments must be a JSON object.', '引数は JSON オブジェクトである必要があります。');
  const v = value as Record<string, unknown>;
  const known = new Set(Object.keys(REPORT_FINDING_TOOL.function.parameters?.properties as object));
  const unknown = Object.keys(v).filter((key) => !known.has(key));
  if (unknown.length > 0) return refuse(`Unknown arguments: ${unknown.join(', ')}.`, `不明な引数: ${unknown.join(', ')}`);
  if (typeof v.path !== 'string') return refuse('"path" must be a string.', '"path" は文字列である必要があります。');
  const checked = checkWorkspacePath(v.path);
  if (!checked.ok) return { ok: false, error: checked.error };
  if (checked.segments.length === 0) return refuse('"path" must name a file.', '"path" にはファイルを指定してください。');
  if (!isLine(v.start_line) || !isLine(v.end_line) || v.end_line < v.start_line) {
    return refuse('start_line and end_line must be line numbers (1-based), end_line not before start_line.', 'start_line と end_line は 1 から始まる行番号で、end_line は start_line 以上である必要があります。');
  }
  if (!(SEVERITIES as readonly unknown[]).includes(v.severity)) return refuse(`severity must be one of ${SEVERITIES.join(', ')}.`, `severity は ${SEVERITIES.join(', ')} のいずれかです。`);
  if (!(CATEGORIES as readonly unknown[]).includes(v.category)) return refuse(`category must be one of ${CATEGORIES.join(', ')}.`, `category は ${CATEGORIES.join(', ')} のいずれかです。`);
  if (!isText(v.message, MAX_MESSAGE_CHARS)) return refuse('"message" must be a non-empty text.', '"message" には空でない文字列が必要です。');
  if (!isText(v.quote, MAX_QUOTE_CHARS)) return refuse('"quote" must be the code of those lines.', '"quote" にはその行のコードが必要です。');
  if (v.replacement !== undefined && v.replacement !== null && (typeof v.replacement !== 'string' || v.replacement.length > MAX_REPLACEMENT_CHARS)) {
    return refuse('"replacement" must be a text.', '"replacement" は文字列である必要があります。');
  }
  return {
    ok: true,
    finding: {
      path: checked.segments.join('/'),
      startLine: v.start_line - 1,
      endLine: v.end_line - 1,
      severity: v.severity as FindingSeverity,
      category: v.category as FindingCategory,
      message: v.message.trim(),
      quote: v.quote,
      ...(typeof v.replacement === 'string' ? { replacement: v.replacement } : {}),
    },
  };
}

/** How far from the lines it named a finding's quote may be found: models miscount lines, not files. */
export const REANCHOR_REACH = 20;

export type Anchored =
  | { readonly kind: 'exact' | 'moved'; readonly startLine: number; readonly endLine: number }
  | { readonly kind: 'dropped'; readonly reason: 'past-end' | 'quote-not-found' | 'quote-ambiguous' };

const squash = (line: string): string => line.replace(/\s+/g, ' ').trim();

/**
 * Where a finding belongs in `text` (the reviewed file): its own lines if they hold its quote
 * (whitespace aside), else the nearest unique place within REANCHOR_REACH lines that does, else
 * nowhere. A quote of blank lines only cannot anchor anything.
 */
export function anchorFinding(finding: Pick<Finding, 'startLine' | 'endLine' | 'quote'>, text: string): Anchored {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const quote = finding.quote.replace(/\r\n?/g, '\n').split('\n').map(squash);
  while (quote.length > 0 && quote[0] === '') quote.shift();
  while (quote.length > 0 && quote[quote.length - 1] === '') quote.pop();
  if (quote.length === 0) return { kind: 'dropped', reason: 'quote-not-found' };
  const squashed = lines.map(squash);
  const matchesAt = (start: number): boolean => start >= 0 && start + quote.length <= lines.length && quote.every((q, i) => squashed[start + i] === q);
  if (finding.startLine < lines.length) {
    // The named lines may hold the quote anywhere in them (a finding on a block, quoting its key line).
    const last = Math.min(finding.endLine, lines.length - 1);
    for (let start = finding.startLine; start + quote.length - 1 <= last; start++) {
      if (matchesAt(start)) return { kind: 'exact', startLine: finding.startLine, endLine: last };
    }
  }
  const span = finding.endLine - finding.startLine;
  const candidates: number[] = [];
  for (let start = Math.max(0, finding.startLine - REANCHOR_REACH); start <= Math.min(lines.length - quote.length, finding.startLine + REANCHOR_REACH); start++) {
    if (matchesAt(start)) candidates.push(start);
  }
  if (candidates.length === 0) return { kind: 'dropped', reason: finding.startLine >= lines.length ? 'past-end' : 'quote-not-found' };
  const distance = (start: number): number => Math.abs(start - finding.startLine);
  const best = Math.min(...candidates.map(distance));
  const nearest = candidates.filter((start) => distance(start) === best);
  // Two places at the same distance: guessing would show it on the wrong lines half the time.
  if (nearest.length > 1) return { kind: 'dropped', reason: 'quote-ambiguous' };
  const startLine = nearest[0];
  return { kind: 'moved', startLine, endLine: Math.min(lines.length - 1, startLine + Math.max(span, quote.length - 1)) };
}

/**
 * What the model reads back after a report_finding call. Plain ASCII English (tool results are
 * read by the model, not shown as answers), and telling: a miscounted line is corrected so the
 * model's later findings count better; a refused one says why, so it can report it again.
 */
export function findingResult(outcome: { readonly recorded: number; readonly anchored: Exclude<Anchored, { kind: 'dropped' }> } | { readonly refused: 'outside' | 'quote-not-found' | 'quote-ambiguous' | 'past-end'; readonly finding: Pick<Finding, 'path' | 'startLine' | 'endLine'> }): string {
  if ('recorded' in outcome) {
    const { anchored } = outcome;
    return anchored.kind === 'exact'
      ? `Recorded as finding ${outcome.recorded}.`
      : `Recorded as finding ${outcome.recorded}, at lines ${anchored.startLine + 1}-${anchored.endLine + 1}: the quote is there, not at the lines given.`;
  }
  const { path, startLine, endLine } = outcome.finding;
  switch (outcome.refused) {
    case 'outside':
      return `Not recorded: ${path} is not one of the files under review.`;
    case 'past-end':
      return `Not recorded: ${path} has no line ${startLine + 1}.`;
    case 'quote-ambiguous':
      return `Not recorded: the quote appears more than once near lines ${startLine + 1}-${endLine + 1} of ${path}. Give the exact lines.`;
    case 'quote-not-found':
      return `Not recorded: lines ${startLine + 1}-${endLine + 1} of ${path} do not hold the quote. Copy the code exactly.`;
  }
}
