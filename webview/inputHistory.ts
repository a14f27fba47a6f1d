// Questions asked before, recalled in the input like a shell's history: Up walks back through
// older questions, Down walks forward and finally returns to the draft that was being typed.

export class InputHistory {
  private entries: string[] = [];
  /** Questions sent since the panel loaded; they stay recallable after a new or restored chat. */
  private readonly sent: string[] = [];
  /** While browsing, the index into `entries`; `entries.length` means the draft. */
  private position = 0;
  private draft = '';

  /** The conversation shown changed: its questions, then this session's, newest last. */
  reset(conversationQuestions: readonly string[]): void {
    this.entries = unique([...conversationQuestions, ...this.sent]);
    this.stopBrowsing();
  }

  add(question: string): void {
    this.sent.push(question);
    this.entries = unique([...this.entries, question]);
    this.stopBrowsing();
  }

  /** The entry before the one shown, or undefined at the oldest; `current` is kept as the draft. */
  older(current: string): string | undefined {
    if (this.position === 0) return undefined;
    if (this.position === this.entries.length) this.draft = current;
    this.position -= 1;
    return this.entries[this.position];
  }

  /** The entry after the one shown, the draft after the newest, or undefined when not browsing. */
  newer(): string | undefined {
    if (this.position >= this.entries.length) return undefined;
    this.position += 1;
    return this.position === this.entries.length ? this.draft : this.entries[this.position];
  }

  stopBrowsing(): void {
    this.position = this.entries.length;
    this.draft = '';
  }
}

/** Each question once, at its latest position. */
function unique(list: readonly string[]): string[] {
  const seen = new Set<string>();
  const result: string[] = [];
  for (let i = list.length - 1; i >= 0; i--) {
    if (seen.has(list[i])) continue;
    seen.add(list[i]);
    result.unshift(list[i]);
  }
  return result;
}
