// What of a diff the model reads, and in how many requests. A diff that fits the budget goes in
// one piece; a larger one is cut into pieces the model summarizes one at a time (map), whose
// summaries are then merged (reduce). Cuts fall at file boundaries, then at hunk boundaries
// (each part repeats the file's header, so the model always knows which file it reads), then at
// line boundaries, and only for a single enormous line by characters. Nothing is silently
// dropped: skipped files are named, and every included line is in exactly one piece.
//
// Token counts are exact (the engine's tokenizer), asked for in batches: one round for whole
// files, one for the hunks of files too large, one for the lines of hunks too large, and a few
// for characters of lines too large. The tokens of joined texts are taken as their sum plus a
// small allowance per join, since the texts are cut at line ends where tokens rarely merge.
import type { DiffFile } from './diffFiles';
import { fileHunks } from './diffFiles';
import { skipReason, type SkipReason } from './skipRules';

/** Exact token counts of each text, from the engine, in one batch. */
export type CountTokens = (texts: readonly string[]) => Promise<readonly number[]>;

export interface DiffPiece {
  readonly paths: readonly string[];
  readonly text: string;
  readonly tokens: number;
  /** Set when one file is cut into parts (1-based index). */
  readonly part?: { readonly index: number; readonly of: number };
}

export interface DiffPlan {
  readonly included: readonly DiffFile[];
  readonly skipped: readonly { readonly path: string; readonly reason: SkipReason }[];
  /** True when every included file fits `budget` at once: then pieces has exactly one piece with all of them. */
  readonly fitsWhole: boolean;
  /** Pieces in diff order, each within budget. Empty when nothing is included. */
  readonly pieces: readonly DiffPiece[];
}

/** Tokens allowed for each join of two texts. */
export const JOIN_TOKENS = 1;

/** Rounds of cutting one enormous line by characters before giving up on the estimate. */
const CHARACTER_ROUNDS = 6;

/**
 * Groups texts (already counted) into as few groups as possible, each within budget, keeping
 * order: greedy filling is optimal when groups must be contiguous. An item over budget on its
 * own gets a group of its own.
 */
export function packTexts<T extends { readonly tokens: number }>(items: readonly T[], budget: number, joinTokens = JOIN_TOKENS): T[][] {
  const groups: T[][] = [];
  let group: T[] = [];
  let used = 0;
  for (const item of items) {
    if (group.length > 0 && used + joinTokens + item.tokens > budget) {
      groups.push(group);
      group = [];
      used = 0;
    }
    used += (group.length > 0 ? joinTokens : 0) + item.tokens;
    group.push(item);
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** Tokens of texts joined: their sum and the allowance per join. */
export function joinedTokens(items: readonly { readonly tokens: number }[], joinTokens = JOIN_TOKENS): number {
  let total = 0;
  for (const item of items) total += item.tokens;
  return total + Math.max(0, items.length - 1) * joinTokens;
}

interface Counted {
  readonly text: string;
  readonly tokens: number;
}

/** Lines of `text`, each with its line break. */
function linesOf(text: string): string[] {
  const lines: string[] = [];
  let pos = 0;
  while (pos < text.length) {
    const newline = text.indexOf('\n', pos);
    const end = newline < 0 ? text.length : newline + 1;
    lines.push(text.slice(pos, end));
    pos = end;
  }
  return lines;
}

/** Texts end with a line break, so joining them never glues two lines together. */
function endLine(text: string): string {
  return text.endsWith('\n') ? text : text + '\n';
}

async function countAll(texts: readonly string[], count: CountTokens): Promise<Counted[]> {
  // Empty texts cost nothing and are not sent.
  const asked = texts.filter((t) => t !== '');
  const tokens = asked.length > 0 ? await count(asked) : [];
  if (tokens.length !== asked.length) throw new Error(`The token counter returned ${tokens.length} counts for ${asked.length} texts`);
  let next = 0;
  return texts.map((text) => ({ text, tokens: text === '' ? 0 : tokens[next++] }));
}

/** Cuts `text` at `at` UTF-16 units or just before, never inside a surrogate pair. */
function cutAt(text: string, at: number): number {
  const code = text.charCodeAt(at - 1);
  return at > 1 && at < text.length && code >= 0xd800 && code <= 0xdbff ? at - 1 : at;
}

/**
 * Lines each over `room` tokens, cut by characters into chunks within it. The first cut uses
 * the line's own characters per token; chunks still over are halved and counted again.
 */
async function cutLines(lines: readonly Counted[], room: number, count: CountTokens): Promise<Map<Counted, Counted[]>> {
  type Chunk = { readonly text: string; tokens?: number };
  const chunks = new Map<Counted, Chunk[]>();
  for (const line of lines) {
    const size = Math.max(1, Math.floor((line.text.length / Math.max(1, line.tokens)) * room * 0.9));
    const list: Chunk[] = [];
    for (let at = 0; at < line.text.length; ) {
      const end = cutAt(line.text, Math.min(line.text.length, at + size));
      list.push({ text: line.text.slice(at, end) });
      at = end;
    }
    chunks.set(line, list);
  }
  for (let round = 0; ; round++) {
    const uncounted = [...chunks.values()].flat().filter((c) => c.tokens === undefined);
    if (uncounted.length === 0) break;
    const counted = await countAll(uncounted.map((c) => c.text), count);
    counted.forEach((c, i) => (uncounted[i].tokens = c.tokens));
    if (round >= CHARACTER_ROUNDS) break;
    for (const [line, list] of chunks) {
      chunks.set(line, list.flatMap((c) => {
        if ((c.tokens ?? 0) <= room || c.text.length <= 1) return [c];
        // Still too long: halve it and count the halves in the next round.
        const middle = cutAt(c.text, Math.ceil(c.text.length / 2));
        return [{ text: c.text.slice(0, middle) }, { text: c.text.slice(middle) }];
      }));
    }
  }
  const result = new Map<Counted, Counted[]>();
  for (const [line, list] of chunks) result.set(line, list.map((c) => ({ text: c.text, tokens: c.tokens ?? 0 })));
  return result;
}

/** The parts of one file over budget: its units packed, each part starting with the header. */
function cutFile(path: string, header: Counted, units: readonly Counted[], budget: number): DiffPiece[] {
  const room = budget - header.tokens - JOIN_TOKENS;
  const groups = packTexts(units, room);
  return groups.map((group, i) => ({
    paths: [path],
    text: header.text + group.map((u) => u.text).join(''),
    tokens: header.tokens + JOIN_TOKENS + joinedTokens(group),
    part: { index: i + 1, of: groups.length },
  }));
}

export async function planDiff(files: readonly DiffFile[], budget: number, count: CountTokens): Promise<DiffPlan> {
  const included: DiffFile[] = [];
  const skipped: { path: string; reason: SkipReason }[] = [];
  for (const file of files) {
    const reason = skipReason(file);
    if (reason) skipped.push({ path: file.path, reason });
    else included.push(file);
  }
  if (included.length === 0) return { included, skipped, fitsWhole: false, pieces: [] };

  // Round 1: whole files.
  const whole = (await countAll(included.map((f) => endLine(f.text)), count)).map((c, i) => ({ ...c, diff: included[i] }));
  const total = joinedTokens(whole);
  if (total <= budget) {
    const piece: DiffPiece = { paths: included.map((f) => f.path), text: whole.map((w) => w.text).join(''), tokens: total };
    return { included, skipped, fitsWhole: true, pieces: [piece] };
  }

  // Round 2: the headers and hunks of files over budget. A header too large to repeat in every
  // part (a rename with a long path, many mode lines) is cut to its "diff --git" line.
  const large = whole.filter((w) => w.tokens > budget);
  const split = large.map((w) => {
    const { header, hunks } = fileHunks({ ...w.diff, text: w.text });
    const firstLine = header.slice(0, header.indexOf('\n') + 1) || endLine(header);
    return { file: w, header, firstLine, rest: header.slice(firstLine.length), hunks };
  });
  const round2 = await countAll(split.flatMap((s) => [s.header, s.firstLine, s.rest, ...s.hunks]), count);
  let at = 0;
  const parts = split.map((s) => {
    const full = round2[at++];
    const first = round2[at++];
    const rest = round2[at++];
    const hunks = round2.slice(at, (at += s.hunks.length));
    // The rest of a header too large to repeat is read once, in the first part, like a hunk
    // (it is the whole file when there are no hunks: a huge binary patch left unskipped).
    if (full.tokens + JOIN_TOKENS <= budget / 2) return { file: s.file, header: full, units: hunks };
    return { file: s.file, header: first, units: [...(rest.text !== '' ? [rest] : []), ...hunks] };
  });

  // Round 3: the lines of hunks that do not fit beside their header.
  const roomOf = (header: Counted): number => Math.max(1, budget - header.tokens - JOIN_TOKENS);
  const bigHunks = parts.flatMap((p) => p.units.filter((u) => u.tokens > roomOf(p.header)));
  const lineTexts = bigHunks.map((h) => linesOf(h.text));
  const round3 = await countAll(lineTexts.flat(), count);
  const linesByHunk = new Map<Counted, Counted[]>();
  at = 0;
  bigHunks.forEach((h, i) => linesByHunk.set(h, round3.slice(at, (at += lineTexts[i].length))));

  // Rounds 4+: lines that alone do not fit, by characters.
  const bigLines = parts.flatMap((p) => p.units.flatMap((u) => (linesByHunk.get(u) ?? []).filter((l) => l.tokens > roomOf(p.header))));
  const minRoom = Math.min(...parts.map((p) => roomOf(p.header)));
  const chunksByLine = bigLines.length > 0 ? await cutLines(bigLines, minRoom, count) : new Map<Counted, Counted[]>();

  const cut = new Map<DiffFile, DiffPiece[]>();
  for (const p of parts) {
    const units = p.units.flatMap((u) => {
      const lines = linesByHunk.get(u);
      if (!lines) return [u];
      return lines.flatMap((l) => chunksByLine.get(l) ?? [l]);
    });
    cut.set(p.file.diff, cutFile(p.file.diff.path, p.header, units, budget));
  }

  // Whole files in order, packed together; a file cut into parts stands alone.
  const pieces: DiffPiece[] = [];
  let run: (Counted & { readonly diff: DiffFile })[] = [];
  const flush = (): void => {
    for (const group of packTexts(run, budget)) {
      pieces.push({ paths: group.map((g) => g.diff.path), text: group.map((g) => g.text).join(''), tokens: joinedTokens(group) });
    }
    run = [];
  };
  for (const w of whole) {
    const parted = cut.get(w.diff);
    if (!parted) {
      run.push(w);
      continue;
    }
    flush();
    pieces.push(...parted);
  }
  flush();
  return { included, skipped, fitsWhole: false, pieces };
}
