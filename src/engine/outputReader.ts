// Reads generated token ids as events: the Harmony parser for LLM-jp-4, plain answer text for
// LLM-jp-3's instruct format (no channels, no tools).
import { HarmonyTokenParser, type HarmonyEvent, type HarmonyParserState } from '../core/harmony';
import type { ChatDialect } from '../core/harmony/types';
import type { TokenCodec } from './codec';

export interface OutputReader {
  push(id: number): HarmonyEvent[];
  end(): HarmonyEvent[];
  readonly state: HarmonyParserState;
  readonly toolName: string | undefined;
  readonly isDone: boolean;
}

class PlainAnswerReader implements OutputReader {
  private readonly decoder = new TextDecoder('utf-8', { ignoreBOM: true });
  private done = false;

  constructor(private readonly codec: TokenCodec, private readonly isEnd: (id: number) => boolean) {}

  get state(): HarmonyParserState {
    return this.done ? 'done' : 'answer';
  }
  get toolName(): undefined {
    return undefined;
  }
  get isDone(): boolean {
    return this.done;
  }

  push(id: number): HarmonyEvent[] {
    if (this.done) return [];
    if (this.isEnd(id)) return this.finish('return');
    const text = this.decoder.decode(this.codec.tokenBytes(id), { stream: true });
    return text === '' ? [] : [{ type: 'answer', text }];
  }

  end(): HarmonyEvent[] {
    return this.done ? [] : this.finish('eos');
  }

  private finish(reason: 'return' | 'eos'): HarmonyEvent[] {
    this.done = true;
    const rest = this.decoder.decode();
    return [...(rest === '' ? [] : [{ type: 'answer' as const, text: rest }]), { type: 'end', reason }];
  }
}

export function createOutputReader(dialect: ChatDialect, codec: TokenCodec, isEnd: (id: number) => boolean): OutputReader {
  return dialect === 'llm-jp-3' ? new PlainAnswerReader(codec, isEnd) : new HarmonyTokenParser((id) => codec.tokenBytes(id));
}
