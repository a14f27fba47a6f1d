import { FIRST_TEXT_ID, SPECIAL_TOKEN_TEXT, reservedTokenText } from './specialTokens';

/** The text of control or reserved id `id` (0-351) as the chat template writes it. */
export function specialTokenText(id: number): string {
  return SPECIAL_TOKEN_TEXT[id] ?? reservedTokenText(id);
}

let textToId: Map<string, number> | undefined;
let longestSpecial = 0;

function specialIds(): Map<string, number> {
  if (!textToId) {
    textToId = new Map();
    for (let id = 0; id < FIRST_TEXT_ID; id++) {
      const text = specialTokenText(id);
      textToId.set(text, id);
      longestSpecial = Math.max(longestSpecial, text.length);
    }
  }
  return textToId;
}

/** Index of the `|>` that could close a special string opened at `open`, or -1. */
function closingBar(rendered: string, open: number): number {
  // Bounded so that text full of `<|` stays linear.
  const last = Math.min(rendered.length, open + longestSpecial) - 2;
  for (let i = open + 2; i <= last; i++) {
    if (rendered.charCodeAt(i) === 0x7c && rendered.charCodeAt(i + 1) === 0x3e) return i;
  }
  return -1;
}

/**
 * Calls `onText` for each run of ordinary text and `onSpecial` for each special string
 * (`<|start|>`, `<|reserved_006|>`, ...), left to right. Every special string is `<|`, a
 * name without `|>`, then `|>`, so each `<|` has at most one candidate: the text up to
 * the next `|>`. Empty runs are not reported.
 */
export function splitAtSpecialTokens(
  rendered: string,
  onText: (text: string) => void,
  onSpecial: (id: number) => void,
): void {
  const ids = specialIds();
  let runStart = 0;
  let open = rendered.indexOf('<|');
  while (open >= 0) {
    const close = closingBar(rendered, open);
    const id = close < 0 ? undefined : ids.get(rendered.slice(open, close + 2));
    if (id === undefined) {
      open = rendered.indexOf('<|', open + 1);
      continue;
    }
    if (open > runStart) onText(rendered.slice(runStart, open));
    onSpecial(id);
    runStart = close + 2;
    open = rendered.indexOf('<|', runStart);
  }
  if (runStart < rendered.length) onText(rendered.slice(runStart));
}
