// An answer's markdown as it streams, drawn in the pieces markdownBlocks.ts cuts it into: the
// stable pieces are rendered once, and only the growing tail is parsed, sanitized and drawn again
// on each frame.
import { addCodeActions } from './codeBlocks';
import { renderMarkdown } from './markdown';
import { AnswerPlanner } from './markdownBlocks';

export class StreamingMarkdown {
  private source = '';
  private readonly planner = new AnswerPlanner();
  private tail: ChildNode[] = [];

  constructor(private readonly container: HTMLElement) {}

  get text(): string {
    return this.source;
  }

  append(text: string): void {
    this.source += text;
  }

  /** Brings the DOM up to date with the text received so far. */
  render(): void {
    const frame = this.planner.update(this.source);
    for (const node of this.tail) node.remove();
    for (const piece of frame.done) this.container.append(fragment(this.source.slice(piece.from, piece.to)));
    const tail = frame.growing ? fragment(this.source.slice(frame.growing.from, frame.growing.to)) : new DocumentFragment();
    this.tail = [...tail.childNodes];
    this.container.append(tail);
  }
}

function fragment(markdown: string): DocumentFragment {
  const rendered = renderMarkdown(markdown);
  addCodeActions(rendered);
  return rendered;
}
