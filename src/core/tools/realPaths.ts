// The second gate of the tools' path rules, on the real disk: checkWorkspacePath has refused what
// the path says; here the folder and the target are resolved (symbolic links followed) and the
// target's real path must still lie inside the folder's real path and outside `.git`, so a link
// cannot lead a tool out of the workspace. Node only; the VS Code adapter maps the refusals to text.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { isHiddenSegment, isWithin } from './workspacePaths';

export type RealTarget =
  | { readonly ok: true; /** The target with every link resolved: what the tools open. */ readonly real: string; /** The folder joined with the segments. */ readonly logical: string }
  | { readonly ok: false; readonly reason: 'missing' | 'outside' | 'hidden' };

/**
 * Resolves `segments` (checked by checkWorkspacePath) under the workspace folder `root`.
 * `caseInsensitive` for Windows and macOS file systems.
 */
export async function resolveRealTarget(root: string, segments: readonly string[], caseInsensitive: boolean): Promise<RealTarget> {
  const logical = path.join(root, ...segments);
  let realRoot: string;
  let real: string;
  try {
    realRoot = await fs.realpath(root);
    real = await fs.realpath(logical);
  } catch {
    return { ok: false, reason: 'missing' };
  }
  if (!isWithin(realRoot, real, caseInsensitive)) return { ok: false, reason: 'outside' };
  if (path.relative(realRoot, real).split(path.sep).some(isHiddenSegment)) return { ok: false, reason: 'hidden' };
  return { ok: true, real, logical };
}
