// One chat surface's session (the side-bar view, or an editor tab): its conversation, the context
// chips waiting for the next question, and the panel's messages. Every surface runs the same
// code; what differs is only the webview it is attached to.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { panelEntries, titleOf, withProposalStates, type Attachment, type Conversation, type TranscriptEntry } from '../../core/chat/conversation';
import type { EditStaging, StagedFile } from '../edits/editStaging';
import { ChatTools } from './chatTools';
import type { GenerateRequest } from '../../core/generation/types';
import type { ReasoningEffort } from '../../core/harmony/types';
import { parsePanelMessage, type ContextChip, type ExtensionToPanel, type PanelSettings, type PanelToExtension } from '../../core/protocol';
import type { ApplyCodeFlow } from '../edits/applyCode';
import { captureAttachment, selectionOf } from './contextChips';
import { isWorkspaceText } from '../editor/lastEditor';
import type { ConversationStore } from './conversationStore';
import type { EngineService } from '../request/engineService';
import type { LastEditor } from '../editor/lastEditor';
import type { RequestService } from '../request/requestService';
import { applyPanelSetting, readPanelSettings } from './panelSettings';
import { panelStrings } from './panelStrings';
import { runTurn } from './chatTurn';
import { insertAtCursor, openLink } from './panelActions';
import { panelResourceRoots, renderPanelHtml } from './webviewHtml';

/** What a chat surface offers the rest of the extension (and its tests). */
export interface ChatView {
  /** Resolves once the panel's script has loaded and said it is ready. */
  whenReady(): Promise<void>;
  /** Sends `text` to the panel and resolves with the text the panel sent back. */
  ping(text: string, timeoutMs?: number): Promise<string>;
  /**
   * Handles `message` as if the panel had sent it (validated the same way); resolves when it has
   * been carried out (for a question: when its answer has ended).
   */
  receive(message: unknown): Promise<void>;
  /** Every message sent to the panel. */
  readonly onDidPost: vscode.Event<ExtensionToPanel>;
  /** The conversation shown. */
  readonly conversationId: string;
  readonly entries: readonly TranscriptEntry[];
  /** The last request this surface sent to the engine. */
  readonly lastRequest: GenerateRequest | undefined;
}

/** What every session shares. */
export interface ChatServices {
  readonly extensionUri: vscode.Uri;
  /** The extension's global storage (the default models folder lies in it). */
  readonly storageUri: vscode.Uri;
  readonly engine: EngineService;
  /** The one request path to the model. */
  readonly requests: RequestService;
  readonly store: ConversationStore;
  readonly log: vscode.LogOutputChannel;
  readonly lastEditor: LastEditor;
  readonly applyCode: ApplyCodeFlow;
  /** File changes the model proposed, until the user accepts or rejects them. */
  readonly staging: EditStaging;
  /** All open sessions: one conversation is shown in one surface at a time. */
  readonly sessions: Set<ChatSession>;
}

/**
 * A conversation's entries: as a surface shows it (newer than storage while a turn is being
 * saved), else as stored; undefined when it is neither.
 */
function latestEntries(services: ChatServices, id: string): readonly TranscriptEntry[] | undefined {
  return [...services.sessions].find((s) => s.conversationId === id)?.entries ?? services.store.get(id)?.entries;
}

function toChip({ id, kind, label, detail }: Attachment): ContextChip {
  return detail === undefined ? { id, kind, label } : { id, kind, label, detail };
}

export class ChatSession implements ChatView, vscode.Disposable {
  private webview: vscode.Webview | undefined;
  private attached: vscode.Disposable[] = [];
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private readonly pendingPings = new Map<string, (text: string) => void>();
  private readonly postEmitter = new vscode.EventEmitter<ExtensionToPanel>();
  readonly onDidPost = this.postEmitter.event;
  private readonly conversationEmitter = new vscode.EventEmitter<string>();
  /** Fires with the id of the conversation the session now shows. */
  readonly onDidChangeConversation = this.conversationEmitter.event;
  private readonly disposables: vscode.Disposable[];

  private conversation: { id: string; entries: TranscriptEntry[] };
  private pending: Attachment[] = [];
  /** The editor's selection, offered as a chip; `dropped` once removed or sent, until it changes. */
  private offered: { key: string; chip: ContextChip; dropped: boolean } | undefined;
  /** Where the selections attached by hand were taken, by attachment id. */
  private readonly selectionKeys = new Map<string, string>();
  /** Selections sent with the last question: not offered again until the selection moves. */
  private sentKeys = new Set<string>();
  private generation: AbortController | undefined;
  /** The turn being generated, so that a question asked right after Stop waits for it to end. */
  private running: Promise<void> | undefined;
  private lastSettings = '';
  lastRequest: GenerateRequest | undefined;
  private readonly tools: ChatTools;

  constructor(private readonly services: ChatServices, conversationId?: string) {
    const entries = conversationId === undefined ? undefined : latestEntries(services, conversationId);
    services.sessions.add(this);
    this.tools = new ChatTools(services.staging);
    this.conversation = { id: conversationId ?? randomUUID(), entries: entries ? [...entries] : [] };
    this.claim(this.conversation.id);
    this.disposables = [
      this.tools,
      this.postEmitter,
      this.conversationEmitter,
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('llmJp')) void this.postSettings();
      }),
      services.engine.onDidChangeState(() => void this.postSettings()),
      vscode.window.onDidChangeTextEditorSelection(({ textEditor }) => this.offerSelection(textEditor)),
      vscode.window.onDidChangeActiveTextEditor((editor) => editor && this.offerSelection(editor)),
      services.staging.onDidChangeState((file) => void this.proposalDecided(file)),
    ];
    if (services.lastEditor.editor) this.offerSelection(services.lastEditor.editor);
  }

  get conversationId(): string {
    return this.conversation.id;
  }

  get entries(): readonly TranscriptEntry[] {
    return this.conversation.entries;
  }

  get busy(): boolean {
    return this.generation !== undefined;
  }

  /** Shows the session in `webview` (a view resolved or a tab created or restored). */
  attach(webview: vscode.Webview): void {
    this.detach();
    this.webview = webview;
    webview.options = { enableScripts: true, localResourceRoots: panelResourceRoots(this.services.extensionUri) };
    webview.html = renderPanelHtml(webview, this.services.extensionUri, vscode.env.language);
    this.attached = [
      webview.onDidReceiveMessage((raw: unknown) =>
        this.receive(raw).catch((error: unknown) => this.services.log.error(`the chat could not handle a panel message: ${String(error)}`)),
      ),
    ];
  }

  /** The surface went away; the conversation stays and can be shown again. */
  detach(): void {
    for (const d of this.attached.splice(0)) d.dispose();
    this.webview = undefined;
    this.ready = false;
    this.lastSettings = '';
  }

  /** Starts an empty conversation; the current one stays in the history. */
  newConversation(): void {
    this.generation?.abort();
    this.show({ id: randomUUID(), entries: [] });
    this.pending = [];
    this.postChips();
  }

  /** Shows a stored conversation and continues it (another surface showing it moves on). */
  openConversation(id: string): void {
    const entries = latestEntries(this.services, id);
    if (!entries) return;
    this.generation?.abort();
    this.show({ id, entries: [...entries] });
  }

  conversations(): Conversation[] {
    return this.services.store.list();
  }

  /** Deletes a stored conversation; a surface showing it starts an empty one. */
  async deleteConversation(id: string): Promise<void> {
    await this.services.store.delete(id);
    for (const session of [...this.services.sessions]) if (session.conversationId === id) session.newConversation();
  }

  whenReady(): Promise<void> {
    return this.ready ? Promise.resolve() : new Promise((resolve) => this.readyWaiters.push(resolve));
  }

  async ping(text: string, timeoutMs = 10_000): Promise<string> {
    await this.whenReady();
    const id = randomUUID();
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pendingPings.delete(id);
        reject(new Error(`The chat panel did not answer within ${timeoutMs} ms.`));
      }, timeoutMs);
      this.pendingPings.set(id, (reply) => {
        clearTimeout(timer);
        resolve(reply);
      });
      this.post({ type: 'ping', id, text });
    });
  }

  async receive(raw: unknown): Promise<void> {
    const message = parsePanelMessage(raw);
    if (message) await this.handle(message);
    else this.services.log.warn('Ignored a malformed message from the chat panel.');
  }

  dispose(): void {
    this.generation?.abort();
    this.detach();
    this.services.sessions.delete(this);
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private show(conversation: { id: string; entries: TranscriptEntry[] }): void {
    this.conversation = conversation;
    this.claim(conversation.id);
    this.post({ type: 'restore', entries: this.restorable() });
    this.conversationEmitter.fire(conversation.id);
  }

  /** One conversation, one surface: saving it from two would lose turns. */
  private claim(id: string): void {
    for (const other of this.services.sessions) if (other !== this && other.conversationId === id) other.newConversation();
  }

  /** Where a selection is: the same place offered again is not offered anew once dropped. */
  private static selectionKey(editor: vscode.TextEditor): string {
    const { start, end } = editor.selection;
    return `${editor.document.uri.toString()}#${start.line}:${start.character}-${end.line}:${end.character}`;
  }

  private offerSelection(editor: vscode.TextEditor): void {
    if (!isWorkspaceText(editor.document)) return; // focus moved to an output pane or a diff
    const attachment = selectionOf(editor);
    const key = ChatSession.selectionKey(editor);
    if (this.offered?.key === key) return;
    this.offered = attachment ? { key, chip: { ...toChip(attachment), implicit: true }, dropped: this.sentKeys.has(key) } : undefined;
    this.postChips();
  }

  /** The chips under the input: what the user attached, then the offered selection. */
  private postChips(): void {
    const chips = this.pending.map(toChip);
    const offered = this.offered;
    if (offered && !offered.dropped && !this.pending.some((a) => a.kind === 'selection' && a.detail === offered.chip.detail)) chips.push(offered.chip);
    this.post({ type: 'context', chips });
  }

  /** The offered selection as it is now, if the user kept it; it is not offered again. */
  private takeOfferedSelection(): Attachment[] {
    const offered = this.offered;
    const editor = this.services.lastEditor.editor;
    if (!offered || offered.dropped || !editor || ChatSession.selectionKey(editor) !== offered.key) return [];
    offered.dropped = true;
    // Attached by hand already: it goes once.
    if (this.pending.some((a) => a.kind === 'selection' && a.detail === offered.chip.detail)) return [];
    const attachment = selectionOf(editor);
    return attachment ? [attachment] : [];
  }

  private async handle(message: PanelToExtension): Promise<void> {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        this.post({ type: 'init', language: vscode.env.language, strings: panelStrings() });
        this.post({ type: 'restore', entries: this.restorable() });
        this.postChips();
        await this.postSettings();
        for (const resolve of this.readyWaiters.splice(0)) resolve();
        return;
      case 'send':
        return this.ask(message.text);
      case 'stop':
        this.generation?.abort();
        return;
      case 'newChat':
        this.newConversation();
        return;
      case 'regenerate':
        return this.regenerate();
      case 'attach': {
        const attachment = captureAttachment(message.kind, this.services.lastEditor.editor);
        if (!attachment) return;
        this.pending.push(attachment);
        if (message.kind === 'selection' && this.services.lastEditor.editor) this.selectionKeys.set(attachment.id, ChatSession.selectionKey(this.services.lastEditor.editor));
        this.postChips();
        return;
      }
      case 'detach':
        this.pending = this.pending.filter((a) => a.id !== message.id);
        if (this.offered?.chip.id === message.id) this.offered.dropped = true;
        this.postChips();
        return;
      case 'copyCode':
        await vscode.env.clipboard.writeText(message.text);
        return;
      case 'insertCode':
        return insertAtCursor(this.services.lastEditor.editor, message.text);
      case 'applyCode':
        await this.services.applyCode.propose(message.text, this.services.lastEditor.editor);
        return;
      case 'openLink':
        return openLink(message.href, this.services.log);
      case 'setModel':
      case 'chooseModel':
      case 'setReasoningEffort':
      case 'setAnswerLanguage':
        return applyPanelSetting(message, this.services.storageUri);
      case 'decideProposal':
        return this.decide([message.id], message.decision);
      case 'decideAllProposals':
        return this.decide(this.services.staging.pending().map((f) => f.id), message.decision);
      case 'pong': {
        const resolve = this.pendingPings.get(message.id);
        this.pendingPings.delete(message.id);
        resolve?.(message.text);
        return;
      }
    }
  }

  /** The conversation for the panel, its proposals in their current states. */
  private restorable(): TranscriptEntry[] {
    const staging = this.services.staging;
    this.conversation.entries = withProposalStates(this.conversation.entries, (id) => staging.get(id)?.state);
    return panelEntries(this.conversation.entries);
  }

  private async decide(ids: readonly string[], decision: 'open' | 'accept' | 'reject'): Promise<void> {
    const staging = this.services.staging;
    const unknown = ids.filter((id) => !staging.get(id));
    for (const id of unknown) this.post({ type: 'proposalState', id, state: 'expired' });
    const known = ids.filter((id) => staging.get(id));
    if (decision === 'open') {
      for (const id of known) await staging.open(id);
      return;
    }
    if (decision === 'reject') {
      staging.reject(known);
      return;
    }
    const outcome = await staging.accept(known);
    if (outcome.stale.length > 0) {
      void vscode.window.showWarningMessage(vscode.l10n.t('Not applied, because the file changed after the model read it: {0}', outcome.stale.map((f) => f.path).join(', ')));
    }
    if (outcome.failed.length > 0) {
      void vscode.window.showErrorMessage(vscode.l10n.t('Could not write: {0}', outcome.failed.map((f) => f.path).join(', ')));
    }
  }

  /** A proposal of this conversation was decided: its card says so, now and after a reload. */
  private async proposalDecided(file: StagedFile): Promise<void> {
    const conversation = this.conversation;
    // The card may be in the turn still streaming, not yet among the entries.
    this.post({ type: 'proposalState', id: file.id, state: file.state });
    const staging = this.services.staging;
    const entries = withProposalStates(conversation.entries, (id) => staging.get(id)?.state);
    if (entries.every((entry, i) => entry === conversation.entries[i])) return;
    conversation.entries = entries;
    if (this.generation === undefined) {
      await this.services.store.save({ id: conversation.id, title: titleOf(entries), updatedAt: Date.now(), entries });
    }
  }

  /** A question with the chips waiting for it, and its answer. */
  private async ask(text: string): Promise<void> {
    if (this.generation) {
      if (!this.generation.signal.aborted) return; // the panel disables sending while a turn streams
      await this.running;
    }
    const offered = this.takeOfferedSelection(); // before the pending chips go: it checks them
    this.sentKeys = new Set([...this.pending.flatMap((a) => this.selectionKeys.get(a.id) ?? []), ...(this.offered?.dropped ? [this.offered.key] : [])]);
    this.selectionKeys.clear();
    const attachments = [...this.pending.splice(0), ...offered];
    this.conversation.entries.push({ kind: 'user', text, ...(attachments.length > 0 ? { attachments } : {}) });
    this.post({ type: 'appendMessage', role: 'user', text, ...(attachments.length > 0 ? { chips: attachments.map(toChip) } : {}) });
    this.postChips();
    await this.answer();
  }

  /**
   * A question from outside the panel (an editor command) with its own attachments and, where
   * the task asks for it, more reasoning than the setting; chips waiting in the panel stay.
   */
  async askAbout(text: string, attachments: readonly Attachment[], reasoningEffort?: ReasoningEffort): Promise<void> {
    if (this.generation) {
      this.generation.abort(); // the newest request wins, as when the user presses Stop and asks again
      await this.running;
    }
    // The command took the editor's code itself: the same selection is not offered again.
    if (this.offered) {
      this.offered.dropped = true;
      this.sentKeys = new Set([this.offered.key]);
    }
    this.conversation.entries.push({ kind: 'user', text, ...(attachments.length > 0 ? { attachments } : {}) });
    this.post({ type: 'appendMessage', role: 'user', text, ...(attachments.length > 0 ? { chips: attachments.map(toChip) } : {}) });
    this.postChips();
    await this.answer(reasoningEffort);
  }

  /** The last answer again: it and anything after its question go, and the question is answered anew. */
  private async regenerate(): Promise<void> {
    if (this.generation) return;
    const entries = this.conversation.entries;
    const lastQuestion = entries.map((e) => e.kind).lastIndexOf('user');
    if (lastQuestion < 0) return;
    entries.splice(lastQuestion + 1);
    this.post({ type: 'restore', entries: panelEntries(entries) });
    await this.answer();
  }

  private answer(reasoningEffort?: ReasoningEffort): Promise<void> {
    // The walkthrough's "Ask a question" step is done however the question was asked.
    void vscode.commands.executeCommand('setContext', 'llmJp.askedQuestion', true);
    this.running = this.runAnswer(reasoningEffort);
    return this.running;
  }

  private async runAnswer(reasoningEffort?: ReasoningEffort): Promise<void> {
    const generation = new AbortController();
    this.generation = generation;
    const conversation = this.conversation;
    const turnId = randomUUID();
    // Messages of a conversation the user has left are not shown in the one now in the panel.
    const post = (message: ExtensionToPanel): void => {
      if (this.conversation === conversation) this.post(message);
    };
    post({ type: 'turnStarted', turnId });
    try {
      const entry = await runTurn({
        requests: this.services.requests,
        log: this.services.log,
        conversationId: conversation.id,
        entries: conversation.entries,
        turnId,
        signal: generation.signal,
        tools: this.tools,
        ...(reasoningEffort !== undefined ? { reasoningEffort } : {}),
        post,
        notice: (text) => {
          conversation.entries.push({ kind: 'notice', text });
          post({ type: 'appendMessage', role: 'notice', text });
        },
        onRequest: (request) => (this.lastRequest = request),
      });
      conversation.entries.push(entry);
      // Proposals the user decided while the turn was still streaming.
      conversation.entries = withProposalStates(conversation.entries, (id) => this.services.staging.get(id)?.state);
      const { reasoningSummary, stats, error } = entry;
      post({
        type: 'turnEnded',
        turnId,
        reason: entry.stopReason,
        ...(error !== undefined ? { error } : {}),
        ...(reasoningSummary !== undefined ? { reasoningSummary } : {}),
        ...(stats !== undefined ? { stats } : {}),
      });
      await this.services.store.save({ id: conversation.id, title: titleOf(conversation.entries), updatedAt: Date.now(), entries: conversation.entries });
    } finally {
      if (this.generation === generation) this.generation = undefined;
    }
  }

  private async postSettings(): Promise<void> {
    if (!this.ready) return;
    let settings: PanelSettings;
    try {
      settings = await readPanelSettings(this.services.storageUri);
    } catch (error) {
      this.services.log.warn(`could not read the panel's settings: ${String(error)}`);
      return;
    }
    const key = JSON.stringify(settings);
    if (key === this.lastSettings) return;
    this.lastSettings = key;
    this.post({ type: 'settings', settings });
  }

  private post(message: ExtensionToPanel): void {
    this.postEmitter.fire(message);
    void this.webview?.postMessage(message);
  }
}
