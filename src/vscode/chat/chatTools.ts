// Runs the chat's read-only tools against the open workspace. core/tools has already refused
// absolute paths, `..` above the root and `.git`; core/tools/realPaths then checks that the real
// path (symlinks resolved) still lies inside the workspace folder, so a link cannot lead the
// model out of it.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { cutToBytes, utf8Length } from '../../core/chat/attachments';
import type { LocalizedText } from '../../core/generation/types';
import { cardSummary, errorResult, LIST_FILES, listResult, looksBinary, parseToolCall, READ_FILE, readResult, type ListedEntry, type RequestOf } from '../../core/tools/chatTools';
import { resolveRealTarget } from '../../core/tools/realPaths';
import { isHiddenSegment, pickFolder } from '../../core/tools/workspacePaths';
import { localized } from '../request/engineService';
import type { ToolOutcome } from '../request/requestService';

class ToolError extends Error {
  constructor(readonly text: LocalizedText) {
    super(text.en);
  }
}

function fail(en: string, ja: string): never {
  throw new ToolError({ en, ja });
}

const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';

/** The real path of a request's target, checked to be inside its workspace folder. */
async function resolveTarget(request: { readonly segments: readonly string[]; readonly path: string }): Promise<{ readonly real: string; readonly logical: string }> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  if (folders.length === 0) fail('No folder is open in VS Code.', 'VS Code でフォルダーが開かれていません。');
  const { folder, rest } = pickFolder(request.segments, folders.map((f) => f.name));
  const root = folders[folder].uri;
  if (root.scheme !== 'file') fail('The workspace folder is not on this machine.', 'ワークスペースのフォルダーがこのマシン上にありません。');
  const target = await resolveRealTarget(root.fsPath, rest, caseInsensitive);
  if (target.ok) return target;
  if (target.reason === 'missing') fail(`"${request.path}" does not exist.`, `「${request.path}」は存在しません。`);
  if (target.reason === 'outside') {
    fail(`"${request.path}" leads outside the workspace through a link.`, `「${request.path}」はリンクを通じてワークスペースの外を指しています。`);
  }
  fail(`"${request.path}" is inside .git, which the tools do not read.`, `「${request.path}」は .git の中にあるため、ツールでは読めません。`);
}

async function readFile(request: RequestOf<'read_file'>, maxBytes: number): Promise<string> {
  const { real, logical } = await resolveTarget(request);
  const stat = await fs.stat(real);
  if (stat.isDirectory()) fail(`"${request.path}" is a folder: use list_files.`, `「${request.path}」はフォルダーです。list_files を使ってください。`);
  // What the user sees in an editor with unsaved changes is what the model should read.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && (d.uri.fsPath === logical || d.uri.fsPath === real));
  if (open?.isDirty) {
    const text = open.getText();
    const shown = cutToBytes(text, maxBytes).text;
    return readResult(shown, utf8Length(text), utf8Length(shown));
  }
  const handle = await fs.open(real, 'r');
  try {
    const buffer = new Uint8Array(Math.min(stat.size, maxBytes));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const bytes = buffer.subarray(0, bytesRead);
    if (looksBinary(bytes)) fail(`"${request.path}" is a binary file.`, `「${request.path}」はバイナリファイルです。`);
    // Streaming mode holds back a character cut at the end instead of writing U+FFFD.
    const text = new TextDecoder('utf-8').decode(bytes, { stream: bytesRead < stat.size });
    return readResult(text, stat.size, utf8Length(text));
  } finally {
    await handle.close();
  }
}

async function listFiles(request: RequestOf<'list_files'>): Promise<string> {
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

/** The tools this side runs so far (core/tools declares more: search, diagnostics, edits). */
export const RUNNABLE_CHAT_TOOLS: ReadonlySet<string> = new Set([READ_FILE, LIST_FILES]);

/** Runs one tool call of the model; never throws: failures become results the model reads. */
export async function runChatTool(name: string, args: string, maxReadBytes: number): Promise<ToolOutcome> {
  const parsed = parseToolCall(name, args, RUNNABLE_CHAT_TOOLS);
  if (!parsed.ok) return { status: parsed.status, result: errorResult(parsed.error), summary: localized(parsed.error) };
  const request = parsed.request;
  try {
    if (request.tool !== 'read_file' && request.tool !== 'list_files') fail(`${request.tool} is not available here.`, `${request.tool} はここでは使えません。`);
    const result = request.tool === 'read_file' ? await readFile(request, maxReadBytes) : await listFiles(request);
    return { status: 'done', result, summary: cardSummary(result) };
  } catch (error) {
    const text: LocalizedText =
      error instanceof ToolError ? error.text : { en: `The tool failed: ${String(error)}`, ja: `ツールの実行に失敗しました: ${String(error)}` };
    return { status: 'failed', result: errorResult(text), summary: localized(text) };
  }
}
