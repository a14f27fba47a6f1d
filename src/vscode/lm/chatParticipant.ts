// @llmjp in VS Code's Chat view. A question is a chat turn like the panel's (the same
// instructions, tools and prompt, the conversation so far from the Chat view's history), streamed
// through ChatResponseStream: the answer as markdown, progress while the model reasons or runs a
// tool, the files it read as references, and buttons for the edits it proposed (the diff, then
// Accept). /explain and /edit take the editor's code as the Explain and Change commands do;
// /translate translates the text given; /commit and /review run the Source Control and review
// commands and report what they did. Nothing here talks to the engine but the request path.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { chatPrompt } from '../../core/chat/chatMessages';
import type { Attachment, TranscriptEntry } from '../../core/chat/conversation';
import { chatInstructions } from '../../core/prompts/chat';
import { editorTaskPrompt, type EditorTaskKind } from '../../core/prompts/editorTasks';
import { translateTextPrompt } from '../../core/prompts/translateText';
import type { ProposalCard } from '../../core/protocol';
import { ChatTools } from '../chat/chatTools';
import { fileAttachment, rangeAttachment } from '../chat/contextChips';
import type { ConversationStore } from '../chat/conversationStore';
import type { EditStaging } from '../edits/editStaging';
import { StagedEditCommands } from '../edits/stagedEditCommands';
import { codeBudget, editorTarget } from '../editor/taskCode';
import { attachmentsWithIds } from '../editor/taskAttachments';
import type { RequestService, Task } from '../request/requestService';
import { answerLanguage } from '../request/taskSettings';
import type { ReviewOutcome } from '../review/reviewRun';
import type { CommitMessageResult } from '../scm/commitMessage';

export const PARTICIPANT_ID = 'llm-jp-vscode.llmjp';

export interface ParticipantServices {
  readonly requests: RequestService;
  readonly staging: EditStaging;
  readonly store: ConversationStore;
  readonly log: vscode.LogOutputChannel;
}

/** What a turn of the Chat view's history said, as the chat's transcript keeps it. */
function historyEntries(history: vscode.ChatContext['history']): TranscriptEntry[] {
  const entries: TranscriptEntry[] = [];
  for (const turn of history) {
    if (turn instanceof vscode.ChatRequestTurn) {
      entries.push({ kind: 'user', text: turn.command ? `/${turn.command} ${turn.prompt}` : turn.prompt });
    } else if (turn instanceof vscode.ChatResponseTurn) {
      const answer = turn.response
        .map((part) => (part instanceof vscode.ChatResponseMarkdownPart ? part.value.value : ''))
        .join('');
      if (answer !== '') entries.push({ kind: 'assistant', reasoning: '', answer, stopReason: 'return' });
    }
  }
  return entries;
}

/** The files and selections the user attached with # (or dragged in), as the panel's chips attach them. */
async function referenceAttachments(references: readonly vscode.ChatPromptReference[]): Promise<Attachment[]> {
  const attachments: Attachment[] = [];
  for (const reference of references) {
    const value = reference.value;
    const uri = value instanceof vscode.Uri ? value : value instanceof vscode.Location ? value.uri : undefined;
    if (!uri) {
      if (typeof value === 'string' && value.trim() !== '') attachments.push({ id: randomUUID(), kind: 'selection', label: reference.id, content: value });
      continue;
    }
    let document: vscode.TextDocument;
    try {
      document = await vscode.workspace.openTextDocument(uri);
    } catch {
      continue; // a folder, a binary file: nothing to read as text
    }
    const attachment = value instanceof vscode.Location ? rangeAttachment(document, value.range) : fileAttachment(document);
    if (attachment) attachments.push(attachment);
  }
  return attachments;
}

export class ChatParticipantHandler {
  constructor(private readonly services: ParticipantServices) {}

  /** The participant's request handler (also what the tests call). */
  readonly handle: vscode.ChatRequestHandler = async (request, context, stream, token) => {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    try {
      switch (request.command) {
        case 'commit':
          return await this.commit(stream);
        case 'review':
          return await this.review(request, stream);
        case 'translate':
          return await this.translate(request, context, stream, controller.signal);
        case 'explain':
        case 'edit':
          return await this.editorTask(request.command === 'edit' ? 'requestEdit' : 'explain', request, context, stream, controller.signal);
        default:
          return await this.ask(request.prompt, await referenceAttachments(request.references), context, stream, controller.signal);
      }
    } finally {
      cancel.dispose();
    }
  };

  /** A chat turn: the conversation so far and `text`, with the chat's workspace tools unless `tools` is false. */
  private async ask(
    text: string,
    attachments: readonly Attachment[],
    context: vscode.ChatContext,
    stream: vscode.ChatResponseStream,
    signal: AbortSignal,
    options: { readonly instructions?: string; readonly tools?: boolean } = {},
  ): Promise<vscode.ChatResult> {
    const entries: TranscriptEntry[] = [...historyEntries(context.history), { kind: 'user', text, ...(attachments.length > 0 ? { attachments } : {}) }];
    const instructions = options.instructions ?? chatInstructions(answerLanguage());
    const tools = options.tools === false ? undefined : new ChatTools(this.services.staging);
    try {
      const task: Task = { conversation: `participant-${randomUUID()}`, prompt: (pending) => chatPrompt(entries, { instructions, pending }), ...(tools ? { tools } : {}) };
      return await this.stream(task, stream, signal, tools);
    } finally {
      tools?.dispose();
    }
  }

  /** Runs `task`, writing what happens to `stream` (the files `tools` read, as references); the outcome's error becomes the result's. */
  private async stream(task: Task, stream: vscode.ChatResponseStream, signal: AbortSignal, tools: ChatTools | undefined): Promise<vscode.ChatResult> {
    const run = this.services.requests.run(task, signal);
    let reasoning = false;
    let referenced = 0;
    const proposals = new Map<string, ProposalCard>();
    for (let step = await run.next(); ; step = await run.next()) {
      if (step.done) {
        this.proposalButtons([...proposals.values()], stream);
        const outcome = step.value;
        if (outcome.stopReason === 'error') return { errorDetails: { message: outcome.error ?? vscode.l10n.t('The answer ended unexpectedly.') } };
        return { metadata: { stopReason: outcome.stopReason } };
      }
      const event = step.value;
      switch (event.type) {
        case 'reasoning':
          if (!reasoning) stream.progress(vscode.l10n.t('Thinking…'));
          reasoning = true;
          break;
        case 'answer':
          stream.markdown(event.text);
          break;
        case 'notice':
          stream.progress(event.text);
          break;
        case 'tool': {
          const { card } = event;
          if (card.status === 'running') stream.progress(vscode.l10n.t('Running {0}…', card.name));
          const read = tools?.filesRead() ?? [];
          for (const uri of read.slice(referenced)) stream.reference(uri);
          referenced = read.length;
          for (const proposal of card.proposals ?? []) proposals.set(proposal.id, proposal);
          break;
        }
      }
    }
  }

  /** Open Diff and Accept for each change the model proposed and the user has not decided yet. */
  private proposalButtons(cards: readonly ProposalCard[], stream: vscode.ChatResponseStream): void {
    for (const card of cards) {
      const file = this.services.staging.get(card.id);
      if (file?.state !== 'pending') continue;
      const uri = this.services.staging.virtualUri(file);
      stream.button({ command: StagedEditCommands.open, title: vscode.l10n.t('Open Diff: {0}', file.path), arguments: [uri] });
      stream.button({ command: StagedEditCommands.accept, title: vscode.l10n.t('Accept: {0}', file.path), arguments: [uri] });
    }
  }

  /** /explain and /edit: the editor's code (the selection, else the symbol at the cursor) or the attached references. */
  private async editorTask(kind: Extract<EditorTaskKind, 'explain' | 'requestEdit'>, request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, signal: AbortSignal): Promise<vscode.ChatResult> {
    const references = await referenceAttachments(request.references);
    const editor = vscode.window.activeTextEditor;
    if (references.length > 0 || !editor) {
      if (references.length === 0) {
        stream.markdown(vscode.l10n.t('Open a file in the editor, or attach one with #, for /{0}.', request.command ?? 'explain'));
        return {};
      }
      return this.ask(request.prompt || vscode.l10n.t('Explain this code.'), references, context, stream, signal);
    }
    const target = await editorTarget(editor, { mode: 'explain', budget: codeBudget(this.services.requests.engine.model?.contextSize) });
    const instruction = request.prompt.trim();
    if (kind === 'requestEdit' && instruction === '') {
      stream.markdown(vscode.l10n.t('Say what to change, for example: /edit add error handling to this function'));
      return {};
    }
    const prompt = editorTaskPrompt({ kind, language: answerLanguage(), code: target.code, problems: target.problems, ...(kind === 'requestEdit' ? { instruction } : {}) });
    const question = kind === 'explain' && instruction !== '' ? `${prompt.question}\n\n${instruction}` : prompt.question;
    stream.reference(editor.document.uri);
    return this.ask(question, attachmentsWithIds(prompt.attachments), context, stream, signal);
  }

  /** /translate: the text typed after the command (or the attached text) into the other language. */
  private async translate(request: vscode.ChatRequest, context: vscode.ChatContext, stream: vscode.ChatResponseStream, signal: AbortSignal): Promise<vscode.ChatResult> {
    const references = await referenceAttachments(request.references);
    const editor = vscode.window.activeTextEditor;
    const selected = editor && !editor.selection.isEmpty ? editor.document.getText(editor.selection) : '';
    const text = request.prompt.trim() !== '' ? request.prompt : (references[0]?.content ?? selected);
    if (text.trim() === '') {
      stream.markdown(vscode.l10n.t('Write the text to translate after /translate, or select it in the editor.'));
      stream.button({ command: 'llmJp.translateComments', title: vscode.l10n.t('Translate the comments of the current file') });
      return {};
    }
    const prompt = translateTextPrompt(text);
    const attachment: Attachment = { id: randomUUID(), kind: 'selection', label: vscode.l10n.t('Text to translate'), content: text };
    // A translation reads no files: no tools, so a small model does not wander off; and no history, which is not to be translated.
    return this.ask(prompt.question, [attachment], { ...context, history: [] }, stream, signal, { instructions: prompt.instructions, tools: false });
  }

  /** /commit: Write Commit Message for the repository, and what it wrote. */
  private async commit(stream: vscode.ChatResponseStream): Promise<vscode.ChatResult> {
    stream.progress(vscode.l10n.t('Writing the commit message from the staged changes…'));
    const result = await vscode.commands.executeCommand<CommitMessageResult | undefined>('llmJp.writeCommitMessage');
    if (result?.outcome === 'written' && result.message) {
      stream.markdown(`${vscode.l10n.t('The commit message is in the Source Control box:')}\n\n\`\`\`text\n${result.message}\n\`\`\`\n`);
      stream.button({ command: 'workbench.view.scm', title: vscode.l10n.t('Show Source Control') });
      return {};
    }
    stream.markdown(result?.error ?? vscode.l10n.t('No commit message was written.'));
    return {};
  }

  /** /review: the staged changes reviewed as comment threads (a file attached with #: that file), and the summary. */
  private async review(request: vscode.ChatRequest, stream: vscode.ChatResponseStream): Promise<vscode.ChatResult> {
    const file = request.references.map((r) => r.value).find((v): v is vscode.Uri => v instanceof vscode.Uri);
    stream.progress(vscode.l10n.t('Reviewing…'));
    const outcome = await vscode.commands.executeCommand<ReviewOutcome | undefined>(file ? 'llmJp.reviewFile' : 'llmJp.reviewStaged', file);
    if (!outcome) {
      stream.markdown(vscode.l10n.t('Nothing was reviewed.'));
      return {};
    }
    const summary = outcome.conversationId ? this.services.store.get(outcome.conversationId)?.entries.at(-1) : undefined;
    if (summary?.kind === 'assistant') stream.markdown(summary.answer);
    if (outcome.findings > 0) stream.button({ command: 'llmJp.review.next', title: vscode.l10n.t('Go to the first finding') });
    return outcome.error !== undefined ? { errorDetails: { message: outcome.error } } : {};
  }
}

/**
 * Registers @llmjp where VS Code has a Chat view. Where it has none (code-server without an AI
 * extension, chat.disableAIFeatures) registering still works or the API is absent: either way
 * nothing is logged as an error and every other surface goes on.
 */
export function registerChatParticipant(handler: ChatParticipantHandler, extensionUri: vscode.Uri, log: vscode.LogOutputChannel): vscode.Disposable | undefined {
  if (typeof vscode.chat?.createChatParticipant !== 'function') {
    log.info('VS Code has no chat participants API here; @llmjp is not registered');
    return undefined;
  }
  try {
    const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, handler.handle);
    participant.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'llm-jp.svg');
    return participant;
  } catch (error) {
    log.info(`@llmjp is not registered: ${String(error)}`);
    return undefined;
  }
}
