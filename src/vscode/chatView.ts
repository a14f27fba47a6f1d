import * as vscode from 'vscode';
import { randomUUID } from 'node:crypto';
import type { ChatMessage, ReasoningEffort } from '../core/harmony/types';
import { parsePanelMessage, type ExtensionToPanel, type PanelStrings, type PanelToExtension } from '../core/protocol';
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

  private readonly history: ChatMessage[] = [];
  private readonly conversation = randomUUID();
  private generation: AbortController | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly engine: EngineService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

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
        for (const resolve of this.readyWaiters.splice(0)) resolve();
        return;
      case 'send':
        void this.ask(message.text);
        return;
      case 'stop':
        this.generation?.abort();
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
    const turnId = randomUUID();
    void this.post({ type: 'appendMessage', role: 'user', text });
    void this.post({ type: 'turnStarted', turnId });
    this.history.push({ role: 'user', content: text });
    const config = vscode.workspace.getConfiguration('llmJp');
    let answer = '';
    let ended = false;
    try {
      for await (const event of this.engine.generate(
        {
          conversation: this.conversation,
          messages: this.history,
          reasoningEffort: config.get<ReasoningEffort>('reasoningEffort', 'medium'),
          maxTokens: config.get<number>('maxTokens', 4096),
        },
        generation.signal,
      )) {
        switch (event.type) {
          case 'reasoning':
          case 'answer':
            if (event.type === 'answer') answer += event.text;
            void this.post({ type: 'turnDelta', turnId, part: event.type, text: event.text });
            break;
          case 'notice':
            void this.post({ type: 'appendMessage', role: 'notice', text: localized(event.message) });
            break;
          case 'toolCall':
            this.log.warn(`the model called ${event.name}, but the chat offers no tools yet`);
            break;
          case 'usage':
            this.log.info(`usage: ${JSON.stringify(event.usage)}`);
            break;
          case 'done':
            ended = true;
            void this.post({ type: 'turnEnded', turnId, reason: event.reason });
            break;
          case 'error':
            ended = true;
            void this.post({ type: 'turnEnded', turnId, reason: 'error', error: localized(event.error.message) });
            break;
        }
      }
    } finally {
      if (!ended) void this.post({ type: 'turnEnded', turnId, reason: 'cancelled' });
      if (answer !== '') this.history.push({ role: 'assistant', content: answer });
      else this.history.pop(); // an unanswered question is not history
      this.generation = undefined;
    }
  }

  private post(message: ExtensionToPanel): Thenable<boolean> {
    return this.view ? this.view.webview.postMessage(message) : Promise.resolve(false);
  }
}
