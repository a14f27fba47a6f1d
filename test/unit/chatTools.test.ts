import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CHAT_TOOLS, cardSummary, errorResult, listResult, looksBinary, parseToolCall, readResult } from '../../src/core/tools/chatTools';
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
    assert.deepEqual(CHAT_TOOLS.map((t) => t.function.name), ['read_file', 'list_files']);
    for (const tool of CHAT_TOOLS) assert.match(jsonSchemaToGrammar(tool.function.parameters ?? {}), /^root ::= /);
  });
});
