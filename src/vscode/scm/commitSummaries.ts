// Commits explained in the chat panel: "Summarize Commits" (a commit, a range such as
// main..HEAD, or the last N commits) as release notes, and "Explain Commit" for one picked from
// the recent ones. Both become a chat turn, so follow-up questions work; the patches are cut to
// what the model's context holds, lockfiles and generated files left out and named.
import * as vscode from 'vscode';
import { splitDiff } from '../../core/commit/diffFiles';
import { LOG_FORMAT, parseLog, type CommitInfo } from '../../core/commit/gitLog';
import { skipReason, type SkipReason } from '../../core/commit/skipRules';
import { explainCommitPrompt, releaseNotesPrompt } from '../../core/prompts/commitSummary';
import { codeBudget } from '../editor/taskCode';
import { attachmentsWithIds } from '../editor/taskAttachments';
import { answerLanguage } from '../request/taskSettings';
import { Git, GitError } from './gitCli';
import type { GitApi, GitRepository } from './gitApi';
import type { ScmServices } from './scmCommands';

/** Commits a summary reads at most (a range may hold thousands). */
const MAX_COMMITS = 200;
const RECENT_COMMITS = 50;

export interface PatchText {
  readonly text: string;
  readonly skipped: readonly { readonly path: string; readonly reason: SkipReason }[];
  /** Files whose diff did not fit: named with their line counts instead. */
  readonly cut: number;
}

/** The patch without skipped files, whole files in order while they fit `budget` characters, the rest by name. */
export function patchWithin(patch: string, budget: number): PatchText {
  const skipped: { path: string; reason: SkipReason }[] = [];
  const kept: string[] = [];
  const named: string[] = [];
  let used = 0;
  for (const file of splitDiff(patch)) {
    const reason = skipReason(file);
    if (reason) {
      skipped.push({ path: file.path, reason });
      continue;
    }
    if (named.length === 0 && used + file.text.length <= budget) {
      kept.push(file.text);
      used += file.text.length;
    } else {
      named.push(`${file.path} (+${file.added} −${file.removed})`);
    }
  }
  const rest = named.length > 0 ? `\n# ${named.length} more files, not shown:\n${named.map((n) => `#   ${n}`).join('\n')}\n` : '';
  return { text: kept.join('') + rest, skipped, cut: named.length };
}

export function gitFor(api: GitApi, repository: GitRepository): Git {
  return new Git(api.git.path, repository.rootUri.fsPath);
}

async function recentCommits(git: Git, count = RECENT_COMMITS): Promise<CommitInfo[]> {
  if (!(await git.hasHead())) return [];
  return parseLog(await git.log(LOG_FORMAT, [`-n${count}`, 'HEAD']));
}

export async function commitNamed(git: Git, revision: string): Promise<CommitInfo | undefined> {
  const hash = await git.resolves(revision);
  if (!hash) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not a commit or branch of this repository.', revision));
    return undefined;
  }
  return parseLog(await git.log(LOG_FORMAT, ['-n1', hash]))[0];
}

interface CommitItem extends vscode.QuickPickItem {
  readonly commit: CommitInfo;
}

export async function pickCommit(git: Git, placeHolder: string): Promise<CommitInfo | undefined> {
  const commits = await recentCommits(git);
  if (commits.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('This repository has no commits yet.'));
    return undefined;
  }
  const picked = await vscode.window.showQuickPick<CommitItem>(
    commits.map((commit) => ({ label: commit.subject || commit.shortHash, description: commit.shortHash, detail: `${commit.author}, ${new Date(commit.date).toLocaleString(vscode.env.language)}`, commit })),
    { placeHolder, matchOnDescription: true, matchOnDetail: true },
  );
  return picked?.commit;
}

/** What the user asks to summarize, as `git log` revisions and a label for the question. */
interface Selection {
  readonly label: string;
  readonly revisions: readonly string[];
  /** Names the user typed, checked before git reads them. */
  readonly typed: readonly string[];
}

/** What to summarize when a caller (a keybinding's args, another extension) says it up front. */
export type SummaryPreset = { readonly last: number } | { readonly range: string } | { readonly commit: string };

function presetSelection(preset: SummaryPreset): Selection | undefined {
  if ('last' in preset && Number.isInteger(preset.last) && preset.last > 0) {
    return { label: vscode.l10n.t('the last {0} commits', preset.last), revisions: [`-n${preset.last}`, 'HEAD'], typed: [] };
  }
  if ('range' in preset && typeof preset.range === 'string' && RANGE.test(preset.range.trim())) {
    const [from, to] = preset.range.trim().split('..');
    return { label: preset.range.trim(), revisions: [`-n${MAX_COMMITS}`, `${from}..${to}`], typed: [from, to] };
  }
  if ('commit' in preset && typeof preset.commit === 'string') {
    return { label: preset.commit.slice(0, 12), revisions: ['-n1', '--end-of-options', preset.commit], typed: [preset.commit] };
  }
  return undefined;
}

/** FROM..TO, neither side an option. */
const RANGE = /^[^\s-][^\s.]*(?:\.[^\s.]+)*\.\.[^\s.-][^\s]*$/;

async function pickSelection(git: Git, preset?: SummaryPreset): Promise<Selection | undefined> {
  if (preset) return presetSelection(preset);
  const choices = [
    { label: vscode.l10n.t('The last N commits…'), action: 'last' as const },
    { label: vscode.l10n.t('A range of commits…'), description: 'main..HEAD', action: 'range' as const },
    { label: vscode.l10n.t('One commit…'), action: 'one' as const },
  ];
  const choice = await vscode.window.showQuickPick(choices, { placeHolder: vscode.l10n.t('Summarize which commits?') });
  if (!choice) return undefined;
  if (choice.action === 'one') {
    const commit = await pickCommit(git, vscode.l10n.t('Pick the commit to summarize'));
    return commit && { label: commit.shortHash, revisions: ['-n1', commit.hash], typed: [] };
  }
  if (choice.action === 'last') {
    const value = await vscode.window.showInputBox({
      prompt: vscode.l10n.t('How many of the latest commits?'),
      value: '10',
      validateInput: (text) => (/^[1-9]\d{0,3}$/.test(text.trim()) ? undefined : vscode.l10n.t('A number from 1 to 9999')),
    });
    if (value === undefined) return undefined;
    const n = Number(value.trim());
    return { label: vscode.l10n.t('the last {0} commits', n), revisions: [`-n${n}`, 'HEAD'], typed: [] };
  }
  const range = await vscode.window.showInputBox({
    prompt: vscode.l10n.t('A range of commits, as git writes it'),
    value: 'main..HEAD',
    validateInput: (text) => (/^[^\s-][^\s]*\.\.[^\s]+$/.test(text.trim()) ? undefined : vscode.l10n.t('Write it as FROM..TO, for example main..HEAD')),
  });
  if (range === undefined) return undefined;
  const [from, to] = range.trim().split('..');
  return { label: range.trim(), revisions: [`-n${MAX_COMMITS}`, `${from}..${to}`], typed: [from, to] };
}

/** Summarize Commits: release notes for the chosen commits, in the chat panel. */
export async function summarizeCommits(services: ScmServices, api: GitApi, repository: GitRepository, preset?: SummaryPreset): Promise<void> {
  const git = gitFor(api, repository);
  try {
    if (!(await git.hasHead())) {
      void vscode.window.showInformationMessage(vscode.l10n.t('This repository has no commits yet.'));
      return;
    }
    const selection = await pickSelection(git, preset);
    if (!selection) return;
    for (const revision of selection.typed) {
      if (!(await git.resolves(revision))) {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} is not a commit or branch of this repository.', revision));
        return;
      }
    }
    const commits = parseLog(await git.log(LOG_FORMAT, selection.revisions));
    if (commits.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('{0} holds no commits.', selection.label));
      return;
    }
    // The patch of the whole selection at once: from the parent of its oldest commit (from nothing for a root commit).
    const oldest = commits[commits.length - 1];
    const base = (await git.resolves(`${oldest.hash}^`)) ?? (await git.emptyTree());
    const patch = await git.rangePatch(base, commits[0].hash);
    const budget = codeBudget(services.requests.engine.model?.contextSize);
    const shown = patchWithin(patch, budget);
    const prompt = releaseNotesPrompt({ language: answerLanguage(), label: selection.label, commits, patches: shown.text, skipped: shown.skipped });
    const session = await services.chat();
    await session.askAbout(prompt.question, attachmentsWithIds(prompt.attachments));
  } catch (error) {
    reportGitError(services, error);
  }
}

/** Explain Commit: what one recent commit changed and why, in the chat panel. */
export async function explainCommit(services: ScmServices, api: GitApi, repository: GitRepository, hash?: string): Promise<void> {
  const git = gitFor(api, repository);
  try {
    const commit = hash !== undefined ? await commitNamed(git, hash) : await pickCommit(git, vscode.l10n.t('Pick the commit to explain'));
    if (!commit) return;
    const shown = patchWithin(await git.commitPatch(commit.hash), codeBudget(services.requests.engine.model?.contextSize));
    const prompt = explainCommitPrompt({ language: answerLanguage(), commit, patch: shown.text, skipped: shown.skipped });
    const session = await services.chat();
    await session.askAbout(prompt.question, attachmentsWithIds(prompt.attachments));
  } catch (error) {
    reportGitError(services, error);
  }
}

function reportGitError(services: ScmServices, error: unknown): void {
  services.log.error(`git: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  const detail = error instanceof GitError ? error.stderr.trim().split('\n')[0] || error.message : String(error);
  void vscode.window.showErrorMessage(vscode.l10n.t('Git failed: {0}', detail));
}
