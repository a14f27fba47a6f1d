// Which paths the chat's tools may touch: relative paths inside the workspace only. A path the
// model writes is checked here before anything touches the disk; realPaths.ts then resolves
// symlinks and checks the real path with isWithin, so a link cannot lead outside either.
import type { LocalizedText } from '../generation/types';

export type PathCheck =
  | { readonly ok: true; /** Normalized segments under the root; [] is the root itself. */ readonly segments: readonly string[] }
  | { readonly ok: false; readonly error: LocalizedText };

/** Folders no tool reads or lists: version-control internals (and `.git`'s 8.3 short name on Windows). */
const HIDDEN_NAMES = ['.git', 'git~1'];

const MAX_PATH_LENGTH = 1024;

function rejected(en: string, ja: string): PathCheck {
  return { ok: false, error: { en, ja } };
}

/**
 * The name Windows opens for a path segment: it reads what follows a colon as an NTFS stream
 * (`.git::$INDEX_ALLOCATION` is the folder `.git`) and drops the dots and spaces that end a name
 * (`.git.` is `.git`, `. ` may be `.`).
 */
function windowsName(segment: string): string {
  return segment.split(':')[0].replace(/[. ]+$/, '');
}

/**
 * Whether a segment names `.git` on some file system: in any case (NTFS compares upper case, so
 * `.gıt` is `.GIT` there), as Windows reads it (windowsName), or by its short name `GIT~1`;
 * git itself refuses these names in a tree (is_ntfs_dotgit).
 */
export function isHiddenSegment(segment: string): boolean {
  const name = windowsName(segment);
  return [name.toLowerCase(), name.toUpperCase().toLowerCase()].some((n) => HIDDEN_NAMES.includes(n));
}

/** Longest name of one path segment: Windows and most POSIX file systems allow 255. */
const MAX_SEGMENT_LENGTH = 255;

/** Characters drawn like `.` (one dot leader, fullwidth and small full stops, ideographic full stop…). */
const DOT_LIKE = /[\u2024\u2025\u2026\uFE52\uFF0E\u3002\uFF61\u0701\u0702]/g;
/** Characters drawn like `/` or `\\` (division and fraction slashes, fullwidth solidus, big solidus…). */
const SLASH_LIKE = /[\u2215\u2044\uFF0F\u29F8\u2571\u2572\uFF3C\u29F5\u29F9\u2216\uFE68\u244A\u2AFD\u2AFB]/g;
/** Windows device names, which open a device (the console, a port) whatever folder they are in. */
const DEVICE = /^(con|prn|aux|nul|com[0-9\u00b9\u00b2\u00b3]|lpt[0-9\u00b9\u00b2\u00b3]|conin\$|conout\$|clock\$)$/i;

/**
 * A segment as some layer between the model and the disk might read it: percent-decoded (twice
 * encoded too), NFKC-normalized (fullwidth `．．／` is `../` then), lookalikes of `.` and `/` as
 * those. None of our code does this, but a URI parser, a glob library or Windows' best-fit code
 * page conversion could; a name that would mean something else there is refused here.
 */
function readings(segment: string): string[] {
  const found = [segment];
  let decoded = segment;
  for (let i = 0; i < 3 && /%[0-9A-Fa-f]{2}/.test(decoded); i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      break;
    }
    found.push(decoded);
  }
  return found.flatMap((text) => [text, text.normalize('NFKC').replace(DOT_LIKE, '.').replace(SLASH_LIKE, '/')]);
}

/** Why one segment (already not `.`/`..`) may not be used, or undefined. */
function segmentProblem(segment: string, first: boolean): 'drive' | 'dots' | 'hidden' | 'device' | 'stream' | 'lookalike' | 'invisible' | 'long' | undefined {
  if (segment.length > MAX_SEGMENT_LENGTH) return 'long';
  // Control characters, and invisible format characters (zero-width, bidirectional overrides,
  // byte order mark): HFS+ ignores some of them in names, so `.g\u200cit` is `.git` there (git's
  // is_hfs_dotgit), and they make a name look like another one in the diff the user reviews.
  if (/[\p{Cc}\p{Cf}]/u.test(segment)) return 'invisible';
  if (/^[A-Za-z]:/.test(segment)) return 'drive';
  if (windowsName(segment) === '') return 'dots';
  if (isHiddenSegment(segment)) return 'hidden';
  // What follows a colon is an NTFS stream: `a.txt:x` writes data no one sees next to a.txt.
  if (segment.includes(':')) return 'stream';
  if (DEVICE.test(windowsName(segment).split('.')[0].trimEnd())) return 'device';
  for (const reading of readings(segment).slice(1)) {
    if (reading === segment) continue;
    if (/[/\\]/.test(reading) || /^[A-Za-z]:/.test(reading) || windowsName(reading) === '' || isHiddenSegment(reading) || (first && reading.startsWith('~'))) {
      return 'lookalike';
    }
  }
  return undefined;
}

/**
 * Checks a workspace-relative path: no absolute paths (`/x`, `C:\\x`, `\\\\server`), no `~`, no
 * `..` that climbs above the root, nothing inside `.git`. Both separators are accepted. Each
 * segment must also be safe by Windows rules: no drive (`./C:/x` would be `C:/x` once
 * normalized, and `a/D:x` resolves onto drive D: segment by segment), not only dots and
 * spaces (Windows may read `. ` or `.. ` as `.` or `..`), no stream after a colon, no device name
 * (`CON`, `nul.txt`). And no segment may turn into any of these when read another way
 * (readings): percent-decoded, NFKC-normalized, lookalikes of `.` and `/` taken as those. No
 * control or invisible characters, and names of at most 255 characters.
 */
export function checkWorkspacePath(input: string): PathCheck {
  if (input.length > MAX_PATH_LENGTH || input.includes('\0')) {
    return rejected('The path is not valid.', 'パスが正しくありません。');
  }
  const path = input.trim().replace(/\\/g, '/');
  const absolute = (): PathCheck =>
    rejected(
      `"${input}" is an absolute path: give a path relative to the workspace folder.`,
      `「${input}」は絶対パスです。ワークスペースのフォルダーからの相対パスを指定してください。`,
    );
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.startsWith('~')) return absolute();
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (segments.length === 0) {
        return rejected(`"${input}" leads outside the workspace.`, `「${input}」はワークスペースの外を指しています。`);
      }
      segments.pop();
      continue;
    }
    const shown = JSON.stringify(segment).slice(1, -1);
    switch (segmentProblem(segment, segments.length === 0)) {
      case undefined:
        break;
      case 'drive':
        return absolute();
      case 'dots':
        return rejected(
          `"${input}" has a part that is no file name on Windows (only dots and spaces, or nothing before a colon).`,
          `「${input}」には Windows でファイル名にならない部分（ドットと空白だけ、またはコロンの前が空）があります。`,
        );
      case 'hidden':
        return rejected(`"${input}" is inside ${segment}, which the tools do not read.`, `「${input}」は ${segment} の中にあるため、ツールでは読めません。`);
      case 'stream':
        return rejected(`"${shown}" contains a colon, which Windows reads as a hidden data stream: use a name without ":".`, `「${shown}」にはコロンがあり、Windows では隠しデータストリームと解釈されます。「:」のない名前にしてください。`);
      case 'device':
        return rejected(`"${shown}" is a device name on Windows (like CON or NUL), not a file: use another name.`, `「${shown}」は Windows のデバイス名（CON や NUL など）でファイルではありません。別の名前にしてください。`);
      case 'lookalike':
        return rejected(
          `"${shown}" is written with characters or %-codes that can stand for ".", "/" or a protected name: write the path with plain "/" and ".".`,
          `「${shown}」には「.」「/」や保護された名前の代わりになりうる文字や %コードが使われています。普通の「/」と「.」でパスを書いてください。`,
        );
      case 'invisible':
        return rejected(`The path contains control or invisible characters: write it with visible characters only.`, `パスに制御文字か見えない文字が含まれています。見える文字だけで書いてください。`);
      case 'long':
        return rejected(`"${input.slice(0, 60)}…" has a name longer than ${MAX_SEGMENT_LENGTH} characters.`, `「${input.slice(0, 60)}…」には ${MAX_SEGMENT_LENGTH} 文字を超える名前があります。`);
    }
    segments.push(segment);
  }
  // `.` and `..` can bring a `~` to the front (`./~`, `a/../~/x`): the normal form obeys the same rule.
  if (segments[0]?.startsWith('~')) return absolute();
  if (segments.length > 0 && segmentProblem(segments[0], true) !== undefined) return absolute();
  return { ok: true, segments };
}

/**
 * Whether `target` is `root` or inside it, for absolute paths already resolved (realpath).
 * `caseInsensitive` for Windows and macOS file systems.
 */
export function isWithin(root: string, target: string, caseInsensitive = false): boolean {
  const norm = (p: string): string => {
    const slashed = p.replace(/\\/g, '/').replace(/\/+$/, '');
    return caseInsensitive ? slashed.toLowerCase() : slashed;
  };
  const r = norm(root);
  const t = norm(target);
  return t === r || t.startsWith(r === '' ? '/' : `${r}/`);
}

/**
 * Which workspace folder a path names: in a multi-root workspace a path may start with a
 * folder's name; otherwise it is under the first folder.
 */
export function pickFolder(segments: readonly string[], folderNames: readonly string[]): { readonly folder: number; readonly rest: readonly string[] } {
  if (folderNames.length > 1 && segments.length > 0) {
    const index = folderNames.indexOf(segments[0]);
    if (index >= 0) return { folder: index, rest: segments.slice(1) };
  }
  return { folder: 0, rest: segments };
}
