// An answer's markdown as it streams: the stable prefix (see markdownBlocks.ts) is rendered once,
// and only the growing tail is parsed, sanitized and drawn again on each frame.
import { addCodeActions } from './codeBlocks';
import { renderMarkdown } from './markdown';
import { stableMarkdownEnd } from './markdownBlocks';

export class StreamingMarkdown {
  private source = '';
  private stableEnd = 0;
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
    for (const node of this.tail) node.remove();
    const end = stableMarkdownEnd(this.source, this.stableEnd);
    if (end > this.stableEnd) {
      this.container.append(fragment(this.source.slice(this.stableEnd, end)));
      this.stableEnd = end;
    }
    const tail = fragment(this.source.slice(this.stableEnd));
    this.tail = [...tail.childNodes];
    this.container.append(tail);
  }
}

function fragment(markdown: string): DocumentFragment {
  const rendered = renderMarkdown(markdown);
  addCodeActions(rendered);
  return rendered;
}
