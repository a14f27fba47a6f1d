// How documents and their problems are named to the user and the model: paths relative to the
// workspace, problems as core's Problem.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Problem, ProblemSeverity } from '../../core/chat/attachments';

/** Where a document is, as the user and the model know it: workspace-relative when it can be. */
export function displayPath(uri: vscode.Uri): string {
  return uri.scheme === 'untitled' ? uri.path : vscode.workspace.asRelativePath(uri, vscode.workspace.workspaceFolders !== undefined && vscode.workspace.workspaceFolders.length > 1);
}

export function fileName(uri: vscode.Uri): string {
  return path.posix.basename(uri.path);
}

const SEVERITIES: Record<vscode.DiagnosticSeverity, ProblemSeverity> = {
  [vscode.DiagnosticSeverity.Error]: 'error',
  [vscode.DiagnosticSeverity.Warning]: 'warning',
  [vscode.DiagnosticSeverity.Information]: 'info',
  [vscode.DiagnosticSeverity.Hint]: 'hint',
};

export function toProblem(uri: vscode.Uri, diagnostic: vscode.Diagnostic): Problem {
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

