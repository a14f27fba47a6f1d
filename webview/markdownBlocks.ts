// How a streaming markdown answer is cut into pieces, each rendered once. Pure string code,
// unit-tested in Node (test/unit/panelText.test.ts, panelRunaway.test.ts); streamingMarkdown.ts
// draws the pieces.
//
// A cut is taken after a blank line outside a code fence, before a line that starts at column 0:
// such a line cannot continue the block above (continuations are indented, and a blank line ends
// a paragraph, a table or a quote). Before a list marker no cut is made, so a loose list stays
// one list. (HTML blocks such as `<!--` may span blank lines; a cut inside one only changes how
// sanitized model HTML is grouped.) Whether a line starts a cut shows in its first characters, so
// the cut is taken as soon as they arrive. The part before a cut never changes its rendering as
// more text arrives: it is rendered once, and only the growing tail is drawn again per frame.
//
// A runaway block (a 2,000-row table, a 30,000-line code block, a 2 MB line) would be that tail
// for most of the stream, and drawing it again every frame costs more the longer it grows. So a
// long block is split into pieces as well, each rendered once:
// - a fenced code block opened at column 0 whose content passes `blockAfter` characters: the
//   fence line opens an empty code block, then the content follows in pieces of whole lines
//   (`code` pieces), highlighted one by one, a line once it is complete;
// - a table whose rows pass `blockAfter` characters: the first rows render the table, later rows
//   are rendered under the same header (`rows` pieces) and moved into its body, a row once its
//   line is complete; every `tableRows` rows, counted from the header, the rows go on in a
//   continuation table (a `rows` piece with `continues`), drawn under the same columns, so that
//   appending a row lays out a table of at most `tableRows` rows, never the whole table;
// - any other run between cuts that passes `flowAfter` characters: split at line starts (each
//   piece renders as blocks of its own), and a line that runs past them is split after a sentence
//   end where backticks, `*` and brackets balance (`inline` pieces, appended to the block the
//   line is in), or at a space, or anywhere, when no such end comes.
// Pieces after the first are about `segment` characters (`rowsSegment` for a table's rows).
// Where pieces fall depends only on the text, never on how it arrived, so a stored answer drawn
// at once gets the same pieces. Blocks under those sizes are drawn exactly as before. `update`
// takes at most `frameBudget` new characters, so what one frame draws is bounded whatever
// arrives at once.

export type PieceKind = 'markdown' | 'table' | 'rows' | 'code-open' | 'code' | 'inline';

export interface Piece {
  /**
   * markdown: blocks of their own. table: blocks whose last table later `rows` pieces extend.
   * rows: table rows, rendered under `head` (the table's header and delimiter lines); with
   * `continues`, they start a continuation table of the same table, which later `rows` pieces
   * extend, until the next that `continues`. code-open:
   * a fence line, which opens an empty code block. code: code text appended to that block as is.
   * inline: inline text appended to the last block drawn.
   */
  readonly kind: PieceKind;
  readonly from: number;
  readonly to: number;
  readonly head?: readonly [number, number];
  /** rows: these rows start a continuation table (the table so far has `tableRows` rows or more). */
  readonly continues?: boolean;
}

export interface Limits {
  /** A run between cuts is split once it passes this many characters. */
  readonly flowAfter: number;
  /** A fenced code block or a table is split once its content passes this many characters. */
  readonly blockAfter: number;
  /** The size of the pieces after the first. */
  readonly segment: number;
  /**
   * The same for a table's rows, smaller: a table is laid out whole whenever a row changes, and
   * the fewer new rows the growing piece brings each frame, the less that costs.
   */
  readonly rowsSegment: number;
  /**
   * The most rows a split table's pieces put in one `<table>`: later rows start a continuation
   * table. Chromium lays out a whole table again when a row is added, so appending to a table of
   * thousands of rows costs more than a frame; appending to one of `tableRows` rows does not.
   */
  readonly tableRows: number;
  /** The most new characters one update takes. */
  readonly frameBudget: number;
}

export const LIMITS: Limits = { flowAfter: 16_384, blockAfter: 8_192, segment: 4_096, rowsSegment: 512, tableRows: 200, frameBudget: 4_096 };

/** No splitting of long blocks, no budget: only the cuts. */
export const CUTS_ONLY: Limits = { flowAfter: Infinity, blockAfter: Infinity, segment: Infinity, rowsSegment: Infinity, tableRows: Infinity, frameBudget: Infinity };

export interface Frame {
  /** Pieces that will not change any more, in order: draw each once. */
  readonly done: readonly Piece[];
  /** The piece still growing, drawn again on the next update. */
  readonly growing: Piece | undefined;
  /** False when text is left beyond the budget: update again on the next frame. */
  readonly caughtUp: boolean;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])(?:\s|$)/;
/** A line so far that could still become a list marker. */
const LIST_PREFIX = /^(?:[-*+]|\d{1,9}[.)]?)$/;
/** A line that, under another, makes a table or a setext heading: no piece starts at it. */
const UNDERLINE = /^ {0,3}[|:=-][ |:=-]*$/;
const UNDERLINE_PREFIX = /^[ |:=-]*$/;
const TABLE_DELIMITER = /^ {0,3}\|? *:?-+:? *(?:\| *:?-+:? *)*\|? *$/;
/** Line starts that end a table (a new block begins), as marked ends one. */
const TABLE_END = /^(?: {4}|\t| {0,3}(?:#{1,6}(?:\s|$)|>|`{3}|~{3}|[*+-][ \t]|1[.)][ \t]|<))/;
/** Of a line still growing: it already ends a table. */
const TABLE_END_SO_FAR = /^(?: {4}|\t| {0,3}(?:#{1,6}\s|>|`{3}|~{3}|[*+-][ \t]|1[.)][ \t]|<))/;
/** Of a line still growing: it may yet end a table (a marker or a thematic break, unfinished). */
const TABLE_END_PREFIX = /^ {0,3}(?:#{1,6}|`{1,2}|~{1,2}|[*+-]|1[.)]?|(?:-[ \t]*)+|(?:_[ \t]*)+|(?:\*[ \t]*)+)?$/;
const THEMATIC_BREAK = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:_[ \t]*){3,}|(?:\*[ \t]*){3,})$/;
const SENTENCE_END = /[。．！？]/;
const HIGH_SURROGATE = /[\uD800-\uDBFF]/;

type Mode = 'flow' | 'code' | 'table';
/** A decision about a line that may need more of it: 'maybe' waits. */
type Decision = 'yes' | 'no' | 'maybe';

function tableCells(line: string): number {
  const cells = line.replace(/\\\|/g, '').split('|');
  if (cells[0].trim() === '') cells.shift();
  if (cells.length > 0 && cells[cells.length - 1].trim() === '') cells.pop();
  return cells.length;
}

/** The rows of a table between `from` and `to`, both line starts. */
function rowsBetween(source: string, from: number, to: number): number {
  let rows = 0;
  for (let at = source.indexOf('\n', from); at !== -1 && at < to; at = source.indexOf('\n', at + 1)) rows++;
  return rows;
}

/** Whether the line so far (`text`) ends a table. */
function tableEnds(text: string, complete: boolean): Decision {
  if (complete) return TABLE_END.test(text) || text.trim() === '' || THEMATIC_BREAK.test(text) ? 'yes' : 'no';
  if (TABLE_END_SO_FAR.test(text)) return 'yes';
  return TABLE_END_PREFIX.test(text) ? 'maybe' : 'no';
}

/** Whether the line so far closes a fence opened with `marker`. */
function closesFence(text: string, complete: boolean, marker: string): Decision {
  const match = /^ {0,3}(`+|~+) *$/.exec(text);
  const closes = match !== null && match[1][0] === marker[0] && match[1].length >= marker.length;
  if (complete) return closes ? 'yes' : 'no';
  return /^ {0,3}$/.test(text) || (match !== null && match[1][0] === marker[0]) ? 'maybe' : 'no';
}

/** Whether a cut is taken before a line that follows a blank line outside a fence. */
function cutsBefore(text: string, complete: boolean): Decision {
  if (text === '') return complete ? 'no' : 'maybe';
  // Before LIST_ITEM, whose `$` would take a `-` that is still growing for an empty item.
  if (!complete && LIST_PREFIX.test(text)) return 'maybe';
  return /^\s/.test(text) || LIST_ITEM.test(text) ? 'no' : 'yes';
}

/** Whether a piece may start at a line: not one that underlines the line above. */
function mayStartAt(text: string, complete: boolean): Decision {
  if (complete) return UNDERLINE.test(text) ? 'no' : 'yes';
  return UNDERLINE_PREFIX.test(text) ? 'maybe' : 'yes';
}

/**
 * Cuts a streaming answer into pieces. Call `update` with all the text received so far, once per
 * frame, and with `final` once the text is complete.
 */
export class AnswerPlanner {
  /** Characters of the source taken so far. */
  private taken = 0;
  private mode: Mode = 'flow';
  private pieceStart = 0;
  private pieceKind: PieceKind = 'markdown';
  /** The current run or block has been split once: later pieces are `segment` long. */
  private split = false;
  private splitAny = false;
  /** The first line not yet complete, and whether its start has been decided. */
  private lineStart = 0;
  private lineChecked = -1;
  /** How far the current line has been scanned, and the inline syntax counted in its piece. */
  private scanned = 0;
  /** Whether the current line is plain content, which may be split inside (not a fence line). */
  private splitWithin = false;
  private counts = [0, 0, 0];
  private previousBlank = false;
  /** flow: the open fence (for the cut rule); code: the code block's own fence. */
  private fence: string | undefined;
  /** flow: where the open fence starts, when it is at column 0 (it may become a long block). */
  private fenceAt = -1;
  /** flow: the open table; table mode: the table being split. */
  private table: { readonly at: number; readonly head: readonly [number, number] } | undefined;
  /** table mode: rows in the current `<table>` (the first, or the last continuation), and whether the next piece starts a continuation. */
  private tableRows = 0;
  private continues = false;
  /** The previous complete line, while it may be a table's header. */
  private header: { readonly at: number; readonly cells: number } | undefined;

  constructor(private readonly limits: Limits = LIMITS) {}

  /** Whether some block has been split so far (else the pieces are the cuts alone). */
  get splitBlocks(): boolean {
    return this.splitAny;
  }

  update(source: string, final = false): Frame {
    const end = Math.min(source.length, this.taken + this.limits.frameBudget);
    const last = final && end === source.length;
    const done: Piece[] = [];
    this.scan(source, end, last, done);
    this.taken = end;
    const growing = this.growing(source, end);
    if (growing && last) {
      done.push(growing);
      this.pieceStart = end;
      return { done, growing: undefined, caughtUp: true };
    }
    return { done, growing, caughtUp: end === source.length };
  }

  private piece(kind: PieceKind, from: number, to: number): Piece {
    if (kind !== 'rows' || !this.table) return { kind, from, to };
    return this.continues ? { kind, from, to, head: this.table.head, continues: true } : { kind, from, to, head: this.table.head };
  }

  /** Ends the current piece at `to`; the next one is of `next` kind. */
  private emit(done: Piece[], to: number, next: PieceKind): void {
    if (to > this.pieceStart) {
      done.push(this.piece(this.pieceKind, this.pieceStart, to));
      this.continues = false;
    }
    this.pieceStart = to;
    this.pieceKind = next;
  }

  /** Splits the current run or block at `at`: the next piece is of `next` kind. */
  private splitAt(done: Piece[], at: number, next: PieceKind): void {
    this.emit(done, at, next);
    this.split = true;
    this.splitAny = true;
    this.counts = [0, 0, 0];
  }

  /** The current piece ends at `to`, and a new run of flow starts at `at` (a cut, or a long block's end). */
  private startRun(done: Piece[], to: number, at: number): void {
    this.emit(done, to, 'markdown');
    this.pieceStart = at;
    this.mode = 'flow';
    this.split = false;
    this.fence = undefined;
    this.fenceAt = -1;
    this.table = undefined;
    this.header = undefined;
  }

  /** The size after which the current piece is split. */
  private threshold(): number {
    if (this.split) return this.mode === 'table' ? this.limits.rowsSegment : this.limits.segment;
    return this.mode === 'flow' ? this.limits.flowAfter : this.limits.blockAfter;
  }

  private growing(source: string, end: number): Piece | undefined {
    let to = end;
    // A split table or code block grows by whole lines: a row joins the table once its line is
    // complete, so the table (which Chromium lays out whole when a row changes) changes once a
    // row rather than once a token, and a code piece is highlighted again once a line.
    if (this.mode !== 'flow' && this.lineStart < end) to = Math.max(this.pieceStart, this.lineStart);
    // A code block's text drops the newline before its last line, as marked drops it.
    if (this.mode === 'code' && to > this.pieceStart && source[to - 1] === '\n') to--;
    return to > this.pieceStart ? this.piece(this.pieceKind, this.pieceStart, to) : undefined;
  }

  private scan(source: string, end: number, last: boolean, done: Piece[]): void {
    while (this.lineStart < end) {
      const start = this.lineStart;
      const newline = source.indexOf('\n', start);
      const lineEnd = newline !== -1 && newline < end ? newline : end;
      const complete = lineEnd < end || last;
      const text = source.slice(start, lineEnd);
      if (this.lineChecked !== start) {
        if (!this.checkLineStart(source, text, complete, start, done)) return;
        this.lineChecked = start;
        this.scanned = start;
        this.counts = [0, 0, 0];
      }
      this.scanWithinLine(source, start, lineEnd, done);
      if (!complete) return;
      this.completeLine(text, start, lineEnd, lineEnd < source.length ? lineEnd + 1 : lineEnd, done);
      this.lineStart = lineEnd + 1;
    }
  }

  /** Decisions taken where a line starts; false while they wait for more of the line. */
  private checkLineStart(source: string, text: string, complete: boolean, start: number, done: Piece[]): boolean {
    this.splitWithin = false;
    if (this.mode === 'table') {
      const ends = tableEnds(text, complete);
      if (ends === 'maybe') return false;
      if (ends === 'yes') {
        // The table ends here; the line goes on as flow.
        this.startRun(done, start, start);
        return this.checkLineStart(source, text, complete, start, done);
      }
      if (this.tableRows >= this.limits.tableRows) {
        // The rows from here on go to a continuation table.
        this.splitAt(done, start, 'rows');
        this.continues = true;
        this.tableRows = 0;
      } else if (start - this.pieceStart >= this.threshold()) {
        this.splitAt(done, start, 'rows');
      }
      this.tableRows++;
      return true;
    }
    if (this.mode === 'code') {
      const closes = closesFence(text, complete, this.fence!);
      if (closes === 'maybe') return false;
      if (closes === 'no' && start - this.pieceStart >= this.threshold()) this.splitAt(done, start, 'code');
      this.splitWithin = closes === 'no';
      return true;
    }
    // A cut, which the line's first characters decide.
    if (this.fence === undefined && this.previousBlank) {
      const cut = cutsBefore(text, complete);
      if (cut === 'maybe') return false;
      if (cut === 'yes') this.startRun(done, start, start);
    }
    // An inline piece never runs into the next line.
    if (this.pieceKind === 'inline' && start > this.pieceStart) this.emit(done, start, 'markdown');
    // A table whose rows pass `blockAfter` becomes a block of its own.
    if (this.table && start - this.table.at >= this.limits.blockAfter && this.pieceStart <= this.table.at) {
      const ends = tableEnds(text, complete);
      if (ends === 'maybe') return false;
      if (ends === 'no') {
        this.emit(done, this.table.at, 'table');
        this.mode = 'table';
        this.split = false;
        this.splitAny = true;
        this.tableRows = rowsBetween(source, this.table.head[1], start);
        this.continues = false;
        return this.checkLineStart(source, text, complete, start, done);
      }
    }
    // A long run splits at a line start, outside fences and tables.
    if (this.fence === undefined && !this.table && start > this.pieceStart && start - this.pieceStart >= this.threshold()) {
      const may = mayStartAt(text, complete);
      if (may === 'maybe') return false;
      if (may === 'yes') this.splitAt(done, start, 'markdown');
    }
    // A line that opens a fence is never split inside.
    if (!complete && /^ {0,3}[`~]{0,2}$/.test(text)) return false;
    this.splitWithin = !FENCE.test(text);
    return true;
  }

  /** Splits inside a line: a long code line anywhere, a long line of flow after a sentence. */
  private scanWithinLine(source: string, start: number, lineEnd: number, done: Piece[]): void {
    if (this.mode === 'table') return;
    if (this.mode === 'flow' && (this.fence !== undefined || this.table)) {
      this.longFence(source, start, lineEnd, done);
      return;
    }
    if (!this.splitWithin) return;
    const code = this.mode === 'code';
    for (let at = this.scanned; at < lineEnd; at++) {
      // The character before `at`, now that both its neighbours are known.
      if (!code && at > start) this.count(source, at - 1, start);
      const size = at - this.pieceStart;
      const threshold = this.threshold();
      if (size >= threshold && at > start) {
        const before = source[at - 1];
        if (code) {
          if (size >= threshold + this.limits.segment && !HIGH_SURROGATE.test(before)) this.splitAt(done, at, 'code');
        } else {
          const sentence = SENTENCE_END.test(before) || (before === ' ' && /[.!?]/.test(source[at - 2]));
          const c = this.counts;
          const balanced = c[0] % 2 === 0 && c[1] % 2 === 0 && c[2] === 0;
          const forced = (size >= threshold + this.limits.segment && /\s/.test(before)) ||
            (size >= threshold + 2 * this.limits.segment && !HIGH_SURROGATE.test(before));
          if ((sentence && balanced) || forced) this.splitAt(done, at, 'inline');
        }
      } else if (code) {
        // Nothing to count in code: jump to where a split could come.
        at = Math.max(at, Math.min(lineEnd, this.pieceStart + threshold) - 1);
        continue;
      }
    }
    this.scanned = Math.max(this.scanned, lineEnd);
  }

  /**
   * Counts the inline syntax a split must not cut through: backticks, `*` next to a non-space
   * (a list bullet or a spaced-out `*` is no emphasis), and brackets. `~` and `_` are left out:
   * they are too common outside strikethrough and emphasis to wait for.
   */
  private count(source: string, at: number, start: number): void {
    switch (source[at]) {
      case '`':
        this.counts[0]++;
        break;
      case '*':
        if ((at > start && !/\s/.test(source[at - 1])) || !/\s/.test(source[at + 1])) this.counts[1]++;
        break;
      case '[':
        this.counts[2]++;
        break;
      case ']':
        this.counts[2]--;
        break;
    }
  }

  /**
   * A fence at column 0 whose content reaches `blockAfter` characters, in a line that is not its
   * closing line, becomes a code block of its own.
   */
  private longFence(source: string, start: number, lineEnd: number, done: Piece[]): void {
    if (this.fenceAt < 0 || start === this.fenceAt || lineEnd - this.fenceAt < this.limits.blockAfter || this.pieceStart > this.fenceAt) return;
    const closes = closesFence(source.slice(start, lineEnd), false, this.fence!);
    if (lineEnd - start < 64 && closes !== 'no') return;
    const contentStart = source.indexOf('\n', this.fenceAt) + 1;
    this.emit(done, this.fenceAt, 'code-open');
    this.emit(done, contentStart, 'code');
    this.mode = 'code';
    this.split = false;
    this.splitAny = true;
    this.fenceAt = -1;
    this.scanned = start;
    this.splitWithin = closes === 'no';
    this.scanWithinLine(source, start, lineEnd, done);
  }

  /** What a complete line changes: fences, tables, blank lines. */
  private completeLine(text: string, start: number, lineEnd: number, next: number, done: Piece[]): void {
    if (this.mode === 'table') return;
    if (this.mode === 'code') {
      // The content ends before the closing line's newline; the closing line itself draws nothing.
      if (closesFence(text, true, this.fence!) === 'yes') this.startRun(done, Math.max(this.pieceStart, start - 1), next);
      return;
    }
    const marker = FENCE.exec(text)?.[1];
    if (this.fence === undefined) {
      this.fence = marker;
      if (marker !== undefined) {
        this.table = undefined;
        const info = text.slice(marker.length);
        this.fenceAt = text.startsWith(marker) && !(marker[0] === '`' && info.includes('`')) ? start : -1;
      }
    } else if (marker !== undefined && marker[0] === this.fence[0] && marker.length >= this.fence.length && text.trim() === marker) {
      this.fence = undefined;
      this.fenceAt = -1;
    }
    if (this.fence === undefined && marker === undefined) {
      if (this.table) {
        if (tableEnds(text, true) === 'yes') this.table = undefined;
      } else if (this.header && TABLE_DELIMITER.test(text) && /[|:]/.test(text) && tableCells(text) === this.header.cells) {
        this.table = { at: this.header.at, head: [this.header.at, lineEnd + 1] };
      }
      this.header = !this.table && text.startsWith('|') ? { at: start, cells: tableCells(text) } : undefined;
    } else {
      this.header = undefined;
    }
    this.previousBlank = this.fence === undefined && text.trim() === '';
  }
}

/** The pieces of a complete text, as a stored answer is drawn, and whether any block was split. */
export function piecesOf(source: string, limits: Limits = LIMITS): { pieces: Piece[]; split: boolean } {
  const planner = new AnswerPlanner({ ...limits, frameBudget: Infinity });
  const pieces = [...planner.update(source, true).done];
  return { pieces, split: planner.splitBlocks };
}
