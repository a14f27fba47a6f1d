// search_text: the model searches the open workspace folders with the ripgrep VS Code ships
// (never the @vscode/ripgrep npm package, which downloads a binary when installed). rg honours
// .gitignore (also outside a git repository), the user's files.exclude and search.exclude, never
// enters .git and never follows a symbolic link out of the folder. Results are bounded in count,
// bytes and time; ripgrepOutput.ts holds the pure parts.
import { spawn } from 'node:child_process';
import { promises as fs, constants as fsConstants } from 'node:fs';
import * as vscode from 'vscode';
import {
  MAX_FILE_SIZE,
  MAX_MATCHES,
  MAX_MATCHES_PER_FILE,
  MAX_RG_OUTPUT_BYTES,
  SEARCH_TIMEOUT_MS,
  RipgrepJsonReader,
  excludeGlobArgs,
  includeFilter,
  regexError,
  ripgrepCandidates,
  searchResultText,
  type RipgrepMatch,
} from './ripgrepOutput';
import { toolFailure } from './toolFailure';

export interface SearchTextInput {
  readonly query: string;
  /** The query is a regular expression (rg's syntax, with PCRE2 where it needs look-around). */
  readonly regex: boolean;
  readonly caseSensitive: boolean;
  /** Only files matching this glob: `*.ts` (a name at any depth) or `src/**` (from the folder). */
  readonly glob?: string;
}

const caseInsensitiveFiles = process.platform === 'win32' || process.platform === 'darwin';

async function executable(file: string): Promise<boolean> {
  try {
    await fs.access(file, process.platform === 'win32' ? fsConstants.F_OK : fsConstants.X_OK);
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/** The `rg` VS Code itself ships under `appRoot`, or undefined when none is found. */
export async function findRipgrep(appRoot: string = vscode.env.appRoot): Promise<string | undefined> {
  for (const candidate of ripgrepCandidates(appRoot)) {
    if (await executable(candidate)) return candidate;
  }
  return undefined;
}

interface FolderSearch {
  readonly matches: RipgrepMatch[];
  readonly capped: boolean;
  readonly filesAtPerFileLimit: number;
  readonly timedOut: boolean;
}

function rgArgs(input: SearchTextInput, folder: vscode.WorkspaceFolder): string[] {
  const args = [
    '--json',
    '--no-config', // a user's RIPGREP_CONFIG_PATH must not change what the model sees
    '--hidden', // dotfiles (.github, .eslintrc) are searched; .git is excluded below
    '--no-require-git', // .gitignore counts outside a git repository too, as in VS Code
    '--sort', 'path', // the same query gives the same (first) results
    '--max-count', String(MAX_MATCHES_PER_FILE),
    '--max-filesize', MAX_FILE_SIZE,
    input.caseSensitive ? '--case-sensitive' : '--ignore-case',
  ];
  const search = vscode.workspace.getConfiguration('search', folder.uri);
  if (search.get<boolean>('useIgnoreFiles') === false) args.push('--no-ignore');
  else if (search.get<boolean>('useParentIgnoreFiles') !== true) args.push('--no-ignore-parent');
  args.push(...excludeGlobArgs(vscode.workspace.getConfiguration('files', folder.uri).get('exclude'), search.get('exclude')));
  if (input.glob?.trim()) args.push(...includeFilter(input.glob, caseInsensitiveFiles).args);
  if (input.regex) args.push('--engine', 'auto');
  else args.push('--fixed-strings');
  args.push('--', input.query, '.');
  return args;
}

function searchFolder(rg: string, input: SearchTextInput, folder: vscode.WorkspaceFolder, limit: number, signal?: AbortSignal): Promise<FolderSearch> {
  const glob = input.glob?.trim();
  const filter = glob ? includeFilter(glob, caseInsensitiveFiles) : undefined;
  const reader = new RipgrepJsonReader(limit, filter?.matches);
  return new Promise((resolve, reject) => {
    const child = spawn(rg, rgArgs(input, folder), { cwd: folder.uri.fsPath, stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    let stderr = '';
    let outputBytes = 0;
    let stopped = false;
    let timedOut = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      child.kill();
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, SEARCH_TIMEOUT_MS);
    const onAbort = () => stop();
    signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => {
      if (stopped) return;
      outputBytes += chunk.length;
      if (!reader.push(chunk) || outputBytes > MAX_RG_OUTPUT_BYTES) {
        if (outputBytes > MAX_RG_OUTPUT_BYTES) reader.capped = true;
        stop();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < 8192) stderr += chunk.toString('utf8');
    });
    const finish = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    };
    child.on('error', (error) => {
      finish();
      reject(toolFailure(`The search could not start ripgrep: ${error.message}`, `ripgrep を起動できず、検索できませんでした: ${error.message}`));
    });
    child.on('close', (code) => {
      finish();
      if (!stopped) reader.end();
      if (signal?.aborted) {
        reject(toolFailure('The search was cancelled.', '検索はキャンセルされました。'));
        return;
      }
      // 0: matches, 1: none, 2: an error (also when some file could not be read, with matches).
      if (code === 2 && !stopped) {
        const bad = regexError(stderr);
        if (bad) {
          reject(toolFailure(`The regular expression is not valid:\n${bad}`, `正規表現が正しくありません:\n${bad}`));
          return;
        }
        if (reader.matches.length === 0) {
          const detail = stderr.trim().split('\n').slice(0, 5).join('\n');
          reject(toolFailure(`The search failed: ${detail}`, `検索に失敗しました: ${detail}`));
          return;
        }
      }
      resolve({ matches: reader.matches, capped: reader.capped, filesAtPerFileLimit: reader.filesAtPerFileLimit, timedOut });
    });
  });
}

/**
 * Searches every open workspace folder for `query` and returns the text for the model:
 * `path:line: text` a line (the folder's name first in a multi-root workspace), with a note when
 * results were left out. Throws ToolFailure (rg missing, a bad regular expression, no folder).
 */
export async function searchText(input: SearchTextInput, signal?: AbortSignal): Promise<string> {
  if (typeof input.query !== 'string' || input.query === '') {
    throw toolFailure('search_text needs a non-empty "query".', 'search_text には空でない "query" が必要です。');
  }
  if (input.query.includes('\0') || input.query.length > 1000) {
    throw toolFailure('The query is not valid (too long, or a NUL character).', 'クエリが正しくありません（長すぎるか、NUL 文字を含んでいます）。');
  }
  const folders = (vscode.workspace.workspaceFolders ?? []).filter((f) => f.uri.scheme === 'file');
  if (folders.length === 0) {
    throw toolFailure('No folder on this machine is open in VS Code, so there is nothing to search.', 'このマシン上のフォルダーが VS Code で開かれていないため、検索できません。');
  }
  const rg = await findRipgrep();
  if (!rg) {
    throw toolFailure(
      `The ripgrep program that VS Code ships was not found under ${vscode.env.appRoot}, so the workspace cannot be searched.`,
      `VS Code に同梱されている ripgrep が ${vscode.env.appRoot} に見つからないため、ワークスペースを検索できません。`,
    );
  }
  const matches: RipgrepMatch[] = [];
  let capped = false;
  let filesAtPerFileLimit = 0;
  let timedOut = false;
  for (const folder of folders) {
    // With no room left, a folder is still searched for its first match: that says "capped".
    const found = await searchFolder(rg, input, folder, MAX_MATCHES - matches.length, signal);
    const prefix = folders.length > 1 ? `${folder.name}/` : '';
    for (const match of found.matches) matches.push({ ...match, path: prefix + match.path });
    capped ||= found.capped;
    timedOut ||= found.timedOut;
    filesAtPerFileLimit += found.filesAtPerFileLimit;
    if (found.timedOut || found.capped) break;
  }
  return searchResultText({ query: input.query, regex: input.regex, glob: input.glob?.trim() || undefined, matches, capped, filesAtPerFileLimit, timedOut });
}
