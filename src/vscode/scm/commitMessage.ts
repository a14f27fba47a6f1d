// "Write Commit Message": the staged changes (or, with nothing staged, all changes and untracked
// files) become a commit message that streams into the repository's Source Control box. Lockfiles,
// generated, minified and binary files are left out and named; a diff too large for the context
// is summarized piece by piece first (core/commit/commitRun). Only the answer is ever written:
// reasoning stays in the engine's analysis channel, fences and preambles are cleaned away.
import { stat } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { instructionTexts, materialBudget } from '../../core/commit/commitBudget';
import { writeCommitMessage, type CommitModel, type CommitRunOutcome } from '../../core/commit/commitRun';
import type { SkipReason } from '../../core/commit/skipRules';
import { commitMessagePrompt, pieceSummaryPrompt, type CommitLanguage, type CommitPrompt, type CommitStyle } from '../../core/prompts/commitMessage';
import type { StopReason } from '../../core/generation/types';
import { EngineRequestError } from '../../engine/client';
import { localized } from '../request/engineService';
import type { RequestService } from '../request/requestService';
import { answerLanguage } from '../request/taskSettings';
import { CommitBox } from './commitBox';
import { Git, MAX_UNTRACKED_FILES } from './gitCli';
import type { GitRepository } from './gitApi';

/** Less room than this for the diff in one prompt cannot describe a change usefully. */
const MIN_MATERIAL_TOKENS = 256;
/** An untracked file larger than this is named, not read: it is data, not a change to describe. */
const MAX_UNTRACKED_BYTES = 1024 * 1024;

export type CommitSource = 'staged' | 'all';

export interface LeftOut {
  readonly path: string;
  readonly reason: SkipReason | 'large' | 'limit';
}

export interface CommitMessageResult {
  readonly outcome: 'written' | 'cancelled' | 'failed' | 'nothing-to-commit' | 'user-typed';
  readonly source?: CommitSource;
  readonly leftOut: readonly LeftOut[];
  readonly message?: string;
  readonly summarized?: boolean;
  readonly error?: string;
}

export interface Changes {
  readonly source: CommitSource;
  readonly diff: string;
  readonly leftOut: readonly LeftOut[];
}

/** The staged diff; with nothing staged, every change and the untracked files. */
async function changesToDescribe(git: Git, signal: AbortSignal): Promise<Changes> {
  const staged = await git.stagedDiff(signal);
  if (staged.trim() !== '') return { source: 'staged', diff: staged, leftOut: [] };
  return allChanges(git, signal);
}

/** Every change of the working tree against HEAD, staged or not, and the untracked files. */
export async function allChanges(git: Git, signal: AbortSignal): Promise<Changes> {
  const parts = [await git.trackedDiff(signal)];
  const leftOut: LeftOut[] = [];
  const untracked = await git.untrackedFiles(signal);
  for (const [index, file] of untracked.entries()) {
    if (index >= MAX_UNTRACKED_FILES) {
      leftOut.push({ path: file, reason: 'limit' });
      continue;
    }
    const size = await stat(path.join(git.root, file)).then((s) => (s.isFile() ? s.size : -1), () => -1);
    if (size < 0) continue;
    if (size > MAX_UNTRACKED_BYTES) leftOut.push({ path: file, reason: 'large' });
    else parts.push(await git.untrackedDiff(file, signal));
  }
  return { source: 'all', diff: parts.join(''), leftOut };
}

function commitLanguage(): CommitLanguage {
  const value = vscode.workspace.getConfiguration('llmJp.commitMessage').get<string>('language', 'auto');
  if (value === 'ja' || value === 'en' || value === 'ja-subject-en-body' || value === 'en-subject-ja-body') return value;
  return answerLanguage();
}

async function commitStyle(git: Git): Promise<CommitStyle> {
  const config = vscode.workspace.getConfiguration('llmJp.commitMessage');
  const follow = config.get<boolean>('followRepositoryStyle', true);
  const email = follow ? await git.userEmail() : undefined;
  const [recentSubjects, ownSubjects] = follow
    ? await Promise.all([git.subjects(20).catch(() => []), email ? git.subjects(10, email).catch(() => []) : Promise.resolve([])])
    : [[], []];
  return {
    language: commitLanguage(),
    conventional: config.get<boolean>('conventionalCommits', false),
    subjectLimit: Math.max(20, Math.min(200, config.get<number>('subjectLengthLimit', 72))),
    recentSubjects,
    ownSubjects,
    extraInstructions: config.get<string>('extraInstructions', '').trim(),
  };
}

/** How a request ended, in the commit run's terms: a finished answer, the token limit, Stop, or a failure. */
function runEnd(reason: StopReason | 'error'): 'stop' | 'length' | 'cancelled' | 'error' {
  switch (reason) {
    case 'return':
    case 'end':
    case 'eos':
      return 'stop';
    case 'length':
    case 'cancelled':
      return reason;
    default:
      // A tool call (none is offered), malformed or truncated output: no message to trust.
      return 'error';
  }
}

/** The model side of a commit run, on the one request path. */
async function commitModel(requests: RequestService, instructions: readonly CommitPrompt[]): Promise<CommitModel> {
  const texts = instructions.map(instructionTexts);
  const measured = await requests.engine.measure(texts.flat());
  let offset = 0;
  const perPrompt = texts.map((t) => {
    const sum = measured.tokens.slice(offset, offset + t.length).reduce((a, b) => a + b, 0);
    offset += t.length;
    return sum;
  });
  const budget = materialBudget(measured.model.contextSize, Math.max(...perPrompt));
  if (budget < MIN_MATERIAL_TOKENS) {
    throw new Error(vscode.l10n.t("The model's context ({0} tokens) is too small to describe changes: raise the llmJp.contextSize setting.", measured.model.contextSize));
  }
  return {
    budget,
    count: async (items) => (await requests.engine.measure(items)).tokens,
    async *complete(prompt, options, signal) {
      const events = requests.run({ prompt: () => prompt, reasoningEffort: 'low', maxTokens: options.maxTokens }, signal);
      for (;;) {
        const next = await events.next();
        if (next.done) return { answer: next.value.answer, stopReason: runEnd(next.value.stopReason), ...(next.value.error !== undefined ? { error: next.value.error } : {}) };
        if (next.value.type === 'answer') yield next.value.text;
      }
    },
  };
}

function reasonLabel(reason: LeftOut['reason']): string {
  switch (reason) {
    case 'lockfile':
      return vscode.l10n.t('lock file');
    case 'generated':
      return vscode.l10n.t('generated');
    case 'minified':
      return vscode.l10n.t('minified');
    case 'binary':
      return vscode.l10n.t('binary');
    case 'large':
      return vscode.l10n.t('too large');
    case 'limit':
      return vscode.l10n.t('too many untracked files');
  }
}

/** "package-lock.json (lock file), logo.png (binary) and 3 more". */
export function leftOutList(leftOut: readonly LeftOut[], shown = 5): string {
  const named = leftOut.slice(0, shown).map((f) => `${f.path} (${reasonLabel(f.reason)})`).join(', ');
  return leftOut.length > shown ? vscode.l10n.t('{0} and {1} more', named, leftOut.length - shown) : named;
}

/** Runs one commit message for `repository`; resolves when the box holds its final text. */
export async function runCommitMessage(
  requests: RequestService,
  repository: GitRepository,
  gitPath: string,
  signal: AbortSignal,
  log: vscode.LogOutputChannel,
  progress: (message: string) => void,
): Promise<CommitMessageResult> {
  const git = new Git(gitPath, repository.rootUri.fsPath);
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  signal.addEventListener('abort', abort, { once: true });
  const box = new CommitBox(repository.inputBox, abort);
  const hint = box.hint.trim();
  try {
    const changes = await changesToDescribe(git, controller.signal);
    if (changes.diff.trim() === '' && changes.leftOut.length === 0) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There are no changes to describe.'));
      return { outcome: 'nothing-to-commit', leftOut: [] };
    }
    progress(changes.source === 'staged' ? vscode.l10n.t('from the staged changes') : vscode.l10n.t('from all changes (nothing is staged)'));
    const style = await commitStyle(git);
    const prompt = { style, hint, source: changes.source, ...(repository.state.HEAD?.name ? { branch: repository.state.HEAD.name } : {}) };
    const base = { ...prompt, files: [], skipped: [] };
    const model = await commitModel(requests, [
      commitMessagePrompt(base, { summaries: [] }),
      pieceSummaryPrompt({ paths: [], text: '', tokens: 0 }, style, hint),
    ]);
    const run = writeCommitMessage({ diff: changes.diff, prompt }, model, controller.signal);
    let outcome: CommitRunOutcome;
    let leftOut: LeftOut[] = [...changes.leftOut];
    for (;;) {
      const next = await run.next();
      if (next.done) {
        outcome = next.value;
        break;
      }
      const event = next.value;
      if (event.type === 'planned') {
        leftOut = [...event.plan.skipped, ...changes.leftOut];
        log.info(`commit message for ${repository.rootUri.fsPath}: ${changes.source} changes, ${event.plan.included.length} files, ${event.plan.pieces.length} piece(s)${leftOut.length ? `, left out: ${leftOut.map((f) => `${f.path} (${f.reason})`).join(', ')}` : ''}`);
      } else if (event.type === 'summarizing') {
        progress(vscode.l10n.t('summarizing the changes ({0} of {1})', Math.min(event.done + 1, event.of), event.of));
      } else if (!box.edited) {
        box.show(event.text);
      }
    }
    if (box.edited) {
      void vscode.window.showInformationMessage(vscode.l10n.t('You edited the commit message, so LLM-jp stopped writing it.'));
      return { outcome: 'user-typed', source: changes.source, leftOut };
    }
    if (outcome.stopReason === 'cancelled' || signal.aborted) {
      await box.restore();
      return { outcome: 'cancelled', source: changes.source, leftOut };
    }
    if (outcome.message.trim() === '' || (outcome.stopReason !== 'stop' && outcome.stopReason !== 'length')) {
      await box.restore();
      const error = outcome.error ?? vscode.l10n.t('The model wrote no commit message.');
      void vscode.window.showErrorMessage(error);
      return { outcome: 'failed', source: changes.source, leftOut, error };
    }
    await box.finish(outcome.message);
    const notes: string[] = [];
    if (changes.source === 'all') notes.push(vscode.l10n.t('Nothing was staged, so the message describes all changes, untracked files included.'));
    if (leftOut.length > 0) notes.push(vscode.l10n.t('Left out of the message: {0}.', leftOutList(leftOut)));
    if (notes.length > 0) void vscode.window.showInformationMessage(notes.join(' '));
    return { outcome: 'written', source: changes.source, leftOut, message: outcome.message, summarized: outcome.summarized };
  } catch (error) {
    await box.restore();
    if (controller.signal.aborted && !box.edited) return { outcome: 'cancelled', leftOut: [] };
    const message = error instanceof EngineRequestError ? localized(error.error.message) : error instanceof Error ? error.message : String(error);
    log.error(`commit message failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('Could not write a commit message: {0}', message));
    return { outcome: 'failed', leftOut: [], error: message };
  } finally {
    signal.removeEventListener('abort', abort);
  }
}
