import * as vscode from 'vscode';
import { ChatViewProvider, type ChatView } from './vscode/chatView';
import { registerCommands } from './vscode/commands';
import { ConversationStore } from './vscode/conversationStore';
import { EngineService } from './vscode/engineService';
import { createStatusBar } from './vscode/statusBar';
import { downloadModel } from './vscode/modelPicker';
import type { CatalogFile } from './core/models';

/** The extension's public API, returned from activate() (used by the e2e tests). */
export interface ExtensionApi {
  readonly chat: ChatView;
  /** The one request path to the model (loads it on first use). */
  readonly engine: Pick<EngineService, 'generate' | 'workerPid' | 'model' | 'state'>;
  /** Downloads a catalog file (with progress, resumable, verified) and makes it the model in use. */
  readonly models: { download(file: CatalogFile): Promise<string | undefined> };
}

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const log = vscode.window.createOutputChannel('LLM-jp', { log: true });
  // Nothing heavy here: the model process starts on the first request.
  const engine = new EngineService(context.extensionUri, log);
  const chat = new ChatViewProvider(context.extensionUri, engine, new ConversationStore(context.workspaceState), log);
  context.subscriptions.push(
    log,
    engine,
    chat,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, chat, {
      webviewOptions: { retainContextWhenHidden: true },
    }),
    ...registerCommands(chat, engine, context),
    createStatusBar(engine),
  );
  return { chat, engine, models: { download: (file) => downloadModel(file, context.globalStorageUri) } };
}

export function deactivate(): void {}
