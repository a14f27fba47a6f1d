// The chat's tools: looks at the workspace the model may take while answering (read, list,
// search, diagnostics, references) and the edits it may propose (replace text in a file, create a
// file, rename a symbol), which the VS Code side shows as a diff and applies only when accepted.
// Here: their schemas (sent with every chat request; the engine turns them into argument
// grammars), the checks on a call's arguments, and the shaping of results for the model and for
// the card. The grammar constrains a local model's arguments, but a server or another model may
// send anything, so every argument is checked again here.
import type { ToolSpec } from '../harmony/types';
import type { LocalizedText } from '../generation/types';
import { cutNote, cutToBytes, utf8Length } from '../chat/attachments';
import { checkWorkspacePath, isHiddenSegment } from './workspacePaths';

export const READ_FILE = 'read_file';
export const LIST_FILES = 'list_files';
export const SEARCH_TEXT = 'search_text';
export const GET_DIAGNOSTICS = 'get_diagnostics';
export const FIND_REFERENCES = 'find_references';
export const RENAME_SYMBOL = 'rename_symbol';
export const REPLACE_IN_FILE = 'replace_in_file';
export const CREATE_FILE = 'create_file';

/** The tools that change files: their calls are shown as a diff and wait for the user. */
export const WRITE_TOOLS: ReadonlySet<string> = new Set([REPLACE_IN_FILE, CREATE_FILE, RENAME_SYMBOL]);

/** Bounds on the arguments (the schemas say the same to the model where the grammar can). */
export const MAX_QUERY_CHARS = 500;
export const MAX_GLOB_CHARS = 200;
export const MAX_SYMBOL_CHARS = 200;
export const MAX_OLD_TEXT_CHARS = 20_000;
export const MAX_NEW_TEXT_CHARS = 200_000;
export const MAX_CREATE_BYTES = 512 * 1024;
export const MAX_EDITS = 20;

const PATH = { type: 'string', description: 'Relative to the workspace folder, e.g. src/app.ts' } as const;
const LINE = { type: 'integer', minimum: 1, description: 'Line number, 1 for the first line' } as const;
const GLOB = { type: 'string', maxLength: MAX_GLOB_CHARS, description: 'Only files matching this pattern, e.g. **/*.ts' } as const;
const SYMBOL = { type: 'string', minLength: 1, maxLength: MAX_SYMBOL_CHARS, description: 'The name exactly as written on that line' } as const;

function tool(name: string, description: string, properties: Record<string, unknown>, required: readonly string[] = []): ToolSpec {
  return {
    type: 'function',
    function: {
      name,
      description,
      parameters: { type: 'object', properties, ...(required.length > 0 ? { required: [...required] } : {}), additionalProperties: false },
    },
  };
}

export const CHAT_TOOLS: readonly ToolSpec[] = [
  tool(
    READ_FILE,
    'Read a text file of the workspace. Give start_line and end_line to read only those lines (numbered).',
    { path: PATH, start_line: { ...LINE, description: 'First line to read (1-based)' }, end_line: { ...LINE, description: 'Last line to read (inclusive)' } },
    ['path'],
  ),
  tool(LIST_FILES, 'List a folder of the workspace (folders end with /). With glob: the matching files under it.', {
    path: { type: 'string', description: 'Relative folder; empty for the workspace root' },
    glob: GLOB,
  }),
  tool(
    SEARCH_TEXT,
    'Search the workspace files for text. Returns matching lines as path:line: text.',
    {
      query: { type: 'string', minLength: 1, maxLength: MAX_QUERY_CHARS, description: 'The text to find' },
      regex: { type: 'boolean', description: 'true if query is a regular expression' },
      glob: GLOB,
      case_sensitive: { type: 'boolean', description: 'true to match upper and lower case exactly' },
    },
    ['query'],
  ),
  tool(GET_DIAGNOSTICS, 'Get the errors and warnings VS Code reports, for one file or (no path) the whole workspace.', { path: PATH }),
  tool(FIND_REFERENCES, 'Find where a symbol is defined and used. Give the file and line where the symbol appears.', { path: PATH, line: LINE, symbol: SYMBOL }, [
    'path',
    'line',
    'symbol',
  ]),
  tool(
    RENAME_SYMBOL,
    'Rename a symbol everywhere it is used (the user reviews the change). Give the file and line where it appears.',
    { path: PATH, line: LINE, symbol: SYMBOL, new_name: { type: 'string', minLength: 1, maxLength: MAX_SYMBOL_CHARS, description: 'The new name' } },
    ['path', 'line', 'symbol', 'new_name'],
  ),
  tool(
    REPLACE_IN_FILE,
    'Change a file by replacing text (the user reviews the change). Each old_text must be copied exactly from the file and match one place only; include a few unchanged lines around the change. Write new_text in full, never "..." or "rest of code".',
    {
      path: PATH,
      edits: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_EDITS,
        items: {
          type: 'object',
          properties: {
            old_text: { type: 'string', minLength: 1, maxLength: MAX_OLD_TEXT_CHARS, description: 'Exact current text' },
            new_text: { type: 'string', maxLength: MAX_NEW_TEXT_CHARS, description: 'Text to put in its place' },
          },
          required: ['old_text', 'new_text'],
          additionalProperties: false,
        },
      },
    },
    ['path', 'edits'],
  ),
  tool(
    CREATE_FILE,
    'Create a new file with this content (the user reviews it). Write the whole content, never "..." or placeholders.',
    { path: PATH, content: { type: 'string', description: 'The full text of the file' } },
    ['path', 'content'],
  ),
];

/** A file read by the model is cut after this many bytes. */
export const MAX_READ_BYTES = 64 * 1024;
/** Most entries one listing returns. */
export const MAX_LIST_ENTRIES = 500;
/** Tool rounds (model calls, results, model again) per question, unless llmJp.maxToolSteps says otherwise. */
export const MAX_TOOL_ROUNDS = 10;

type Segments = readonly string[];

export interface TextReplacement {
  readonly oldText: string;
  readonly newText: string;
}

export type ToolRequest =
  | { readonly tool: typeof READ_FILE; readonly segments: Segments; readonly path: string; readonly startLine?: number; readonly endLine?: number }
  | { readonly tool: typeof LIST_FILES; readonly segments: Segments; readonly path: string; readonly glob?: string }
  | { readonly tool: typeof SEARCH_TEXT; readonly query: string; readonly regex: boolean; readonly caseSensitive: boolean; readonly glob?: string }
  | { readonly tool: typeof GET_DIAGNOSTICS; readonly segments?: Segments; readonly path?: string }
  | { readonly tool: typeof FIND_REFERENCES; readonly segments: Segments; readonly path: string; readonly line: number; readonly symbol: string }
  | { readonly tool: typeof RENAME_SYMBOL; readonly segments: Segments; readonly path: string; readonly line: number; readonly symbol: string; readonly newName: string }
  | { readonly tool: typeof REPLACE_IN_FILE; readonly segments: Segments; readonly path: string; readonly edits: readonly TextReplacement[] }
  | { readonly tool: typeof CREATE_FILE; readonly segments: Segments; readonly path: string; readonly content: string };

/** The request of one tool, by name: `RequestOf<'read_file'>`. */
export type RequestOf<T extends ToolRequest['tool']> = Extract<ToolRequest, { readonly tool: T }>;

export type ParsedToolCall =
  | { readonly ok: true; readonly request: ToolRequest }
  | { readonly ok: false; readonly status: 'unavailable' | 'failed'; readonly error: LocalizedText };

/** Thrown inside the argument checks; parseToolCall turns it into a failed call. */
class ArgumentError extends Error {
  constructor(readonly text: LocalizedText) {
    super(text.en);
  }
}

function refuse(en: string, ja: string): never {
  throw new ArgumentError({ en, ja });
}

/** The declared arguments of a tool, in the schema's order. */
function argumentNames(name: string): readonly string[] {
  const spec = CHAT_TOOLS.find((t) => t.function.name === name);
  const properties = spec?.function.parameters?.properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

/** Reads one call's argument object; `null` counts as absent (models write it for optional fields). */
class Args {
  constructor(
    private readonly tool: string,
    private readonly values: Record<string, unknown>,
  ) {
    const known = argumentNames(tool);
    for (const key of Object.keys(values)) {
      if (!known.includes(key)) {
        refuse(
          `${tool} has no argument "${key}". Its arguments are: ${known.join(', ')}.`,
          `${tool} に引数「${key}」はありません。使える引数: ${known.join(', ')}`,
        );
      }
    }
  }

  private get(key: string): unknown {
    const value = this.values[key];
    return value === null ? undefined : value;
  }

  string(key: string, required: true): string;
  string(key: string, required?: false): string | undefined;
  string(key: string, required = false): string | undefined {
    const value = this.get(key);
    if (value === undefined) {
      if (required) refuse(`${this.tool} needs a "${key}" string.`, `${this.tool} には文字列の "${key}" が必要です。`);
      return undefined;
    }
    if (typeof value !== 'string') refuse(`"${key}" must be a string.`, `"${key}" は文字列である必要があります。`);
    return value;
  }

  boolean(key: string): boolean | undefined {
    const value = this.get(key);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') refuse(`"${key}" must be true or false.`, `"${key}" は true か false である必要があります。`);
    return value;
  }

  line(key: string, required: true): number;
  line(key: string, required?: false): number | undefined;
  line(key: string, required = false): number | undefined {
    const value = this.get(key);
    if (value === undefined) {
      if (required) refuse(`${this.tool} needs "${key}", a line number (1 for the first line).`, `${this.tool} には行番号の "${key}"（最初の行が 1）が必要です。`);
      return undefined;
    }
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
      refuse(`"${key}" must be a whole number, 1 or more (1 is the first line).`, `"${key}" は 1 以上の整数である必要があります（最初の行が 1）。`);
    }
    return value;
  }

  raw(key: string): unknown {
    return this.get(key);
  }
}

/** A path argument through the workspace path rules; `file` refuses the root itself. */
function workspacePath(value: string, file: boolean): { readonly segments: Segments; readonly path: string } {
  if (file && value.trim() === '') refuse('"path" must name a file, e.g. src/app.ts.', '"path" にはファイルを指定してください（例: src/app.ts）。');
  const checked = checkWorkspacePath(value);
  if (!checked.ok) throw new ArgumentError(checked.error);
  if (file && /[/\\]\s*$/.test(value) && checked.segments.length > 0) {
    refuse(`"${value}" ends with a slash, so it names a folder: give a file path such as src/app.ts.`, `「${value}」はスラッシュで終わるためフォルダーを指します。src/app.ts のようにファイルのパスを指定してください。`);
  }
  if (file && checked.segments.length === 0) {
    refuse(`"${value}" is the workspace folder itself: name a file in it.`, `「${value}」はワークスペースのフォルダーそのものです。その中のファイルを指定してください。`);
  }
  return { segments: checked.segments, path: checked.segments.join('/') };
}

/** Any control character but tab (and line breaks where `lines`). */
function hasControl(text: string, lines = false): boolean {
  // eslint-disable-next-line no-control-regex
  return (lines ? /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/ : /[\u0000-\u0008\u000a-\u001f\u007f]/).test(text);
}

/**
 * A glob relative to the workspace: bounded, no `..`, not absolute, not into `.git`. Backslashes
 * become `/` (VS Code globs use `/` on every platform).
 */
function checkGlob(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const glob = value.trim().replace(/\\/g, '/');
  if (glob === '') return undefined;
  if (glob.length > MAX_GLOB_CHARS) refuse(`"glob" is too long (at most ${MAX_GLOB_CHARS} characters).`, `"glob" が長すぎます（${MAX_GLOB_CHARS} 文字まで）。`);
  if (hasControl(glob)) refuse('"glob" contains control characters.', '"glob" に制御文字が含まれています。');
  if (glob.startsWith('/') || /^[A-Za-z]:/.test(glob) || glob.startsWith('~') || glob.includes('..')) {
    refuse(
      `"glob" must be a pattern relative to the workspace without "..", e.g. src/**/*.ts (got "${value}").`,
      `"glob" は ".." を含まないワークスペースからの相対パターンにしてください（例: src/**/*.ts）。受け取った値: 「${value}」`,
    );
  }
  if (glob.split('/').some((segment) => isHiddenSegment(segment))) refuse('"glob" may not look inside .git.', '"glob" で .git の中は検索できません。');
  return glob;
}

function checkSymbol(key: string, value: string): string {
  const symbol = value.trim();
  if (symbol === '') refuse(`"${key}" must not be empty.`, `"${key}" を空にはできません。`);
  if (symbol.length > MAX_SYMBOL_CHARS) refuse(`"${key}" is too long (at most ${MAX_SYMBOL_CHARS} characters).`, `"${key}" が長すぎます（${MAX_SYMBOL_CHARS} 文字まで）。`);
  if (/[\r\n]/.test(symbol) || hasControl(symbol)) refuse(`"${key}" must be one name on one line.`, `"${key}" は 1 行の名前 1 つにしてください。`);
  return symbol;
}

/**
 * Whether a new name looks like an identifier in some language: letters (any script), digits
 * after the first, `_`, `$`, `-` (CSS, Lisp), a leading sigil `@`, `#` or `$`, a trailing `?` or `!`
 * (Ruby). No white space, no punctuation of expressions.
 */
export function isPlausibleIdentifier(name: string): boolean {
  return /^[@#$]?[\p{L}\p{Nl}_$][\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}$-]*[?!]?$/u.test(name) && name.length <= MAX_SYMBOL_CHARS;
}

function checkEdits(value: unknown): TextReplacement[] {
  if (!Array.isArray(value)) {
    refuse('"edits" must be a list like [{"old_text": "…", "new_text": "…"}].', '"edits" は [{"old_text": "…", "new_text": "…"}] の形のリストにしてください。');
  }
  if (value.length === 0) refuse('"edits" is empty: give at least one {old_text, new_text}.', '"edits" が空です。{old_text, new_text} を 1 つ以上指定してください。');
  if (value.length > MAX_EDITS) {
    refuse(`Too many edits (${value.length}); at most ${MAX_EDITS} per call: send the rest in another call.`, `編集が多すぎます（${value.length} 個）。1 回の呼び出しで ${MAX_EDITS} 個までです。残りは次の呼び出しで送ってください。`);
  }
  return value.map((item: unknown, i): TextReplacement => {
    const at = value.length > 1 ? ` (edit ${i + 1})` : '';
    const atJa = value.length > 1 ? `（編集 ${i + 1}）` : '';
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      refuse(`Each edit must be an object {"old_text": "…", "new_text": "…"}${at}.`, `各編集は {"old_text": "…", "new_text": "…"} のオブジェクトにしてください${atJa}。`);
    }
    const record = item as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (key !== 'old_text' && key !== 'new_text') {
        refuse(`An edit has only "old_text" and "new_text", not "${key}"${at}.`, `編集には "old_text" と "new_text" だけを指定します。「${key}」は使えません${atJa}。`);
      }
    }
    const oldText = record.old_text;
    const newText = record.new_text;
    if (typeof oldText !== 'string' || typeof newText !== 'string') {
      refuse(`"old_text" and "new_text" must both be strings${at}.`, `"old_text" と "new_text" はどちらも文字列である必要があります${atJa}。`);
    }
    if (oldText === '') {
      refuse(
        `"old_text" is empty${at}: copy the lines to change from the file (to add text, include the line before it and repeat it in new_text; for a new file use create_file).`,
        `"old_text" が空です${atJa}。変更する行をファイルからコピーしてください（追加するときは直前の行を含めて new_text にも書きます。新しいファイルは create_file を使います）。`,
      );
    }
    if (oldText.length > MAX_OLD_TEXT_CHARS) {
      refuse(`"old_text" is too long${at} (at most ${MAX_OLD_TEXT_CHARS} characters): replace a smaller part.`, `"old_text" が長すぎます${atJa}（${MAX_OLD_TEXT_CHARS} 文字まで）。もっと小さい部分を置き換えてください。`);
    }
    if (newText.length > MAX_NEW_TEXT_CHARS) {
      refuse(`"new_text" is too long${at} (at most ${MAX_NEW_TEXT_CHARS} characters).`, `"new_text" が長すぎます${atJa}（${MAX_NEW_TEXT_CHARS} 文字まで）。`);
    }
    return { oldText, newText };
  });
}

function parseArguments(name: ToolRequest['tool'], args: Args): ToolRequest {
  switch (name) {
    case READ_FILE: {
      const path = args.string('path');
      if (path === undefined || path.trim() === '') refuse('read_file needs a "path" string.', 'read_file には文字列の "path" が必要です。');
      const target = workspacePath(path, false);
      const startLine = args.line('start_line');
      const endLine = args.line('end_line');
      if (startLine !== undefined && endLine !== undefined && endLine < startLine) {
        refuse(`"end_line" (${endLine}) is before "start_line" (${startLine}).`, `"end_line"（${endLine}）が "start_line"（${startLine}）より前です。`);
      }
      return { tool: READ_FILE, ...target, ...(startLine !== undefined ? { startLine } : {}), ...(endLine !== undefined ? { endLine } : {}) };
    }
    case LIST_FILES: {
      const target = workspacePath(args.string('path') ?? '', false);
      const glob = checkGlob(args.string('glob'));
      return { tool: LIST_FILES, ...target, ...(glob !== undefined ? { glob } : {}) };
    }
    case SEARCH_TEXT: {
      const query = args.string('query', true);
      if (query === '') refuse('"query" must not be empty.', '"query" を空にはできません。');
      if (query.length > MAX_QUERY_CHARS) refuse(`"query" is too long (at most ${MAX_QUERY_CHARS} characters).`, `"query" が長すぎます（${MAX_QUERY_CHARS} 文字まで）。`);
      const regex = args.boolean('regex') ?? false;
      if (regex) {
        try {
          new RegExp(query);
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          refuse(
            `"query" is not a valid regular expression (${reason}): fix it, or set "regex": false to search for the text as written.`,
            `"query" が正しい正規表現ではありません（${reason}）。直すか、書いたとおりの文字列を探すなら "regex": false にしてください。`,
          );
        }
      }
      const glob = checkGlob(args.string('glob'));
      return { tool: SEARCH_TEXT, query, regex, caseSensitive: args.boolean('case_sensitive') ?? false, ...(glob !== undefined ? { glob } : {}) };
    }
    case GET_DIAGNOSTICS: {
      const target = workspacePath(args.string('path') ?? '', false);
      return target.segments.length === 0 ? { tool: GET_DIAGNOSTICS } : { tool: GET_DIAGNOSTICS, ...target };
    }
    case FIND_REFERENCES:
    case RENAME_SYMBOL: {
      const target = workspacePath(args.string('path', true), true);
      const line = args.line('line', true);
      const symbol = checkSymbol('symbol', args.string('symbol', true));
      if (name === FIND_REFERENCES) return { tool: FIND_REFERENCES, ...target, line, symbol };
      const newName = checkSymbol('new_name', args.string('new_name', true));
      if (!isPlausibleIdentifier(newName)) {
        refuse(
          `"new_name" must be a single identifier (letters, digits, _), without spaces or punctuation: got "${newName}".`,
          `"new_name" は空白や記号を含まない識別子 1 つ（文字・数字・_）にしてください。受け取った値: 「${newName}」`,
        );
      }
      if (newName === symbol) refuse(`"new_name" is the same as "symbol" (${symbol}): nothing to rename.`, `"new_name" が "symbol"（${symbol}）と同じです。名前は変わりません。`);
      return { tool: RENAME_SYMBOL, ...target, line, symbol, newName };
    }
    case REPLACE_IN_FILE: {
      const target = workspacePath(args.string('path', true), true);
      return { tool: REPLACE_IN_FILE, ...target, edits: checkEdits(args.raw('edits')) };
    }
    case CREATE_FILE: {
      const target = workspacePath(args.string('path', true), true);
      const content = args.string('content', true);
      const bytes = utf8Length(content);
      if (bytes > MAX_CREATE_BYTES) {
        refuse(`"content" is too large (${bytes} bytes; at most ${MAX_CREATE_BYTES}): create a smaller file.`, `"content" が大きすぎます（${bytes} バイト、上限 ${MAX_CREATE_BYTES}）。もっと小さいファイルにしてください。`);
      }
      return { tool: CREATE_FILE, ...target, content };
    }
  }
}

const TOOL_NAMES: ReadonlySet<string> = new Set(CHAT_TOOLS.map((t) => t.function.name));

function isToolName(name: string): name is ToolRequest['tool'] {
  return TOOL_NAMES.has(name);
}

/**
 * Checks a call the model made: a known tool, a JSON object of its declared arguments with the
 * right types and bounds, paths inside the workspace. `tools`: the names offered in this request
 * (a call to one not offered is unavailable), all of CHAT_TOOLS by default.
 */
export function parseToolCall(name: string, args: string, tools: ReadonlySet<string> = TOOL_NAMES): ParsedToolCall {
  if (!isToolName(name) || !tools.has(name)) {
    const known = CHAT_TOOLS.map((t) => t.function.name)
      .filter((n) => tools.has(n))
      .join(', ');
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
    return { ok: false, status: 'failed', error: { en: 'The arguments are not valid JSON: send one JSON object.', ja: '引数が正しい JSON ではありません。JSON オブジェクトを 1 つ送ってください。' } };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, status: 'failed', error: { en: 'The arguments must be a JSON object.', ja: '引数は JSON オブジェクトである必要があります。' } };
  }
  try {
    return { ok: true, request: parseArguments(name, new Args(name, parsed as Record<string, unknown>)) };
  } catch (error) {
    if (error instanceof ArgumentError) return { ok: false, status: 'failed', error: error.text };
    throw error;
  }
}

/** Most lines one ranged read returns. */
export const MAX_READ_LINES = 2000;

/**
 * Lines of a file numbered from 1 ("12: code"), for read_file with a range: `startLine` to
 * `endLine` (inclusive, clamped to the file), bounded by `maxBytes` and MAX_READ_LINES, with a note
 * saying which lines of how many are shown and how to read on when not all of them are.
 */
export function readLines(text: string, startLine?: number, endLine?: number, maxBytes = MAX_READ_BYTES): string {
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const total = text === '' ? 0 : lines.length;
  const first = Math.max(1, startLine ?? 1);
  if (first > total) return `[The file has ${total} line${total === 1 ? '' : 's'}; there is no line ${first}.]`;
  const last = Math.min(total, endLine ?? total, first + MAX_READ_LINES - 1);
  const shown: string[] = [];
  let bytes = 0;
  let lastShown = first - 1;
  for (let n = first; n <= last; n++) {
    const line = `${n}: ${lines[n - 1]}`;
    bytes += utf8Length(line) + 1;
    if (bytes > maxBytes && shown.length > 0) break;
    // One line longer than the whole budget (minified code) is shown cut.
    shown.push(bytes > maxBytes ? `${cutToBytes(line, maxBytes).text} [… line cut]` : line);
    lastShown = n;
  }
  const wanted = Math.min(total, endLine ?? total);
  if (lastShown < wanted) shown.push(`[… cut: lines ${first}-${lastShown} of ${total} are shown; read on with start_line ${lastShown + 1}]`);
  else if (first > 1 || lastShown < total) shown.push(`[lines ${first}-${lastShown} of ${total}]`);
  return shown.join('\n');
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
