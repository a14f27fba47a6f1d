// The part of a file the model reads for an editor task: the target (a selection, the enclosing
// symbol, the visible range) and as much of the code around it as the budget allows. A file of
// 50,000 lines is never sent whole; the model is told which lines it sees.

/** 0-based, inclusive, as VS Code's line numbers. */
export interface LineRange {
  readonly start: number;
  readonly end: number;
}

export interface Excerpt {
  /** The lines shown, joined with `\n`. */
  readonly text: string;
  /** The range shown (0-based, inclusive): the target and what surrounds it. */
  readonly shown: LineRange;
  readonly totalLines: number;
  /** Lines outside the shown range were left out. */
  readonly trimmed: boolean;
  /** Even the target did not fit: it is cut after `shown.end` (or inside a huge line). */
  readonly targetCut: boolean;
}

const CUT_LINE_MARK = ' …';

export function splitLines(text: string): string[] {
  return text.split(/\r\n|\r|\n/);
}

/**
 * The target and its surroundings, at most `maxChars` UTF-16 units (line breaks included):
 * lines are added above and below in turn, so the target sits in the middle of what is shown.
 */
export function excerptAround(lines: readonly string[], target: LineRange, maxChars: number): Excerpt {
  const last = Math.max(0, lines.length - 1);
  const start = clamp(Math.min(target.start, target.end), 0, last);
  const end = clamp(Math.max(target.start, target.end), start, last);
  const cost = (line: number, first: boolean): number => lines[line].length + (first ? 0 : 1);
  if (cost(start, true) > maxChars) {
    // A line longer than the whole budget is cut rather than left out, so something shows.
    const text = lines[start].slice(0, Math.max(0, maxChars - CUT_LINE_MARK.length)) + CUT_LINE_MARK;
    return { text, shown: { start, end: start }, totalLines: lines.length, trimmed: lines.length > 1, targetCut: true };
  }
  let used = cost(start, true);
  let below = start;
  while (below < end && used + cost(below + 1, false) <= maxChars) used += cost(++below, false);
  const targetCut = below < end;
  let above = start;
  for (let grew = !targetCut; grew; ) {
    grew = false;
    if (above > 0 && used + cost(above - 1, false) <= maxChars) {
      used += cost(--above, false);
      grew = true;
    }
    if (below < last && used + cost(below + 1, false) <= maxChars) {
      used += cost(++below, false);
      grew = true;
    }
  }
  return {
    text: lines.slice(above, below + 1).join('\n'),
    shown: { start: above, end: below },
    totalLines: lines.length,
    trimmed: above > 0 || below < last,
    targetCut,
  };
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}
