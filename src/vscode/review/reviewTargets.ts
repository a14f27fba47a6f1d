// What a review reads: the staged changes, the working tree's changes, one commit, a branch
// against its base (from where it left the base), or the file in the editor. Diffs come from git
// as the commit commands read them; the listings the model reads are built in core/review.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { diffMaterial, fileMaterial, type ReviewMaterial } from '../../core/review/reviewMaterial';
import { allChanges } from '../scm/commitMessage';
import { commitNamed, gitFor, pickCommit } from '../scm/commitSummaries';
import type { GitApi, GitRepository } from '../scm/gitApi';

export type ReviewKind = 'staged' | 'workingTree' | 'commit' | 'branch' | 'file';

export interface ReviewTarget {
  /** In the user's language: "the staged changes", "commit 1a2b3c4", "main..HEAD", "calc.ts". */
  readonly label: string;
  readonly kind: 'diff' | 'file';
  readonly material: ReviewMaterial;
  /** The file each reviewed path is (the model names files by these paths). */
  readonly uris: ReadonlyMap<string, vscode.Uri>;
}

function urisOf(material: ReviewMaterial, root: vscode.Uri): Map<string, vscode.Uri> {
  return new Map(material.files.map((f) => [f.path, vscode.Uri.joinPath(root, ...f.path.split('/'))]));
}

/** The branch a branch review compares against: origin's default branch, else main, else master. */
async function defaultBase(api: GitApi, repository: GitRepository): Promise<string | undefined> {
  const git = gitFor(api, repository);
  try {
    const remoteHead = (await git.run(['symbolic-ref', '--quiet', '--short', 'refs/remotes/origin/HEAD'])).trim();
    if (remoteHead !== '') return remoteHead;
  } catch {
    // no origin, or no default branch recorded for it
  }
  for (const name of ['main', 'master']) if (await git.resolves(name)) return name;
  return undefined;
}

async function pickBase(api: GitApi, repository: GitRepository): Promise<string | undefined> {
  const git = gitFor(api, repository);
  const current = repository.state.HEAD?.name;
  const suggested = await defaultBase(api, repository);
  const branches = (await git.run(['for-each-ref', '--format=%(refname:short)', 'refs/heads', 'refs/remotes']))
    .split('\n')
    .map((b) => b.trim())
    .filter((b) => b !== '' && b !== current && !b.endsWith('/HEAD'));
  const ordered = suggested ? [suggested, ...branches.filter((b) => b !== suggested)] : branches;
  if (ordered.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This repository has no other branch to compare with.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(ordered, { placeHolder: vscode.l10n.t('Review this branch against which base?') });
  return picked;
}

/** The target of a review of `repository`, or undefined (after telling the user why) when there is nothing to review. */
export async function repositoryTarget(
  api: GitApi,
  repository: GitRepository,
  kind: Exclude<ReviewKind, 'file'>,
  maxFileChars: number,
  signal: AbortSignal,
  preset?: string,
): Promise<ReviewTarget | undefined> {
  const git = gitFor(api, repository);
  let label: string;
  let diff: string;
  switch (kind) {
    case 'staged':
      label = vscode.l10n.t('the staged changes');
      diff = await git.stagedDiff(signal);
      if (diff.trim() === '') {
        void vscode.window.showInformationMessage(vscode.l10n.t('Nothing is staged: stage the changes to review, or review the working tree.'));
        return undefined;
      }
      break;
    case 'workingTree':
      label = vscode.l10n.t('the working tree changes');
      diff = (await allChanges(git, signal)).diff;
      if (diff.trim() === '') {
        void vscode.window.showInformationMessage(vscode.l10n.t('The working tree has no changes to review.'));
        return undefined;
      }
      break;
    case 'commit': {
      const commit = preset !== undefined ? await commitNamed(git, preset) : await pickCommit(git, vscode.l10n.t('Pick the commit to review'));
      if (!commit) return undefined;
      label = vscode.l10n.t('commit {0}', commit.shortHash);
      diff = await git.commitPatch(commit.hash, signal);
      break;
    }
    case 'branch': {
      const base = preset ?? (await pickBase(api, repository));
      if (!base) return undefined;
      if (!(await git.resolves(base))) {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not a commit or branch of this repository.', base));
        return undefined;
      }
      const mergeBase = (await git.run(['merge-base', '--end-of-options', base, 'HEAD'], { signal })).trim();
      label = `${base}..HEAD`;
      diff = await git.rangePatch(mergeBase, 'HEAD', signal);
      if (diff.trim() === '') {
        void vscode.window.showInformationMessage(vscode.l10n.t('This branch has no changes against {0}.', base));
        return undefined;
      }
      break;
    }
  }
  const material = diffMaterial(diff, maxFileChars);
  if (material.files.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Nothing in {0} can be reviewed: only deleted, binary, generated or lock files changed.', label));
    return undefined;
  }
  return { label, kind: 'diff', material, uris: urisOf(material, repository.rootUri) };
}

/** A review of the whole document (unsaved changes included). */
export function documentTarget(document: vscode.TextDocument, maxFileChars: number): ReviewTarget {
  const relative = vscode.workspace.asRelativePath(document.uri, false);
  // The model names files by relative paths; a file outside the workspace is named by its base name.
  const name = path.isAbsolute(relative) || document.uri.scheme !== 'file' ? path.basename(document.uri.path) || 'untitled' : relative.replace(/\\/g, '/');
  const material = fileMaterial(name, document.getText(), maxFileChars);
  return { label: name, kind: 'file', material, uris: new Map([[name, document.uri]]) };
}
