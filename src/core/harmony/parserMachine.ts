// The grammar of what LLM-jp-4 emits after `<|start|>assistant`, shared by the token parser and
// the text parser: both cut their input into control tokens and decoded text and feed them here.

import { SpecialToken, SPECIAL_TOKEN_TEXT } from '../tokenizer/specialTokens';
import { interpretHeader } from './parserHeader';
import type { HarmonyEndReason, HarmonyEvent } from './types';

/** What the parser is reading; the engine constrains sampling to JSON in `toolArguments`. */
export type HarmonyParserState = 'header' | 'reasoning' | 'answer' | 'toolArguments' | 'done';

/**
 * Longest header (and longest run of stray text between messages, white space not counted)
 * accepted before giving up: a model that never writes <|message|> would otherwise be sampled
 * until the token limit.
 */
export const MAX_HEADER_CHARS = 256;

type Phase = 'header' | 'between' | 'reasoning' | 'answer' | 'toolArguments' | 'done';
type HeaderSection = 'role' | 'channel' | 'constrain';
type ToolCallEvent = Extract<HarmonyEvent, { type: 'toolCall' }>;

function name(id: number): string {
  return SPECIAL_TOKEN_TEXT[id] ?? `control token ${id}`;
}

export class HarmonyMachine {
  private phase: Phase = 'header';
  private section: HeaderSection = 'role';
  private role = '';
  private channel: string | undefined;
  private constrain: string | undefined;
  /** The first message's role comes from the prompt; later ones follow a generated <|start|>. */
  private implicitRole = true;
  private headerChars = 0;
  private strayChars = 0;
  /** SentencePiece prefixes every text run with `▁`, so the first text after a control token
   * starts with one space that belongs to no content (the makers' decoder drops it too). */
  private atRunStart = false;
  private sawInput = false;
  private messages = 0;
  private answerIsFinal = false;
  private tool: string | undefined;
  private args = '';

  get state(): HarmonyParserState {
    return this.phase === 'between' ? 'header' : this.phase;
  }

  /** The function being called while `state` is `toolArguments`. */
  get toolName(): string | undefined {
    return this.phase === 'toolArguments' ? this.tool : undefined;
  }

  get isDone(): boolean {
    return this.phase === 'done';
  }

  text(chunk: string): HarmonyEvent[] {
    if (chunk === '' || this.phase === 'done') return [];
    this.sawInput = true;
    if (this.atRunStart) {
      this.atRunStart = false;
      if (chunk.startsWith(' ')) chunk = chunk.slice(1);
      if (chunk === '') return [];
    }
    switch (this.phase) {
      case 'header':
        this.headerChars += chunk.length;
        if (this.headerChars > MAX_HEADER_CHARS) {
          return this.stop('malformed', `no <|message|> within ${MAX_HEADER_CHARS} characters of header`);
        }
        if (this.section === 'role') this.role += chunk;
        else if (this.section === 'channel') this.channel = (this.channel ?? '') + chunk;
        else this.constrain = (this.constrain ?? '') + chunk;
        return [];
      case 'between':
        // Whitespace between <|end|> and <|start|> is harmless; other text is ignored, as the
        // makers' parser ignores text outside a message, but not forever. Only the characters
        // that are not white space count, so the verdict does not depend on where chunks end.
        this.strayChars += chunk.replace(/\s/g, '').length;
        if (this.strayChars > MAX_HEADER_CHARS) {
          return this.stop('malformed', `more than ${MAX_HEADER_CHARS} characters outside any message`);
        }
        return [];
      case 'reasoning':
        return [{ type: 'reasoning', text: chunk }];
      case 'answer':
        return [{ type: 'answer', text: chunk }];
      case 'toolArguments':
        this.args += chunk;
        return [];
    }
  }

  control(id: number): HarmonyEvent[] {
    if (this.phase === 'done') return [];
    this.sawInput = true;
    this.atRunStart = true;
    if (id === SpecialToken.endOfText || id === SpecialToken.eod) return this.finish();
    const harmony =
      id === SpecialToken.start ||
      id === SpecialToken.channel ||
      id === SpecialToken.constrain ||
      id === SpecialToken.message ||
      id === SpecialToken.end ||
      id === SpecialToken.return ||
      id === SpecialToken.call;
    // Other control and reserved tokens carry no meaning in a reply; their names must not leak.
    if (!harmony) return [];

    switch (this.phase) {
      case 'header':
        return this.headerControl(id);
      case 'between':
        return this.betweenControl(id);
      default:
        return this.bodyControl(id);
    }
  }

  /** The input ran out: close what is open and say how the output ended. */
  finish(): HarmonyEvent[] {
    switch (this.phase) {
      case 'done':
        return [];
      case 'header':
        return this.sawInput
          ? this.stop('truncated', 'the output ended inside a message header')
          : this.stop('truncated', 'the output was empty');
      case 'between':
        return this.stop('truncated', 'the output ended between messages, before an answer');
      case 'reasoning':
        return this.stop('truncated', 'the output ended in reasoning, before an answer');
      case 'answer':
        // Text backends usually drop the stop token, so a final answer running to the end is whole.
        return this.stop('eos');
      case 'toolArguments': {
        const call = this.toolCall();
        const events = this.stop(
          call.parseError === undefined ? 'eos' : 'truncated',
          call.parseError === undefined ? undefined : 'the output ended inside tool-call arguments',
        );
        return [call, ...events];
      }
    }
  }

  /** Ends the output now, e.g. when the input itself could not be read. */
  abort(detail: string): HarmonyEvent[] {
    return this.phase === 'done' ? [] : this.stop('malformed', detail);
  }

  private headerControl(id: number): HarmonyEvent[] {
    switch (id) {
      case SpecialToken.start:
        this.openHeader(false);
        return [];
      case SpecialToken.channel:
        this.section = 'channel';
        this.channel = '';
        return [];
      case SpecialToken.constrain:
        this.section = 'constrain';
        this.constrain = '';
        return [];
      case SpecialToken.message:
        return this.openBody();
      default:
        return this.stop(
          'malformed',
          this.messages === 0 && this.implicitRole && this.role.trim() === '' && this.channel === undefined
            ? `${name(id)} before any message`
            : `${name(id)} before <|message|>: a message header without a body`,
        );
    }
  }

  private betweenControl(id: number): HarmonyEvent[] {
    switch (id) {
      case SpecialToken.start:
        this.openHeader(false);
        return [];
      case SpecialToken.end:
        return [];
      case SpecialToken.return:
        return this.stop('return');
      case SpecialToken.call:
        return this.stop('call');
      default:
        // <|start|>assistant left out: read the rest as a header with the assistant role.
        this.openHeader(true);
        return this.headerControl(id);
    }
  }

  private bodyControl(id: number): HarmonyEvent[] {
    const closing = this.phase;
    const events: HarmonyEvent[] = closing === 'toolArguments' ? [this.toolCall()] : [];
    switch (id) {
      case SpecialToken.end:
        if (closing === 'answer' && this.answerIsFinal) return [...events, ...this.stop('end')];
        this.phase = 'between';
        this.strayChars = 0;
        return events;
      case SpecialToken.return:
        return [...events, ...this.stop('return')];
      case SpecialToken.call:
        return [...events, ...this.stop('call', closing === 'toolArguments' ? undefined : '<|call|> after a message that is not a tool call')];
      case SpecialToken.start:
        // <|end|> left out before the next message: the makers' lexer also just starts a new one.
        this.openHeader(false);
        return events;
      case SpecialToken.channel:
        this.openHeader(true);
        return [...events, ...this.headerControl(id)];
      default:
        return [...events, ...this.stop('malformed', `${name(id)} inside a message body`)];
    }
  }

  private openHeader(implicitRole: boolean): void {
    this.phase = 'header';
    this.section = 'role';
    this.role = '';
    this.channel = undefined;
    this.constrain = undefined;
    this.implicitRole = implicitRole;
    this.headerChars = 0;
  }

  private openBody(): HarmonyEvent[] {
    this.messages += 1;
    const verdict = interpretHeader({
      role: this.role,
      channel: this.channel,
      constrain: this.constrain,
      implicitRole: this.implicitRole,
    });
    switch (verdict.kind) {
      case 'malformed':
        return this.stop('malformed', verdict.detail);
      case 'reasoning':
        this.phase = 'reasoning';
        return [];
      case 'answer':
        this.phase = 'answer';
        this.answerIsFinal = verdict.channel === 'final';
        return [];
      case 'tool':
        this.phase = 'toolArguments';
        this.tool = verdict.name;
        this.args = '';
        return [];
    }
  }

  private toolCall(): ToolCallEvent {
    const name = this.tool ?? '';
    const args = this.args;
    this.tool = undefined;
    this.args = '';
    try {
      return { type: 'toolCall', name, arguments: args, parsed: JSON.parse(args) as unknown };
    } catch (e) {
      return { type: 'toolCall', name, arguments: args, parseError: e instanceof Error ? e.message : String(e) };
    }
  }

  private stop(reason: HarmonyEndReason, detail?: string): HarmonyEvent[] {
    this.phase = 'done';
    return [detail === undefined ? { type: 'end', reason } : { type: 'end', reason, detail }];
  }
}
