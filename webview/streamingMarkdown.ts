// An answer's markdown as it streams, drawn in the pieces markdownBlocks.ts cuts it into: each
// piece is parsed, sanitized and drawn once, and only the growing last piece is drawn again on
// each frame, so a frame's work is bounded however long the answer or any one block in it is.
import { addCodeActions } from './codeBlocks';
import { element } from './dom';
import { codeLanguage, highlightCode, renderInline, renderMarkdown } from './markdown';
import { AnswerPlanner, LIMITS, type Limits, type Piece } from './markdownBlocks';
import { SplitTable } from './splitTable';

/** Elements an inline piece may continue: the block a long line is in. */
const BLOCKS = new Set(['P', 'LI', 'UL', 'OL', 'BLOCKQUOTE', 'H1', 'H2', 'H3', 'H4', 'H5', 'H6', 'TABLE', 'THEAD', 'TBODY', 'TR', 'TD', 'TH', 'DIV', 'DETAILS']);

export class StreamingMarkdown {
  private source = '';
  private readonly planner: AnswerPlanner;
  /** What the growing piece drew, removed before the next frame draws it again. */
  private growing: ChildNode[] = [];
  private growingPiece: Piece | undefined;
  /** Where later pieces of a split block go: its table (and the body rows go to), its code element, the block a long line is in. */
  private table: SplitTable | undefined;
  private code: { readonly element: HTMLElement; readonly language: string | undefined } | undefined;
  private lastBlock: Element | undefined;

  constructor(
    private readonly container: HTMLElement,
    limits: Limits = LIMITS,
  ) {
    this.planner = new AnswerPlanner(limits);
  }

  get text(): string {
    return this.source;
  }

  append(text: string): void {
    this.source += text;
  }

  /**
   * Brings the DOM up to date with the text received so far, or with as much of it as one frame
   * may take: false when text is left over, to draw on the next frame. `final` once the text is
   * complete.
   */
  render(final = false): boolean {
    const frame = this.planner.update(this.source, final);
    const same = (a: Piece | undefined, b: Piece | undefined) => a?.kind === b?.kind && a?.from === b?.from && a?.to === b?.to;
    // Nothing new to draw (a split table waiting for its row's end): the DOM stays as it is.
    if (frame.done.length === 0 && same(frame.growing, this.growingPiece)) return frame.caughtUp;
    for (const node of this.growing) node.remove();
    this.growing = [];
    this.growingPiece = frame.growing;
    for (const piece of frame.done) this.draw(piece, false);
    if (frame.growing) this.growing = this.draw(frame.growing, true);
    return frame.caughtUp;
  }

  /** Draws `piece`; returns the nodes it added. A growing piece leaves no state behind. */
  private draw(piece: Piece, growing: boolean): ChildNode[] {
    const text = this.source.slice(piece.from, piece.to);
    switch (piece.kind) {
      case 'markdown':
      case 'table':
      case 'code-open': {
        const rendered = fragment(text);
        const nodes = [...rendered.childNodes];
        this.container.append(rendered);
        if (!growing) this.opened(piece, nodes);
        return nodes;
      }
      case 'rows': {
        const rendered = renderMarkdown(this.source.slice(piece.head![0], piece.head![1]) + text);
        if (piece.continues) {
          const table = rendered.querySelector('table');
          if (!this.table || !table) return this.appendAll(rendered);
          this.table.continueWith(table, growing);
          return [table];
        }
        const body = rendered.querySelector('tbody');
        if (!this.table || !body) return this.appendAll(rendered);
        const rows = [...body.childNodes];
        this.table.body.append(...rows);
        return rows;
      }
      case 'code': {
        const segment = element('span', 'code-segment');
        if (this.code?.language) segment.append(highlightCode(text, this.code.language));
        else segment.textContent = text;
        (this.code?.element ?? this.container).append(segment);
        return [segment];
      }
      case 'inline': {
        const segment = element('span', 'md-segment');
        segment.append(renderInline(text));
        (this.lastBlock ?? this.container).append(segment);
        return [segment];
      }
    }
  }

  private appendAll(rendered: DocumentFragment): ChildNode[] {
    const nodes = [...rendered.childNodes];
    this.container.append(rendered);
    return nodes;
  }

  /** Remembers where later pieces of the block `piece` starts go. */
  private opened(piece: Piece, nodes: ChildNode[]): void {
    const elements = nodes.filter((node): node is Element => node instanceof Element);
    let block = elements.at(-1);
    while (block?.lastElementChild && BLOCKS.has(block.lastElementChild.tagName)) block = block.lastElementChild;
    this.lastBlock = block;
    if (piece.kind === 'table') {
      const tables = elements.flatMap((e) => [...(e.matches('table') ? [e] : []), ...e.querySelectorAll('table')]);
      const table = tables.at(-1) as HTMLTableElement | undefined;
      const body = table?.querySelector(':scope > tbody') as HTMLElement | null | undefined;
      const scroller = table?.parentElement;
      this.table = table && body && scroller?.classList.contains('table-scroll') ? new SplitTable(scroller, table, body) : undefined;
    } else if (piece.kind === 'code-open') {
      const code = elements.at(-1)?.querySelector('pre > code') as HTMLElement | null | undefined;
      code?.classList.add('segmented');
      this.code = code ? { element: code, language: codeLanguage(code) } : undefined;
    }
  }
}

/** Draws a complete answer at once (a stored turn): as one document, unless a block in it is long. */
export function renderAnswer(container: HTMLElement, markdown: string): void {
  const planner = new AnswerPlanner({ ...LIMITS, frameBudget: Infinity });
  planner.update(markdown, true);
  if (!planner.splitBlocks) {
    container.append(fragment(markdown));
    return;
  }
  // The same pieces a stream of this text draws, so a long block looks as it did while streaming.
  const streaming = new StreamingMarkdown(container, { ...LIMITS, frameBudget: Infinity });
  streaming.append(markdown);
  streaming.render(true);
}

function fragment(markdown: string): DocumentFragment {
  const rendered = renderMarkdown(markdown);
  addCodeActions(rendered);
  return rendered;
}
