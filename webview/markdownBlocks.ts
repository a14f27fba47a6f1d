// Where a streaming markdown answer can be cut so that the part before the cut never changes
// its rendering as more text arrives. The panel renders that part once and re-renders only the
// rest per frame, so a long answer costs the same per frame as a short one.
//
// A cut is taken after a blank line outside a code fence, before a line that starts at column 0:
// such a line cannot continue the block above (continuations are indented, and a blank line ends
// a paragraph, a table or a quote). Before a list marker no cut is made, so a loose list stays
// one list. (HTML blocks such as `<!--` may span blank lines; a cut inside one only changes how
// sanitized model HTML is grouped.) Pure string code: unit-tested in Node.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])(?:\s|$)/;

/**
 * The end of the longest stable prefix of `source`, at or after `from` (itself a previous cut),
 * or `from` when no later cut exists yet.
 */
export function stableMarkdownEnd(source: string, from: number): number {
  let cut = from;
  let fence: string | undefined;
  let previousBlank = false;
  let lineStart = from;
  // Only complete lines decide anything: the last line may still grow.
  for (let newline = source.indexOf('\n', lineStart); newline !== -1; newline = source.indexOf('\n', lineStart)) {
    const line = source.slice(lineStart, newline);
    if (fence === undefined && previousBlank && /^\S/.test(line) && !LIST_ITEM.test(line)) cut = lineStart;
    const marker = FENCE.exec(line)?.[1];
    if (fence === undefined) fence = marker;
    else if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
    previousBlank = fence === undefined && line.trim() === '';
    lineStart = newline + 1;
  }
  return cut;
}

// What the panel draws each frame, as pieces: a piece before a cut is drawn once, the growing
// piece after the last cut again on every frame. (Only markdown pieces and cuts so far; the other
// kinds and the limits are for blocks too long to draw again every frame.)

export type PieceKind = 'markdown' | 'table' | 'rows' | 'code-open' | 'code' | 'inline';

export interface Piece {
  readonly kind: PieceKind;
  readonly from: number;
  readonly to: number;
  readonly head?: readonly [number, number];
}

export interface Limits {
  readonly flowAfter: number;
  readonly blockAfter: number;
  readonly segment: number;
  readonly rowsSegment: number;
  readonly frameBudget: number;
}

export const CUTS_ONLY: Limits = { flowAfter: Infinity, blockAfter: Infinity, segment: Infinity, rowsSegment: Infinity, frameBudget: Infinity };
export const LIMITS: Limits = CUTS_ONLY;

export interface Frame {
  /** Pieces that will not change any more, in order: draw each once. */
  readonly done: readonly Piece[];
  /** The piece still growing, drawn again on the next update. */
  readonly growing: Piece | undefined;
  /** False when text is left for the next frame. */
  readonly caughtUp: boolean;
}

/** Cuts a streaming answer into pieces; `update` with all the text so far, once per frame. */
export class AnswerPlanner {
  private stableEnd = 0;

  constructor(_limits: Limits = LIMITS) {}

  /** Whether some block has been split (never, so far). */
  get splitBlocks(): boolean {
    return false;
  }

  update(source: string, final = false): Frame {
    const end = stableMarkdownEnd(source, this.stableEnd);
    const done: Piece[] = end > this.stableEnd ? [{ kind: 'markdown', from: this.stableEnd, to: end }] : [];
    this.stableEnd = end;
    const growing: Piece | undefined = source.length > end ? { kind: 'markdown', from: end, to: source.length } : undefined;
    if (final && growing) {
      done.push(growing);
      this.stableEnd = source.length;
      return { done, growing: undefined, caughtUp: true };
    }
    return { done, growing, caughtUp: true };
  }
}

/** The pieces of a complete text, as a stored answer is drawn. */
export function piecesOf(source: string, limits: Limits = LIMITS): { pieces: Piece[]; split: boolean } {
  return { pieces: [...new AnswerPlanner(limits).update(source, true).done], split: false };
}
