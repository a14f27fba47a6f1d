// The text editor the chat acts on. Clicking into the chat moves focus away from the editor (in
// editor-tab mode the chat itself becomes the active editor), so remember the last one.
import * as vscode from 'vscode';

export class LastEditor implements vscode.Disposable {
  private last: vscode.TextEditor | undefined = vscode.window.activeTextEditor;
  private readonly subscription = vscode.window.onDidChangeActiveTextEditor((editor) => {
    if (editor && isWorkspaceText(editor.document)) this.last = editor;
  });

  /** The active text editor, else the last one whose document is still open. */
  get editor(): vscode.TextEditor | undefined {
    const active = vscode.window.activeTextEditor;
    if (active && isWorkspaceText(active.document)) return active;
    if (this.last && !this.last.document.isClosed) return this.last;
    return undefined;
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** Documents the chat may read and edit: files and untitled buffers, not output panes or diffs. */
export function isWorkspaceText(document: vscode.TextDocument): boolean {
  return document.uri.scheme === 'file' || document.uri.scheme === 'untitled';
}
