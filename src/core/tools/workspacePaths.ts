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

/**
 * Checks a workspace-relative path: no absolute paths (`/x`, `C:\x`, `\\server`), no `~`, no
 * `..` that climbs above the root, nothing inside `.git`. Both separators are accepted. Each
 * segment must also be safe by Windows rules: no drive (`./C:/x` would be `C:/x` once
 * normalized, and `a/D:x` resolves onto drive D: segment by segment), and not only dots and
 * spaces (Windows may read `. ` or `.. ` as `.` or `..`).
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
    if (/^[A-Za-z]:/.test(segment)) return absolute();
    if (windowsName(segment) === '') {
      return rejected(
        `"${input}" has a part that is no file name on Windows (only dots and spaces, or nothing before a colon).`,
        `「${input}」には Windows でファイル名にならない部分（ドットと空白だけ、またはコロンの前が空）があります。`,
      );
    }
    if (isHiddenSegment(segment)) {
      return rejected(`"${input}" is inside ${segment}, which the tools do not read.`, `「${input}」は ${segment} の中にあるため、ツールでは読めません。`);
    }
    segments.push(segment);
  }
  // `.` and `..` can bring a `~` to the front (`./~`, `a/../~/x`): the normal form obeys the same rule.
  if (segments[0]?.startsWith('~')) return absolute();
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
