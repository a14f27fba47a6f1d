// The code an editor task is about, as the user would point at it: the selection; without one,
// the function or class around the cursor (from the language's symbol provider); else what the
// editor shows. Long files are cut around the target, never sent whole.
import * as vscode from 'vscode';
import { excerptAround, splitLines, type LineRange } from '../../core/prompts/codeExcerpt';
import type { TargetKind, TaskCode, TaskProblem } from '../../core/prompts/editorTasks';
import { displayPath, toProblem } from './documentFacts';
import { problemsOf } from '../chat/contextChips';

/** Symbols that make a sensible unit to explain or document. */
const UNIT_KINDS = new Set([
  vscode.SymbolKind.Function,
  vscode.SymbolKind.Method,
  vscode.SymbolKind.Constructor,
  vscode.SymbolKind.Class,
  vscode.SymbolKind.Interface,
  vscode.SymbolKind.Enum,
  vscode.SymbolKind.Struct,
  vscode.SymbolKind.Module,
  vscode.SymbolKind.Namespace,
]);

export interface EditorTarget {
  readonly code: TaskCode;
  readonly problems: readonly TaskProblem[];
  /** What an edit replaces: the target's whole lines. */
  readonly range: vscode.Range;
}

/** How much code a task may send, from the model's context (about 1.5 characters a token, leaving room for the answer). */
export function codeBudget(contextTokens: number | undefined): number {
  const tokens = contextTokens ?? vscode.workspace.getConfiguration('llmJp').get<number>('contextSize', 0) ?? 0;
  return Math.max(2_000, Math.min(60_000, Math.floor((tokens > 0 ? tokens : 8_192) * 0.75)));
}

async function enclosingSymbol(document: vscode.TextDocument, position: vscode.Position): Promise<vscode.DocumentSymbol | undefined> {
  let symbols: Array<vscode.DocumentSymbol | vscode.SymbolInformation> | undefined;
  try {
    symbols = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', document.uri);
  } catch {
    return undefined; // no symbol provider for this language
  }
  let best: vscode.DocumentSymbol | undefined;
  const visit = (list: readonly vscode.DocumentSymbol[]): void => {
    for (const symbol of list) {
      if (!symbol.range.contains(position)) continue;
      if (UNIT_KINDS.has(symbol.kind)) best = symbol; // innermost wins: children come later
      visit(symbol.children ?? []);
    }
  };
  visit((symbols ?? []).filter((s): s is vscode.DocumentSymbol => 'children' in s));
  return best;
}

/** Whole lines from `range`; a selection ending at a line's start does not take that line. */
function wholeLines(range: vscode.Range): LineRange {
  const end = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  return { start: range.start.line, end };
}

/**
 * `mode`: an explanation shows code around the target; an edit sends the target alone (the model
 * returns it changed); `file` makes the whole document the target when nothing is selected.
 */
export async function editorTarget(
  editor: vscode.TextEditor,
  options: { readonly mode: 'explain' | 'edit'; readonly wholeFile?: boolean; readonly budget: number; readonly at?: vscode.Range },
): Promise<EditorTarget> {
  const document = editor.document;
  const all = splitLines(document.getText());
  // A final line break ends the last line; it does not start one more to show.
  if (all.length > 1 && all[all.length - 1] === '') all.pop();
  const lastLine = all.length - 1;
  let target: TargetKind;
  let lines: LineRange;
  let symbolName: string | undefined;
  const selection = options.at ?? editor.selection;
  if (!selection.isEmpty) {
    target = 'selection';
    lines = wholeLines(selection);
  } else if (options.wholeFile) {
    target = 'file';
    lines = { start: 0, end: lastLine };
  } else {
    const symbol = await enclosingSymbol(document, selection instanceof vscode.Selection ? selection.active : selection.start);
    if (symbol) {
      target = 'symbol';
      lines = wholeLines(symbol.range);
      symbolName = symbol.name;
    } else {
      target = 'visible';
      lines = wholeLines(editor.visibleRanges[0] ?? new vscode.Range(0, 0, lastLine, 0));
    }
  }
  lines = { start: Math.min(lines.start, lastLine), end: Math.min(lines.end, lastLine) };
  const excerpt =
    options.mode === 'edit'
      ? excerptAround(all.slice(lines.start, lines.end + 1), { start: 0, end: lines.end - lines.start }, options.budget)
      : excerptAround(all, lines, options.budget);
  // An edit's excerpt counts from the target's first line; the model is told lines of the file.
  const shown = options.mode === 'edit' ? { start: excerpt.shown.start + lines.start, end: excerpt.shown.end + lines.start } : excerpt.shown;
  const range = new vscode.Range(lines.start, 0, lines.end, document.lineAt(lines.end).range.end.character);
  const problems = problemsOf(document.uri)
    .filter((d) => d.range.intersection(range) !== undefined)
    .map((d) => toProblem(document.uri, d))
    .map(({ path: _path, ...problem }) => problem);
  return {
    code: {
      path: displayPath(document.uri),
      languageId: document.languageId,
      excerpt: { ...excerpt, shown, totalLines: all.length, trimmed: shown.start > 0 || shown.end < all.length - 1 },
      target,
      targetLines: lines,
      ...(symbolName !== undefined ? { symbolName } : {}),
    },
    problems,
    range,
  };
}
