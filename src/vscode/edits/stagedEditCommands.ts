// Accept and Reject in the title of a proposal's diff editor, for proposals opened from anywhere
// (a panel card, a review suggestion, an inline answer): the decision is made where the change is
// read. The panel's cards follow through EditStaging's state events.
import * as vscode from 'vscode';
import { STAGED_SCHEME, type EditStaging } from './editStaging';

export const StagedEditCommands = {
  accept: 'llmJp.acceptStagedEdit',
  reject: 'llmJp.rejectStagedEdit',
  /** Opens a proposal's diff (the chat participant's buttons). */
  open: 'llmJp.openStagedEdit',
} as const;

/** The proposal a diff editor shows: its right side's query names it. */
function proposalId(uri: unknown): string | undefined {
  const candidates: unknown[] = [uri];
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  if (input instanceof vscode.TabInputTextDiff) candidates.push(input.modified);
  for (const candidate of candidates) if (candidate instanceof vscode.Uri && candidate.scheme === STAGED_SCHEME) return candidate.query;
  return undefined;
}

export function registerStagedEditCommands(staging: EditStaging): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(StagedEditCommands.accept, async (uri?: unknown) => {
      const id = proposalId(uri);
      if (id === undefined) return undefined;
      const outcome = await staging.accept([id]);
      if (outcome.stale.length > 0) void vscode.window.showWarningMessage(vscode.l10n.t('{0} changed since the proposal was made, so it was not applied.', outcome.stale[0].path));
      else if (outcome.failed.length > 0) void vscode.window.showErrorMessage(vscode.l10n.t('The change to {0} could not be written.', outcome.failed[0].path));
      return outcome;
    }),
    vscode.commands.registerCommand(StagedEditCommands.open, (uri?: unknown) => {
      const id = proposalId(uri);
      return id === undefined ? undefined : staging.open(id);
    }),
    vscode.commands.registerCommand(StagedEditCommands.reject, (uri?: unknown) => {
      const id = proposalId(uri);
      if (id !== undefined) staging.reject([id]);
    }),
  ];
}
