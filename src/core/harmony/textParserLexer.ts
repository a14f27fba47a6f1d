// Cuts streamed text into the control tokens and text runs the Harmony grammar reads. Chunks may
// split a special string (`<|cha` + `nnel|>`) or a surrogate pair anywhere, so a possible start
// of either is held back until the next chunk settles it.

import { SPECIAL_TOKEN_TEXT } from '../tokenizer/specialTokens';

export type HarmonyLexeme = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'control'; readonly id: number };

const SPECIALS: readonly { readonly text: string; readonly id: number }[] = Object.entries(SPECIAL_TOKEN_TEXT).map(
  ([id, text]) => ({ text, id: Number(id) }),
);

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export class HarmonyTextLexer {
  private held = '';

  push(chunk: string): HarmonyLexeme[] {
    const buffer = this.held + chunk;
    const out: HarmonyLexeme[] = [];
    let textStart = 0;
    let holdFrom = buffer.length;
    let i = buffer.indexOf('<');
    while (i >= 0) {
      const rest = buffer.slice(i);
      const special = SPECIALS.find((s) => rest.startsWith(s.text));
      if (special !== undefined) {
        if (i > textStart) out.push({ kind: 'text', text: buffer.slice(textStart, i) });
        out.push({ kind: 'control', id: special.id });
        textStart = i + special.text.length;
        i = buffer.indexOf('<', textStart);
        continue;
      }
      if (SPECIALS.some((s) => s.text.startsWith(rest))) {
        holdFrom = i;
        break;
      }
      i = buffer.indexOf('<', i + 1);
    }
    if (holdFrom === buffer.length && holdFrom > textStart && isHighSurrogate(buffer.charCodeAt(holdFrom - 1))) {
      holdFrom -= 1;
    }
    if (holdFrom > textStart) out.push({ kind: 'text', text: buffer.slice(textStart, holdFrom) });
    this.held = buffer.slice(holdFrom);
    return out;
  }

  /** The text ended: what was held back is plain text after all. */
  end(): HarmonyLexeme[] {
    const rest = this.held;
    this.held = '';
    return rest === '' ? [] : [{ kind: 'text', text: rest }];
  }
}
