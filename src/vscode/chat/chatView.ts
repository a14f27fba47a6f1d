// The chat in the side bar: a webview view whose session lives as long as the extension, so
// the conversation survives the view being hidden or moved.
import * as vscode from 'vscode';
import type { Conversation } from '../../core/chat/conversation';
import { ChatSession, type ChatServices } from './chatSession';

export type { ChatView } from './chatSession';

export class ChatViewProvider implements vscode.WebviewViewProvider, vscode.Disposable {
  static readonly viewId = 'llmJp.chat';

  /** The view's session (what the extension API exposes as `chat`). */
  readonly session: ChatSession;
  private viewDisposables: vscode.Disposable[] = [];

  /** `exclude`: conversations shown elsewhere (editor tabs being restored), not reopened here. */
  constructor(services: ChatServices, exclude: readonly string[] = []) {
    // Reopen where the user left off in this workspace.
    const latest = services.store.list().find((c) => !exclude.includes(c.id));
    this.session = new ChatSession(services, latest?.id);
  }

  /** Starts an empty conversation; the current one stays in the history. */
  newConversation(): void {
    this.session.newConversation();
  }

  conversations(): Conversation[] {
    return this.session.conversations();
  }

  async deleteConversation(id: string): Promise<void> {
    await this.session.deleteConversation(id);
  }

  /** Shows a stored conversation in the view and continues it. */
  openConversation(id: string): void {
    this.session.openConversation(id);
  }

  resolveWebviewView(view: vscode.WebviewView): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.session.attach(view.webview);
    this.viewDisposables.push(view.onDidDispose(() => this.session.detach()));
  }

  dispose(): void {
    for (const d of this.viewDisposables.splice(0)) d.dispose();
    this.session.dispose();
  }
}
