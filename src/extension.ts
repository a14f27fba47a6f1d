import * as vscode from 'vscode';
import { ChatViewProvider, type ChatView } from './vscode/chatView';
import { registerCommands } from './vscode/commands';

/** The extension's public API, returned from activate() (used by the e2e tests). */
export interface ExtensionApi {
  readonly chat: ChatView;
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('LLM-jp', { log: true });
  const chat = new ChatViewProvider(context.extensionUri, log);
  context.subscriptions.push(
    log,
    chat,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, chat, {
      webviewOptions: { retainContextWhenHidden: true },
    }),
    ...registerCommands(),
  );
  return { chat };
}

export function deactivate(): void {}
