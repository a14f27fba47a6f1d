// Context chips: what the user attaches to the next question, captured when attached (the
// selection may change before the question is sent). The text stays in the extension; the
// panel shows only the chip.
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import {
  MAX_ATTACHED_FILE_BYTES,
  cutNote,
  cutToBytes,
  formatProblems,
  selectionLabel,
  utf8Length,
  type Problem,
  type ProblemSeverity,
} from '../core/chat/attachments';
import type { Attachment } from '../core/chat/conversation';
import type { AttachmentKind } from '../core/protocol';

/** Where a document is, as the user and the model know it: workspace-relative when it can be. */
function displayPath(uri: vscode.Uri): string {
  return uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1);
}

function fileName(uri: vscode.Uri): string {
  return path.posix.basename(uri.path);
}

function selectionAttachment(editor: vscode.TextEditor): Attachment | undefined {
  const selection = editor.selection;
  if (selection.isEmpty) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Select some code in the editor first.'));
    return undefined;
  }
  // A selection that ends at the start of a line covers the lines above it.
  const lastLine = selection.end.character === 0 && selection.end.line > selection.start.line ? selection.end.line - 1 : selection.end.line;
  const first = selection.start.line + 1;
  return {
    id: randomUUID(),
    kind: 'selection',
    label: selectionLabel(fileName(editor.document.uri), first, lastLine + 1),
    detail: selectionLabel(displayPath(editor.document.uri), first, lastLine + 1),
    content: editor.document.getText(selection),
    languageId: editor.document.languageId,
  };
}

function fileAttachment(document: vscode.TextDocument): Attachment {
  const text = document.getText();
  const { text: shown, cut } = cutToBytes(text, MAX_ATTACHED_FILE_BYTES);
  const where = displayPath(document.uri);
  if (cut) {
    void vscode.window.showWarningMessage(
      vscode.l10n.t('{0} is larger than {1} KB: only its beginning is attached.', where, MAX_ATTACHED_FILE_BYTES / 1024),
    );
  }
  return {
    id: randomUUID(),
    kind: 'file',
    label: fileName(document.uri),
    detail: where,
    content: cut ? shown + cutNote(utf8Length(text), utf8Length(shown)) : text,
    languageId: document.languageId,
  };
}

const SEVERITIES: Record<vscode.DiagnosticSeverity, ProblemSeverity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

function toProblem(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Problem {
  const code = typeof diagnostic.code === 'object' ? diagnostic.code.value : diagnostic.code;
  return {
    path: displayPath(uri),
    line: diagnostic.range.start.line,
    character: diagnostic.range.start.character,
    severity: SEVERITIES[diagnostic.severity],
    message: diagnostic.message,
    ...(diagnostic.source ? { source: diagnostic.source } : {}),
    ...(code !== undefined ? { code: String(code) } : {}),
  };
}

/** The problems of the active file, or of the whole workspace when no file is open. */
function problemsAttachment(document: vscode.TextDocument | undefined): Attachment | undefined {
  const problems = document
    ? vscode.languages.getDiagnostics(document.uri).map((d) => toProblem(document.uri, d))
    : vscode.languages.getDiagnostics().flatMap(([uri, diagnostics]) => diagnostics.map((d) => toProblem(uri, d)));
  if (problems.length === 0) {
    void vscode.window.showInformationMessage(
      document ? vscode.l10n.t('{0} has no problems to attach.', fileName(document.uri)) : vscode.l10n.t('The workspace has no problems to attach.'),
    );
    return undefined;
  }
  return {
    id: randomUUID(),
    kind: 'problems',
    label: vscode.l10n.t('Problems ({0})', problems.length),
    detail: document ? displayPath(document.uri) : vscode.l10n.t('All problems in the workspace'),
    content: formatProblems(problems),
  };
}

/** Captures the context of `kind` now, or tells the user why there is none (undefined). */
export function captureAttachment(kind: AttachmentKind, editor: vscode.TextEditor | undefined): Attachment | undefined {
  if (kind === 'problems') return problemsAttachment(editor?.document);
  if (!editor) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Open a file in the editor first.'));
    return undefined;
  }
  return kind === 'selection' ? selectionAttachment(editor) : fileAttachment(editor.document);
}
