// Streaming parser for LLM-jp-4's Harmony output, one sampled token id at a time.

import { FIRST_TEXT_ID } from '../tokenizer/specialTokens';
import { HarmonyMachine, type HarmonyParserState } from './parserMachine';
import type { HarmonyEvent } from './types';

export type { HarmonyParserState } from './parserMachine';

/** The raw UTF-8 bytes of a text token (ids >= FIRST_TEXT_ID); a byte-fallback token gives one byte. */
export type TokenBytes = (id: number) => Uint8Array;

export class HarmonyTokenParser {
  private readonly machine = new HarmonyMachine();
  // One decoder per section between control tokens: a character split over byte-fallback tokens
  // waits here for its last byte, and bytes left over at a section's end are flushed there rather
  // than glued to the next section. ignoreBOM: a U+FEFF the model writes is text, not a marker.
  private readonly decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

  constructor(private readonly tokenBytes: TokenBytes) {}

  get state(): HarmonyParserState {
    return this.machine.state;
  }

  /** The function whose arguments are being generated while `state` is `toolArguments`. */
  get toolName(): string | undefined {
    return this.machine.toolName;
  }

  /** True after <|return|>, <|call|>, a final <|end|> or malformed output: stop sampling. */
  get isDone(): boolean {
    return this.machine.isDone;
  }

  push(id: number): HarmonyEvent[] {
    if (this.machine.isDone) return [];
    if (!(id >= FIRST_TEXT_ID)) {
      const events = this.flushSection();
      return [...events, ...this.machine.control(id)];
    }
    let bytes: Uint8Array;
    try {
      bytes = this.tokenBytes(id);
    } catch (e) {
      return this.machine.abort(`token ${id} has no text: ${e instanceof Error ? e.message : String(e)}`);
    }
    return this.machine.text(this.decoder.decode(bytes, { stream: true }));
  }

  pushMany(ids: Iterable<number>): HarmonyEvent[] {
    const events: HarmonyEvent[] = [];
    for (const id of ids) events.push(...this.push(id));
    return events;
  }

  /** The token stream ended: flush and report how the output ended (once). */
  end(): HarmonyEvent[] {
    if (this.machine.isDone) return [];
    return [...this.flushSection(), ...this.machine.finish()];
  }

  private flushSection(): HarmonyEvent[] {
    const rest = this.decoder.decode();
    return this.machine.text(rest);
  }
}
