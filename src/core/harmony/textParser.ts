// The Harmony parser for backends that return text instead of token ids. It accepts both the
// exact text (`<|channel|>analysis<|message|>…`) and llama.cpp's detokenized form, which keeps
// SentencePiece's `▁` after each special token (`<|channel|> analysis<|message|> …`).
//
// The grammar is the token parser's (HarmonyMachine), so one rule covers the leading space: the
// first text after every special token loses one space. In llama.cpp's form that space is the
// dummy prefix SentencePiece put before each run, never content; in the exact form (the makers'
// decoder already dropped it) a body would have to start with two spaces to lose a real one,
// which changes nothing a reader sees.

import { HarmonyMachine, type HarmonyParserState } from './parserMachine';
import { HarmonyTextLexer, type HarmonyLexeme } from './textParserLexer';
import type { HarmonyEndReason, HarmonyEvent } from './types';

export class HarmonyTextParser {
  private readonly machine = new HarmonyMachine();
  private readonly lexer = new HarmonyTextLexer();

  get state(): HarmonyParserState {
    return this.machine.state;
  }

  get toolName(): string | undefined {
    return this.machine.toolName;
  }

  get isDone(): boolean {
    return this.machine.isDone;
  }

  push(chunk: string): HarmonyEvent[] {
    return this.feed(this.lexer.push(chunk));
  }

  end(): HarmonyEvent[] {
    return [...this.feed(this.lexer.end()), ...this.machine.finish()];
  }

  private feed(lexemes: readonly HarmonyLexeme[]): HarmonyEvent[] {
    const events: HarmonyEvent[] = [];
    for (const l of lexemes) {
      events.push(...(l.kind === 'text' ? this.machine.text(l.text) : this.machine.control(l.id)));
    }
    return events;
  }
}

export interface ParsedHarmonyText {
  reasoning: string;
  answer: string;
  toolCalls: { name: string; arguments: string }[];
  /** How the output ended, as the streaming parser's `end` event says. */
  end: { reason: HarmonyEndReason; detail?: string };
}

/** Parses a whole reply (what follows `<|start|>assistant`) at once. */
export function parseHarmonyText(text: string): ParsedHarmonyText {
  const parser = new HarmonyTextParser();
  const result: ParsedHarmonyText = { reasoning: '', answer: '', toolCalls: [], end: { reason: 'eos' } };
  for (const event of [...parser.push(text), ...parser.end()]) {
    switch (event.type) {
      case 'reasoning':
        result.reasoning += event.text;
        break;
      case 'answer':
        result.answer += event.text;
        break;
      case 'toolCall':
        result.toolCalls.push({ name: event.name, arguments: event.arguments });
        break;
      case 'end':
        result.end = event.detail === undefined ? { reason: event.reason } : { reason: event.reason, detail: event.detail };
        break;
    }
  }
  return result;
}
