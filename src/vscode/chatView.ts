import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import { titleOf, toChatMessages, type Conversation, type TranscriptEntry } from '../core/chat/conversation';
import type { ReasoningEffort } from '../core/harmony/types';
import { parsePanelMessage, type ExtensionToPanel, type PanelStrings, type PanelToExtension } from '../core/protocol';
import type { ConversationStore } from './conversationStore';
import { localized, type EngineService } from './engineService';
import { panelResourceRoots, renderPanelHtml } from './webviewHtml';

/** What the chat view offers the rest of the extension (and its tests). */
export interface ChatView {
  /** Resolves once the panel's script has loaded and said it is ready. */
  whenReady(): Promise<void>;
  /** Sends `text` to the panel and resolves with the text the panel sent back. */
  ping(text: string, timeoutMs?: number): Promise<string>;
}

function panelStrings(): PanelStrings {
  return {
    inputPlaceholder: vscode.l10n.t('Ask LLM-jp… (Enter to send, Shift+Enter for a new line)'),
    send: vscode.l10n.t('Send'),
    emptyTranscript: vscode.l10n.t('Ask a question about your code in Japanese or English.'),
    stop: vscode.l10n.t('Stop'),
    thinking: vscode.l10n.t('Thinking…'),
    reasoning: vscode.l10n.t('Reasoning'),
    copy: vscode.l10n.t('Copy'),
    copied: vscode.l10n.t('Copied'),
    insertAtCursor: vscode.l10n.t('Insert at Cursor'),
  };
}

function thoughtFor(seconds: number, tokens: number): string {
  return vscode.l10n.t('Thought for {0} s, {1} tokens', seconds.toFixed(1), tokens.toLocaleString(vscode.env.language));
}

function usageStats(tokensPerSecond: number, used: number, contextSize: number | undefined): string {
  const speed = vscode.l10n.t('{0} tokens/s', tokensPerSecond.toFixed(1));
  if (contextSize === undefined) return speed;
  const locale = vscode.env.language;
  return `${speed} · ${vscode.l10n.t('{0} of {1} tokens of context', used.toLocaleString(locale), contextSize.toLocaleString(locale))}`;
}

async function insertAtCursor(text: string): Promise<void> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a file to insert the code into.'));
    return;
  }
  // One edit for all cursors: a single undo step.
  await editor.edit((edit) => {
    for (const selection of editor.selections) edit.replace(selection, text);
  });
}

/** Model output is untrusted: only web links open, and VS Code asks before opening an unknown site. */
async function openLink(href: string, log: vscode.LogOutputChannel): Promise<void> {
  let uri: vscode.Uri;
  try {
    uri = vscode.Uri.parse(href, true);
  } catch {
    log.warn(`ignored a malformed link from the model: ${href}`);
    return;
  }
  if (uri.scheme !== 'https' && uri.scheme !== 'http') {
    log.warn(`ignored a ${uri.scheme}: link from the model`);
    return;
  }
  await vscode.env.openExternal(uri);
}

export class ChatViewProvider implements vscode.WebviewViewProvider, ChatView, vscode.Disposable {
  static readonly viewId = 'llmJp.chat';

  private view: vscode.WebviewView | undefined;
  private ready = false;
  private readyWaiters: (() => void)[] = [];
  private readonly pendingPings = new Map<string, (text: string) => void>();
  private readonly disposables: vscode.Disposable[] = [];

  private conversation: { id: string; entries: TranscriptEntry[] };
  private generation: AbortController | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly engine: EngineService,
    private readonly store: ConversationStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    // Reopen where the user left off in this workspace.
    const latest = store.list()[0];
    this.conversation = latest ? { id: latest.id, entries: [...latest.entries] } : { id: randomUUID(), entries: [] };
  }

  /** Starts an empty conversation; the current one stays in the history. */
  newConversation(): void {
    this.generation?.abort();
    this.conversation = { id: randomUUID(), entries: [] };
    void this.post({ type: 'restore', entries: [] });
  }

  conversations(): Conversation[] {
    return this.store.list();
  }

  async deleteConversation(id: string): Promise<void> {
    await this.store.delete(id);
    if (id === this.conversation.id) this.newConversation();
  }

  /** Shows a stored conversation in the panel and continues it. */
  openConversation(id: string): void {
    const stored = this.store.get(id);
    if (!stored) return;
    this.generation?.abort();
    this.conversation = { id: stored.id, entries: [...stored.entries] };
    void this.post({ type: 'restore', entries: stored.entries });
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    this.view = view;
    this.ready = false;
    view.webview.options = { enableScripts: true, localResourceRoots: panelResourceRoots(this.extensionUri) };
    view.webview.html = renderPanelHtml(view.webview, this.extensionUri, vscode.env.language);
    this.disposables.push(
      view.webview.onDidReceiveMessage((raw: unknown) => {
        const message = parsePanelMessage(raw);
        if (message) this.handle(message);
        else this.log.warn('Ignored a malformed message from the chat panel.');
      }),
      view.onDidDispose(() => {
        this.view = undefined;
        this.ready = false;
      }),
    );
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
      void this.post({ type: 'ping', id, text });
    });
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }

  private handle(message: PanelToExtension): void {
    switch (message.type) {
      case 'ready':
        this.ready = true;
        void this.post({ type: 'init', language: vscode.env.language, strings: panelStrings() });
        void this.post({ type: 'restore', entries: this.conversation.entries });
        for (const resolve of this.readyWaiters.splice(0)) resolve();
        return;
      case 'send':
        void this.ask(message.text);
        return;
      case 'stop':
        this.generation?.abort();
        return;
      case 'newChat':
        this.newConversation();
        return;
      case 'copyCode':
        void vscode.env.clipboard.writeText(message.text);
        return;
      case 'insertCode':
        void insertAtCursor(message.text);
        return;
      case 'openLink':
        void openLink(message.href, this.log);
        return;
      case 'pong': {
        const resolve = this.pendingPings.get(message.id);
        this.pendingPings.delete(message.id);
        resolve?.(message.text);
        return;
      }
    }
  }

  /** One question and its streamed answer; earlier reasoning is never sent back to the model. */
  private async ask(text: string): Promise<void> {
    if (this.generation) return; // the panel disables sending while a turn streams
    const generation = new AbortController();
    this.generation = generation;
    const conversation = this.conversation;
    const turnId = randomUUID();
    void this.post({ type: 'appendMessage', role: 'user', text });
    void this.post({ type: 'turnStarted', turnId });
    conversation.entries.push({ kind: 'user', text });
    const config = vscode.workspace.getConfiguration('llmJp');
    // Thinking time runs from the question to the first word of the answer, as the user waits it.
    const turn = { reasoning: '', answer: '', reasoningTokens: 0, startedAt: performance.now(), reasoningEnd: 0 };
    let stopReason: string | undefined;
    let error: string | undefined;
    let stats: string | undefined;
    try {
      for await (const event of this.engine.generate(
        {
          conversation: conversation.id,
          messages: toChatMessages(conversation.entries),
          reasoningEffort: config.get<ReasoningEffort>('reasoningEffort', 'medium'),
          maxTokens: config.get<number>('maxTokens', 4096),
        },
        generation.signal,
      )) {
        switch (event.type) {
          case 'reasoning':
            turn.reasoningEnd = performance.now();
            turn.reasoningTokens++;
            turn.reasoning += event.text;
            void this.post({ type: 'turnDelta', turnId, part: 'reasoning', text: event.text });
            break;
          case 'answer':
            if (turn.answer === '') turn.reasoningEnd = performance.now();
            turn.answer += event.text;
            void this.post({ type: 'turnDelta', turnId, part: 'answer', text: event.text });
            break;
          case 'notice':
            conversation.entries.push({ kind: 'notice', text: localized(event.message) });
            void this.post({ type: 'appendMessage', role: 'notice', text: localized(event.message) });
            break;
          case 'toolCall':
            this.log.warn(`the model called ${event.name}, but the chat offers no tools yet`);
            break;
          case 'usage':
            this.log.info(`usage: ${JSON.stringify(event.usage)}`);
            stats = usageStats(event.usage.tokensPerSecond, event.usage.promptTokens + event.usage.generatedTokens, this.engine.model?.contextSize);
            break;
          case 'done':
            stopReason = event.reason;
            break;
          case 'error':
            stopReason = 'error';
            error = localized(event.error.message);
            stats = undefined;
            break;
        }
      }
    } finally {
      const reasoningSummary = turn.reasoning === '' ? undefined : thoughtFor((turn.reasoningEnd - turn.startedAt) / 1000, turn.reasoningTokens);
      // The same details go to the transcript and to the panel.
      const details = {
        ...(error !== undefined ? { error } : {}),
        ...(reasoningSummary !== undefined ? { reasoningSummary } : {}),
        ...(stats !== undefined ? { stats } : {}),
      };
      const reason = stopReason ?? 'cancelled';
      conversation.entries.push({ kind: 'assistant', reasoning: turn.reasoning, answer: turn.answer, stopReason: reason, ...details });
      void this.post({ type: 'turnEnded', turnId, reason, ...details });
      await this.store.save({ id: conversation.id, title: titleOf(conversation.entries), updatedAt: Date.now(), entries: conversation.entries });
      this.generation = undefined;
    }
  }

  private post(message: ExtensionToPanel): Thenable<boolean> {
    return this.view ? this.view.webview.postMessage(message) : Promise.resolve(false);
  }
}
