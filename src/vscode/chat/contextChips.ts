// Context chips: what the user attaches to the next question, captured when attached (the
// selection may change before the question is sent). The text stays in the extension; the
// panel shows only the chip.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import {
  MAX_ATTACHED_FILE_BYTES,
  cutNote,
  cutToBytes,
  formatProblems,
  selectionLabel,
  utf8Length,
} from '../../core/chat/attachments';
import type { Attachment } from '../../core/chat/conversation';
import type { AttachmentKind } from '../../core/protocol';
import { displayPath, fileName, toProblem } from '../editor/documentFacts';

function selectionAttachment(editor: vscode.TextEditor): Attachment | undefined {
  const attachment = selectionOf(editor);
  if (!attachment) void vscode.window.showInformationMessage(vscode.l10n.t('Select some code in the editor first.'));
  return attachment;
}

/** The editor's selection as an attachment; undefined when nothing is selected. */
export function selectionOf(editor: vscode.TextEditor): Attachment | undefined {
  return rangeAttachment(editor.document, editor.selection);
}

/** A range of a document as a selection attachment; undefined when it holds only blanks. */
export function rangeAttachment(document: vscode.TextDocument, range: vscode.Range): Attachment | undefined {
  if (range.isEmpty || document.getText(range).trim() === '') return undefined;
  // A range that ends at the start of a line covers the lines above it.
  const lastLine = range.end.character === 0 && range.end.line > range.start.line ? range.end.line - 1 : range.end.line;
  const first = range.start.line + 1;
  return {
    id: randomUUID(),
    kind: 'selection',
    label: selectionLabel(fileName(document.uri), first, lastLine + 1),
    detail: selectionLabel(displayPath(document.uri), first, lastLine + 1),
    content: document.getText(range),
    languageId: document.languageId,
  };
}

/** A whole file as an attachment, cut (and the user told) past MAX_ATTACHED_FILE_BYTES. */
export function fileAttachment(document: vscode.TextDocument): Attachment {
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

/**
 * What VS Code's Problems view lists for a file: its diagnostics without hints (those only fade
 * unused code in the editor; a language server reports many).
 */
export function problemsOf(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.severity !== vscode.DiagnosticSeverity.Hint);
}

/** The problems of the active file, or of the whole workspace when no file is open. */
function problemsAttachment(document: vscode.TextDocument | undefined): Attachment | undefined {
  const problems = document
    ? problemsOf(document.uri).map((d) => toProblem(document.uri, d))
    : vscode.languages.getDiagnostics().flatMap(([uri]) => problemsOf(uri).map((d) => toProblem(uri, d)));
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
