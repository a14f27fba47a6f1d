// Changes the model proposes through its tools, held until the user decides. Nothing touches a
// file before Accept: each proposal is a whole new text of one file, shown in VS Code's diff
// editor against a virtual document and as a card in the panel. Accepted proposals are applied
// together as one WorkspaceEdit (one undo step) and checked on disk afterwards; a file that
// changed since its proposal was made is refused as stale; Reject leaves no trace.
import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { lineCounts } from '../../core/edits/lineCounts';
import type { ProposalCard, ProposalState } from '../../core/protocol';

export const STAGED_SCHEME = 'llmjp-staged';

export interface StagedFile {
  readonly id: string;
  readonly uri: vscode.Uri;
  /** Workspace-relative, as the model and the user know it. */
  readonly path: string;
  /** The file's text when the first change to it was proposed ('' for a new file). */
  readonly baseline: string;
  /** The file as the proposals so far would leave it. */
  proposed: string;
  readonly created: boolean;
  state: ProposalState;
}

export function proposalCard(file: StagedFile): ProposalCard {
  return { id: file.id, path: file.path, created: file.created, state: file.state, ...lineCounts(file.baseline, file.proposed) };
}

/** The smallest range of `before` to replace to get `after`: edits keep the cursor and markers elsewhere. */
function changedRange(before: string, after: string): { start: number; end: number; text: string } {
  let start = 0;
  const max = Math.min(before.length, after.length);
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { start, end: endBefore, text: after.slice(start, endAfter) };
}

export interface AcceptOutcome {
  readonly applied: readonly StagedFile[];
  readonly stale: readonly StagedFile[];
  readonly failed: readonly StagedFile[];
}

export class EditStaging implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly files = new Map<string, StagedFile>();
  private readonly changed = new vscode.EventEmitter<StagedFile>();
  private readonly contentChanged = new vscode.EventEmitter<vscode.Uri>();
  /** Fires when a proposal's state changes (the panel updates its card). */
  readonly onDidChangeState = this.changed.event;
  readonly onDidChange = this.contentChanged.event;
  private readonly disposables: vscode.Disposable[];

  constructor() {
    this.disposables = [vscode.workspace.registerTextDocumentContentProvider(STAGED_SCHEME, this), this.changed, this.contentChanged];
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.files.get(uri.query)?.proposed ?? '';
  }

  get(id: string): StagedFile | undefined {
    return this.files.get(id);
  }

  pending(): StagedFile[] {
    return [...this.files.values()].filter((f) => f.state === 'pending');
  }

  /** The pending proposal for a file, if any: later tool calls build on it and read it. */
  pendingFor(uri: vscode.Uri): StagedFile | undefined {
    return this.pending().find((f) => f.uri.toString() === uri.toString());
  }

  /**
   * Stages `proposed` as the new text of `uri`. A file with a pending proposal gets the new text
   * on the same proposal (its baseline stays the text before the first change).
   */
  stage(uri: vscode.Uri, relativePath: string, baseline: string, proposed: string, created = false): StagedFile {
    const existing = this.pendingFor(uri);
    if (existing) {
      existing.proposed = proposed;
      this.contentChanged.fire(this.virtualUri(existing));
      return existing;
    }
    const file: StagedFile = { id: randomUUID(), uri, path: relativePath, baseline, proposed, created, state: 'pending' };
    this.files.set(file.id, file);
    return file;
  }

  /** Where the diff editor reads the proposal (the query names it; the path gives the title and the language). */
  virtualUri(file: StagedFile): vscode.Uri {
    return vscode.Uri.from({ scheme: STAGED_SCHEME, path: `/${file.path}`, query: file.id });
  }

  /** Shows the proposal against the file as it is (against nothing for a new file). */
  async open(id: string): Promise<void> {
    const file = this.files.get(id);
    if (!file) return;
    const left = file.created ? vscode.Uri.from({ scheme: STAGED_SCHEME, path: `/${file.path}`, query: `${file.id}-empty` }) : file.uri;
    const title = vscode.l10n.t('{0} ↔ proposed by LLM-jp', path.posix.basename(file.path));
    await vscode.commands.executeCommand('vscode.diff', left, this.virtualUri(file), title, { preview: true, preserveFocus: true });
  }

  reject(ids: readonly string[]): void {
    for (const id of ids) {
      const file = this.files.get(id);
      if (file?.state !== 'pending') continue;
      this.settle(file, 'rejected');
    }
  }

  /**
   * Applies the pending proposals among `ids` as one WorkspaceEdit, saves the files that had no
   * unsaved changes, and checks each on disk. A file whose text is no longer its baseline is
   * stale and left alone.
   */
  async accept(ids: readonly string[]): Promise<AcceptOutcome> {
    const chosen = ids.map((id) => this.files.get(id)).filter((f): f is StagedFile => f?.state === 'pending');
    const stale: StagedFile[] = [];
    const ready: Array<{ file: StagedFile; document?: vscode.TextDocument; wasDirty: boolean }> = [];
    for (const file of chosen) {
      if (file.created) {
        const exists = await fs.stat(file.uri.fsPath).then(() => true, () => false);
        if (exists) stale.push(file);
        else ready.push({ file, wasDirty: false });
        continue;
      }
      const document = await vscode.workspace.openTextDocument(file.uri).then((d) => d, () => undefined);
      if (!document || document.getText() !== file.baseline) stale.push(file);
      else ready.push({ file, document, wasDirty: document.isDirty });
    }
    const edit = new vscode.WorkspaceEdit();
    for (const { file, document } of ready) {
      if (!document) {
        edit.createFile(file.uri, { ignoreIfExists: false, contents: new TextEncoder().encode(file.proposed) });
        continue;
      }
      const change = changedRange(file.baseline, file.proposed);
      edit.replace(file.uri, new vscode.Range(document.positionAt(change.start), document.positionAt(change.end)), change.text);
    }
    const failed: StagedFile[] = [];
    const applied: StagedFile[] = [];
    if (ready.length > 0 && !(await vscode.workspace.applyEdit(edit))) {
      failed.push(...ready.map((r) => r.file));
    } else {
      for (const { file, document, wasDirty } of ready) {
        // A file the user had unsaved changes in stays unsaved: saving would write their edits too.
        if (document && !wasDirty) await document.save();
        // A save can be abandoned (another extension's will-save handler timing out on a busy
        // machine): once more before the file counts as not written.
        if (document && !wasDirty && document.isDirty) await document.save();
        const inEditor = document ? document.getText() === file.proposed : true;
        if (inEditor && (wasDirty || (await reachedDisk(file.uri, file.proposed, document)))) applied.push(file);
        else failed.push(file);
      }
    }
    for (const file of stale) this.settle(file, 'stale');
    for (const file of failed) this.settle(file, 'failed');
    for (const file of applied) this.settle(file, 'accepted');
    return { applied, stale, failed };
  }

  private settle(file: StagedFile, state: ProposalState): void {
    file.state = state;
    this.changed.fire(file);
    void closeDiffOf(this.virtualUri(file));
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/**
 * Whether the file on disk now holds `text` (other agents reported writes that never happened).
 * A file in another encoding than UTF-8 cannot be compared here: then the saved document counts.
 */
async function reachedDisk(uri: vscode.Uri, text: string, document: vscode.TextDocument | undefined): Promise<boolean> {
  const bytes = await fs.readFile(uri.fsPath).then((b) => b, () => undefined);
  if (!bytes) return false;
  let decoded: string;
  try {
    decoded = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return document !== undefined && !document.isDirty;
  }
  return decoded === text;
}

async function closeDiffOf(virtual: vscode.Uri): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter((tab) => tab.input instanceof vscode.TabInputTextDiff && tab.input.modified.toString() === virtual.toString());
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}
