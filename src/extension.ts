import { bundleStart } from './bundleStart';
import * as vscode from 'vscode';
import { ApplyCodeFlow } from './vscode/edits/applyCode';
import { EditStaging } from './vscode/edits/editStaging';
import { ChatEditors } from './vscode/chat/chatEditor';
import type { ChatServices } from './vscode/chat/chatSession';
import { ChatViewProvider, type ChatView } from './vscode/chat/chatView';
import { LastEditor } from './vscode/editor/lastEditor';
import { registerChatCommands } from './vscode/chat/chatCommands';
import { registerModelCommands } from './vscode/models/modelCommands';
import { ConversationStore } from './vscode/chat/conversationStore';
import { EngineService } from './vscode/request/engineService';
import { RequestService } from './vscode/request/requestService';
import { registerEditorCommands } from './vscode/editor/editorCommands';
import { createStatusBar } from './vscode/models/statusBar';
import { ScmSurface } from './vscode/scm/scmCommands';
import { ReviewSurface } from './vscode/review/reviewCommands';
import { ReviewThreads } from './vscode/review/reviewThreads';
import { registerStagedEditCommands } from './vscode/edits/stagedEditCommands';
import { InlineChat } from './vscode/inline/inlineChat';
import type { InlineThreadView } from './vscode/inline/inlineThread';
import { ChatParticipantHandler, registerChatParticipant } from './vscode/lm/chatParticipant';
import { LM_VENDOR, registerLanguageModels } from './vscode/lm/languageModelProvider';
import { downloadModel } from './vscode/models/modelPicker';
import { registerServerCommands } from './vscode/models/serverCommands';
import type { CatalogFile } from './core/models';

/** The extension's public API, returned from activate() (used by the e2e tests). */
export interface ExtensionApi {
  readonly chat: ChatView;
  /** The chats open in editor tabs. */
  chatTabs(): readonly ChatView[];
  /** The one request path to the model (loads it on first use). */
  readonly engine: Pick<EngineService, 'generate' | 'workerPid' | 'model' | 'state'>;
  /** Downloads a catalog file (with progress, resumable, verified) and makes it the model in use. */
  readonly models: { download(file: CatalogFile): Promise<string | undefined> };
  /** File changes the model proposed, waiting for the user's decision. */
  readonly staging: EditStaging;
  /** Review findings shown as comment threads (restored from the workspace's state). */
  readonly review: ReviewThreads;
  /** Inline chat threads: open one at an editor's lines; its buttons are the comment menus' commands. */
  readonly inline: { open(editor: vscode.TextEditor, range?: vscode.Range): InlineThreadView; threads(): readonly InlineThreadView[] };
  /** @llmjp's request handler (VS Code's Chat view calls it) and the `vscode.lm` provider. */
  readonly lm: { readonly participant: vscode.ChatRequestHandler; readonly vendor: string };
  /** The extension's own share of activation: loading its bundle, and activate() itself (ms). */
  readonly timings: { readonly codeLoadingMs: number; readonly activateMs: number };
}

const codeLoadingMs = performance.now() - bundleStart;

export function activate(context: vscode.ExtensionContext): ExtensionApi {
  const activateStarted = performance.now();
  const log = vscode.window.createOutputChannel('LLM-jp', { log: true });
  // Nothing heavy here: the model process starts on the first request.
  const engine = new EngineService(context.extensionUri, log, context.secrets);
  const lastEditor = new LastEditor();
  const applyCode = new ApplyCodeFlow();
  const staging = new EditStaging();
  const services: ChatServices = {
    extensionUri: context.extensionUri,
    storageUri: context.globalStorageUri,
    engine,
    requests: new RequestService(engine, log),
    store: new ConversationStore(context.workspaceState),
    log,
    lastEditor,
    applyCode,
    staging,
    sessions: new Set(),
  };
  const review = new ReviewThreads(context.workspaceState, log);
  const editors = new ChatEditors(services, context.workspaceState);
  const chat = new ChatViewProvider(services, editors.restoring);
  const sidebarChat = async () => {
    await vscode.commands.executeCommand(`${ChatViewProvider.viewId}.focus`);
    await chat.session.whenReady();
    return chat.session;
  };
  const inline = new InlineChat({ requests: services.requests, staging, store: services.store, log, chat: sidebarChat });
  context.subscriptions.push(
    log,
    engine,
    lastEditor,
    applyCode,
    staging,
    chat,
    editors,
    vscode.window.registerWebviewViewProvider(ChatViewProvider.viewId, chat, {
      webviewOptions: { retainContextWhenHidden: true },
    }),
    vscode.window.registerWebviewPanelSerializer(ChatEditors.viewType, editors),
    ...registerChatCommands(chat, editors),
    ...registerModelCommands(engine, context),
    ...registerServerCommands(engine, context.secrets),
    ...registerEditorCommands({ requests: services.requests, applyCode, chat: sidebarChat }),
    new ScmSurface({ requests: services.requests, log, chat: sidebarChat }),
    review,
    new ReviewSurface({ requests: services.requests, threads: review, store: services.store, log, chat: sidebarChat }, staging),
    ...registerStagedEditCommands(staging),
    createStatusBar(engine),
    inline,
  );
  // VS Code's own AI surfaces: where they are off or absent, the rest works without them.
  const participant = new ChatParticipantHandler({ requests: services.requests, staging, store: services.store, log });
  const registeredParticipant = registerChatParticipant(participant, context.extensionUri, log);
  if (registeredParticipant) context.subscriptions.push(registeredParticipant);
  context.subscriptions.push(...registerLanguageModels(engine, services.requests, log));
  return {
    chat: chat.session,
    chatTabs: () => editors.sessions,
    engine,
    models: { download: (file) => downloadModel(file, context.globalStorageUri) },
    staging,
    review,
    inline: { open: (editor, range) => inline.start(editor, range), threads: () => inline.threads },
    lm: { participant: participant.handle, vendor: LM_VENDOR },
    timings: { codeLoadingMs, activateMs: performance.now() - activateStarted },
  };
}

export function deactivate(): void {}
