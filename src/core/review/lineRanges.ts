// A comment thread's lines as its file is edited: VS Code reports each edit as a replaced range
// and the new text; lines above the thread move it, lines inside it grow or shrink it, lines below
// leave it alone. Pure, so that restored threads and open ones move the same way.

/** 0-based, inclusive. */
export interface LineRange {
  readonly startLine: number;
  readonly endLine: number;
}

/** One edit: the replaced range (0-based lines and characters, end exclusive) and the text put there. */
export interface LineEdit {
  readonly start: { readonly line: number; readonly character: number };
  readonly end: { readonly line: number; readonly character: number };
  readonly text: string;
}

function newlines(text: string): number {
  let count = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/** Where `range` is after `edit`. A range whose every line was replaced shrinks to the edit's first line. */
export function moveRange(range: LineRange, edit: LineEdit): LineRange {
  const delta = newlines(edit.text) - (edit.end.line - edit.start.line);
  if (edit.start.line > range.endLine) return range;
  // Above the thread, or ending at the very start of its first line (lines inserted before it).
  if (edit.end.line < range.startLine || (edit.end.line === range.startLine && edit.end.character === 0)) {
    return { startLine: range.startLine + delta, endLine: range.endLine + delta };
  }
  // The edit touches the thread's lines.
  const startLine = Math.min(range.startLine, edit.start.line);
  // A thread whose last line was replaced ends where the new text ends (not on the line after it,
  // which is where a replacement ending at a line's start leaves the text that follows).
  const endLine = range.endLine >= edit.end.line ? range.endLine + delta : edit.start.line + newlines(edit.text) - (edit.end.character === 0 ? 1 : 0);
  return { startLine, endLine: Math.max(startLine, endLine) };
}

/** `range` after each of `edits`, in the order VS Code applied them. */
export function moveRangeThrough(range: LineRange, edits: readonly LineEdit[]): LineRange {
  return edits.reduce(moveRange, range);
}
