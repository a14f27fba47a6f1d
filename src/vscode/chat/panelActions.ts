// What the panel's buttons and links do outside the chat itself.
import * as vscode from 'vscode';

export async function insertAtCursor(editor: vscode.TextEditor | undefined, text: string): Promise<void> {
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a file to insert the code into.'));
    return;
  }
  // The chat may have covered the editor (in an editor tab): bring it back where its cursor was.
  const target = vscode.window.visibleTextEditors.includes(editor)
    ? editor
    : await vscode.window.showTextDocument(editor.document, { selection: editor.selection });
  // One edit for all cursors: a single undo step.
  await target.edit((edit) => {
    for (const selection of target.selections) edit.replace(selection, text);
  });
}

/** Model output is untrusted: only web links open, and VS Code asks before opening an unknown site. */
export async function openLink(href: string, log: vscode.LogOutputChannel): Promise<void> {
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
