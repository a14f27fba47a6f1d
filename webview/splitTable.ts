// A table split into several `<table>` elements while it streams (markdownBlocks.ts, `tableRows`):
// the first table, then continuation tables of the same columns, all in the first table's
// scroller. Chromium lays out a whole table again when a row is added, so the rows go on in a
// small table instead of a 2,000-row one. They are drawn as one table: once the first
// continuation comes, every table of the group is laid out `table-layout: fixed` with the column
// widths the first table had then (measured once), so the columns line up and a row added lays
// out only its own table; the tables touch, with one border line between them (media/chat.css).
// Each continuation keeps the table's header row, for screen readers (each piece reads as a table
// with the same column headers), drawn with no height and not selectable, so a selection across
// the pieces copies the header once and then every row.

/** Column widths in CSS pixels, as the first table was laid out. */
interface Widths {
  readonly table: number;
  readonly columns: readonly number[];
}

export class SplitTable {
  private widths: Widths | undefined;
  private observer: ResizeObserver | undefined;
  /** The body later rows go to: the first table's, then the last continuation's. */
  body: HTMLElement;

  constructor(
    /** The `.table-scroll` element around the first table. */
    private readonly scroller: HTMLElement,
    private readonly first: HTMLTableElement,
    body: HTMLElement,
  ) {
    this.body = body;
  }

  /**
   * Adds `table` (the table's header and the next rows, rendered) as a continuation; a growing
   * one is drawn again on the next frame, so later rows do not go to it.
   */
  continueWith(table: HTMLTableElement, growing: boolean): void {
    table.classList.add('table-continuation');
    this.scroller.append(table);
    if (!growing) {
      const body = table.tBodies[0] as HTMLElement | undefined;
      if (body) this.body = body;
    }
    if (!this.widths && !this.observer) this.measure();
    if (this.widths) pin(table, this.widths);
  }

  /**
   * Takes the first table's column widths and pins every table of the group to them. The first
   * table is laid out already while an answer streams; a stored answer is drawn before it is in
   * the page, so its widths are taken once it is first laid out (a ResizeObserver runs after
   * layout and before paint: the pieces are never painted unaligned).
   */
  private measure(): void {
    const widths = this.first.isConnected ? measure(this.first) : undefined;
    if (widths) {
      this.pinAll(widths);
      return;
    }
    this.observer = new ResizeObserver(() => {
      const measured = measure(this.first);
      if (!measured) return;
      this.observer?.disconnect();
      this.observer = undefined;
      this.pinAll(measured);
    });
    this.observer.observe(this.first);
  }

  private pinAll(widths: Widths): void {
    this.widths = widths;
    for (const table of this.scroller.querySelectorAll(':scope > table')) pin(table as HTMLTableElement, widths);
  }
}

function headerCells(table: HTMLTableElement): HTMLTableCellElement[] {
  return [...(table.tHead?.rows[0]?.cells ?? [])];
}

function measure(table: HTMLTableElement): Widths | undefined {
  const width = table.getBoundingClientRect().width;
  if (width === 0) return undefined;
  return { table: width, columns: headerCells(table).map((cell) => cell.getBoundingClientRect().width) };
}

/** Lays `table` out with `widths`: `table-layout: fixed` takes the columns from the header row. */
function pin(table: HTMLTableElement, widths: Widths): void {
  // Through the CSSOM, which the panel's CSP allows (it blocks only style attributes in markup).
  table.style.width = `${widths.table}px`;
  headerCells(table).forEach((cell, i) => {
    if (widths.columns[i] !== undefined) cell.style.width = `${widths.columns[i]}px`;
  });
  table.classList.add('table-pinned');
}
