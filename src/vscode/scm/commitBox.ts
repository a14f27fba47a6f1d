// The repository's commit-message box while a message is written into it. What the user had
// typed is their hint and comes back exactly on Stop, an error or a cancel; the streamed text is
// written at most every 50 ms; and once the user types into the box themselves, nothing of ours
// is written there again.
//
// The extension host's copy of the box's value is refreshed by the workbench echoing every
// change, ours included, so for a moment after a write it may read an older value we wrote:
// a value is the user's only when it is none of the values this run has put there.
import type { GitInputBox } from './gitApi';

/** The box is updated at most this often while the message streams. */
export const BOX_UPDATE_MS = 50;
/** How long the last write may take to come back from the workbench. */
const SETTLE_MS = 2_000;

export class CommitBox {
  /** What the box held when the run started: the user's hint. */
  readonly hint: string;
  /** Every value this run has put in the box (the hint counts as one). */
  private readonly ours = new Set<string>();
  private pending: string | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastUpdate = 0;
  private userTyped = false;

  constructor(
    private readonly box: GitInputBox,
    private readonly onUserTyped: () => void,
  ) {
    this.hint = box.value;
    this.ours.add(box.value);
  }

  /** Whether the user has typed into the box during this run. */
  get edited(): boolean {
    if (!this.userTyped && !this.ours.has(this.box.value)) {
      this.userTyped = true;
      this.onUserTyped();
    }
    return this.userTyped;
  }

  /** Shows `text` in the box, now or within BOX_UPDATE_MS. */
  show(text: string): void {
    this.pending = text;
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastUpdate + BOX_UPDATE_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  /** Puts the hint back, unless the user has typed since; resolves once the box reads it. */
  restore(): Promise<void> {
    return this.settle(this.hint);
  }

  /** Leaves `message` in the box, unless the user has typed since; resolves once the box reads it. */
  finish(message: string): Promise<void> {
    return this.settle(message);
  }

  /** Writes `text`, then waits (briefly) for the echoes of earlier writes to pass. */
  private async settle(text: string): Promise<void> {
    this.write(text);
    if (this.userTyped) return;
    const deadline = Date.now() + SETTLE_MS;
    while (this.box.value !== text && !this.edited && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  }

  private flush(): void {
    if (this.pending === undefined) return;
    const text = this.pending;
    this.pending = undefined;
    this.write(text);
  }

  private write(text: string): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    if (this.edited) return;
    this.ours.add(text);
    if (this.box.value !== text) this.box.value = text;
    this.lastUpdate = Date.now();
  }
}
