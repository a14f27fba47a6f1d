// One inline chat thread: a comment thread at the lines the user asked about, with its own
// conversation. Questions come from the reply box, answers stream in through the one request
// path, and the thread's actions act on what it holds: Apply as edit stages the latest answer's
// code as a proposal over the thread's current lines (nothing is written before Accept), Open in
// panel hands the conversation over as a stored chat, Close only removes the thread.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { titleOf, type Attachment, type TranscriptEntry } from '../../core/chat/conversation';
import { selectionLabel } from '../../core/chat/attachments';
import { inlinePrompt, linesText, proposedCode, threadFlags, withQuestion } from '../../core/chat/inlineThread';
import { replaceLines } from '../../core/edits/replaceLines';
import type { GenerateRequest } from '../../core/generation/types';
import { moveRangeThrough, type LineRange } from '../../core/review/lineRanges';
import type { ChatSession } from '../chat/chatSession';
import type { ConversationStore } from '../chat/conversationStore';
import { displayPath, fileName } from '../editor/documentFacts';
import type { EditStaging, StagedFile } from '../edits/editStaging';
import type { RequestService } from '../request/requestService';
import { answerLanguage } from '../request/taskSettings';
import { threadComments, type LiveAnswer } from './threadComments';

export interface InlineServices {
  readonly requests: RequestService;
  readonly staging: EditStaging;
  readonly store: ConversationStore;
  readonly log: vscode.LogOutputChannel;
  /** The side-bar chat, shown. */
  chat(): Promise<ChatSession>;
}

/** How often a streaming answer is redrawn: each redraw re-renders the whole thread. */
const RENDER_INTERVAL_MS = 75;

function toRange(lines: LineRange): vscode.Range {
  return new vscode.Range(lines.startLine, 0, lines.endLine, 0);
}

/** The thread's lines as the model reads them: whole lines, so that a proposed replacement fits them. */
function linesAttachment(document: vscode.TextDocument, lines: LineRange): Attachment {
  const first = lines.startLine + 1;
  const last = lines.endLine + 1;
  return {
    id: randomUUID(),
    kind: 'selection',
    label: selectionLabel(fileName(document.uri), first, last),
    detail: selectionLabel(displayPath(document.uri), first, last),
    content: linesText(document.getText(), lines),
    languageId: document.languageId,
  };
}

/** What the extension API shows of a thread (its buttons are the comment menus' commands). */
export type InlineThreadView = Pick<InlineThread, 'thread' | 'conversationId' | 'entries' | 'range' | 'busy' | 'lastRequest' | 'whenIdle'>;

export class InlineThread implements vscode.Disposable {
  /** The conversation's id: the KV cache key of its requests, and its id once opened in the panel. */
  readonly conversationId = randomUUID();
  readonly thread: vscode.CommentThread;
  readonly uri: vscode.Uri;
  /** The last request sent to the engine (tests read the prompt from it). */
  lastRequest: GenerateRequest | undefined;
  private conversation: TranscriptEntry[] = [];
  private lines: LineRange;
  private readonly selection: Attachment;
  private generation: AbortController | undefined;
  private running: Promise<void> | undefined;
  private live: { reasoning: string; answer: string } | undefined;
  private renderTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** The proposal Apply as edit staged, while it waits for Accept or Reject. */
  private proposal: string | undefined;

  constructor(
    controller: vscode.CommentController,
    document: vscode.TextDocument,
    lines: LineRange,
    private readonly services: InlineServices,
    private readonly onClosed: (thread: InlineThread) => void,
  ) {
    this.uri = document.uri;
    this.lines = lines;
    this.selection = linesAttachment(document, lines);
    this.thread = controller.createCommentThread(document.uri, toRange(lines), []);
    this.thread.label = this.selection.label;
    this.thread.canReply = true;
    this.thread.collapsibleState = vscode.CommentThreadCollapsibleState.Expanded;
    this.refresh();
  }

  get entries(): readonly TranscriptEntry[] {
    return this.conversation;
  }

  get range(): LineRange {
    return this.lines;
  }

  get busy(): boolean {
    return this.generation !== undefined;
  }

  /** Resolves when the answer being streamed (if any) has ended. */
  whenIdle(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  /** Asks `question` in the thread; resolves when its answer has ended. Ignored while an answer streams. */
  ask(question: string): Promise<void> {
    const text = question.trim();
    if (this.closed || this.busy || text === '') return this.whenIdle();
    this.conversation = withQuestion(this.conversation, text, this.selection);
    const running = this.answer().finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }

  stop(): void {
    this.generation?.abort();
  }

  /**
   * Stages the latest answer's code in place of the thread's lines and shows the diff; the user
   * accepts it as any proposal. Returns the proposal's id.
   */
  async apply(): Promise<string | undefined> {
    const code = proposedCode(this.conversation);
    if (code === undefined || this.busy) return undefined;
    // Staging a file that has a proposal would replace that proposal's text: the other change
    // (a tool edit in the chat, another thread) is decided first.
    const waiting = this.services.staging.pendingFor(this.uri);
    if (waiting && waiting.id !== this.proposal) {
      void vscode.window.showInformationMessage(vscode.l10n.t('A proposed change to {0} is waiting: accept or reject it first.', waiting.path));
      await this.services.staging.open(waiting.id);
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(this.uri);
    const baseline = document.getText();
    // The thread's lines follow every edit; clamped all the same, for a file that shrank under it.
    const endLine = Math.min(this.lines.endLine, document.lineCount - 1);
    const proposed = replaceLines(baseline, Math.min(this.lines.startLine, endLine), endLine, code);
    if (proposed === baseline) {
      void vscode.window.showInformationMessage(vscode.l10n.t('The answer\'s code is the same as these lines.'));
      return undefined;
    }
    const file = this.services.staging.stage(this.uri, displayPath(this.uri), baseline, proposed);
    this.proposal = file.id;
    this.refresh();
    await this.services.staging.open(file.id);
    return file.id;
  }

  /** Accepts the staged edit (as the panel's Accept does: refused if the file changed since). */
  async acceptEdit(): Promise<void> {
    if (this.proposal === undefined) return;
    const { stale, failed } = await this.services.staging.accept([this.proposal]);
    const [refused] = [...stale, ...failed];
    if (refused) void vscode.window.showWarningMessage(vscode.l10n.t('{0} changed after the edit was proposed; nothing was applied.', refused.path));
  }

  rejectEdit(): void {
    if (this.proposal !== undefined) this.services.staging.reject([this.proposal]);
  }

  /** A staged proposal was decided (here, in its diff or elsewhere). */
  proposalDecided(file: StagedFile): void {
    if (file.id !== this.proposal || file.state === 'pending') return;
    this.proposal = undefined;
    this.refresh();
  }

  /** Saves the conversation as a chat and continues it in the side-bar panel; the thread closes. */
  async openInPanel(): Promise<void> {
    if (this.busy || !this.conversation.some((e) => e.kind === 'assistant')) return;
    const entries = [...this.conversation];
    await this.services.store.save({ id: this.conversationId, title: titleOf(entries), updatedAt: Date.now(), entries });
    const chat = await this.services.chat();
    chat.openConversation(this.conversationId);
    this.dispose();
  }

  /** Follows an edit of the thread's file: lines above move it, lines inside grow or shrink it. */
  documentChanged(event: vscode.TextDocumentChangeEvent): void {
    if (this.closed || event.document.uri.toString() !== this.uri.toString() || event.contentChanges.length === 0) return;
    const moved = moveRangeThrough(
      this.lines,
      event.contentChanges.map((c) => ({ start: c.range.start, end: c.range.end, text: c.text })),
    );
    if (moved.startLine === this.lines.startLine && moved.endLine === this.lines.endLine) return;
    this.lines = moved;
    this.thread.range = toRange(moved);
  }

  /** Removes the thread (Close): stops its answer; the document is never touched. */
  dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.generation?.abort();
    clearTimeout(this.renderTimer);
    this.thread.dispose();
    this.onClosed(this);
  }

  private async answer(): Promise<void> {
    const generation = new AbortController();
    this.generation = generation;
    const live = { reasoning: '', answer: '' };
    this.live = live;
    this.refresh();
    const entries = this.conversation;
    const language = answerLanguage();
    const notices: TranscriptEntry[] = [];
    try {
      const events = this.services.requests.run({ conversation: this.conversationId, prompt: () => inlinePrompt(entries, language) }, generation.signal);
      for (;;) {
        const next = await events.next();
        if (next.done) {
          const outcome = next.value;
          this.conversation = [
            ...entries,
            ...notices,
            {
              kind: 'assistant',
              reasoning: outcome.reasoning,
              answer: outcome.answer,
              stopReason: outcome.stopReason,
              ...(outcome.error !== undefined ? { error: outcome.error } : {}),
            },
          ];
          break;
        }
        const event = next.value;
        if (event.type === 'reasoning') live.reasoning += event.text;
        else if (event.type === 'answer') live.answer += event.text;
        else if (event.type === 'notice') notices.push({ kind: 'notice', text: event.text });
        else if (event.type === 'request') this.lastRequest = event.request;
        if (event.type === 'answer') this.scheduleRender();
      }
    } catch (error) {
      this.services.log.error(`the inline chat could not answer: ${String(error)}`);
      this.conversation = [...entries, ...notices, { kind: 'assistant', reasoning: live.reasoning, answer: live.answer, stopReason: 'error', error: String(error) }];
    } finally {
      this.generation = undefined;
      this.live = undefined;
      clearTimeout(this.renderTimer);
      this.renderTimer = undefined;
      this.refresh();
    }
  }

  private scheduleRender(): void {
    this.renderTimer ??= setTimeout(() => {
      this.renderTimer = undefined;
      this.refresh();
    }, RENDER_INTERVAL_MS);
  }

  private refresh(): void {
    if (this.closed) return;
    const live: LiveAnswer | undefined = this.live ? { ...this.live } : undefined;
    this.thread.comments = threadComments(this.conversation, live);
    this.thread.contextValue = threadFlags(this.conversation, this.busy, this.proposal !== undefined);
    // No reply box while an answer streams: one question at a time.
    if (this.thread.canReply !== !this.busy) this.thread.canReply = !this.busy;
  }
}
