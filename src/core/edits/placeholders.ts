// Placeholders a model writes instead of code it did not want to repeat: "// ... existing code ...",
// "# rest of the file unchanged", "// 以下省略". Written into a file they delete the code they
// stand for (cline #14, #1335), so an edit that brings in a new one is refused.
//
// Only comments are read (and lines that start with an ellipsis or a bracket, as prose), never
// code: a spread `...args`, a string "rest of the code" or Python's `...` body are code. A comment
// counts when it is nothing but an ellipsis (`// ...`, `/* … */`), or says a phrase that stands for
// omitted code. Words that also appear in ordinary comments ("unchanged", "existing", "省略") count
// only next to an ellipsis or as (nearly) the whole comment. Callers compare counts: a placeholder
// that the replaced text already had (a real `// ...` in the file) is not new.

/** Where a line's comment (or prose) text starts, or undefined for a line of code only. */
function commentText(line: string): string | undefined {
  const trimmed = line.trim();
  if (trimmed === '') return undefined;
  // Prose lines a model writes between code: "... rest unchanged", "[rest of file]", "（略）".
  if (/^(\.\.\.|…|\[|\(|（|【|<(?!\/?[A-Za-z!?]))/.test(trimmed) && !/^\.\.\.[\p{L}_$[({]/u.test(trimmed)) return trimmed;
  // Line comments and block comments: `//` (not in `http://`), `#` at the start or after white space,
  // `/*`, `<!--`, and markers that only start a line (`--`, `;`, `%`, `*` inside a block comment).
  const marker = /(?:^|[^:/])(\/\/+|\/\*+|<!--)|(?:^|\s)(#+)(?=\s|$|\.|…)/.exec(line);
  if (marker) return line.slice(marker.index + marker[0].length);
  const lineStart = /^\s*(--|;+|%+|\*(?!\/)|REM\s)/i.exec(line);
  if (lineStart) return line.slice(lineStart[0].length);
  return undefined;
}

const ELLIPSIS = /\.{3,}|…|。。。|・・・/;

/** Phrases that stand for omitted code wherever they appear in a comment. */
const STRONG = [
  /\brest of (the |this |your )?(code|file|function|class|method|module|component|implementation|body|content|script|program|lines?|logic|tests?)\b/i,
  /\b(existing|previous|original|remaining|unchanged|same|old) (code|content|implementation|logic|lines)\b/i,
  /\b(remains?|stays?|is|are|left|kept|keep|leave) (the same|unchanged|as (is|before))\b/i,
  /\b(code|content|lines?|implementation|everything else|the rest)\b.{0,20}\b(omitted|elided|unchanged|not shown)\b/i,
  /\bomitted for brevity\b|\bfor brevity\b/i,
  /\bsame as (before|above|original)\b/i,
  /\bno changes?\b( (here|below|needed))?$/i,
  /以下省略|中略|前略|後略|（略）|\(略\)|〜略〜|~略~|変更なし|変更はありません|既存の(コード|処理|実装)|残りの(コード|処理|部分)|以下同(様|じ)|(以下|残り|他|ほか)はそのまま|省略して(い|あり)ます|コード(は|を)?省略/,
];

/**
 * Words that stand for omitted code only after a leading ellipsis ("// ... other methods") or as
 * the whole comment of one or two words ("// unchanged").
 */
const WEAK_EN = /\b(unchanged|existing|omitted|etc|more|other|others|remaining|snip|snipped|same|elided)\b/i;
const NOTE = /\b(todo|fixme|note|xxx|hack|see)\b/i;
const WEAK_JA = /省略|略|そのまま|同じ|同様/;
/** A Japanese comment that is only "omitted" or "as before" ("省略", "以下同様", "ここは省略します"). */
const WHOLE_JA = /^(ここは|ここも|以下は?|以降は?|残りは?|他は?|ほかは?|前と)?(省略|略|そのまま|同じ|同様)(します|です|する|とする)?$/;

/** The comment text with markers, ellipses and brackets taken off. */
function bare(text: string): string {
  return text
    .replace(/\*\/|-->|\*+$/g, '')
    .replace(new RegExp(ELLIPSIS.source, 'g'), ' ')
    .replace(/[[\](){}（）【】「」<>:：,，、。.!！?？\-–—~〜*#/\\"'`]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Whether one line is a placeholder for omitted code. */
export function isPlaceholderLine(line: string): boolean {
  const text = commentText(line);
  if (text === undefined) return false;
  const words = bare(text);
  const ellipsis = ELLIPSIS.test(text);
  // `// ...`, `/* … */`, `# ...`, `<!-- ... -->` alone (a line of only "..." is Python's Ellipsis, code).
  if (words === '' && ellipsis && line.trim() !== '...') return true;
  if (words === '') return false;
  if (STRONG.some((pattern) => pattern.test(words))) return true;
  const leading = new RegExp(`^\\s*(${ELLIPSIS.source})`).test(text.replace(/^[\s*]+/, ''));
  if (WHOLE_JA.test(words.replace(/\s/g, '')) || (leading && WEAK_JA.test(words))) return true;
  return (leading || words.split(' ').length <= 2) && WEAK_EN.test(words) && !NOTE.test(words);
}

/** The placeholder lines of a text, as written (trimmed), in order. */
export function placeholderLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter(isPlaceholderLine)
    .map((line) => line.trim());
}

/**
 * The first placeholder line of `after` that `before` did not have as often (compared as trimmed
 * lines), or undefined when `after` brings in none.
 */
export function newPlaceholder(before: string, after: string): string | undefined {
  const had = new Map<string, number>();
  for (const line of placeholderLines(before)) had.set(line, (had.get(line) ?? 0) + 1);
  for (const line of placeholderLines(after)) {
    const left = had.get(line) ?? 0;
    if (left === 0) return line;
    had.set(line, left - 1);
  }
  return undefined;
}
