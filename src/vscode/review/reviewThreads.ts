// Review findings as comment threads on their lines: one controller of our own (so the threads
// are ours to list, move and restore), each thread labelled with its severity and "n of m",
// read-only (follow-ups are actions, not replies), kept in the workspace's state until applied or
// dismissed. VS Code does not move a thread's range when its file is edited, so the lines are
// moved here through every edit; an edit that replaces a thread's lines entirely re-anchors it
// by its quote, and drops it when the code it was about is gone.
import { promises as fs } from 'node:fs';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { fenceFor } from '../../core/generation/fitPrompt';
import { anchorFinding, type Finding, type FindingCategory, type FindingSeverity } from '../../core/review/findings';
import { moveRange, type LineEdit, type LineRange } from '../../core/review/lineRanges';
import { findingNumbers, MAX_STORED_FINDINGS, nextFinding, parseStoredFindings, type StoredFinding } from '../../core/review/storedFindings';

const STATE_KEY = 'llmJp.review.findings';
const REVIEW_CONTROLLER = 'llmJp.review';
/** True while the workspace has findings (the palette's next / previous / dismiss all). */
const HAS_FINDINGS = 'llmJp.hasReviewFindings';

export interface OpenFinding {
  record: StoredFinding;
  readonly thread: vscode.CommentThread;
  /** "Explain more" streaming into the thread. */
  explaining?: AbortController;
}

function severityName(severity: FindingSeverity): string {
  switch (severity) {
    case 'error':
      return vscode.l10n.t('Error');
    case 'warning':
      return vscode.l10n.t('Warning');
    case 'info':
      return vscode.l10n.t('Suggestion');
  }
}

function categoryName(category: FindingCategory): string {
  const names: Record<FindingCategory, string> = {
    bug: vscode.l10n.t('bug'),
    security: vscode.l10n.t('security'),
    performance: vscode.l10n.t('performance'),
    readability: vscode.l10n.t('readability'),
    style: vscode.l10n.t('style'),
    test: vscode.l10n.t('tests'),
    docs: vscode.l10n.t('documentation'),
  };
  return names[category];
}

const SEVERITY_ICON: Record<FindingSeverity, string> = { error: 'error', warning: 'warning', info: 'lightbulb' };

function lineRange(range: LineRange): vscode.Range {
  return new vscode.Range(range.startLine, 0, range.endLine, 0);
}

/** Whether `edit` replaced every line of `range` (and more): the code a finding quoted may be gone. */
function covers(edit: LineEdit, range: LineRange): boolean {
  const startsBefore = edit.start.line < range.startLine || (edit.start.line === range.startLine && edit.start.character === 0);
  return startsBefore && edit.end.line > range.endLine;
}

export class ReviewThreads implements vscode.Disposable {
  private readonly controller: vscode.CommentController;
  private readonly open = new Map<string, OpenFinding>();
  private readonly disposables: vscode.Disposable[] = [];
  private saveTimer: NodeJS.Timeout | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when findings are added, removed or moved (tests wait on it). */
  readonly onDidChange = this.changed.event;
  /** Resolves once the stored findings are shown again. */
  readonly restored: Promise<void>;

  constructor(
    private readonly state: vscode.Memento,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.controller = vscode.comments.createCommentController(REVIEW_CONTROLLER, vscode.l10n.t('LLM-jp Review'));
    this.disposables.push(
      this.controller,
      this.changed,
      vscode.workspace.onDidChangeTextDocument((event) => this.documentChanged(event)),
    );
    this.restored = this.restore();
  }

  /** The open findings, in the order they were reported. */
  findings(): readonly OpenFinding[] {
    return [...this.open.values()].sort((a, b) => a.record.createdAt - b.record.createdAt);
  }

  /** The finding a thread (a menu's argument) shows. */
  ofThread(thread: unknown): OpenFinding | undefined {
    return [...this.open.values()].find((f) => f.thread === thread);
  }

  /** Shows a new finding on `lines` of `uri`; returns it. */
  add(finding: Finding, uri: vscode.Uri, lines: LineRange, review: { readonly id: string; readonly label: string }): OpenFinding {
    const record: StoredFinding = {
      ...finding,
      ...lines,
      id: randomUUID(),
      uri: uri.toString(),
      reviewId: review.id,
      reviewLabel: review.label,
      createdAt: this.nextCreatedAt(),
    };
    const shown = this.show(record, vscode.CommentThreadCollapsibleState.Expanded);
    this.relabel();
    this.saveSoon(0);
    return shown;
  }

  /** Removes findings (applied, dismissed, or replaced by a new review of their file). */
  remove(ids: Iterable<string>): void {
    let removed = false;
    for (const id of ids) {
      const found = this.open.get(id);
      if (!found) continue;
      found.explaining?.abort();
      found.thread.dispose();
      this.open.delete(id);
      removed = true;
    }
    if (!removed) return;
    this.relabel();
    this.saveSoon(0);
  }

  /** Findings on any of `uris`. */
  on(uris: Iterable<vscode.Uri>): OpenFinding[] {
    const keys = new Set([...uris].map((u) => u.toString()));
    return [...this.open.values()].filter((f) => keys.has(f.record.uri));
  }

  /** Updates a finding's explanation (streamed: called again with more text). */
  setExplanation(id: string, explanation: string, streaming: boolean): void {
    const found = this.open.get(id);
    if (!found) return;
    found.record = { ...found.record, explanation };
    found.thread.comments = this.comments(found.record, streaming);
    this.setContext(found);
    if (!streaming) this.saveSoon(0);
  }

  setExplaining(id: string, controller: AbortController | undefined): void {
    const found = this.open.get(id);
    if (!found) return;
    found.explaining = controller;
    this.setContext(found);
  }

  /** The finding after (or before) the cursor, revealed with its thread expanded. */
  async reveal(direction: 1 | -1): Promise<OpenFinding | undefined> {
    const editor = vscode.window.activeTextEditor;
    const from = editor ? { uri: editor.document.uri.toString(), line: editor.selection.active.line } : undefined;
    const target = nextFinding([...this.open.values()].map((f) => ({ ...f, uri: f.record.uri, startLine: f.record.startLine })), from, direction);
    if (!target) {
      void vscode.window.showInformationMessage(vscode.l10n.t('There are no review findings.'));
      return undefined;
    }
    const uri = vscode.Uri.parse(target.record.uri);
    const position = new vscode.Position(target.record.startLine, 0);
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(position, position), preserveFocus: false });
    target.thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
    return target;
  }

  /** Now, but after every finding so far: the order within a review is the order of reporting. */
  private nextCreatedAt(): number {
    const latest = Math.max(0, ...[...this.open.values()].map((f) => f.record.createdAt));
    return Math.max(Date.now(), latest + 1);
  }

  private show(record: StoredFinding, collapsibleState: vscode.CommentThreadCollapsibleState): OpenFinding {
    const thread = this.controller.createCommentThread(vscode.Uri.parse(record.uri), lineRange(record), this.comments(record, false));
    thread.canReply = false;
    thread.collapsibleState = collapsibleState;
    const shown: OpenFinding = { record, thread };
    this.open.set(record.id, shown);
    this.setContext(shown);
    return shown;
  }

  private comments(record: StoredFinding, streaming: boolean): vscode.Comment[] {
    const body = new vscode.MarkdownString(undefined, true);
    body.appendMarkdown(`$(${SEVERITY_ICON[record.severity]}) `);
    body.appendText(record.message);
    if (record.replacement !== undefined) {
      const marks = fenceFor(record.replacement);
      body.appendMarkdown(`\n\n**${vscode.l10n.t('Suggested change')}**\n\n${marks}${languageOf(record.path)}\n${record.replacement.replace(/\r\n?/g, '\n')}\n${marks}`);
    }
    const author = { name: 'LLM-jp' };
    const comments: vscode.Comment[] = [
      { body, mode: vscode.CommentMode.Preview, author, label: `${categoryName(record.category)} · ${record.reviewLabel}`, contextValue: 'finding' },
    ];
    if (record.explanation !== undefined) {
      const explanation = new vscode.MarkdownString(record.explanation === '' && streaming ? vscode.l10n.t('Thinking…') : record.explanation);
      comments.push({ body: explanation, mode: vscode.CommentMode.Preview, author, label: vscode.l10n.t('Explanation'), contextValue: 'explanation' });
    }
    return comments;
  }

  private setContext(found: OpenFinding): void {
    found.thread.contextValue = [
      'finding',
      found.record.replacement !== undefined ? 'hasSuggestion' : 'hasNoSuggestion',
      found.explaining ? 'explaining' : 'idle',
    ].join(' ');
  }

  /** "Warning · 2 of 5" on every thread, counted within its review. */
  private relabel(): void {
    const numbers = findingNumbers([...this.open.values()].map((f) => f.record));
    for (const found of this.open.values()) {
      const n = numbers.get(found.record.id);
      if (n) found.thread.label = vscode.l10n.t('{0} · {1} of {2}', severityName(found.record.severity), n.index, n.total);
    }
    void vscode.commands.executeCommand('setContext', HAS_FINDINGS, this.open.size > 0);
    this.changed.fire();
  }

  private documentChanged(event: vscode.TextDocumentChangeEvent): void {
    if (event.contentChanges.length === 0) return;
    const key = event.document.uri.toString();
    const affected = [...this.open.values()].filter((f) => f.record.uri === key);
    if (affected.length === 0) return;
    const edits: LineEdit[] = event.contentChanges.map((c) => ({ start: c.range.start, end: c.range.end, text: c.text }));
    const gone: string[] = [];
    for (const found of affected) {
      let range: LineRange = found.record;
      let replaced = false;
      for (const edit of edits) {
        replaced ||= covers(edit, range);
        range = moveRange(range, edit);
      }
      if (replaced) {
        // The lines were rewritten (a paste, a revert, a checkout): the finding stays only where its code still is.
        const anchored = anchorFinding({ ...found.record, ...range }, event.document.getText());
        if (anchored.kind === 'dropped') {
          gone.push(found.record.id);
          continue;
        }
        range = anchored;
      }
      if (range.startLine === found.record.startLine && range.endLine === found.record.endLine) continue;
      found.record = { ...found.record, startLine: range.startLine, endLine: range.endLine };
      found.thread.range = lineRange(range);
    }
    if (gone.length > 0) this.remove(gone);
    this.saveSoon(500);
    this.changed.fire();
  }

  private async restore(): Promise<void> {
    const stored = parseStoredFindings(this.state.get(STATE_KEY));
    for (const record of stored) {
      const text = await currentText(vscode.Uri.parse(record.uri));
      // The file may have changed while VS Code was closed: the quote says where the finding is now.
      const anchored = text === undefined ? undefined : anchorFinding(record, text);
      if (!anchored || anchored.kind === 'dropped') {
        this.log.info(`review: a stored finding on ${record.path} no longer matches its file; it is not shown again`);
        continue;
      }
      this.show({ ...record, startLine: anchored.startLine, endLine: anchored.endLine }, vscode.CommentThreadCollapsibleState.Collapsed);
    }
    if (stored.length > 0) {
      this.relabel();
      this.saveSoon(0);
    }
  }

  private saveSoon(delayMs: number): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.save();
    }, delayMs);
  }

  /** Writes the open findings to the workspace's state now. */
  async save(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
    }
    const records = this.findings().map((f) => f.record).slice(-MAX_STORED_FINDINGS);
    await this.state.update(STATE_KEY, records);
  }

  dispose(): void {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      void this.save();
    }
    for (const found of this.open.values()) found.explaining?.abort();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** A file's text as the user sees it: the open document's (unsaved edits included), else the disk's. */
export async function currentText(uri: vscode.Uri): Promise<string | undefined> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return open.getText();
  if (uri.scheme !== 'file') return undefined;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(await fs.readFile(uri.fsPath));
  } catch {
    return undefined;
  }
}

/** The fence's language for a suggestion (its file's extension: highlighting, nothing more). */
function languageOf(filePath: string): string {
  const match = /\.([A-Za-z0-9]{1,10})$/.exec(filePath);
  return match ? match[1].toLowerCase() : '';
}
