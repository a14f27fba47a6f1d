// What a finding's thread offers: Apply suggestion (the replacement staged as a proposal and
// shown in the diff editor, applied only when the user accepts it, as every model edit is) and
// Explain more (a follow-up answered inside the thread, streamed).
import * as vscode from 'vscode';
import { explainFindingPrompt } from '../../core/prompts/review';
import { replaceLines } from '../../core/edits/replaceLines';
import { anchorFinding } from '../../core/review/findings';
import type { EditStaging } from '../edits/editStaging';
import type { RequestService } from '../request/requestService';
import { reviewLanguage } from './reviewRun';
import type { OpenFinding, ReviewThreads } from './reviewThreads';

/** Lines shown around a finding when it is explained. */
const EXPLAIN_CONTEXT_LINES = 15;
/** How often a streamed explanation is redrawn: each redraw replaces the thread's comments. */
const EXPLAIN_REDRAW_MS = 100;

/**
 * Stages the finding's replacement for its lines and opens the diff. The lines are found again
 * by the finding's quote in the document: a suggestion for code that has changed since is
 * refused, not applied elsewhere.
 */
export async function applySuggestion(staging: EditStaging, found: OpenFinding): Promise<string | undefined> {
  const { record } = found;
  if (record.replacement === undefined) return undefined;
  const uri = vscode.Uri.parse(record.uri);
  let document: vscode.TextDocument;
  try {
    document = await vscode.workspace.openTextDocument(uri);
  } catch {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} cannot be opened, so the suggestion is not applied.', record.path));
    return undefined;
  }
  // One proposal per file at a time (a chat's tool edit, an inline answer): the waiting one is decided first.
  const waiting = staging.pendingFor(uri);
  if (waiting) {
    void vscode.window.showInformationMessage(vscode.l10n.t('A proposed change to {0} is waiting: accept or reject it first.', waiting.path));
    await staging.open(waiting.id);
    return undefined;
  }
  const baseline = document.getText();
  const anchored = anchorFinding(record, baseline);
  if (anchored.kind === 'dropped') {
    void vscode.window.showWarningMessage(vscode.l10n.t('The lines of this finding have changed since the review, so its suggestion is not applied.'));
    return undefined;
  }
  const proposed = replaceLines(baseline, anchored.startLine, anchored.endLine, record.replacement);
  const staged = staging.stage(uri, record.path, baseline, proposed);
  await staging.open(staged.id);
  return staged.id;
}

/** Streams a longer explanation of the finding into its thread (Stop Explaining ends it). */
export async function explainFinding(requests: RequestService, threads: ReviewThreads, found: OpenFinding): Promise<void> {
  if (found.explaining) return;
  const { record } = found;
  const controller = new AbortController();
  threads.setExplaining(record.id, controller);
  let document: vscode.TextDocument | undefined;
  try {
    document = await vscode.workspace.openTextDocument(vscode.Uri.parse(record.uri));
  } catch {
    document = undefined;
  }
  const first = Math.max(0, record.startLine - EXPLAIN_CONTEXT_LINES);
  const last = document ? Math.min(document.lineCount - 1, record.endLine + EXPLAIN_CONTEXT_LINES) : record.endLine;
  const excerpt = document
    ? Array.from({ length: last - first + 1 }, (_, i) => `${String(first + i + 1).padStart(5)}   ${document.lineAt(first + i).text}`).join('\n')
    : record.quote;
  const prompt = explainFindingPrompt({ language: reviewLanguage(), finding: record, excerpt });
  let text = '';
  let drawnAt = 0;
  threads.setExplanation(record.id, '', true);
  try {
    const run = requests.run({ prompt: () => prompt }, controller.signal);
    let step = await run.next();
    while (!step.done) {
      if (step.value.type === 'answer') {
        text += step.value.text;
        if (performance.now() - drawnAt >= EXPLAIN_REDRAW_MS) {
          drawnAt = performance.now();
          threads.setExplanation(record.id, text, true);
        }
      }
      step = await run.next();
    }
    const outcome = step.value;
    const ending =
      outcome.stopReason === 'cancelled' ? `\n\n*${vscode.l10n.t('Stopped.')}*` : outcome.error !== undefined ? `\n\n*${outcome.error}*` : '';
    threads.setExplanation(record.id, outcome.answer + ending, false);
  } finally {
    threads.setExplaining(record.id, undefined);
  }
}
