// Finding the caller's text again in a template's output. Each caller string is rendered
// escaped and wrapped in a pair of private-use characters; the output is then cut at the
// wrappers. The escape makes this independent of what the caller's text holds: a file made of
// every private-use character renders as exactly as any other, because no raw marker character
// of caller text survives into the marked output.

import type { RenderPart } from './dialects/parts';

/** Three private-use characters: open and close wrap caller text, escape precedes a literal. */
export interface TextMarkers {
  readonly open: string;
  readonly close: string;
  readonly escape: string;
}

/** What follows `escape` for each marker character met in caller text. */
const ESCAPED = ['0', '1', '2'] as const;

/**
 * Three consecutive private-use characters absent from `raw`: the text the template writes
 * itself, and caller text that is rendered unescaped (special token strings, schema keys).
 * Caller text proper needs no checking: it is escaped.
 */
export function pickMarkers(raw: string): TextMarkers {
  for (let code = 0xe000; code + 2 <= 0xf8ff; code += 3) {
    const [open, close, escape] = [code, code + 1, code + 2].map((c) => String.fromCharCode(c));
    if (!raw.includes(open) && !raw.includes(close) && !raw.includes(escape)) return { open, close, escape };
  }
  throw new Error('The chat template uses every private-use character, so message text cannot be marked in it.');
}

function markerIndex(markers: TextMarkers, ch: string): number {
  return ch === markers.open ? 0 : ch === markers.close ? 1 : ch === markers.escape ? 2 : -1;
}

/** Caller text with each marker character replaced by escape + its index. */
export function escapeText(markers: TextMarkers, text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const index = markerIndex(markers, text[i]);
    if (index < 0) continue;
    out += text.slice(from, i) + markers.escape + ESCAPED[index];
    from = i + 1;
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Escaped and wrapped: how caller text enters a marked render. */
export function wrapText(markers: TextMarkers, text: string): string {
  return text === '' ? text : markers.open + escapeText(markers, text) + markers.close;
}

/**
 * The text as the plain render has it: wrappers dropped, escapes undone. What length and
 * equality see inside a marked render, so that it takes the plain render's branches.
 */
export function plainText(markers: TextMarkers, marked: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < marked.length; i++) {
    const index = markerIndex(markers, marked[i]);
    if (index < 0) continue;
    out += marked.slice(from, i);
    if (index === 2) {
      const literal = ESCAPED.indexOf(marked[i + 1] as (typeof ESCAPED)[number]);
      if (literal >= 0) {
        out += [markers.open, markers.close, markers.escape][literal];
        i++;
      }
    }
    from = i + 1;
  }
  return from === 0 ? marked : out + marked.slice(from);
}

/**
 * Parts of a marked render: wrapped text is content, the rest structure, escapes undone in
 * both. Undefined when the wrappers do not pair up or an escape is cut (the template sliced
 * caller text), so that the caller can try a render with fewer marks.
 */
export function splitMarked(markers: TextMarkers, marked: string): RenderPart[] | undefined {
  const parts: RenderPart[] = [];
  let inside = false;
  let start = 0;
  const flush = (end: number): void => {
    if (end <= start) return;
    const kind = inside ? 'content' : 'structure';
    const text = plainText(markers, marked.slice(start, end));
    const previous = parts[parts.length - 1];
    if (previous !== undefined && previous.kind === kind) parts[parts.length - 1] = { kind, text: previous.text + text };
    else parts.push({ kind, text });
  };
  for (let i = 0; i < marked.length; i++) {
    const ch = marked[i];
    if (ch === markers.escape) {
      if (!(ESCAPED as readonly string[]).includes(marked[i + 1])) return undefined;
      i++; // an escaped literal is never a wrapper
      continue;
    }
    if (ch !== markers.open && ch !== markers.close) continue;
    if ((ch === markers.open) === inside) return undefined;
    flush(i);
    inside = ch === markers.open;
    start = i + 1;
  }
  if (inside) return undefined;
  flush(marked.length);
  return parts;
}
