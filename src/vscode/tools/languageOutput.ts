// The pure half of get_diagnostics, find_references and rename_symbol (no `vscode`, unit-tested
// in plain Node): finding the symbol the model named on the line it named, and the texts the
// model reads.
import { MAX_LINE_CHARS, shortenLine } from './ripgrepOutput';

/** Most problems one get_diagnostics result lists. */
export const MAX_DIAGNOSTICS = 200;
/** Most references one find_references result lists. */
export const MAX_REFERENCES = 200;
/** How many lines above and below the named line the symbol is looked for (models miscount). */
export const SYMBOL_REACH = 3;

const wordChar = /[\p{L}\p{N}\p{Mn}\p{Mc}\p{Pc}$]/u;

/** Index of `symbol` as a whole word in `text` (first occurrence), or -1. */
export function wholeWordIndex(text: string, symbol: string): number {
  if (symbol === '') return -1;
  // A symbol that starts or ends with a non-word character (`#field`, `@decorator`) needs no
  // boundary on that side.
  const checkBefore = wordChar.test([...symbol][0]);
  const checkAfter = wordChar.test([...symbol].at(-1)!);
  for (let at = text.indexOf(symbol); at >= 0; at = text.indexOf(symbol, at + 1)) {
    const before = [...text.slice(0, at)].at(-1);
    const after = [...text.slice(at + symbol.length)][0];
    if (checkBefore && before !== undefined && wordChar.test(before)) continue;
    if (checkAfter && after !== undefined && wordChar.test(after)) continue;
    return at;
  }
  return -1;
}

export type SymbolSearch =
  | { readonly ok: true; /** 0-based. */ readonly line: number; /** 0-based, in UTF-16 units. */ readonly character: number }
  | { readonly ok: false; readonly reason: 'no-line' | 'not-found'; readonly lineCount: number };

/**
 * Where `symbol` is as a whole word: on `line` (1-based) if there, else the nearest of the
 * `reach` lines above and below it (above first on a tie).
 */
export function findSymbol(lines: readonly string[], line: number, symbol: string, reach = SYMBOL_REACH): SymbolSearch {
  const lineCount = lines.length;
  if (!Number.isInteger(line) || line < 1 || line > lineCount) return { ok: false, reason: 'no-line', lineCount };
  const at = line - 1;
  for (let distance = 0; distance <= reach; distance++) {
    for (const candidate of distance === 0 ? [at] : [at - distance, at + distance]) {
      if (candidate < 0 || candidate >= lineCount) continue;
      const character = wholeWordIndex(lines[candidate], symbol);
      if (character >= 0) return { ok: true, line: candidate, character };
    }
  }
  return { ok: false, reason: 'not-found', lineCount };
}

export type Severity = 'error' | 'warning' | 'info' | 'hint';

export interface DiagnosticEntry {
  /** Workspace-relative, `/`-separated. */
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
  readonly severity: Severity;
  readonly message: string;
  readonly source?: string;
  readonly code?: string;
}

const severityOrder: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * One problem a line, `path:line:col severity message (source code)`, errors first, then by
 * file and position; a message of several lines keeps them, indented two more spaces. Bounded by `max`.
 */
export function diagnosticsResult(entries: readonly DiagnosticEntry[], scope: string | undefined, max = MAX_DIAGNOSTICS): string {
  if (entries.length === 0) {
    return scope
      ? `No problems are reported for ${scope}.`
      : 'No problems are reported in the workspace. (Language servers report problems mainly for the files they have checked, usually the open ones.)';
  }
  const sorted = [...entries].sort(
    (a, b) => severityOrder[a.severity] - severityOrder[b.severity] || compareText(a.path, b.path) || a.line - b.line || a.column - b.column,
  );
  const lines = sorted.slice(0, max).map((d) => {
    const origin = [d.source, d.code].filter((x) => x !== undefined && x !== '').join(' ');
    const message = d.message.trim().split(/\r?\n/).join('\n  ');
    return `${d.path}:${d.line}:${d.column} ${d.severity} ${message}${origin ? ` (${origin})` : ''}`;
  });
  const counts = (['error', 'warning', 'info', 'hint'] as const)
    .map((s) => [s, entries.filter((d) => d.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}${n === 1 || s === 'info' ? '' : 's'}`);
  const head = `${counts.join(', ')}${scope ? ` in ${scope}` : ''}:`;
  if (entries.length > max) lines.push(`[… ${entries.length - max} more not shown]`);
  return [head, ...lines].join('\n');
}

export interface ReferenceEntry {
  /** Workspace-relative, `/`-separated. */
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  /** The whole line. */
  readonly text: string;
  /** UTF-16 index of the reference in `text`, for shortening around it. */
  readonly character: number;
  readonly length: number;
}

/**
 * `path:line: text` a reference, by file and line, at most `max`; `total` counts the workspace's
 * references (some may not be in `entries`), `outside` those outside the workspace.
 */
export function referencesResult(symbol: string, entries: readonly ReferenceEntry[], outside: number, max = MAX_REFERENCES, total = entries.length): string {
  if (entries.length === 0 && total === 0) {
    return outside > 0
      ? `"${symbol}" is referenced only outside the workspace (${outside} place${outside === 1 ? '' : 's'}).`
      : `No references to "${symbol}" were found.`;
  }
  const sorted = [...entries].sort((a, b) => compareText(a.path, b.path) || a.line - b.line || a.character - b.character);
  const count = Math.max(total, entries.length);
  const files = new Set(sorted.map((e) => e.path)).size;
  const inFiles = count > entries.length ? '' : ` in ${files} file${files === 1 ? '' : 's'}`;
  const lines = [`${count} reference${count === 1 ? '' : 's'} to "${symbol}"${inFiles}:`];
  const shownEntries = sorted.slice(0, max);
  for (const e of shownEntries) lines.push(`${e.path}:${e.line}: ${shortenLine(e.text, e.character, e.character + e.length, MAX_LINE_CHARS)}`);
  if (count > shownEntries.length) lines.push(`[… ${count - shownEntries.length} more not shown]`);
  if (outside > 0) lines.push(`[${outside} more outside the workspace]`);
  return lines.join('\n');
}
