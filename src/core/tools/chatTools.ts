// The chat's tools: read-only looks at the workspace the model may take while answering. Here:
// their schemas (sent with every chat request; the engine turns them into argument grammars),
// the checks on a call's arguments, and the shaping of results for the model and for the card.
import type { ToolSpec } from '../harmony/types';
import type { LocalizedText } from '../generation/types';
import { cutNote } from '../chat/attachments';
import { checkWorkspacePath } from './workspacePaths';

export const READ_FILE = 'read_file';
export const LIST_FILES = 'list_files';

export const CHAT_TOOLS: readonly ToolSpec[] = [
  {
    type: 'function',
    function: {
      name: READ_FILE,
      description: 'Read a text file of the workspace.',
      parameters: {
        type: 'object',
        properties: { path: { type: 'string', description: 'Relative to the workspace folder, e.g. src/app.ts' } },
        required: ['path'],
        additionalProperties: false,
      },
    },
  },
  {
    type: 'function',
    function: {
      name: LIST_FILES,
      description: 'List a folder of the workspace (folders end with /).',
      parameters: {
        type: 'object',
        properties: { path: { type: 'string', description: 'Relative folder; empty for the workspace root' } },
        additionalProperties: false,
      },
    },
  },
];

/** A file read by the model is cut after this many bytes. */
export const MAX_READ_BYTES = 64 * 1024;
/** Most entries one listing returns. */
export const MAX_LIST_ENTRIES = 500;
/** Tool rounds (model calls, results, model again) per question. */
export const MAX_TOOL_ROUNDS = 5;

export type ToolRequest =
  | { readonly tool: typeof READ_FILE; readonly segments: readonly string[]; readonly path: string }
  | { readonly tool: typeof LIST_FILES; readonly segments: readonly string[]; readonly path: string };

export type ParsedToolCall =
  | { readonly ok: true; readonly request: ToolRequest }
  | { readonly ok: false; readonly status: 'unavailable' | 'failed'; readonly error: LocalizedText };

function failed(en: string, ja: string): ParsedToolCall {
  return { ok: false, status: 'failed', error: { en, ja } };
}

/** Checks a call the model made: a known tool, JSON object arguments, a path inside the workspace. */
export function parseToolCall(name: string, args: string): ParsedToolCall {
  if (name !== READ_FILE && name !== LIST_FILES) {
    const known = CHAT_TOOLS.map((t) => t.function.name).join(', ');
    return {
      ok: false,
      status: 'unavailable',
      error: { en: `There is no tool named "${name}". Available tools: ${known}.`, ja: `「${name}」というツールはありません。使えるツール: ${known}` },
    };
  }
  let parsed: unknown;
  try {
    parsed = args.trim() === '' ? {} : JSON.parse(args);
  } catch {
    return failed('The arguments are not valid JSON.', '引数が正しい JSON ではありません。');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return failed('The arguments must be a JSON object.', '引数は JSON オブジェクトである必要があります。');
  }
  const path = (parsed as Record<string, unknown>).path;
  if (name === READ_FILE && (typeof path !== 'string' || path.trim() === '')) {
    return failed('read_file needs a "path" string.', 'read_file には文字列の "path" が必要です。');
  }
  if (path !== undefined && typeof path !== 'string') {
    return failed('"path" must be a string.', '"path" は文字列である必要があります。');
  }
  const text = path ?? '';
  const checked = checkWorkspacePath(text);
  if (!checked.ok) return { ok: false, status: 'failed', error: checked.error };
  return { ok: true, request: { tool: name, segments: checked.segments, path: checked.segments.join('/') } };
}

/** Whether bytes look like a binary file (a NUL byte near the start, as git decides). */
export function looksBinary(bytes: Uint8Array): boolean {
  return bytes.subarray(0, 8000).includes(0);
}

/** The file text the model reads, with a note when only the start of it is shown. */
export function readResult(text: string, totalBytes: number, shownBytes: number): string {
  return shownBytes < totalBytes ? text + cutNote(totalBytes, shownBytes) : text;
}

export interface ListedEntry {
  readonly name: string;
  readonly folder: boolean;
}

/** One entry a line, folders marked with a trailing slash, sorted; bounded. */
export function listResult(entries: readonly ListedEntry[], max = MAX_LIST_ENTRIES): string {
  const names = entries.map((e) => (e.folder ? `${e.name}/` : e.name)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (names.length === 0) return '(empty folder)';
  const shown = names.slice(0, max);
  if (names.length > max) shown.push(`[… ${names.length - max} more entries]`);
  return shown.join('\n');
}

/** The start of a result, for the tool card: a few lines, bounded. */
export function cardSummary(text: string, maxLines = 6, maxChars = 400): string {
  const lines = text.split('\n');
  let summary = lines.slice(0, maxLines).join('\n');
  if (summary.length > maxChars) summary = [...summary.slice(0, maxChars)].slice(0, -1).join('');
  return summary.length < text.length ? `${summary.trimEnd()}\n…` : summary;
}

/** What the model reads when a call could not run. */
export function errorResult(error: LocalizedText): string {
  return `Error: ${error.en}`;
}
