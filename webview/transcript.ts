// The transcript: every item's data is kept, but at most `limit` items have DOM nodes, so a very
// long chat stays as light as a short one. Older items leave the DOM as new ones arrive; a row at
// the top brings them back a page at a time.
import type { ContextChip, MessageRole } from '../src/core/protocol';
import { renderChipRow } from './chips';
import { element, iconButton } from './dom';
import { format, strings, stringsReceived } from './strings';
import { renderStoredTurn, type AssistantData } from './turn';

export type ItemData =
  | { readonly kind: 'message'; readonly role: MessageRole; readonly text: string; readonly chips?: readonly ContextChip[] }
  | { readonly kind: 'assistant'; readonly data: AssistantData };

interface Item {
  readonly data: ItemData;
  node: HTMLElement | undefined;
  /** A streaming turn: its node is owned by the turn and never dropped. */
  live: boolean;
}

/** Pixels from the bottom within which the view follows new text. */
const FOLLOW_MARGIN = 40;

export class Transcript {
  private items: Item[] = [];
  /** Items before this index have no DOM nodes. */
  private firstShown = 0;
  private readonly earlierRow = element('button', 'show-earlier');
  private following = true;

  constructor(
    private readonly root: HTMLElement,
    private readonly limit: number,
    private readonly collapseReasoning: () => boolean,
    private readonly onRegenerate: () => void,
  ) {
    this.earlierRow.type = 'button';
    this.earlierRow.addEventListener('click', () => this.showEarlier());
    // Follow the end only while the user has not scrolled up to read.
    root.addEventListener('scroll', () => {
      this.following = root.scrollHeight - root.scrollTop - root.clientHeight < FOLLOW_MARGIN;
    });
  }

  /** Replaces everything (a restored or a new conversation). */
  reset(items: readonly ItemData[]): void {
    this.items = items.map((data) => ({ data, node: undefined, live: false }));
    this.firstShown = Math.max(0, this.items.length - this.limit);
    const nodes: HTMLElement[] = [];
    for (const item of this.items.slice(this.firstShown)) nodes.push((item.node = this.render(item.data)));
    this.root.replaceChildren(...nodes);
    this.updateEarlierRow();
    this.showEmpty();
    this.following = true;
    this.scrollToEnd();
  }

  /** Adds an item; `node` is given for a live turn, otherwise rendered from `data`. */
  add(data: ItemData, liveNode?: HTMLElement): void {
    this.root.querySelector(':scope > .empty')?.remove();
    const item: Item = { data, node: liveNode ?? this.render(data), live: liveNode !== undefined };
    this.items.push(item);
    this.root.append(item.node!);
    this.trim();
    this.following = true;
    this.scrollToEnd();
  }

  /** A live turn has ended: from now on it is data like any other item. */
  settle(liveNode: HTMLElement): void {
    const item = this.items.find((candidate) => candidate.node === liveNode);
    if (item) item.live = false;
    this.trim();
  }

  /** Shows the regenerate action on the last assistant turn only, and only when idle. */
  updateRegenerate(generating: boolean): void {
    for (const row of this.root.querySelectorAll('.turn-actions')) row.remove();
    if (generating) return;
    const last = this.items.findLast((item) => item.data.kind === 'assistant');
    if (!last?.node) return;
    const row = element('div', 'turn-actions');
    const button = iconButton('refresh', strings().regenerate, 'regenerate');
    button.addEventListener('click', () => this.onRegenerate());
    row.append(button);
    last.node.append(row);
  }

  /** User questions in order (for input history). */
  questions(): string[] {
    return this.items.flatMap((item) => (item.data.kind === 'message' && item.data.role === 'user' ? [item.data.text] : []));
  }

  /** Keeps the end in view if the user was there. */
  follow(): void {
    if (this.following) this.scrollToEnd();
  }

  showEmpty(): void {
    if (this.items.length > 0 || !stringsReceived() || strings().emptyTranscript === '') return;
    if (this.root.querySelector(':scope > .empty')) return;
    this.root.append(element('p', 'empty', strings().emptyTranscript));
  }

  private scrollToEnd(): void {
    this.root.scrollTop = this.root.scrollHeight;
  }

  private render(data: ItemData): HTMLElement {
    if (data.kind === 'assistant') return renderStoredTurn(data.data, this.collapseReasoning());
    const node = element('div', `message ${data.role}`);
    if (data.chips && data.chips.length > 0) node.append(renderChipRow(data.chips));
    node.append(element('div', 'message-text', data.text));
    return node;
  }

  /** Drops the oldest nodes beyond the limit; their data stays. */
  private trim(): void {
    while (this.items.length - this.firstShown > this.limit) {
      const item = this.items[this.firstShown];
      if (item.live) break;
      item.node?.remove();
      item.node = undefined;
      this.firstShown += 1;
    }
    this.updateEarlierRow();
  }

  /** Brings back the previous page of items above the ones shown, keeping the view where it is. */
  private showEarlier(): void {
    const from = Math.max(0, this.firstShown - this.limit);
    const nodes = this.items.slice(from, this.firstShown).map((item) => (item.node = this.render(item.data)));
    const anchor = this.items[this.firstShown]?.node ?? null;
    const heightBefore = this.root.scrollHeight;
    for (const node of nodes) this.root.insertBefore(node, anchor);
    this.firstShown = from;
    this.updateEarlierRow();
    this.root.scrollTop += this.root.scrollHeight - heightBefore;
  }

  private updateEarlierRow(): void {
    if (this.firstShown === 0) {
      this.earlierRow.remove();
      return;
    }
    this.earlierRow.textContent = format(strings().showEarlier, this.firstShown);
    if (this.root.firstChild !== this.earlierRow) this.root.prepend(this.earlierRow);
  }
}
