// "Apply to file": a code block from an answer replaces the selection of the editor the user
// worked in last (or the whole file when nothing is selected), but only after the user has seen
// the change as a diff and accepted it. The change is one WorkspaceEdit: one undo step.
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';

export const PROPOSAL_SCHEME = 'llmjp-proposal';

export const ProposalCommands = {
  apply: 'llmJp.applyProposal',
  discard: 'llmJp.discardProposal',
} as const;

export type ProposalOutcome = 'applied' | 'discarded' | 'stale';

interface Proposal {
  readonly uri: vscode.Uri;
  readonly content: string;
  settle(choice: 'apply' | 'discard'): void;
}

export class ApplyCodeFlow implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly proposals = new Map<string, Proposal>();
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [
      vscode.workspace.registerTextDocumentContentProvider(PROPOSAL_SCHEME, this),
      vscode.commands.registerCommand(ProposalCommands.apply, (uri?: vscode.Uri) => this.find(uri)?.settle('apply')),
      vscode.commands.registerCommand(ProposalCommands.discard, (uri?: vscode.Uri) => this.find(uri)?.settle('discard')),
      // Closing the diff without a choice discards the proposal.
      vscode.window.tabGroups.onDidChangeTabs(({ closed }) => {
        for (const tab of closed) {
          if (tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.scheme === PROPOSAL_SCHEME) {
            this.proposals.get(tab.input.modified.toString())?.settle('discard');
          }
        }
      }),
    ];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposals.get(uri.toString())?.content ?? '';
  }

  /** The proposal shown at `uri` (the diff's editor-title buttons pass it), else the newest one. */
  private find(uri: vscode.Uri | undefined): Proposal | undefined {
    if (uri instanceof vscode.Uri) return this.proposals.get(uri.toString());
    return [...this.proposals.values()].at(-1);
  }

  /**
   * Shows `code` in place of `at` (default: the editor's selection, or the whole document) as a
   * diff and applies it if the user accepts, from the notification or the diff's title bar.
   */
  async propose(code: string, editor: vscode.TextEditor | undefined, at?: vscode.Range): Promise<ProposalOutcome | undefined> {
    if (!editor) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open the file to apply the code to.'));
      return undefined;
    }
    const document = editor.document;
    const selection = editor.selection;
    const range = at ?? (selection.isEmpty ? new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)) : selection);
    const version = document.version;
    const content = document.getText(new vscode.Range(document.positionAt(0), range.start)) + code + document.getText(new vscode.Range(range.end, document.positionAt(document.getText().length)));
    const name = path.posix.basename(document.uri.path);
    const uri = vscode.Uri.from({ scheme: PROPOSAL_SCHEME, path: `/${name}`, query: randomUUID() });

    let settle!: (choice: 'apply' | 'discard') => void;
    const decided = new Promise<'apply' | 'discard'>((resolve) => (settle = resolve));
    this.proposals.set(uri.toString(), { uri, content, settle });
    try {
      await vscode.commands.executeCommand('vscode.diff', document.uri, uri, vscode.l10n.t('{0} ↔ proposed change', name), { preview: true });
      const apply = vscode.l10n.t('Apply');
      const discard = vscode.l10n.t('Discard');
      void vscode.window
        .showInformationMessage(vscode.l10n.t('Apply the proposed change to {0}?', name), apply, discard)
        .then((choice) => settle(choice === apply ? 'apply' : 'discard'));
      if ((await decided) === 'discard') return 'discarded';
      if (document.isClosed || document.version !== version) {
        void vscode.window.showWarningMessage(vscode.l10n.t('{0} changed while the proposal was open; nothing was applied.', name));
        return 'stale';
      }
      const edit = new vscode.WorkspaceEdit();
      edit.replace(document.uri, range, code);
      return (await vscode.workspace.applyEdit(edit)) ? 'applied' : 'stale';
    } finally {
      this.proposals.delete(uri.toString());
      await closeDiff(uri);
    }
  }

  dispose(): void {
    for (const proposal of this.proposals.values()) proposal.settle('discard');
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** Closes the diff tab that shows `proposal`, wherever it is. */
async function closeDiff(proposal: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === proposal.toString());
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
