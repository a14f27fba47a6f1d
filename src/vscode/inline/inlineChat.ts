// Inline chat: "Ask LLM-jp here" opens a comment thread at the selection, under its own comment
// controller (so its threads never mix with review comments), and the thread's buttons are
// commands contributed to the comment menus, told apart by the thread's contextValue flags.
import * as vscode from 'vscode';
import { selectedLines } from '../../core/chat/inlineThread';
import { InlineThread, type InlineServices } from './inlineThread';

export const InlineCommands = {
  ask: 'llmJp.inline.ask',
  submit: 'llmJp.inline.submit',
  stop: 'llmJp.inline.stop',
  apply: 'llmJp.inline.apply',
  openInPanel: 'llmJp.inline.openInPanel',
  close: 'llmJp.inline.close',
  acceptEdit: 'llmJp.inline.acceptEdit',
  rejectEdit: 'llmJp.inline.rejectEdit',
} as const;

export class InlineChat implements vscode.Disposable {
  private readonly controller = vscode.comments.createCommentController('llmJp.inline', 'LLM-jp');
  private readonly open = new Set<InlineThread>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly services: InlineServices) {
    this.controller.options = {
      prompt: vscode.l10n.t('Ask LLM-jp about these lines'),
      placeHolder: vscode.l10n.t('Ask a question or ask for a change'),
    };
    const onThread = (run: (thread: InlineThread) => unknown) => (target?: vscode.CommentThread | vscode.CommentReply) => {
      const thread = this.find(target);
      return thread ? run(thread) : undefined;
    };
    this.disposables = [
      this.controller,
      vscode.workspace.onDidChangeTextDocument((event) => {
        for (const thread of this.open) thread.documentChanged(event);
      }),
      services.staging.onDidChangeState((file) => {
        for (const thread of this.open) thread.proposalDecided(file);
      }),
      vscode.commands.registerCommand(InlineCommands.ask, () => {
        const editor = vscode.window.activeTextEditor;
        if (editor) this.start(editor);
        else void vscode.window.showInformationMessage(vscode.l10n.t('Open a file in the editor first.'));
      }),
      // The reply box's button (and Ctrl+Enter in it): VS Code passes the thread and the text typed,
      // and clears the box only once the command returns, so the answer is not awaited here.
      vscode.commands.registerCommand(InlineCommands.submit, (reply?: vscode.CommentReply) => {
        if (reply) void this.find(reply)?.ask(reply.text);
      }),
      vscode.commands.registerCommand(InlineCommands.stop, onThread((t) => t.stop())),
      vscode.commands.registerCommand(InlineCommands.apply, onThread((t) => t.apply())),
      vscode.commands.registerCommand(InlineCommands.openInPanel, onThread((t) => t.openInPanel())),
      vscode.commands.registerCommand(InlineCommands.close, onThread((t) => t.dispose())),
      vscode.commands.registerCommand(InlineCommands.acceptEdit, onThread((t) => t.acceptEdit())),
      vscode.commands.registerCommand(InlineCommands.rejectEdit, onThread((t) => t.rejectEdit())),
    ];
  }

  /** Opens a thread at `range`'s lines (default: the editor's selection, or the cursor's line). */
  start(editor: vscode.TextEditor, range: vscode.Range = editor.selection): InlineThread {
    const thread = new InlineThread(this.controller, editor.document, selectedLines(range.start, range.end), this.services, (closed) =>
      this.open.delete(closed),
    );
    this.open.add(thread);
    return thread;
  }

  get threads(): readonly InlineThread[] {
    return [...this.open];
  }

  private find(target: vscode.CommentThread | vscode.CommentReply | undefined): InlineThread | undefined {
    if (!target) return undefined;
    const thread = 'thread' in target ? target.thread : target;
    return [...this.open].find((t) => t.thread === thread);
  }

  dispose(): void {
    for (const thread of [...this.open]) thread.dispose();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
