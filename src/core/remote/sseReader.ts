// Server-sent events as OpenAI-compatible servers stream them (the WHATWG event-stream format):
// network chunks in, complete events out. Bytes go through one streaming decoder per stream, so
// a character split between two chunks is decoded whole; a line split between chunks (or a CRLF
// split between its CR and its LF) is held until it is complete.

export interface SseEvent {
  /** The `event:` field; absent for the default "message" event. */
  readonly event?: string;
  /** The `data:` lines, joined by "\n". */
  readonly data: string;
  readonly id?: string;
}

export class SseReader {
  private readonly decoder = new TextDecoder('utf-8');
  private buffer = '';
  /** The previous chunk ended in CR: an LF starting this one belongs to that line break. */
  private afterCr = false;
  private data: string[] = [];
  private event: string | undefined;
  private id: string | undefined;

  push(chunk: Uint8Array | string): SseEvent[] {
    const text = typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    return this.lines(text);
  }

  /** The stream ended: a last event without its blank line is not dispatched (the format says so). */
  end(): SseEvent[] {
    const events = this.lines(this.decoder.decode());
    this.buffer = '';
    this.data = [];
    return events;
  }

  /** Whether bytes or fields of an unfinished event are held (a stream cut inside an event). */
  get holdsPartialEvent(): boolean {
    return this.buffer !== '' || this.data.length > 0;
  }

  private lines(text: string): SseEvent[] {
    if (this.afterCr && text.startsWith('\n')) text = text.slice(1);
    if (text !== '') this.afterCr = text.endsWith('\r');
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer.charCodeAt(i);
      if (c !== 0x0a && c !== 0x0d) continue;
      const event = this.line(this.buffer.slice(start, i));
      if (event) events.push(event);
      if (c === 0x0d && this.buffer.charCodeAt(i + 1) === 0x0a) i++;
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  private line(line: string): SseEvent | undefined {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined; // a comment (keep-alive)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id') this.id = value;
    return undefined;
  }

  private dispatch(): SseEvent | undefined {
    const data = this.data;
    const event = this.event;
    this.data = [];
    this.event = undefined;
    if (data.length === 0) return undefined;
    return { ...(event !== undefined && event !== 'message' ? { event } : {}), data: data.join('\n'), ...(this.id !== undefined ? { id: this.id } : {}) };
  }
}
