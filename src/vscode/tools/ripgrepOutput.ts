// The pure half of search_text (no `vscode`, unit-tested in plain Node): where VS Code keeps its
// ripgrep, the arguments for the user's exclude settings and the model's glob, reading
// `rg --json` as it streams, and the text the model reads.
import * as path from 'node:path';

/** Matching lines the model gets from one search, over all workspace folders. */
export const MAX_MATCHES = 200;
/** Matching lines taken from one file (rg's --max-count), so one file cannot fill the list. */
export const MAX_MATCHES_PER_FILE = 20;
/** Files larger than this are not searched (rg's --max-filesize). */
export const MAX_FILE_SIZE = '1M';
/** A matching line is shortened around its match to about this many characters. */
export const MAX_LINE_CHARS = 200;
/** The result text is cut after this many bytes. */
export const MAX_RESULT_BYTES = 32 * 1024;
/** rg is stopped once it has written this much (long lines of minified files add up fast). */
export const MAX_RG_OUTPUT_BYTES = 16 * 1024 * 1024;
/** rg is stopped after this long, and what it found so far is returned. */
export const SEARCH_TIMEOUT_MS = 20_000;

/**
 * Where VS Code keeps the `rg` it ships, under its application root (`vscode.env.appRoot`): the
 * layouts Cline and Continue look for, newest first. Desktop builds keep binaries outside the asar
 * archive (`node_modules.asar.unpacked`); code-server and current builds carry
 * `@vscode/ripgrep-universal` with one binary per platform.
 */
export function ripgrepCandidates(appRoot: string, platform: string = process.platform, arch: string = process.arch): string[] {
  const binary = platform === 'win32' ? 'rg.exe' : 'rg';
  const join = platform === 'win32' ? path.win32.join : path.posix.join;
  const candidates: string[] = [];
  for (const modules of ['node_modules', 'node_modules.asar.unpacked']) {
    candidates.push(join(appRoot, modules, '@vscode', 'ripgrep-universal', 'bin', `${platform}-${arch}`, binary));
    candidates.push(join(appRoot, modules, '@vscode', 'ripgrep', 'bin', binary));
    candidates.push(join(appRoot, modules, 'vscode-ripgrep', 'bin', binary));
  }
  return candidates;
}

/**
 * The `-g` arguments that leave out what VS Code's `files.exclude` and `search.exclude` leave out:
 * each glob set to `true` (a `{ when: … }` sibling clause is skipped: rg cannot express it),
 * anchored to the folder as VS Code's own ripgrep search does (a glob not starting with `**` or
 * `/` only matches from the folder's root), negated. `.git` is always left out, in any case.
 */
export function excludeGlobArgs(...settings: unknown[]): string[] {
  const globs = new Set<string>();
  for (const setting of settings) {
    if (typeof setting !== 'object' || setting === null) continue;
    for (const [glob, value] of Object.entries(setting)) {
      if (value !== true || glob.trim() === '') continue;
      const trimmed = glob.trim().replace(/\\/g, '/').replace(/\/+$/, '');
      globs.add(trimmed.startsWith('**') || trimmed.startsWith('/') ? trimmed : `/${trimmed}`);
    }
  }
  const args: string[] = [];
  for (const glob of globs) args.push('-g', `!${glob}`);
  // The tools never read version-control internals (core/tools/workspacePaths: `.git`, `GIT~1`).
  args.push('--iglob', '!**/.git', '--iglob', '!**/git~1');
  return args;
}

/**
 * A glob as a regular expression over a `/`-separated relative path: `**` any folders, `*` and
 * `?` within one name, `[…]` and `{a,b}` as in VS Code and rg. A glob without `/` matches a name
 * at any depth, one with `/` from the root (a leading `/` or `./` is dropped); a folder that
 * matches takes everything inside it along, as in .gitignore.
 */
export function globToRegExp(glob: string, caseInsensitive = false): RegExp {
  let source = glob.trim().replace(/\\/g, '/').replace(/\/+$/, '');
  const anywhere = !source.includes('/');
  source = source.replace(/^\.?\//, '');
  let out = '';
  let braces = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '*') {
      if (source[i + 1] === '*') {
        const atStart = i === 0 || source[i - 1] === '/';
        i++;
        if (source[i + 1] === '/' && atStart) {
          i++;
          out += '(?:[^/]*/)*'; // `**/`: no folder, or any folders
        } else {
          out += '.*';
        }
      } else {
        out += '[^/]*';
      }
    } else if (c === '?') {
      out += '[^/]';
    } else if (c === '[') {
      const close = source.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = source.slice(i + 1, close);
      if (body.startsWith('!')) body = '^' + body.slice(1);
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) {
      out += '|';
    } else {
      out += c.replace(/[.+^${}()|\\]/g, '\\$&');
    }
  }
  out += ')'.repeat(braces);
  return new RegExp(anywhere ? `(?:^|/)${out}(?:/.*)?$` : `^${out}(?:/.*)?$`, caseInsensitive ? 'i' : '');
}

export interface IncludeFilter {
  /** Whether a folder-relative path (`/`-separated) is one the model asked for. */
  readonly matches: (relativePath: string) => boolean;
  /**
   * rg arguments that narrow the search to the glob without overriding the ignore files: rg's
   * own `-g` would search a `.gitignore`d file the glob names, a file type (`--type-add`) does not.
   * Only for a glob of file names; one with folders is applied to rg's results by `matches`.
   */
  readonly args: readonly string[];
}

export function includeFilter(glob: string, caseInsensitive = false): IncludeFilter {
  const trimmed = glob.trim();
  const pattern = globToRegExp(trimmed, caseInsensitive);
  // `*.ts`, `*.{ts,tsx}`: a file type says the same to rg (commas only inside braces, no `:`).
  const byExtension = /^\*\.[^/\\:]+$/.test(trimmed) && !/,/.test(trimmed.replace(/\{[^{}]*\}/g, ''));
  return {
    matches: (relativePath) => pattern.test(relativePath),
    args: byExtension ? ['--type-add', `llmjpglob:${trimmed}`, '--type', 'llmjpglob'] : [],
  };
}

export interface RipgrepMatch {
  /** Relative to the searched folder, `/`-separated. */
  readonly path: string;
  /** 1-based. */
  readonly line: number;
  /** The line without its line break, shortened around the match. */
  readonly text: string;
}

type RgText = { readonly text?: string; readonly bytes?: string } | undefined;

function rgText(value: RgText): string | undefined {
  if (!value) return undefined;
  if (typeof value.text === 'string') return value.text;
  if (typeof value.bytes === 'string') return Buffer.from(value.bytes, 'base64').toString('utf8');
  return undefined;
}

/** `./src/a.ts` or `.\src\a.ts` as `src/a.ts`. */
export function cleanRgPath(rgPath: string): string {
  return rgPath.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
}

/**
 * A matching line cut to about `max` characters around the match (`start`/`end` are string
 * indices), with `…` where it was cut; leading and trailing blanks dropped.
 */
export function shortenLine(line: string, start: number, end: number, max = MAX_LINE_CHARS): string {
  const text = line.replace(/\r?\n$/, '');
  const chars = [...text];
  if (chars.length <= max) return text.trim();
  // Work in code points so a cut never splits a surrogate pair.
  const cpStart = [...text.slice(0, start)].length;
  const cpEnd = Math.max(cpStart, [...text.slice(0, end)].length);
  const matchLength = Math.min(cpEnd - cpStart, max);
  const context = Math.max(0, Math.floor((max - matchLength) / 2));
  let from = Math.max(0, cpStart - context);
  const to = Math.min(chars.length, from + max);
  from = Math.max(0, to - max);
  return `${from > 0 ? '…' : ''}${chars.slice(from, to).join('').trim()}${to < chars.length ? '…' : ''}`;
}

/** String indices of a UTF-8 byte range of `text` (rg reports submatches in bytes). */
function byteRangeToIndices(text: string, start: number, end: number): [number, number] {
  const bytes = Buffer.from(text, 'utf8');
  return [bytes.subarray(0, start).toString('utf8').length, bytes.subarray(0, end).toString('utf8').length];
}

/**
 * Reads `rg --json` output as it arrives (chunks may split lines and characters anywhere) and
 * keeps the matching lines that `accept` lets through, up to `limit`.
 */
export class RipgrepJsonReader {
  readonly matches: RipgrepMatch[] = [];
  /** A file gave rg's --max-count lines: it may have more. */
  filesAtPerFileLimit = 0;
  /** More matching lines came than `limit`. */
  capped = false;
  private pending = '';
  private readonly decoder = new TextDecoder('utf-8');

  constructor(
    private readonly limit: number,
    private readonly accept: (path: string) => boolean = () => true,
    private readonly perFileLimit = MAX_MATCHES_PER_FILE,
  ) {}

  /** Feeds a chunk; returns false once the reader wants no more. */
  push(chunk: Uint8Array | string): boolean {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    let newline: number;
    while (!this.capped && (newline = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      this.readLine(line);
    }
    return !this.capped;
  }

  end(): void {
    this.pending += this.decoder.decode();
    if (this.pending.trim() !== '' && !this.capped) this.readLine(this.pending);
    this.pending = '';
  }

  private readLine(line: string): void {
    if (line.trim() === '') return;
    let event: { type?: string; data?: Record<string, unknown> };
    try {
      event = JSON.parse(line);
    } catch {
      return; // not rg's JSON (a warning line): nothing to read
    }
    const data = event.data ?? {};
    const file = rgText(data.path as RgText);
    if (file === undefined) return;
    const relative = cleanRgPath(file);
    if (!this.accept(relative)) return;
    if (event.type === 'end') {
      const stats = data.stats as { matched_lines?: number } | undefined;
      if ((stats?.matched_lines ?? 0) >= this.perFileLimit) this.filesAtPerFileLimit++;
      return;
    }
    if (event.type !== 'match') return;
    const text = rgText(data.lines as RgText) ?? '';
    const lineNumber = typeof data.line_number === 'number' ? data.line_number : 0;
    const first = (data.submatches as { start?: number; end?: number }[] | undefined)?.[0];
    const [start, end] = first && typeof first.start === 'number' && typeof first.end === 'number' ? byteRangeToIndices(text, first.start, first.end) : [0, 0];
    if (this.matches.length >= this.limit) {
      this.capped = true;
      return;
    }
    this.matches.push({ path: relative, line: lineNumber, text: shortenLine(text, start, end) });
  }
}

export interface SearchSummary {
  readonly query: string;
  readonly regex: boolean;
  readonly glob?: string;
  /** Each match with the path the model should see (the folder's name first in a multi-root workspace). */
  readonly matches: readonly RipgrepMatch[];
  readonly capped: boolean;
  readonly filesAtPerFileLimit: number;
  readonly timedOut: boolean;
}

/** The text the model reads: `path:line: text` a line, and notes on what was left out. */
export function searchResultText(summary: SearchSummary, maxBytes = MAX_RESULT_BYTES): string {
  const what = `${summary.regex ? 'the regular expression' : ''} "${summary.query}"`.trim();
  const where = summary.glob ? ` in files matching ${summary.glob}` : '';
  if (summary.matches.length === 0) {
    return summary.timedOut
      ? `The search for ${what}${where} was stopped after ${SEARCH_TIMEOUT_MS / 1000} s without a match; narrow it with a glob.`
      : `No matches for ${what}${where} in the workspace (files ignored by .gitignore or excluded in the settings are not searched).`;
  }
  const lines: string[] = [];
  let bytes = 0;
  let cutByBytes = false;
  for (const match of summary.matches) {
    const line = `${match.path}:${match.line}: ${match.text}`;
    const size = Buffer.byteLength(line, 'utf8') + 1;
    if (bytes + size > maxBytes) {
      cutByBytes = true;
      break;
    }
    lines.push(line);
    bytes += size;
  }
  const notes: string[] = [];
  if (cutByBytes) notes.push(`[Only the first ${lines.length} matching lines fit in the result; narrow the search with a more specific query or a glob.]`);
  else if (summary.capped) notes.push(`[Only the first ${summary.matches.length} matching lines are shown; narrow the search with a more specific query or a glob.]`);
  if (summary.filesAtPerFileLimit > 0) {
    notes.push(`[${summary.filesAtPerFileLimit === 1 ? 'One file has' : `${summary.filesAtPerFileLimit} files have`} ${MAX_MATCHES_PER_FILE} or more matching lines; only the first ${MAX_MATCHES_PER_FILE} of each are shown.]`);
  }
  if (summary.timedOut) notes.push(`[The search was stopped after ${SEARCH_TIMEOUT_MS / 1000} s; there may be more matches.]`);
  return [...lines, ...notes].join('\n');
}

/** rg's complaint about a pattern (exit code 2, "regex parse error"), without its noise. */
export function regexError(stderr: string): string | undefined {
  if (!/regex parse error|error parsing regex|PCRE2: error compiling pattern/i.test(stderr)) return undefined;
  return stderr
    .split('\n')
    .map((l) => l.replace(/^rg: /, '').trimEnd())
    .filter((l) => l.trim() !== '' && !/^Consider enabling PCRE2/.test(l) && !/^and look-around\.?$/.test(l))
    .join('\n')
    .slice(0, 600);
}
