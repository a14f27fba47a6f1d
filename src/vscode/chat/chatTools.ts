// Runs the chat's tools against the open workspace. core/tools has already checked the call's
// arguments and refused absolute paths, `..` above the root and `.git`; core/tools/realPaths then
// checks that the real path (symlinks resolved) still lies inside the workspace folder, so a link
// cannot lead the model out of it. Reads, searches and diagnostics run at once; every write
// (replace_in_file, create_file, rename_symbol) is staged in EditStaging for the user to accept.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cutToBytes, utf8Length } from '../../core/chat/attachments';
import { editBase } from '../../core/edits/editBase';
import { applyReplacements, checkProposal } from '../../core/edits/replaceInFile';
import type { LocalizedText } from '../../core/generation/types';
import type { ProposalCard } from '../../core/protocol';
import {
  CHAT_TOOLS,
  cardSummary,
  errorResult,
  listResult,
  looksBinary,
  parseToolCall,
  readLines,
  readResult,
  MAX_LIST_ENTRIES,
  type ListedEntry,
  type ToolRequest,
} from '../../core/tools/chatTools';
import { resolveRealTarget } from '../../core/tools/realPaths';
import { isHiddenSegment, pickFolder } from '../../core/tools/workspacePaths';
import { proposalCard, type EditStaging } from '../edits/editStaging';
import { localized } from '../request/engineService';
import type { ToolOutcome, ToolSet } from '../request/requestService';
import { checkedDiagnostics, diagnosticsText, findReferences, relativePath, renameEdit } from '../tools/languageTools';
import { searchText } from '../tools/ripgrep';
import { ToolFailure } from '../tools/toolFailure';

function fail(en: string, ja: string): never {
  throw new ToolFailure({ en, ja });
}

/** Failed edits of one file before the model is told to stop trying (other agents looped on them). */
const MAX_EDIT_FAILURES = 3;

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

/** What locates a file or folder of a request. */
interface PathRequest {
  readonly segments: readonly string[];
  readonly path: string;
}

function workspaceRoot(request: { readonly segments: readonly string[] }): { root: vscode.Uri; rest: readonly string[] } {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) fail('No folder is open in VS Code.', 'VS Code でフォルダーが開かれていません。');
  const { folder, rest } = pickFolder(request.segments, folders.map((f) => f.name));
  const root = folders[folder].uri;
  if (root.scheme !== 'file') fail('The workspace folder is not on this machine.', 'ワークスペースのフォルダーがこのマシン上にありません。');
  return { root, rest };
}

/** The real path of a request's target, checked to be inside its workspace folder. */
async function resolveTarget(request: PathRequest): Promise<{ readonly real: string; readonly logical: string }> {
  const { root, rest } = workspaceRoot(request);
  const target = await resolveRealTarget(root.fsPath, rest, caseInsensitive);
  if (target.ok) return target;
  if (target.reason === 'missing') fail(`"${request.path}" does not exist.`, `「${request.path}」は存在しません。`);
  if (target.reason === 'outside') {
    fail(`"${request.path}" leads outside the workspace through a link.`, `「${request.path}」はリンクを通じてワークスペースの外を指しています。`);
  }
  fail(`"${request.path}" is inside .git, which the tools do not touch.`, `「${request.path}」は .git の中にあるため、ツールでは扱えません。`);
}

/** Where a new file would go: its deepest existing folder must be inside the workspace, the file itself must not exist. */
async function resolveNewTarget(request: PathRequest): Promise<string> {
  const { root, rest } = workspaceRoot(request);
  if (rest.length === 0) fail('create_file needs a file name.', 'create_file にはファイル名が必要です。');
  const whole = await resolveRealTarget(root.fsPath, rest, caseInsensitive);
  if (whole.ok) fail(`"${request.path}" already exists: read it and use replace_in_file.`, `「${request.path}」は既にあります。読んでから replace_in_file を使ってください。`);
  if (whole.reason !== 'missing') return resolveTarget(request).then((t) => t.logical);
  for (let depth = rest.length - 1; depth >= 0; depth--) {
    const parent = await resolveRealTarget(root.fsPath, rest.slice(0, depth), caseInsensitive);
    if (!parent.ok && parent.reason === 'missing') continue;
    if (!parent.ok) fail(`"${request.path}" would be created outside the workspace or in .git.`, `「${request.path}」はワークスペースの外か .git の中になります。`);
    const stat = await fs.stat(parent.real);
    if (!stat.isDirectory()) fail(`"${rest.slice(0, depth).join('/')}" is a file, not a folder.`, `「${rest.slice(0, depth).join('/')}」はフォルダーではなくファイルです。`);
    return path.join(parent.logical, ...rest.slice(depth));
  }
  return path.join(root.fsPath, ...rest);
}

async function isBinaryFile(file: string): Promise<boolean> {
  const handle = await fs.open(file, 'r');
  try {
    const buffer = new Uint8Array(8000);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    return looksBinary(buffer.subarray(0, bytesRead));
  } finally {
    await handle.close();
  }
}

async function documentText(uri: vscode.Uri): Promise<string> {
  return (await vscode.workspace.openTextDocument(uri)).getText();
}

/** The model's tools for one chat session: what it read (to find stale edits) and how often its edits failed. */
export class ChatTools implements ToolSet, vscode.Disposable {
  readonly specs = CHAT_TOOLS;
  /** Each file's text as the model last read it, by URI. */
  private readonly reads = new Map<string, string>();
  /** Every file read_file read, in the order first read (a surface lists them as references). */
  private readonly read = new Map<string, vscode.Uri>();
  private readonly failures = new Map<string, number>();
  private readonly subscription: vscode.Disposable;

  constructor(private readonly staging: EditStaging) {
    // An accepted proposal is what the model last saw of that file: its next edit is not stale.
    this.subscription = staging.onDidChangeState((file) => {
      if (file.state === 'accepted' && this.reads.has(file.uri.toString())) this.reads.set(file.uri.toString(), file.proposed);
    });
  }

  /** The files the model has read so far, each once, in the order first read. */
  filesRead(): readonly vscode.Uri[] {
    return [...this.read.values()];
  }

  dispose(): void {
    this.subscription.dispose();
  }

  /** Runs one tool call of the model; never throws: failures become results the model reads. */
  async run(name: string, args: string, limits: { readonly maxReadBytes: number }): Promise<ToolOutcome> {
    const parsed = parseToolCall(name, args);
    if (!parsed.ok) return { status: parsed.status, result: errorResult(parsed.error), summary: localized(parsed.error) };
    try {
      const done = await this.runRequest(parsed.request, limits.maxReadBytes);
      return { status: 'done', result: done.result, summary: cardSummary(done.result), ...(done.proposals ? { proposals: done.proposals } : {}) };
    } catch (error) {
      const text: LocalizedText =
        error instanceof ToolFailure ? error.text : { en: `The tool failed: ${String(error)}`, ja: `ツールの実行に失敗しました: ${String(error)}` };
      return { status: 'failed', result: errorResult(text), summary: localized(text) };
    }
  }

  private async runRequest(request: ToolRequest, maxReadBytes: number): Promise<{ result: string; proposals?: ProposalCard[] }> {
    switch (request.tool) {
      case 'read_file':
        return { result: await this.readFile(request, maxReadBytes) };
      case 'list_files':
        return { result: request.glob ? await listMatching(request, request.glob) : await listFiles(request) };
      case 'search_text':
        return { result: await searchText(request) };
      case 'get_diagnostics': {
        const { segments, path: where } = request;
        const uri = segments && segments.length > 0 ? vscode.Uri.file((await resolveTarget({ segments, path: where ?? '' })).logical) : undefined;
        return { result: uri ? await checkedDiagnostics(uri) : diagnosticsText() };
      }
      case 'find_references': {
        const target = await this.existingText(request);
        return { result: await findReferences(target.uri, request.line, request.symbol) };
      }
      case 'rename_symbol':
        return this.renameSymbol(request);
      case 'replace_in_file':
        return this.replaceInFile(request);
      case 'create_file':
        return this.createFile(request);
    }
  }

  /** An existing text file of the workspace. */
  private async existingText(request: PathRequest): Promise<{ uri: vscode.Uri; real: string }> {
    const { real, logical } = await resolveTarget(request);
    const stat = await fs.stat(real);
    if (stat.isDirectory()) fail(`"${request.path}" is a folder.`, `「${request.path}」はフォルダーです。`);
    if (await isBinaryFile(real)) fail(`"${request.path}" is a binary file.`, `「${request.path}」はバイナリファイルです。`);
    return { uri: vscode.Uri.file(logical), real };
  }

  private async readFile(request: Extract<ToolRequest, { tool: 'read_file' }>, maxBytes: number): Promise<string> {
    const { real, logical } = await resolveTarget(request);
    const stat = await fs.stat(real);
    if (stat.isDirectory()) fail(`"${request.path}" is a folder: use list_files.`, `「${request.path}」はフォルダーです。list_files を使ってください。`);
    if (await isBinaryFile(real)) fail(`"${request.path}" is a binary file.`, `「${request.path}」はバイナリファイルです。`);
    const uri = vscode.Uri.file(logical);
    if (!this.read.has(uri.toString())) this.read.set(uri.toString(), uri);
    const pending = this.staging.pendingFor(uri);
    // What the user sees (unsaved changes included) is what the model reads; its own pending
    // proposal is what it builds on.
    const text = pending ? pending.proposed : await documentText(uri);
    if (!pending) this.reads.set(uri.toString(), text);
    const note = pending ? '(The file with your proposed changes, which the user has not accepted yet.)\n' : '';
    if (request.startLine !== undefined || request.endLine !== undefined) return note + readLines(text, request.startLine, request.endLine);
    const shown = cutToBytes(text, maxBytes).text;
    return note + readResult(shown, utf8Length(text), utf8Length(shown));
  }

  private countFailure(uri: vscode.Uri, pathText: string, error: LocalizedText): never {
    const key = uri.toString();
    const failures = (this.failures.get(key) ?? 0) + 1;
    this.failures.set(key, failures);
    if (failures >= MAX_EDIT_FAILURES) {
      throw new ToolFailure({
        en: `${error.en}\nEditing ${pathText} failed ${failures} times: stop editing it and tell the user what you wanted to change.`,
        ja: `${error.ja}\n${pathText} の編集に ${failures} 回失敗しました。編集をやめ、何を変えたかったかをユーザーに説明してください。`,
      });
    }
    throw new ToolFailure(error);
  }

  private async replaceInFile(request: Extract<ToolRequest, { tool: 'replace_in_file' }>): Promise<{ result: string; proposals: ProposalCard[] }> {
    const { uri } = await this.existingText(request);
    if ((this.failures.get(uri.toString()) ?? 0) >= MAX_EDIT_FAILURES) {
      fail(`Editing ${request.path} already failed ${MAX_EDIT_FAILURES} times: tell the user what you wanted to change instead.`, `${request.path} の編集は既に ${MAX_EDIT_FAILURES} 回失敗しています。代わりに、何を変えたかったかをユーザーに説明してください。`);
    }
    const pending = this.staging.pendingFor(uri);
    const start = editBase({ current: await documentText(uri), read: this.reads.get(uri.toString()), ...(pending ? { pending } : {}) }, request.path);
    if (!start.ok) throw new ToolFailure(start.error);
    const { base } = start;
    const outcome = applyReplacements(base, request.edits);
    if (!outcome.ok) this.countFailure(uri, request.path, outcome.error);
    const check = checkProposal(base, outcome.text);
    if (!check.ok) this.countFailure(uri, request.path, check.error);
    this.failures.delete(uri.toString());
    const file = this.staging.stage(uri, request.path, start.baseline, outcome.text);
    void this.staging.open(file.id);
    const card = proposalCard(file);
    const tolerant = outcome.applied.filter((a) => a.whitespaceTolerant).map((a) => a.line);
    return {
      result:
        `Proposed the change to ${request.path} (+${card.added} −${card.removed} lines in all). It is not applied yet: the user accepts or rejects it in a diff.` +
        (tolerant.length > 0 ? ` Matched ignoring whitespace at line ${tolerant.join(', ')}.` : ''),
      proposals: [card],
    };
  }

  private async createFile(request: Extract<ToolRequest, { tool: 'create_file' }>): Promise<{ result: string; proposals: ProposalCard[] }> {
    const target = await resolveNewTarget(request);
    const check = checkProposal('', request.content);
    if (!check.ok) throw new ToolFailure(check.error);
    const file = this.staging.stage(vscode.Uri.file(target), request.path, '', request.content, true);
    void this.staging.open(file.id);
    return {
      result: `Proposed the new file ${request.path} (${proposalCard(file).added} lines). It is not created yet: the user accepts or rejects it in a diff.`,
      proposals: [proposalCard(file)],
    };
  }

  private async renameSymbol(request: Extract<ToolRequest, { tool: 'rename_symbol' }>): Promise<{ result: string; proposals: ProposalCard[] }> {
    const { uri } = await this.existingText(request);
    const { edit } = await renameEdit(uri, request.line, request.symbol, request.newName);
    const staged: ProposalCard[] = [];
    const changes = edit.entries();
    for (const [fileUri] of changes) {
      if (this.staging.pendingFor(fileUri)) {
        fail(`${relativePath(fileUri)} has a proposed change waiting for the user: a rename must start from the file as it is.`, `${relativePath(fileUri)} にはユーザーの確認待ちの変更があります。名前の変更は現在のファイルから行う必要があります。`);
      }
    }
    for (const [fileUri, edits] of changes) {
      const document = await vscode.workspace.openTextDocument(fileUri);
      const before = document.getText();
      const ordered = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
      let after = before;
      for (const textEdit of ordered) {
        after = after.slice(0, document.offsetAt(textEdit.range.start)) + textEdit.newText + after.slice(document.offsetAt(textEdit.range.end));
      }
      const file = this.staging.stage(fileUri, relativePath(fileUri), before, after);
      staged.push(proposalCard(file));
    }
    if (staged.length === 0) fail(`Renaming "${request.symbol}" changes nothing.`, `「${request.symbol}」の名前を変えても何も変わりません。`);
    void this.staging.open(staged[0].id);
    return {
      result: `Proposed renaming ${request.symbol} to ${request.newName} in ${staged.length} file(s): ${staged.map((s) => s.path).join(', ')}. Not applied yet: the user accepts or rejects it.`,
      proposals: staged,
    };
  }
}

/** Files under the folder that match `glob`, as VS Code finds them (files.exclude and .gitignore'd search excludes respected). */
async function listMatching(request: PathRequest, glob: string): Promise<string> {
  const { real, logical } = await resolveTarget(request);
  const stat = await fs.stat(real);
  if (!stat.isDirectory()) fail(`"${request.path}" is a file: use read_file.`, `「${request.path}」はファイルです。read_file を使ってください。`);
  const found = await vscode.workspace.findFiles(new vscode.RelativePattern(vscode.Uri.file(logical), glob), undefined, MAX_LIST_ENTRIES + 1);
  const entries: ListedEntry[] = found
    .map((uri) => path.relative(logical, uri.fsPath).split(path.sep).join('/'))
    .filter((name) => !name.split('/').some(isHiddenSegment))
    .map((name) => ({ name, folder: false }));
  return entries.length === 0 ? `(no files match ${glob})` : listResult(entries);
}

async function listFiles(request: Extract<ToolRequest, { tool: 'list_files' }>): Promise<string> {
  const { real } = await resolveTarget(request);
  const stat = await fs.stat(real);
  if (!stat.isDirectory()) fail(`"${request.path}" is a file: use read_file.`, `「${request.path}」はファイルです。read_file を使ってください。`);
  const entries: ListedEntry[] = [];
  for (const entry of await fs.readdir(real, { withFileTypes: true })) {
    if (isHiddenSegment(entry.name)) continue;
    let folder = entry.isDirectory();
    if (entry.isSymbolicLink()) folder = await fs.stat(path.join(real, entry.name)).then((s) => s.isDirectory(), () => false);
    entries.push({ name: entry.name, folder });
  }
  return listResult(entries);
}
