// A unified diff from git, cut into one section per file, with what a commit message needs to
// know about each: its path, how it changed, whether it is binary, and how many lines it adds
// and removes. Headers are read only before a file's first hunk: inside hunks every line starts
// with ' ', '+', '-' or '\', so content that looks like a header ("+++ b/x", "diff --git" in a
// file's text) is never mistaken for one. One pass over the text: linear in its length.

export type FileChange = 'added' | 'deleted' | 'modified' | 'renamed' | 'copied';

export interface DiffFile {
  /** The new path (for a deleted file, the old one), unquoted. */
  readonly path: string;
  /** The old path of a rename or copy. */
  readonly oldPath?: string;
  readonly change: FileChange;
  /** "Binary files … differ" or "GIT binary patch". */
  readonly binary: boolean;
  /** '+' lines in hunks. */
  readonly added: number;
  /** '-' lines in hunks. */
  readonly removed: number;
  /** This file's whole section, from its "diff --git" line up to the next one. */
  readonly text: string;
}

const DIFF_LINE = 'diff --git ';
// git's prefixes: a/ b/ by default, and the mnemonic ones (diff.mnemonicPrefix: index, work
// tree, commit, object, and the two sides of --no-index).
const PREFIX = /^[abciwo12]\//;

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * A path as git writes it: plain, or in double quotes with C escapes, where octal escapes are
 * the bytes of UTF-8 ("\343\201\202" is "あ"). Returns the path and where it ended in `text`.
 */
function readPath(text: string, from: number, untilSpace: boolean): { readonly path: string; readonly end: number } {
  if (text[from] !== '"') {
    if (!untilSpace) {
      // git adds a tab after a name with spaces on ---/+++ lines (GNU diff puts a date there).
      const tab = text.indexOf('\t', from);
      return { path: text.slice(from, tab < 0 ? text.length : tab), end: tab < 0 ? text.length : tab };
    }
    const space = text.indexOf(' ', from);
    return { path: text.slice(from, space < 0 ? text.length : space), end: space < 0 ? text.length : space };
  }
  const bytes: number[] = [];
  let i = from + 1;
  while (i < text.length && text[i] !== '"') {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length) {
      const next = text[i + 1];
      if (next >= '0' && next <= '7') {
        let value = 0;
        let digits = 0;
        while (digits < 3 && i + 1 + digits < text.length && text[i + 1 + digits] >= '0' && text[i + 1 + digits] <= '7') {
          value = value * 8 + Number(text[i + 1 + digits]);
          digits++;
        }
        bytes.push(value & 0xff);
        i += 1 + digits;
        continue;
      }
      bytes.push(ESCAPES[next] ?? next.charCodeAt(0));
      i += 2;
      continue;
    }
    const code = ch.codePointAt(0) ?? 0;
    for (const b of new TextEncoder().encode(String.fromCodePoint(code))) bytes.push(b);
    i += code > 0xffff ? 2 : 1;
  }
  return { path: new TextDecoder().decode(new Uint8Array(bytes)), end: Math.min(text.length, i + 1) };
}

function stripPrefix(path: string): string {
  return PREFIX.test(path) ? path.slice(2) : path;
}

/**
 * The two paths of a "diff --git a/x b/y" line. Without quotes a name with spaces is ambiguous;
 * when the two sides are equal (no rename), the line is "a/P b/P" and P is its middle.
 */
function gitLinePaths(rest: string): { readonly a: string; readonly b: string } {
  if (rest.startsWith('"') || rest.endsWith('"')) {
    const first = readPath(rest, 0, true);
    const second = readPath(rest, first.end + 1, true);
    return { a: stripPrefix(first.path), b: stripPrefix(second.path) };
  }
  if (rest.length % 2 === 1) {
    const half = (rest.length - 1) / 2;
    const a = rest.slice(0, half);
    const b = rest.slice(half + 1);
    if (rest[half] === ' ' && stripPrefix(a) === stripPrefix(b)) return { a: stripPrefix(a), b: stripPrefix(b) };
  }
  const split = rest.search(/ [abciwo12]\//);
  if (split < 0) return { a: stripPrefix(rest), b: stripPrefix(rest) };
  return { a: stripPrefix(rest.slice(0, split)), b: stripPrefix(rest.slice(split + 1)) };
}

interface Builder {
  start: number;
  gitA: string;
  gitB: string;
  minus?: string;
  plus?: string;
  renameFrom?: string;
  renameTo?: string;
  copy: boolean;
  created: boolean;
  deleted: boolean;
  binary: boolean;
  inHunks: boolean;
  added: number;
  removed: number;
}

function finish(b: Builder, text: string): DiffFile {
  const oldSide = b.renameFrom ?? (b.minus !== undefined && b.minus !== '/dev/null' ? stripPrefix(b.minus) : b.gitA);
  const newSide = b.renameTo ?? (b.plus !== undefined && b.plus !== '/dev/null' ? stripPrefix(b.plus) : b.gitB);
  const created = b.created || b.minus === '/dev/null';
  const deleted = b.deleted || b.plus === '/dev/null';
  const change: FileChange = created
    ? 'added'
    : deleted
      ? 'deleted'
      : b.renameFrom !== undefined || b.renameTo !== undefined
        ? b.copy ? 'copied' : 'renamed'
        : 'modified';
  const moved = change === 'renamed' || change === 'copied';
  return {
    path: deleted ? oldSide : newSide,
    ...(moved ? { oldPath: oldSide } : {}),
    change,
    binary: b.binary,
    added: b.added,
    removed: b.removed,
    text,
  };
}

function withoutCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

/** One header line (before the first hunk) read into the file being built. */
function readHeader(b: Builder, line: string): void {
  const l = withoutCr(line);
  if (l.startsWith('--- ')) b.minus = readPath(l, 4, false).path;
  else if (l.startsWith('+++ ')) b.plus = readPath(l, 4, false).path;
  else if (l.startsWith('rename from ')) b.renameFrom = readPath(l, 12, false).path;
  else if (l.startsWith('rename to ')) b.renameTo = readPath(l, 10, false).path;
  else if (l.startsWith('copy from ')) { b.renameFrom = readPath(l, 10, false).path; b.copy = true; }
  else if (l.startsWith('copy to ')) { b.renameTo = readPath(l, 8, false).path; b.copy = true; }
  else if (l.startsWith('new file mode')) b.created = true;
  else if (l.startsWith('deleted file mode')) b.deleted = true;
  else if (l === 'GIT binary patch' || (l.startsWith('Binary files ') && l.endsWith(' differ'))) b.binary = true;
}

/**
 * The files of `git diff --no-color --no-ext-diff -M [--cached]` or
 * `git diff --no-index /dev/null FILE`, in order. Text before the first "diff --git" line is
 * ignored.
 */
export function splitDiff(diff: string): DiffFile[] {
  const files: DiffFile[] = [];
  let current: Builder | undefined;
  let pos = 0;
  while (pos < diff.length) {
    const newline = diff.indexOf('\n', pos);
    const end = newline < 0 ? diff.length : newline + 1;
    const line = diff.slice(pos, newline < 0 ? diff.length : newline);
    if (line.startsWith(DIFF_LINE)) {
      if (current) files.push(finish(current, diff.slice(current.start, pos)));
      const { a, b } = gitLinePaths(withoutCr(line).slice(DIFF_LINE.length));
      current = { start: pos, gitA: a, gitB: b, copy: false, created: false, deleted: false, binary: false, inHunks: false, added: 0, removed: 0 };
    } else if (current) {
      if (line.startsWith('@@')) current.inHunks = true;
      else if (!current.inHunks) readHeader(current, line);
      else if (line.startsWith('+')) current.added++;
      else if (line.startsWith('-')) current.removed++;
    }
    pos = end;
  }
  if (current) files.push(finish(current, diff.slice(current.start)));
  return files;
}

/**
 * A file's header (its lines before the first hunk) and its hunks, each from its "@@" line to
 * the next; header + hunks joined is the file's text. A binary or mode-only change has no hunks.
 */
export function fileHunks(file: DiffFile): { readonly header: string; readonly hunks: readonly string[] } {
  const { text } = file;
  const starts: number[] = [];
  let pos = 0;
  while (pos < text.length) {
    if (text.startsWith('@@', pos)) starts.push(pos);
    const newline = text.indexOf('\n', pos);
    if (newline < 0) break;
    pos = newline + 1;
  }
  if (starts.length === 0) return { header: text, hunks: [] };
  const hunks = starts.map((start, i) => text.slice(start, i + 1 < starts.length ? starts[i + 1] : text.length));
  return { header: text.slice(0, starts[0]), hunks };
}

/** A hunk's first line numbers, from its "@@ -a,b +c,d @@" line. */
export function hunkStart(hunk: string): { readonly oldLine: number; readonly newLine: number } | undefined {
  const match = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(hunk);
  return match ? { oldLine: Number(match[1]), newLine: Number(match[2]) } : undefined;
}
