// get_diagnostics, find_references and rename_symbol: the model asks the language extensions
// (TypeScript's and any other) through VS Code's own commands, for files in the open workspace
// folders only. A rename is computed, never applied: the caller stages the WorkspaceEdit for the
// user to accept. Language servers start lazily (TypeScript's when a TypeScript file opens, then
// it loads the project), so a provider that answers nothing is asked again for a bounded while.
// languageOutput.ts holds the pure parts.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { resolveRealTarget } from '../../core/tools/realPaths';
import { isHiddenSegment } from '../../core/tools/workspacePaths';
import { diagnosticsResult, findSymbol, referencesResult, SYMBOL_REACH, MAX_REFERENCES, type DiagnosticEntry, type ReferenceEntry, type Severity } from './languageOutput';
import { toolFailure } from './toolFailure';

/** How long a provider that answers nothing is asked again (a language server starting). */
export const PROVIDER_WAIT_MS = 15_000;
const RETRY_STEP_MS = 250;

export interface ProviderWait {
  /** How long to keep asking a provider that gives no answer; PROVIDER_WAIT_MS by default. */
  readonly waitMs?: number;
}

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

function multiRoot(): boolean {
  return (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
}

/** A workspace file's path as the model writes it (the folder's name first in a multi-root workspace). */
export function relativePath(uri: vscode.Uri): string {
  return vscode.workspace.asRelativePath(uri, multiRoot()).replace(/\\/g, '/');
}

/** Whether `uri` is a file of an open workspace folder, outside `.git` (by its path, not yet on disk). */
function inWorkspace(uri: vscode.Uri): vscode.WorkspaceFolder | undefined {
  if (uri.scheme !== 'file') return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  if (!folder || folder.uri.scheme !== 'file') return undefined;
  const relative = path.relative(folder.uri.fsPath, uri.fsPath);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return undefined;
  if (relative.split(/[\\/]/).some(isHiddenSegment)) return undefined;
  return folder;
}

/** Whether the real file (links resolved) lies inside its workspace folder, outside `.git`. */
async function reallyInWorkspace(uri: vscode.Uri): Promise<boolean> {
  const folder = inWorkspace(uri);
  if (!folder) return false;
  const segments = path.relative(folder.uri.fsPath, uri.fsPath).split(/[\\/]/);
  return (await resolveRealTarget(folder.uri.fsPath, segments, caseInsensitive)).ok;
}

function shown(uri: vscode.Uri): string {
  return uri.scheme === 'file' ? relativePath(uri) : uri.toString(true);
}

async function openInWorkspace(uri: vscode.Uri): Promise<vscode.TextDocument> {
  if (!(await reallyInWorkspace(uri))) {
    throw toolFailure(`${shown(uri)} is not a file inside the open workspace folders.`, `${shown(uri)} は開いているワークスペースのフォルダー内のファイルではありません。`);
  }
  try {
    return await vscode.workspace.openTextDocument(uri);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw toolFailure(`${shown(uri)} could not be opened: ${reason}`, `${shown(uri)} を開けませんでした: ${reason}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Calls `attempt` until it gives something, for at most `waitMs` (at least once). */
async function untilAnswered<T>(attempt: () => Promise<T | undefined>, waitMs: number): Promise<T | undefined> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const value = await attempt();
    if (value !== undefined) return value;
    if (Date.now() + RETRY_STEP_MS > deadline) return undefined;
    await sleep(RETRY_STEP_MS);
  }
}

/** Plain text has no language server to wait for. */
function waitFor(document: vscode.TextDocument, options?: ProviderWait): number {
  return document.languageId === 'plaintext' ? 0 : (options?.waitMs ?? PROVIDER_WAIT_MS);
}

const TYPESCRIPT_LANGUAGES = new Set(['typescript', 'typescriptreact', 'javascript', 'javascriptreact']);

/**
 * For TypeScript and JavaScript, waits (at most `waitMs`) until the TypeScript server has loaded
 * the document's project. While it loads, VS Code's TypeScript extension answers references and
 * renames from its syntax server, which knows only the open files: a rename would miss the files
 * that import the symbol. A semantic request through `typescript.tsserverRequest` (one the
 * extension allows other extensions to make) is answered only once the project is loaded.
 */
async function awaitTypeScriptProject(document: vscode.TextDocument, waitMs: number): Promise<void> {
  if (!TYPESCRIPT_LANGUAGES.has(document.languageId)) return;
  if (!vscode.extensions.getExtension('vscode.typescript-language-features')) return; // replaced or disabled
  await untilAnswered(async () => {
    try {
      const response = await vscode.commands.executeCommand<unknown>('typescript.tsserverRequest', 'semanticDiagnosticsSync', { file: document.uri });
      return response ? true : undefined;
    } catch {
      return undefined; // the extension is not active yet, or the server does not know the file yet
    }
  }, waitMs);
}

function severityName(severity: vscode.DiagnosticSeverity): Severity {
  switch (severity) {
    case vscode.DiagnosticSeverity.Error:
      return 'error';
    case vscode.DiagnosticSeverity.Warning:
      return 'warning';
    case vscode.DiagnosticSeverity.Information:
      return 'info';
    default:
      return 'hint';
  }
}

function diagnosticEntry(uri: vscode.Uri, d: vscode.Diagnostic): DiagnosticEntry {
  const code = typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
  return {
    path: relativePath(uri),
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    severity: severityName(d.severity),
    message: d.message,
    ...(d.source ? { source: d.source } : {}),
    ...(code !== undefined ? { code } : {}),
  };
}

/**
 * The problems VS Code knows of (what the Problems view shows) for one file or for every file of
 * the workspace, for the model: `path:line:col severity message (source code)`, bounded.
 */
export function diagnosticsText(uri?: vscode.Uri): string {
  if (uri) {
    if (!inWorkspace(uri)) {
      throw toolFailure(`${shown(uri)} is not a file inside the open workspace folders.`, `${shown(uri)} は開いているワークスペースのフォルダー内のファイルではありません。`);
    }
    return diagnosticsResult(vscode.languages.getDiagnostics(uri).map((d) => diagnosticEntry(uri, d)), relativePath(uri));
  }
  const entries = vscode.languages
    .getDiagnostics()
    .filter(([file]) => inWorkspace(file))
    .flatMap(([file, list]) => list.map((d) => diagnosticEntry(file, d)));
  return diagnosticsResult(entries, undefined);
}

/**
 * Opens `uri` (so its language server checks it) and waits until problems for it are reported
 * or `timeoutMs` has passed; then diagnosticsText(uri) says what the server found.
 */
export async function checkedDiagnostics(uri: vscode.Uri, timeoutMs = 5_000): Promise<string> {
  const document = await openInWorkspace(uri);
  await awaitTypeScriptProject(document, timeoutMs);
  if (vscode.languages.getDiagnostics(uri).length === 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
        if (event.uris.some((u) => u.toString() === uri.toString())) done();
      });
      function done() {
        clearTimeout(timer);
        subscription.dispose();
        resolve();
      }
    });
  }
  return diagnosticsText(uri);
}

/**
 * Where `symbol` is as a whole word on `line` (1-based): its first occurrence there, else on the
 * nearest line within SYMBOL_REACH above or below. ToolFailure when it is not there.
 */
export function symbolPosition(document: vscode.TextDocument, line: number, symbol: string): vscode.Position {
  const name = shown(document.uri);
  if (typeof symbol !== 'string' || symbol.trim() === '') throw toolFailure('A symbol name is needed.', 'シンボル名が必要です。');
  const lines = Array.from({ length: document.lineCount }, (_, i) => document.lineAt(i).text);
  const found = findSymbol(lines, line, symbol.trim());
  if (found.ok) return new vscode.Position(found.line, found.character);
  if (found.reason === 'no-line') {
    throw toolFailure(
      `${name} has ${found.lineCount} line${found.lineCount === 1 ? '' : 's'}; there is no line ${line}.`,
      `${name} は ${found.lineCount} 行しかなく、${line} 行目はありません。`,
    );
  }
  throw toolFailure(
    `"${symbol.trim()}" is not on line ${line} of ${name}, nor within ${SYMBOL_REACH} lines of it.`,
    `「${symbol.trim()}」は ${name} の ${line} 行目にも、その前後 ${SYMBOL_REACH} 行にもありません。`,
  );
}

/** The references the language extension knows of (the declaration included), as `path:line: text`. */
export async function findReferences(uri: vscode.Uri, line: number, symbol: string, options?: ProviderWait): Promise<string> {
  const document = await openInWorkspace(uri);
  const position = symbolPosition(document, line, symbol);
  await awaitTypeScriptProject(document, waitFor(document, options));
  const locations = await untilAnswered(async () => {
    const found = await vscode.commands.executeCommand<vscode.Location[] | undefined>('vscode.executeReferenceProvider', document.uri, position);
    return found && found.length > 0 ? found : undefined;
  }, waitFor(document, options));
  const name = symbol.trim();
  if (!locations) {
    return `No references to "${name}" were found at ${shown(document.uri)}:${position.line + 1} (there are none, or no extension provides references for ${document.languageId} files).`;
  }
  const entries: ReferenceEntry[] = [];
  let outside = 0;
  let total = 0;
  const documents = new Map<string, vscode.TextDocument>();
  const ordered = locations
    .map((location) => ({ location, path: relativePath(location.uri) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.location.range.start.compareTo(b.location.range.start))
    .map(({ location }) => location);
  for (const location of ordered) {
    if (!(await reallyInWorkspace(location.uri))) {
      outside++;
      continue;
    }
    total++;
    if (entries.length >= MAX_REFERENCES) continue; // counted, not read
    const key = location.uri.toString();
    let doc = documents.get(key);
    if (!doc) {
      doc = await vscode.workspace.openTextDocument(location.uri).then(
        (d) => d,
        () => undefined,
      );
      if (!doc) continue;
      documents.set(key, doc);
    }
    const start = location.range.start;
    const text = start.line < doc.lineCount ? doc.lineAt(start.line).text : '';
    entries.push({
      path: relativePath(location.uri),
      line: start.line + 1,
      text,
      character: start.character,
      length: location.range.isSingleLine ? location.range.end.character - start.character : 0,
    });
  }
  return referencesResult(name, entries, outside, MAX_REFERENCES, total);
}

export interface RenameProposal {
  /** Not applied: the caller shows it and applies it when the user accepts. */
  readonly edit: vscode.WorkspaceEdit;
  /** Each file the edit changes, with its number of text edits, by path. */
  readonly files: readonly { readonly uri: vscode.Uri; readonly edits: number }[];
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * The edit that renames `symbol` (on `line`, 1-based) to `newName` everywhere the language
 * extension knows of, checked to touch only files inside the workspace folders. Not applied.
 */
export async function renameEdit(uri: vscode.Uri, line: number, symbol: string, newName: string, options?: ProviderWait): Promise<RenameProposal> {
  if (typeof symbol !== 'string' || symbol.trim() === '') throw toolFailure('A symbol name is needed.', 'シンボル名が必要です。');
  const target = typeof newName === 'string' ? newName.trim() : '';
  if (target === '' || /\s/.test(target)) {
    throw toolFailure('The new name must be one word, without spaces.', '新しい名前は空白を含まない一語である必要があります。');
  }
  if (target === symbol.trim()) throw toolFailure(`"${target}" already has that name.`, `「${target}」はすでにその名前です。`);
  const document = await openInWorkspace(uri);
  const position = symbolPosition(document, line, symbol);
  const where = `${shown(document.uri)}:${position.line + 1}`;
  await awaitTypeScriptProject(document, waitFor(document, options));

  // A rejection by prepareRename comes from a language extension that looked (with none, VS Code
  // returns the word): that answer is final. A rename that gives nothing is asked again while a
  // language server may still be starting.
  try {
    await vscode.commands.executeCommand('vscode.prepareRename', document.uri, position);
  } catch (error) {
    const reason = reasonOf(error);
    throw toolFailure(`"${symbol.trim()}" at ${where} cannot be renamed: ${reason}`, `${where} の「${symbol.trim()}」は名前を変更できません: ${reason}`);
  }
  let lastReason: string | undefined;
  const edit = await untilAnswered(async () => {
    try {
      const result = await vscode.commands.executeCommand<vscode.WorkspaceEdit | undefined>('vscode.executeDocumentRenameProvider', document.uri, position, target);
      if (result && result.size > 0) return result;
      lastReason = undefined;
    } catch (error) {
      lastReason = reasonOf(error);
    }
    return undefined;
  }, waitFor(document, options));
  if (!edit) {
    const because = lastReason ? ` (${lastReason})` : '';
    throw toolFailure(
      `No extension could rename "${symbol.trim()}" at ${where}${because}: there may be no rename support for ${document.languageId} files.`,
      `${where} の「${symbol.trim()}」の名前を変更できる拡張機能がありませんでした${because}。${document.languageId} のファイルには名前変更の機能がないのかもしれません。`,
    );
  }
  const entries = edit.entries();
  const outside: string[] = [];
  for (const [file] of entries) if (!(await reallyInWorkspace(file))) outside.push(shown(file));
  if (outside.length > 0) {
    const list = outside.slice(0, 5).join(', ') + (outside.length > 5 ? ', …' : '');
    throw toolFailure(
      `Renaming "${symbol.trim()}" would change files outside the workspace folders (${list}), so it was not done.`,
      `「${symbol.trim()}」の名前を変更するとワークスペースのフォルダー外のファイル（${list}）も変わるため、行いませんでした。`,
    );
  }
  const files = entries
    .map(([file, edits]) => ({ uri: file, edits: edits.length, path: relativePath(file) }))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map(({ uri: file, edits }) => ({ uri: file, edits }));
  return { edit, files };
}
