// Which paths the chat's tools may touch: relative paths inside the workspace only. A path the
// model writes is checked here before anything touches the disk; the adapter then resolves
// symlinks and checks the real path with isWithin, so a link cannot lead outside either.
import type { LocalizedText } from '../generation/types';

export type PathCheck =
  | { readonly ok: true; /** Normalized segments under the root; [] is the root itself. */ readonly segments: readonly string[] }
  | { readonly ok: false; readonly error: LocalizedText };

/** Folders no tool reads or lists: version-control internals. */
const HIDDEN_SEGMENTS = new Set(['.git']);

const MAX_PATH_LENGTH = 1024;

function rejected(en: string, ja: string): PathCheck {
  return { ok: false, error: { en, ja } };
}

export function isHiddenSegment(segment: string): boolean {
  return HIDDEN_SEGMENTS.has(segment.toLowerCase());
}

/**
 * Checks a workspace-relative path: no absolute paths (`/x`, `C:\x`, `\\server`), no `~`, no
 * `..` that climbs above the root, nothing inside `.git`. Both separators are accepted.
 */
export function checkWorkspacePath(input: string): PathCheck {
  if (input.length > MAX_PATH_LENGTH || input.includes('\0')) {
    return rejected('The path is not valid.', 'パスが正しくありません。');
  }
  const path = input.trim().replace(/\\/g, '/');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.startsWith('~')) {
    return rejected(
      `"${input}" is an absolute path: give a path relative to the workspace folder.`,
      `「${input}」は絶対パスです。ワークスペースのフォルダーからの相対パスを指定してください。`,
    );
  }
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
    if (isHiddenSegment(segment)) {
      return rejected(`"${input}" is inside ${segment}, which the tools do not read.`, `「${input}」は ${segment} の中にあるため、ツールでは読めません。`);
    }
    segments.push(segment);
  }
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
