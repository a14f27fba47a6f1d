import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CHAT_TOOLS, WRITE_TOOLS, cardSummary, errorResult, isPlausibleIdentifier, listResult, looksBinary, parseToolCall, readLines, readResult, type ToolRequest } from '../../src/core/tools/chatTools';
import { jsonSchemaToGrammar } from '../../src/core/tools/jsonSchemaGrammar';
import { resolveRealTarget } from '../../src/core/tools/realPaths';
import { checkWorkspacePath, isWithin, pickFolder } from '../../src/core/tools/workspacePaths';

describe('chat tools', () => {
  it('accept workspace-relative paths, normalized', () => {
    for (const [input, segments] of [
      ['README.md', ['README.md']],
      ['./src//app.ts', ['src', 'app.ts']],
      ['src\\core\\x.ts', ['src', 'core', 'x.ts']],
      ['src/../docs/a.md', ['docs', 'a.md']],
      ['', []],
      ['.', []],
      ['日本語/ファイル.txt', ['日本語', 'ファイル.txt']],
      ['.github/workflows', ['.github', 'workflows']],
      ['a/~/x', ['a', '~', 'x']],
      ['.gitignore', ['.gitignore']],
      ['...x/y.', ['...x', 'y.']],
    ] as const) {
      assert.deepEqual(checkWorkspacePath(input), { ok: true, segments }, input);
    }
  });

  it('refuse absolute paths, escapes above the root and .git', () => {
    for (const input of [
      '/etc/passwd',
      '\\\\server\\share\\x',
      'C:\\Windows\\win.ini',
      'c:/x',
      '~/.ssh/id_rsa',
      '..',
      '../secret',
      'src/../../secret',
      'a/b/../../..',
      '.git/config',
      'sub/.git/HEAD',
      '.GIT/config',
      'x\0y',
      'a/'.repeat(600),
      // Found by the property tests (pathProperties.test.ts): a drive or `~` that `.` and `..`
      // bring to the front, a drive that path.win32.resolve reads segment by segment, names
      // Windows reads as `.`, `..` or `.git`.
      './C:/Windows/win.ini',
      'x/../C:/Windows',
      'a/D:x',
      './~',
      'a/../~/.ssh/id_rsa',
      '. /x',
      '.. /x',
      '...',
      '.git./config',
      '.git /config',
      '.gıt/config',
      '.git::$INDEX_ALLOCATION/config',
      'GIT~1/config',
    ]) {
      const checked = checkWorkspacePath(input);
      assert.equal(checked.ok, false, input);
      if (!checked.ok) assert.ok(checked.error.en !== '' && checked.error.ja !== '');
    }
  });

  it('check real paths stay inside the root', () => {
    assert.ok(isWithin('/work/ws', '/work/ws'));
    assert.ok(isWithin('/work/ws', '/work/ws/src/a.ts'));
    assert.ok(isWithin('/work/ws/', '/work/ws/a'));
    assert.ok(!isWithin('/work/ws', '/work/ws2/a'));
    assert.ok(!isWithin('/work/ws', '/work'));
    assert.ok(!isWithin('/work/ws', '/etc/passwd'));
    assert.ok(isWithin('C:\\Work\\WS', 'c:\\work\\ws\\A.ts', true));
    assert.ok(!isWithin('C:\\Work\\WS', 'c:\\work\\ws\\A.ts', false));
  });

  it('follow links on the disk and refuse those that lead outside the folder or into .git', async () => {
    const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'llmjp-links-')));
    try {
      const ws = path.join(base, 'ws');
      mkdirSync(path.join(ws, 'src'), { recursive: true });
      mkdirSync(path.join(ws, '.git'));
      mkdirSync(path.join(base, 'ws2'));
      writeFileSync(path.join(ws, 'src', 'a.ts'), 'a');
      writeFileSync(path.join(ws, '.git', 'config'), '[core]');
      writeFileSync(path.join(base, 'ws2', 'secret.txt'), 'secret');
      symlinkSync('src', path.join(ws, 'code'));
      symlinkSync('..', path.join(ws, 'up'));
      symlinkSync('../ws2', path.join(ws, 'sibling'));
      symlinkSync('.git', path.join(ws, 'vcs'));
      symlinkSync('missing', path.join(ws, 'dangling'));
      symlinkSync(ws, path.join(base, 'wslink'));
      const reason = async (root: string, segments: string[]) => {
        const target = await resolveRealTarget(root, segments, false);
        return target.ok ? path.relative(base, target.real) : target.reason;
      };
      assert.equal(await reason(ws, ['code', 'a.ts']), path.join('ws', 'src', 'a.ts'));
      assert.equal(await reason(ws, []), 'ws');
      assert.equal(await reason(path.join(base, 'wslink'), ['src']), path.join('ws', 'src'));
      assert.equal(await reason(ws, ['up']), 'outside');
      assert.equal(await reason(ws, ['sibling', 'secret.txt']), 'outside');
      assert.equal(await reason(ws, ['vcs', 'config']), 'hidden');
      assert.equal(await reason(ws, ['dangling']), 'missing');
      assert.equal(await reason(ws, ['nothing']), 'missing');
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });

  it('pick the workspace folder a path names in a multi-root workspace', () => {
    assert.deepEqual(pickFolder(['src', 'a.ts'], ['app']), { folder: 0, rest: ['src', 'a.ts'] });
    assert.deepEqual(pickFolder(['app', 'a.ts'], ['app']), { folder: 0, rest: ['app', 'a.ts'] });
    assert.deepEqual(pickFolder(['lib', 'b.ts'], ['app', 'lib']), { folder: 1, rest: ['b.ts'] });
    assert.deepEqual(pickFolder(['src'], ['app', 'lib']), { folder: 0, rest: ['src'] });
  });

  it('read the model\'s calls: known tools, JSON object arguments, safe paths', () => {
    assert.deepEqual(parseToolCall('read_file', '{"path":"src/a.ts"}'), { ok: true, request: { tool: 'read_file', segments: ['src', 'a.ts'], path: 'src/a.ts' } });
    assert.deepEqual(parseToolCall('list_files', ' {}'), { ok: true, request: { tool: 'list_files', segments: [], path: '' } });
    assert.deepEqual(parseToolCall('list_files', ''), { ok: true, request: { tool: 'list_files', segments: [], path: '' } });
    const unknown = parseToolCall('run_shell', '{"cmd":"rm -rf /"}');
    assert.equal(unknown.ok, false);
    assert.equal(!unknown.ok && unknown.status, 'unavailable');
    assert.match(!unknown.ok ? unknown.error.en : '', /no tool named "run_shell".*read_file, list_files/);
    for (const [name, args] of [
      ['read_file', '{"path":'],
      ['read_file', '[]'],
      ['read_file', '{}'],
      ['read_file', '{"path":""}'],
      ['read_file', '{"path":3}'],
      ['list_files', '{"path":false}'],
      ['read_file', '{"path":"../x"}'],
      ['read_file', '{"path":"/etc/passwd"}'],
    ]) {
      const parsed = parseToolCall(name, args);
      assert.equal(parsed.ok, false, args);
      assert.equal(!parsed.ok && parsed.status, 'failed', args);
    }
  });

  it('shape results for the model and the card', () => {
    assert.equal(listResult([{ name: 'src', folder: true }, { name: 'README.md', folder: false }, { name: 'a.ts', folder: false }]), 'README.md\na.ts\nsrc/');
    assert.equal(listResult([]), '(empty folder)');
    assert.equal(listResult(Array.from({ length: 5 }, (_, i) => ({ name: `f${i}`, folder: false })), 3), 'f0\nf1\nf2\n[… 2 more entries]');
    assert.equal(readResult('abc', 3, 3), 'abc');
    assert.equal(readResult('ab', 10, 2), 'ab\n[… cut: the file has 10 bytes; the first 2 are shown]');
    assert.equal(cardSummary('# タイトル\n本文'), '# タイトル\n本文');
    assert.equal(cardSummary('1\n2\n3\n4\n5\n6\n7\n8'), '1\n2\n3\n4\n5\n6\n…');
    assert.equal(cardSummary('x'.repeat(1000)).length, 401);
    assert.equal(cardSummary('😀'.repeat(300)).endsWith('😀\n…'), true);
    assert.equal(errorResult({ en: 'Nope.', ja: 'だめ。' }), 'Error: Nope.');
    assert.ok(looksBinary(new Uint8Array([0x50, 0x4b, 0x00, 0x01])));
    assert.ok(!looksBinary(new TextEncoder().encode('テキスト\n')));
  });

  it('have schemas the engine turns into argument grammars', () => {
    assert.deepEqual(
      CHAT_TOOLS.map((t) => t.function.name),
      ['read_file', 'list_files', 'search_text', 'get_diagnostics', 'find_references', 'rename_symbol', 'replace_in_file', 'create_file'],
    );
    assert.deepEqual([...WRITE_TOOLS].sort(), ['create_file', 'rename_symbol', 'replace_in_file']);
    for (const tool of CHAT_TOOLS) {
      const schema = tool.function.parameters ?? {};
      assert.equal(schema.additionalProperties, false, tool.function.name);
      assert.ok((tool.function.description ?? '').length > 10, tool.function.name);
      const grammar = jsonSchemaToGrammar(schema);
      assert.match(grammar, /^root ::= /);
      // Every declared property is a rule of the grammar, so the model can write each of them.
      for (const property of Object.keys(schema.properties as object)) assert.ok(grammar.includes(JSON.stringify(`"${property}"`)), `${tool.function.name}.${property}`);
    }
    // The edits array holds 1 to 20 objects of old_text and new_text, and nothing else.
    const replace = jsonSchemaToGrammar(CHAT_TOOLS.find((t) => t.function.name === 'replace_in_file')?.function.parameters);
    assert.match(replace, /\{0,19\}/);
    assert.ok(replace.includes(JSON.stringify('"old_text"')) && replace.includes(JSON.stringify('"new_text"')));
  });
});

const ok = (name: string, args: unknown): ToolRequest => {
  const parsed = parseToolCall(name, typeof args === 'string' ? args : JSON.stringify(args));
  assert.ok(parsed.ok, `${name} ${JSON.stringify(args)}: ${parsed.ok ? '' : parsed.error.en}`);
  return parsed.request;
};

const refused = (name: string, args: unknown, pattern?: RegExp): string => {
  const parsed = parseToolCall(name, typeof args === 'string' ? args : JSON.stringify(args));
  assert.equal(parsed.ok, false, `${name} ${JSON.stringify(args)} was accepted`);
  if (parsed.ok) return '';
  assert.equal(parsed.status, 'failed');
  assert.ok(parsed.error.en !== '' && parsed.error.ja !== '');
  assert.ok(/[ぁ-んァ-ン一-龯]/.test(parsed.error.ja), `not Japanese: ${parsed.error.ja}`);
  if (pattern) assert.match(parsed.error.en, pattern);
  return parsed.error.en;
};

describe('chat tools, the arguments of each call', () => {
  it('read_file: a file, and a range of lines (1-based, inclusive)', () => {
    assert.deepEqual(ok('read_file', { path: 'src/a.ts', start_line: 3, end_line: 9 }), { tool: 'read_file', segments: ['src', 'a.ts'], path: 'src/a.ts', startLine: 3, endLine: 9 });
    assert.deepEqual(ok('read_file', { path: 'a.ts', start_line: 5 }), { tool: 'read_file', segments: ['a.ts'], path: 'a.ts', startLine: 5 });
    assert.deepEqual(ok('read_file', { path: 'a.ts', start_line: 4, end_line: 4 }), { tool: 'read_file', segments: ['a.ts'], path: 'a.ts', startLine: 4, endLine: 4 });
    // Models write null for the optional arguments they leave out.
    assert.deepEqual(ok('read_file', { path: 'a.ts', start_line: null, end_line: null }), { tool: 'read_file', segments: ['a.ts'], path: 'a.ts' });
    refused('read_file', { path: 'a.ts', start_line: 0 }, /1 or more/);
    refused('read_file', { path: 'a.ts', start_line: -2 });
    refused('read_file', { path: 'a.ts', start_line: 1.5 });
    refused('read_file', { path: 'a.ts', start_line: '3' });
    refused('read_file', { path: 'a.ts', end_line: 1e300 });
    refused('read_file', { path: 'a.ts', start_line: 9, end_line: 3 }, /before "start_line"/);
    refused('read_file', { path: 'a.ts', lines: '1-3' }, /no argument "lines".*path, start_line, end_line/);
  });

  it('list_files: a folder and a glob that stays inside', () => {
    assert.deepEqual(ok('list_files', { path: 'src', glob: '**/*.ts' }), { tool: 'list_files', segments: ['src'], path: 'src', glob: '**/*.ts' });
    assert.deepEqual(ok('list_files', { glob: 'src\\**\\*.md' }), { tool: 'list_files', segments: [], path: '', glob: 'src/**/*.md' });
    assert.deepEqual(ok('list_files', { glob: '  ' }), { tool: 'list_files', segments: [], path: '' });
    for (const glob of ['../*', '**/../../x', '/etc/*', 'C:/x/*', '~/x', '.git/**', '**/.GIT/*', 'a\0b', 'x'.repeat(201), '\\\\server\\x']) refused('list_files', { glob }, undefined);
    refused('list_files', { glob: 3 });
    refused('list_files', { path: '../x' });
  });

  it('search_text: a bounded query, plain or a valid regular expression', () => {
    assert.deepEqual(ok('search_text', { query: 'TODO' }), { tool: 'search_text', query: 'TODO', regex: false, caseSensitive: false });
    assert.deepEqual(ok('search_text', { query: 'fo+\\(', regex: true, case_sensitive: true, glob: 'src/**' }), {
      tool: 'search_text',
      query: 'fo+\\(',
      regex: true,
      caseSensitive: true,
      glob: 'src/**',
    });
    // Not a regular expression: any text is fine, brackets and all.
    assert.equal((ok('search_text', { query: 'a[(', regex: false }) as { query: string }).query, 'a[(');
    assert.deepEqual(ok('search_text', { query: '日本語' }), { tool: 'search_text', query: '日本語', regex: false, caseSensitive: false });
    refused('search_text', { query: 'a[(', regex: true }, /not a valid regular expression.*"regex": false/);
    refused('search_text', {}, /needs a "query"/);
    refused('search_text', { query: '' });
    refused('search_text', { query: 'x'.repeat(501) }, /at most 500/);
    assert.ok(ok('search_text', { query: 'x'.repeat(500) }));
    refused('search_text', { query: 'x', regex: 'yes' }, /true or false/);
    refused('search_text', { query: 'x', glob: '../**' });
    refused('search_text', { query: 'x', path: 'src' }, /no argument "path"/);
  });

  it('get_diagnostics: one file, or the whole workspace without a path', () => {
    assert.deepEqual(ok('get_diagnostics', {}), { tool: 'get_diagnostics' });
    assert.deepEqual(ok('get_diagnostics', ''), { tool: 'get_diagnostics' });
    assert.deepEqual(ok('get_diagnostics', { path: '' }), { tool: 'get_diagnostics' });
    assert.deepEqual(ok('get_diagnostics', { path: null }), { tool: 'get_diagnostics' });
    assert.deepEqual(ok('get_diagnostics', { path: 'src\\a.ts' }), { tool: 'get_diagnostics', segments: ['src', 'a.ts'], path: 'src/a.ts' });
    refused('get_diagnostics', { path: '/etc/passwd' }, /absolute/);
    refused('get_diagnostics', { path: 7 });
  });

  it('find_references and rename_symbol: a file, a line and the name on it; a new name that is an identifier', () => {
    assert.deepEqual(ok('find_references', { path: 'a.ts', line: 12, symbol: ' total ' }), { tool: 'find_references', segments: ['a.ts'], path: 'a.ts', line: 12, symbol: 'total' });
    assert.deepEqual(ok('rename_symbol', { path: 'a.py', line: 1, symbol: 'old_name', new_name: '合計' }), {
      tool: 'rename_symbol',
      segments: ['a.py'],
      path: 'a.py',
      line: 1,
      symbol: 'old_name',
      newName: '合計',
    });
    refused('find_references', { path: 'a.ts', symbol: 'x' }, /needs "line"/);
    refused('find_references', { path: 'a.ts', line: 0, symbol: 'x' });
    refused('find_references', { path: '', line: 1, symbol: 'x' }, /name a file/);
    refused('find_references', { path: '.', line: 1, symbol: 'x' }, /workspace folder itself/);
    refused('find_references', { path: 'a.ts', line: 1, symbol: '' });
    refused('find_references', { path: 'a.ts', line: 1, symbol: 'a\nb' }, /one line/);
    refused('find_references', { path: 'a.ts', line: 1, symbol: 'x'.repeat(201) }, /at most 200/);
    refused('rename_symbol', { path: 'a.ts', line: 1, symbol: 'x' }, /needs a "new_name"/);
    for (const newName of ['a b', 'x\ny', 'foo()', '1abc', 'a.b', 'a;b', '"x"', 'x'.repeat(201), '\t']) refused('rename_symbol', { path: 'a.ts', line: 1, symbol: 'x', new_name: newName });
    refused('rename_symbol', { path: 'a.ts', line: 1, symbol: 'same', new_name: 'same' }, /same as "symbol"/);
    refused('rename_symbol', { path: '../a.ts', line: 1, symbol: 'x', new_name: 'y' });
    for (const name of ['_x', '$el', 'my-class', 'empty?', 'save!', '@name', 'café', 'T1', 'snake_case', 'ÄÖ', '変数名', '𝑥']) assert.ok(isPlausibleIdentifier(name), name);
    for (const name of ['', 'a b', '-x', '9', 'a.b', 'a,b', 'a(b)', 'a\u3000b', '@', '#']) assert.ok(!isPlausibleIdentifier(name), name);
  });

  it('replace_in_file: 1 to 20 edits of old_text and new_text, bounded', () => {
    assert.deepEqual(ok('replace_in_file', { path: 'src/a.ts', edits: [{ old_text: 'a', new_text: 'b' }, { new_text: '', old_text: 'c\n' }] }), {
      tool: 'replace_in_file',
      segments: ['src', 'a.ts'],
      path: 'src/a.ts',
      edits: [
        { oldText: 'a', newText: 'b' },
        { oldText: 'c\n', newText: '' },
      ],
    });
    const edit = { old_text: 'a', new_text: 'b' };
    assert.ok(ok('replace_in_file', { path: 'a.ts', edits: Array(20).fill(edit) }));
    refused('replace_in_file', { path: 'a.ts', edits: Array(21).fill(edit) }, /at most 20/);
    refused('replace_in_file', { path: 'a.ts', edits: [] }, /empty/);
    refused('replace_in_file', { path: 'a.ts', edits: edit }, /must be a list/);
    refused('replace_in_file', { path: 'a.ts', edits: '[{"old_text":"a","new_text":"b"}]' }, /must be a list/);
    refused('replace_in_file', { path: 'a.ts' }, /must be a list/);
    refused('replace_in_file', { path: 'a.ts', edits: [edit, 'x'] }, /\(edit 2\)/);
    refused('replace_in_file', { path: 'a.ts', edits: [{ old_text: 'a' }] }, /both be strings/);
    refused('replace_in_file', { path: 'a.ts', edits: [{ old_text: 'a', new_text: 1 }] });
    refused('replace_in_file', { path: 'a.ts', edits: [{ old_text: 'a', new_text: 'b', replace_all: true }] }, /not "replace_all"/);
    refused('replace_in_file', { path: 'a.ts', edits: [{ old_text: '', new_text: 'b' }] }, /"old_text" is empty/);
    refused('replace_in_file', { path: 'a.ts', edits: [{ old_text: 'x'.repeat(20_001), new_text: 'b' }] }, /at most 20000/);
    assert.ok(ok('replace_in_file', { path: 'a.ts', edits: [{ old_text: 'x'.repeat(20_000), new_text: 'y'.repeat(200_000) }] }));
    refused('replace_in_file', { path: 'a.ts', edits: [{ old_text: 'x', new_text: 'y'.repeat(200_001) }] }, /"new_text" is too long/);
    refused('replace_in_file', { path: '.git/config', edits: [edit] }, /\.git/);
    refused('replace_in_file', { path: '', edits: [edit] });
    refused('replace_in_file', { path: 'a.ts', edits: [edit], dry_run: true }, /no argument "dry_run"/);
  });

  it('create_file: a file path and content up to 512 KB of UTF-8', () => {
    assert.deepEqual(ok('create_file', { path: 'docs/新規.md', content: '# 新規\n' }), { tool: 'create_file', segments: ['docs', '新規.md'], path: 'docs/新規.md', content: '# 新規\n' });
    assert.deepEqual(ok('create_file', { path: 'empty.txt', content: '' }), { tool: 'create_file', segments: ['empty.txt'], path: 'empty.txt', content: '' });
    assert.ok(ok('create_file', { path: 'big.txt', content: 'x'.repeat(512 * 1024) }));
    refused('create_file', { path: 'big.txt', content: 'x'.repeat(512 * 1024 + 1) }, /too large/);
    // Bytes, not characters: 3 bytes each in UTF-8.
    refused('create_file', { path: 'big.txt', content: 'あ'.repeat(180_000) }, /too large/);
    refused('create_file', { path: 'a.txt' }, /needs a "content"/);
    refused('create_file', { path: 'a.txt', content: 5 });
    refused('create_file', { path: 'src/', content: 'x' }, /ends with a slash/);
    refused('create_file', { path: '/tmp/x', content: 'x' }, /absolute/);
    refused('create_file', { path: 'sub/.git/hooks/pre-commit', content: 'x' }, /\.git/);
  });

  it('refuse calls to tools not offered in the request', () => {
    const offered = new Set(['read_file', 'list_files']);
    const parsed = parseToolCall('replace_in_file', JSON.stringify({ path: 'a', edits: [{ old_text: 'a', new_text: 'b' }] }), offered);
    assert.equal(parsed.ok, false);
    assert.equal(!parsed.ok && parsed.status, 'unavailable');
    assert.match(!parsed.ok ? parsed.error.en : '', /Available tools: read_file, list_files\.$/);
    assert.ok(parseToolCall('read_file', '{"path":"a"}', offered).ok);
    assert.equal(parseToolCall('toString', '{}').ok, false);
    assert.equal(parseToolCall('__proto__', '{}').ok, false);
  });
});

describe('chat tools, numbered lines for read_file with a range', () => {
  const text = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';

  it('number the lines of the range and say which of how many they are', () => {
    assert.equal(readLines(text, 12, 14), '12: line 12\n13: line 13\n14: line 14\n[lines 12-14 of 30]');
    assert.equal(readLines('a\r\nb\r\n', 2, 2), '2: b\n[lines 2-2 of 2]');
    assert.equal(readLines('a\nb', 1, 2), '1: a\n2: b');
    assert.equal(readLines('a\nb\n'), '1: a\n2: b');
    assert.equal(readLines(text, 29), '29: line 29\n30: line 30\n[lines 29-30 of 30]');
    assert.equal(readLines(text, undefined, 2), '1: line 1\n2: line 2\n[lines 1-2 of 30]');
    assert.equal(readLines('日本語\n😀 絵文字\n', 2, 2), '2: 😀 絵文字\n[lines 2-2 of 2]');
    // An end past the file is clamped to it; a start past it says how long the file is.
    assert.equal(readLines('a\nb\n', 2, 99), '2: b\n[lines 2-2 of 2]');
    assert.equal(readLines('a\nb\n', 5, 9), '[The file has 2 lines; there is no line 5.]');
    assert.equal(readLines('', 1, 1), '[The file has 0 lines; there is no line 1.]');
    // Blank lines are lines too.
    assert.equal(readLines('a\n\nc\n', 2, 3), '2: \n3: c\n[lines 2-3 of 3]');
  });

  it('cut a long range at the byte bound, saying where to read on', () => {
    const cut = readLines(text, 1, 30, 40);
    assert.equal(cut, '1: line 1\n2: line 2\n3: line 3\n4: line 4\n[… cut: lines 1-4 of 30 are shown; read on with start_line 5]');
    const long = readLines('x'.repeat(1000) + '\nb\n', 1, 2, 100);
    assert.ok(long.startsWith(`1: ${'x'.repeat(97)} [… line cut]\n[… cut: lines 1-1 of 2`), long);
  });
});
