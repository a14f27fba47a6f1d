// replace_in_file: the model names text of a file and what to put in its place; here the edits are
// matched and applied to the file's text in memory, all or none. What went wrong elsewhere
// (/work/shared/PEERS.md, "Edits by tool calls") decides the rules:
// - Matching is on LF text, and the result keeps the file's own line breaks: the text outside the
//   edits is copied byte for byte from the original, new text gets the file's line break (a CRLF
//   file stays CRLF when the model wrote LF), and the file's final newline, or its lack, is kept.
// - Each old_text must match exactly one place. When it matches nowhere, it may match one place
//   when runs of white space are taken as equal (indentation, trailing spaces, blank lines); that
//   match is used and reported as whitespace-tolerant. Never a guess between several places.
// - A failure says what to do next: the nearest lines of the file (numbered) when nothing matched,
//   how many places and which lines when several did. One failing edit fails the call.
// - Edits are matched against the original independently (their order does not matter) and may
//   not overlap. New placeholders ("// ... existing code ...") and results less than half the
//   original's length are refused: they lose code (cline #14, #1335).
// Offsets are UTF-16 indexes throughout, as JavaScript strings index.
import type { LocalizedText } from '../generation/types';
import { newPlaceholder, placeholderLines } from './placeholders';

export interface Replacement {
  readonly oldText: string;
  readonly newText: string;
}

export type ReplaceFailure = 'not-found' | 'ambiguous' | 'overlap' | 'empty-old' | 'placeholder' | 'shrink' | 'no-change';

export type ReplaceOutcome =
  | {
      readonly ok: true;
      readonly text: string;
      /** Per edit, in the order given: the 1-based line of the original where it matched. */
      readonly applied: readonly { readonly index: number; readonly line: number; readonly whitespaceTolerant: boolean }[];
    }
  | { readonly ok: false; readonly code: ReplaceFailure; /** The edit (0-based) that failed. */ readonly index?: number; readonly error: LocalizedText };

/** Originals with more lines than this may not shrink below half their length in one proposal. */
export const SHRINK_MIN_LINES = 20;
/** Lines of the file quoted when an old_text is not found. */
const NEAREST_LINES = 6;
/** Lines named when an old_text matches several places. */
const LISTED_PLACES = 10;

const LF = 10;

function isSpace(code: number): boolean {
  // space, tab, LF, CR, vertical tab, form feed
  return code === 32 || code === 9 || code === LF || code === 13 || code === 11 || code === 12;
}

function isBlank(code: number): boolean {
  return code === 32 || code === 9;
}

function lf(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

/** Text with each run of white space as one character: `\n` when the run holds a line break, else a space. */
function canonical(text: string): { readonly text: string; /** Index in `text` of each canonical character. */ readonly map: Int32Array } {
  const map = new Int32Array(text.length);
  const parts: string[] = [];
  let n = 0;
  let runStart = -1;
  let runHasBreak = false;
  for (let i = 0; i <= text.length; i++) {
    const code = i < text.length ? text.charCodeAt(i) : -1;
    if (code >= 0 && isSpace(code)) {
      if (runStart < 0) {
        runStart = i;
        runHasBreak = false;
      }
      if (code === LF) runHasBreak = true;
      continue;
    }
    if (runStart >= 0) {
      parts.push(runHasBreak ? '\n' : ' ');
      map[n++] = runStart;
      runStart = -1;
    }
    if (code < 0) break;
    let j = i + 1;
    while (j < text.length && !isSpace(text.charCodeAt(j))) j++;
    parts.push(text.slice(i, j));
    for (let k = i; k < j; k++) map[n++] = k;
    i = j - 1;
  }
  return { text: parts.join(''), map: map.subarray(0, n) };
}

/** Start indexes of every occurrence of `needle` (overlapping ones too). */
function occurrences(haystack: string, needle: string): number[] {
  const found: number[] = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) found.push(at);
  return found;
}

/** The file being edited: its LF text, where its CRLFs were, its lines. */
class Document {
  readonly text: string;
  /** LF-text index of the `\n` of each CRLF of the original, ascending. */
  private readonly crlfAt: number[] = [];
  private readonly lineStarts: number[] = [0];
  private canonicalText?: ReturnType<typeof canonical>;
  private lineList?: string[];

  constructor(readonly original: string) {
    this.text = lf(original);
    for (let i = 0, removed = 0; i < original.length; i++) {
      if (original.charCodeAt(i) === 13 && original.charCodeAt(i + 1) === LF) {
        this.crlfAt.push(i - removed);
        removed++;
      }
    }
    for (let i = 0; i < this.text.length; i++) if (this.text.charCodeAt(i) === LF) this.lineStarts.push(i + 1);
  }

  /** The line break new text gets: the one most of the file's lines end with. */
  get eol(): string {
    const breaks = this.lineStarts.length - 1;
    return this.crlfAt.length > breaks - this.crlfAt.length ? '\r\n' : '\n';
  }

  get lineCount(): number {
    return this.text === '' ? 0 : this.text.endsWith('\n') ? this.lineStarts.length - 1 : this.lineStarts.length;
  }

  /** The original's index for an LF-text index. */
  toOriginal(index: number): number {
    return index + upperBound(this.crlfAt, index - 1);
  }

  /** 1-based line of an LF-text index. */
  lineOf(index: number): number {
    return upperBound(this.lineStarts, index);
  }

  get lines(): string[] {
    this.lineList ??= this.text.split('\n');
    return this.lineList;
  }

  get canonical(): ReturnType<typeof canonical> {
    this.canonicalText ??= canonical(this.text);
    return this.canonicalText;
  }
}

/** How many values of the ascending `values` are ≤ `x`. */
function upperBound(values: readonly number[], x: number): number {
  let lo = 0;
  let hi = values.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

// ---- the nearest lines, for an old_text that matches nowhere ----

function bigrams(line: string): Map<string, number> {
  const text = line.trim().replace(/\s+/g, ' ');
  const grams = new Map<string, number>();
  if (text.length === 1) grams.set(text, 1);
  for (let i = 0; i + 1 < text.length; i++) {
    const gram = text.slice(i, i + 2);
    grams.set(gram, (grams.get(gram) ?? 0) + 1);
  }
  return grams;
}

function size(grams: ReadonlyMap<string, number>): number {
  let n = 0;
  for (const count of grams.values()) n += count;
  return n;
}

/** Dice similarity of two lines' bigrams, 0 to 1. */
function similarity(a: ReadonlyMap<string, number>, aSize: number, b: ReadonlyMap<string, number>, bSize: number): number {
  if (aSize === 0 || bSize === 0) return 0;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const [gram, count] of small) shared += Math.min(count, large.get(gram) ?? 0);
  return (2 * shared) / (aSize + bSize);
}

function quoteLine(number: number, line: string): string {
  const chars = [...line];
  return `${number}: ${chars.length > 160 ? `${chars.slice(0, 160).join('')}…` : line}`;
}

/** The run of the file's lines most like `oldText`'s, numbered; undefined when nothing is alike. */
function nearestLines(doc: Document, oldText: string): string | undefined {
  const wanted = lf(oldText).split('\n');
  const probes = [...new Set(wanted.map((l) => l.trim()).filter((l) => l !== ''))].slice(0, 20).map((l) => {
    const grams = bigrams(l);
    return { grams, size: size(grams) };
  });
  const lines = doc.lines;
  if (probes.length === 0 || doc.text === '') return undefined;
  const scores = new Float64Array(lines.length);
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    const grams = bigrams(lines[i]);
    const n = size(grams);
    let best = 0;
    for (const probe of probes) best = Math.max(best, similarity(grams, n, probe.grams, probe.size));
    scores[i] = best;
  }
  const width = Math.max(1, Math.min(NEAREST_LINES, wanted.length, lines.length));
  let sum = 0;
  for (let i = 0; i < width; i++) sum += scores[i];
  let bestSum = sum;
  let bestStart = 0;
  for (let start = 1; start + width <= lines.length; start++) {
    sum += scores[start + width - 1] - scores[start - 1];
    if (sum > bestSum + 1e-9) {
      bestSum = sum;
      bestStart = start;
    }
  }
  let peak = 0;
  for (let i = bestStart; i < bestStart + width; i++) peak = Math.max(peak, scores[i]);
  if (peak < 0.4) return undefined;
  // The last line of an LF-ended file is the empty string after the final break: not a line.
  const end = Math.min(bestStart + width, doc.lineCount);
  const quoted: string[] = [];
  for (let i = bestStart; i < end; i++) quoted.push(quoteLine(i + 1, lines[i]));
  return quoted.join('\n');
}

// ---- matching ----

interface Match {
  readonly index: number;
  /** LF-text range. */
  readonly start: number;
  readonly end: number;
  readonly whitespaceTolerant: boolean;
}

type Failure = Extract<ReplaceOutcome, { ok: false }>;

const NONE_APPLIED = { en: 'None of the edits were applied.', ja: 'どの編集も適用していません。' };

function failure(code: ReplaceFailure, index: number | undefined, en: string, ja: string): Failure {
  return { ok: false, code, ...(index !== undefined ? { index } : {}), error: { en: `${en} ${NONE_APPLIED.en}`, ja: `${ja}${NONE_APPLIED.ja}` } };
}

function which(index: number, count: number): LocalizedText {
  return count > 1 ? { en: `Edit ${index + 1} of ${count}`, ja: `編集 ${index + 1}/${count}` } : { en: 'The edit', ja: 'この編集' };
}

function linesList(doc: Document, starts: readonly number[]): string {
  const lines = [...new Set(starts.map((s) => doc.lineOf(s)))];
  const shown = lines.slice(0, LISTED_PLACES).join(', ');
  return lines.length > LISTED_PLACES ? `${shown}, …` : shown;
}

/** Where one old_text matches: exactly once, or once with white space taken loosely. */
function locate(doc: Document, oldText: string, index: number, count: number): Match | Failure {
  const old = lf(oldText);
  const name = which(index, count);
  const exact = occurrences(doc.text, old);
  if (exact.length === 1) return { index, start: exact[0], end: exact[0] + old.length, whitespaceTolerant: false };
  if (exact.length > 1) {
    const lines = linesList(doc, exact);
    return failure(
      'ambiguous',
      index,
      `${name.en}: old_text matches ${exact.length} places (lines ${lines}). Add a few unchanged lines before or after it to old_text, so that it matches only one place.`,
      `${name.ja}: old_text がファイルの ${exact.length} か所（${lines} 行目）に一致します。前後の変わらない行を old_text に数行加えて、1 か所だけに一致するようにしてください。`,
    );
  }
  const needle = canonical(old).text.replace(/^[ \n]+|[ \n]+$/g, '');
  if (needle !== '') {
    const { text, map } = doc.canonical;
    const loose = occurrences(text, needle);
    if (loose.length === 1) {
      let start = map[loose[0]];
      let end = map[loose[0] + needle.length - 1] + 1;
      // White space the old text starts or ends with takes the file's own: its indentation before,
      // its trailing spaces and line break after.
      if (isBlank(old.charCodeAt(0))) while (start > 0 && isBlank(doc.text.charCodeAt(start - 1))) start--;
      if (old.length > 0 && isSpace(old.charCodeAt(old.length - 1))) {
        while (end < doc.text.length && isBlank(doc.text.charCodeAt(end))) end++;
        if (/\n[ \t]*$/.test(old) && doc.text.charCodeAt(end) === LF) end++;
      }
      return { index, start, end, whitespaceTolerant: true };
    }
    if (loose.length > 1) {
      const lines = linesList(doc, loose.map((at) => map[at]));
      return failure(
        'ambiguous',
        index,
        `${name.en}: old_text matches nowhere exactly, and ${loose.length} places (lines ${lines}) when spaces and blank lines are ignored. Call read_file again, copy old_text exactly, and add a few unchanged lines around it so that it matches only one place.`,
        `${name.ja}: old_text は完全には一致せず、空白と空行を無視すると ${loose.length} か所（${lines} 行目）に一致します。read_file で読み直して old_text を正確にコピーし、1 か所だけに一致するよう前後の行を加えてください。`,
      );
    }
  }
  const nearest = nearestLines(doc, oldText);
  const hint = nearest
    ? { en: ` The most similar lines of the file are:\n${nearest}\n`, ja: `ファイルで最も近い行:\n${nearest}\n` }
    : { en: doc.text === '' ? ' The file is empty. ' : ' No line of the file looks like it. ', ja: doc.text === '' ? 'ファイルは空です。' : '似た行もファイルにありません。' };
  return failure(
    'not-found',
    index,
    `${name.en}: old_text was not found in the file (not even ignoring differences in spaces and blank lines).${hint.en}Call read_file on the file again and copy old_text exactly from it.`,
    `${name.ja}: old_text がファイルに見つかりません（空白や空行の違いを無視しても一致しません）。${hint.ja}read_file でファイルを読み直し、old_text をそこから正確にコピーしてください。`,
  );
}

function shrinks(original: string, proposed: string): { readonly ok: false; readonly code: 'shrink'; readonly error: LocalizedText } | undefined {
  const before = lf(original);
  const after = lf(proposed);
  const lines = (t: string): number => (t === '' ? 0 : t.split('\n').length - (t.endsWith('\n') ? 1 : 0));
  if (lines(before) <= SHRINK_MIN_LINES || after.length * 2 >= before.length) return undefined;
  const percent = Math.round((after.length / before.length) * 100);
  return {
    ok: false,
    code: 'shrink',
    error: {
      en: `This would cut the file from ${lines(before)} lines to ${lines(after)} (${percent}% of its length); more than half of it would be lost, so it was refused. Change only the lines that need it and leave the rest of the file as it is; if that much really has to go, remove it in smaller steps.`,
      ja: `ファイルが ${lines(before)} 行から ${lines(after)} 行（長さの ${percent}%）に減り、半分以上が失われるため拒否しました。変更が必要な行だけを変え、残りはそのままにしてください。本当にそれだけ削除する必要があるなら、少しずつ削除してください。`,
    },
  };
}

/** For any proposed new content (replace_in_file's result, create_file's content over ''): refuses placeholders and large shrinks. */
export function checkProposal(
  original: string,
  proposed: string,
): { readonly ok: true } | { readonly ok: false; readonly code: 'placeholder' | 'shrink'; readonly error: LocalizedText } {
  const placeholder = newPlaceholder(original, proposed);
  if (placeholder !== undefined) {
    return {
      ok: false,
      code: 'placeholder',
      error: {
        en: `The new content contains "${placeholder}", a placeholder for code left out: writing it would delete that code. Write the file's content in full.`,
        ja: `新しい内容に「${placeholder}」という省略の記述があります。このまま書くとその部分のコードが消えます。内容を省略せずにすべて書いてください。`,
      },
    };
  }
  return shrinks(original, proposed) ?? { ok: true };
}

/** Applies every edit to `original`, or none: see the rules at the top of this file. */
export function applyReplacements(original: string, edits: readonly Replacement[]): ReplaceOutcome {
  const count = edits.length;
  if (count === 0) return failure('no-change', undefined, 'There are no edits.', '編集がありません。');
  for (let i = 0; i < count; i++) {
    if (lf(edits[i].oldText) === '') {
      const name = which(i, count);
      return failure(
        'empty-old',
        i,
        `${name.en}: old_text is empty. Copy the lines to change from the file; to add text, put the line before it in old_text and repeat that line in new_text with the addition.`,
        `${name.ja}: old_text が空です。変更する行をファイルからコピーしてください。追加するときは、直前の行を old_text に入れ、new_text にはその行と追加分を書きます。`,
      );
    }
  }
  // Placeholders before matching: they are wrong whatever the file holds. Compared with all the
  // old texts, so a real `// ...` that an edit keeps, or moves to another edit, is no placeholder.
  const had = new Map<string, number>();
  for (const edit of edits) for (const line of placeholderLines(edit.oldText)) had.set(line, (had.get(line) ?? 0) + 1);
  for (let i = 0; i < count; i++) {
    for (const found of placeholderLines(edits[i].newText)) {
      const left = had.get(found) ?? 0;
      if (left > 0) {
        had.set(found, left - 1);
        continue;
      }
      const name = which(i, count);
      return failure(
        'placeholder',
        i,
        `${name.en}: new_text contains "${found}", a placeholder for code left out; written into the file it would delete that code. Write new_text in full: keep old_text to the lines that change (and a few around them) so new_text stays short.`,
        `${name.ja}: new_text に「${found}」という省略の記述があります。このままファイルに書くとその部分のコードが消えます。new_text は省略せずに書いてください。old_text を変更する行（と前後の数行）だけにすれば new_text も短くなります。`,
      );
    }
  }

  const doc = new Document(original);
  const matches: Match[] = [];
  for (let i = 0; i < count; i++) {
    const match = locate(doc, edits[i].oldText, i, count);
    if ('ok' in match) return match;
    matches.push(match);
  }

  const ordered = [...matches].sort((a, b) => a.start - b.start || a.index - b.index);
  for (let k = 1; k < ordered.length; k++) {
    const [a, b] = [ordered[k - 1], ordered[k]];
    if (b.start < a.end) {
      const [first, second] = a.index < b.index ? [a, b] : [b, a];
      const from = doc.lineOf(b.start);
      const to = doc.lineOf(Math.max(b.start, Math.min(a.end, b.end) - 1));
      const lines = from === to ? `line ${from}` : `lines ${from}-${to}`;
      return failure(
        'overlap',
        second.index,
        `Edits ${first.index + 1} and ${second.index + 1} change overlapping text (${lines}). Merge them into one edit, or make their old_text cover separate lines.`,
        `編集 ${first.index + 1} と ${second.index + 1} が重なる部分（${from === to ? `${from} 行目` : `${from}〜${to} 行目`}）を変更しています。1 つの編集にまとめるか、old_text が別々の行になるようにしてください。`,
      );
    }
  }

  // Splice into the original: untouched text keeps its bytes, new text gets the file's line break.
  const eol = doc.eol;
  const pieces: string[] = [];
  let at = 0;
  for (const match of ordered) {
    const start = doc.toOriginal(match.start);
    pieces.push(original.slice(at, start));
    const newText = lf(edits[match.index].newText);
    pieces.push(eol === '\n' ? newText : newText.replace(/\n/g, eol));
    at = doc.toOriginal(match.end);
  }
  pieces.push(original.slice(at));
  let text = pieces.join('');
  // The final newline, or its lack, stays as the file had it (only an edit at the end can change it).
  if (original !== '' && text !== '') {
    const hadFinal = original.endsWith('\n');
    if (hadFinal && !text.endsWith('\n')) text += eol;
    else if (!hadFinal && text.endsWith('\n')) text = text.slice(0, text.endsWith('\r\n') ? -2 : -1);
  }

  if (text === original) {
    return failure(
      'no-change',
      undefined,
      'The edits change nothing: each new_text leaves the file as it was. If the file already reads as wanted, no edit is needed.',
      '編集しても何も変わりません（new_text が元のままです）。ファイルがすでに望む内容なら、編集は不要です。',
    );
  }
  const shrink = shrinks(original, text);
  if (shrink) return { ...shrink, error: { en: `${shrink.error.en} ${NONE_APPLIED.en}`, ja: `${shrink.error.ja}${NONE_APPLIED.ja}` } };
  return {
    ok: true,
    text,
    applied: matches.map((m) => ({ index: m.index, line: doc.lineOf(m.start), whitespaceTolerant: m.whitespaceTolerant })),
  };
}
