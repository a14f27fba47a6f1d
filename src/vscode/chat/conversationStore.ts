// Conversations persist per workspace (workspaceState), so the panel restores them after a
// reload or a restart of VS Code.
import type * as vscode from 'vscode';
import { parseConversations, upsertConversation, type Conversation } from '../../core/chat/conversation';

const KEY = 'llmJp.conversations';
const LIMIT = 50;

export class ConversationStore {
  constructor(private readonly state: vscode.Memento) {}

  list(): Conversation[] {
    return parseConversations(this.state.get(KEY));
  }

  get(id: string): Conversation | undefined {
    return this.list().find((c) => c.id === id);
  }

  async save(conversation: Conversation): Promise<void> {
    if (conversation.entries.length === 0) return;
    await this.state.update(KEY, upsertConversation(this.list(), conversation, LIMIT));
  }

  async delete(id: string): Promise<void> {
    await this.state.update(KEY, this.list().filter((c) => c.id !== id));
  }
}
