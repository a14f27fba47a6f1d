// The chat in editor tabs: the same panel and session code as the side-bar view, in a
// WebviewPanel. Each tab shows one conversation; which one is kept in workspace state so that
// the tabs VS Code restores after a reload (through the serializer) show theirs again.
import * as vscode from 'vscode';
import { ChatSession, type ChatServices } from './chatSession';

const OPEN_TABS_KEY = 'llmJp.chatEditors';

export class ChatEditors implements vscode.WebviewPanelSerializer, vscode.Disposable {
  static readonly viewType = 'llmJp.chatEditor';

  private readonly tabs = new Map<ChatSession, vscode.WebviewPanel>();
  /** Conversations of tabs not restored yet (read once at activation). */
  private readonly toRestore: string[];
  private disposed = false;

  constructor(
    private readonly services: ChatServices,
    private readonly state: vscode.Memento,
  ) {
    const saved = state.get<unknown>(OPEN_TABS_KEY);
    this.toRestore = Array.isArray(saved) ? saved.filter((id): id is string => typeof id === 'string') : [];
  }

  /** Conversations that restored tabs will show (the view leaves them to the tabs). */
  get restoring(): readonly string[] {
    return this.toRestore;
  }

  get sessions(): ChatSession[] {
    return [...this.tabs.keys()];
  }

  /** Opens a tab showing `conversationId` (taken from wherever it is shown), or a new chat. */
  open(conversationId?: string): ChatSession {
    const panel = vscode.window.createWebviewPanel(ChatEditors.viewType, vscode.l10n.t('LLM-jp Chat'), vscode.ViewColumn.Beside, {
      enableScripts: true,
      retainContextWhenHidden: true,
    });
    return this.host(panel, conversationId);
  }

  async deserializeWebviewPanel(panel: vscode.WebviewPanel): Promise<void> {
    const id = this.toRestore.shift();
    this.host(panel, id !== undefined && this.services.store.get(id) ? id : undefined);
  }

  private host(panel: vscode.WebviewPanel, conversationId: string | undefined): ChatSession {
    panel.iconPath = vscode.Uri.joinPath(this.services.extensionUri, 'media', 'llm-jp.svg');
    const session = new ChatSession(this.services, conversationId);
    this.tabs.set(session, panel);
    session.attach(panel.webview);
    const changed = session.onDidChangeConversation(() => void this.remember());
    panel.onDidDispose(() => {
      changed.dispose();
      this.tabs.delete(session);
      session.dispose();
      void this.remember();
    });
    void this.remember();
    return session;
  }

  private remember(): Thenable<void> {
    if (this.disposed) return Promise.resolve();
    return this.state.update(OPEN_TABS_KEY, [...this.sessions.map((s) => s.conversationId), ...this.toRestore]);
  }

  /**
   * The extension is going away (a reload, say): the tabs stay for VS Code to restore, and so
   * does the record of what they show.
   */
  dispose(): void {
    this.disposed = true;
    for (const session of this.tabs.keys()) session.dispose();
    this.tabs.clear();
  }
}
