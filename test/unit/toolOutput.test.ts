import * as assert from 'node:assert/strict';
import { diagnosticsResult, findSymbol, referencesResult, wholeWordIndex, type DiagnosticEntry } from '../../src/vscode/tools/languageOutput';
import {
  RipgrepJsonReader,
  cleanRgPath,
  excludeGlobArgs,
  globToRegExp,
  includeFilter,
  regexError,
  ripgrepCandidates,
  searchResultText,
  shortenLine,
  type SearchSummary,
} from '../../src/vscode/tools/ripgrepOutput';
import { ToolFailure } from '../../src/vscode/tools/toolFailure';

function rgMatch(path: string, line: number, text: string, start: number, end: number): string {
  return JSON.stringify({ type: 'match', data: { path: { text: path }, lines: { text }, line_number: line, absolute_offset: 0, submatches: [{ match: { text: text.slice(start, end) }, start, end }] } });
}

function rgEnd(path: string, matchedLines: number): string {
  return JSON.stringify({ type: 'end', data: { path: { text: path }, binary_offset: null, stats: { matched_lines: matchedLines, matches: matchedLines } } });
}

const summary = (over: Partial<SearchSummary>): SearchSummary => ({
  query: 'greet',
  regex: false,
  matches: [],
  capped: false,
  filesAtPerFileLimit: 0,
  timedOut: false,
  ...over,
});

describe('search_text output', () => {
  it('looks for the rg VS Code ships, never a downloaded one', () => {
    const linux = ripgrepCandidates('/opt/code/resources/app', 'linux', 'x64');
    assert.ok(linux.includes('/opt/code/resources/app/node_modules/@vscode/ripgrep-universal/bin/linux-x64/rg'));
    assert.ok(linux.includes('/opt/code/resources/app/node_modules/@vscode/ripgrep/bin/rg'));
    assert.ok(linux.includes('/opt/code/resources/app/node_modules.asar.unpacked/@vscode/ripgrep/bin/rg'));
    assert.ok(linux.includes('/opt/code/resources/app/node_modules.asar.unpacked/@vscode/ripgrep-universal/bin/linux-x64/rg'));
    assert.ok(linux.every((p) => p.startsWith('/opt/code/resources/app/')));
    const windows = ripgrepCandidates('C:\\Code\\resources\\app', 'win32', 'arm64');
    assert.ok(windows.includes('C:\\Code\\resources\\app\\node_modules\\@vscode\\ripgrep-universal\\bin\\win32-arm64\\rg.exe'));
    assert.ok(windows.every((p) => p.endsWith('rg.exe')));
  });

  it('turn exclude settings into negated globs, anchored as VS Code does, and always leave out .git', () => {
    const args = excludeGlobArgs(
      { '**/.git': true, '**/node_modules': true, 'build/': true, 'off/**': false, '**/*.js': { when: '$(basename).ts' } },
      { '**/node_modules': true, 'dist\\gen': true, '/abs': true },
      undefined,
      'nonsense',
    );
    assert.deepEqual(args, [
      '-g', '!**/.git',
      '-g', '!**/node_modules',
      '-g', '!/build',
      '-g', '!/dist/gen',
      '-g', '!/abs',
      '--iglob', '!**/.git',
      '--iglob', '!**/git~1',
    ]);
  });

  it('match globs as VS Code and rg do', () => {
    const cases: [string, string, boolean][] = [
      ['*.ts', 'a.ts', true],
      ['*.ts', 'src/deep/a.ts', true],
      ['*.ts', 'a.tsx', false],
      ['*.{ts,tsx}', 'src/a.tsx', true],
      ['*.{ts,tsx}', 'src/a.js', false],
      ['src/**/*.ts', 'src/a.ts', true],
      ['src/**/*.ts', 'src/x/y/a.ts', true],
      ['src/**/*.ts', 'lib/src/a.ts', false],
      ['/src/*.ts', 'src/a.ts', true],
      ['./src/*.ts', 'src/a.ts', true],
      ['src/*.ts', 'src/x/a.ts', false],
      ['src', 'src/x/a.ts', true],
      ['src/', 'lib/src/a.ts', true],
      ['test/**', 'test/unit/a.ts', true],
      ['**/fixtures/*', 'a/b/fixtures/x.json', true],
      ['file?.md', 'file1.md', true],
      ['file?.md', 'file12.md', false],
      ['[ab].txt', 'b.txt', true],
      ['[!ab].txt', 'b.txt', false],
      ['a+b(1).txt', 'a+b(1).txt', true],
      ['日本語/*.md', '日本語/メモ.md', true],
    ];
    for (const [glob, path, expected] of cases) assert.equal(globToRegExp(glob).test(path), expected, `${glob} ~ ${path}`);
    assert.equal(globToRegExp('*.TS', true).test('a.ts'), true);
    assert.equal(globToRegExp('*.TS').test('a.ts'), false);
  });

  it('narrow rg by a file type only for extension globs (a -g would override .gitignore)', () => {
    assert.deepEqual(includeFilter('*.ts').args, ['--type-add', 'llmjpglob:*.ts', '--type', 'llmjpglob']);
    assert.deepEqual(includeFilter('*.{ts,tsx}').args, ['--type-add', 'llmjpglob:*.{ts,tsx}', '--type', 'llmjpglob']);
    assert.deepEqual(includeFilter('src/**/*.ts').args, []);
    assert.deepEqual(includeFilter('*.ts,*.js').args, []);
    assert.deepEqual(includeFilter('*.a:b').args, []);
    assert.equal(includeFilter('src/**/*.ts').matches('src/a.ts'), true);
  });

  it('read rg --json split anywhere, in bytes, with Japanese text', () => {
    const line = 'const 挨拶 = greet("世界");\n';
    const bytesBefore = Buffer.byteLength('const 挨拶 = ', 'utf8');
    const output = [
      JSON.stringify({ type: 'begin', data: { path: { text: './src/a.ts' } } }),
      rgMatch('./src/a.ts', 3, line, bytesBefore, bytesBefore + 5),
      rgEnd('./src/a.ts', 1),
      JSON.stringify({ type: 'match', data: { path: { bytes: Buffer.from('.\\win\\b.ts').toString('base64') }, lines: { bytes: Buffer.from('  greet()\r\n').toString('base64') }, line_number: 7, submatches: [{ start: 2, end: 7 }] } }),
      'not json',
      JSON.stringify({ type: 'summary', data: { stats: {} } }),
    ].join('\n') + '\n';
    const bytes = Buffer.from(output, 'utf8');
    const reader = new RipgrepJsonReader(10);
    for (let i = 0; i < bytes.length; i += 7) reader.push(bytes.subarray(i, i + 7)); // cuts characters too
    reader.end();
    assert.deepEqual(reader.matches, [
      { path: 'src/a.ts', line: 3, text: 'const 挨拶 = greet("世界");' },
      { path: 'win/b.ts', line: 7, text: 'greet()' },
    ]);
    assert.equal(reader.capped, false);
  });

  it('stop at the limit, count files at the per-file limit, and apply the path filter', () => {
    const lines = [];
    for (let i = 1; i <= 5; i++) lines.push(rgMatch('./a.ts', i, `x${i}\n`, 0, 1));
    lines.push(rgEnd('./a.ts', 20));
    lines.push(rgMatch('./skip/b.ts', 1, 'x\n', 0, 1));
    const filtered = new RipgrepJsonReader(10, (p) => !p.startsWith('skip/'));
    filtered.push(lines.join('\n') + '\n');
    assert.equal(filtered.matches.length, 5);
    assert.equal(filtered.filesAtPerFileLimit, 1);
    const capped = new RipgrepJsonReader(3);
    assert.equal(capped.push(lines.join('\n') + '\n'), false);
    assert.equal(capped.matches.length, 3);
    assert.equal(capped.capped, true);
  });

  it('shorten long lines around the match', () => {
    assert.equal(shortenLine('   short line\n', 3, 8), 'short line');
    const long = 'a'.repeat(500) + 'NEEDLE' + 'b'.repeat(500);
    const cut = shortenLine(long, 500, 506, 100);
    assert.ok(cut.startsWith('…') && cut.endsWith('…'), cut);
    assert.ok(cut.includes('NEEDLE'));
    assert.ok([...cut].length <= 102);
    const start = shortenLine('NEEDLE' + 'b'.repeat(500), 0, 6, 50);
    assert.ok(start.startsWith('NEEDLE') && start.endsWith('…'));
    const emoji = shortenLine('😀'.repeat(300) + 'x', 600, 601, 20);
    assert.ok(!emoji.includes('\uFFFD') && emoji.endsWith('x'), emoji);
    assert.equal(cleanRgPath('./src/a.ts'), 'src/a.ts');
    assert.equal(cleanRgPath('.\\src\\a.ts'), 'src/a.ts');
  });

  it('write the result for the model, with notes on what was left out', () => {
    assert.match(searchResultText(summary({})), /^No matches for "greet" in the workspace/);
    assert.match(searchResultText(summary({ regex: true, query: 'gr.*t', glob: '*.ts' })), /^No matches for the regular expression "gr\.\*t" in files matching \*\.ts/);
    assert.match(searchResultText(summary({ timedOut: true })), /stopped after 20 s/);
    const matches = [
      { path: 'src/a.ts', line: 1, text: 'export function greet() {}' },
      { path: 'src/b.ts', line: 2, text: 'greet();' },
    ];
    assert.equal(searchResultText(summary({ matches })), 'src/a.ts:1: export function greet() {}\nsrc/b.ts:2: greet();');
    const capped = searchResultText(summary({ matches, capped: true, filesAtPerFileLimit: 2 }));
    assert.match(capped, /\[Only the first 2 matching lines are shown; narrow the search/);
    assert.match(capped, /\[2 files have 20 or more matching lines/);
    const cut = searchResultText(summary({ matches }), 40);
    assert.equal(cut.split('\n')[0], 'src/a.ts:1: export function greet() {}');
    assert.match(cut, /\[Only the first 1 matching lines fit in the result/);
  });

  it('tell a bad regular expression from other rg errors', () => {
    const stderr = 'rg: regex parse error:\n    (?:a()\n       ^\nerror: unclosed group\n';
    assert.equal(regexError(stderr), 'regex parse error:\n    (?:a()\n       ^\nerror: unclosed group');
    assert.equal(regexError('rg: ./x: Permission denied (os error 13)\n'), undefined);
  });

  it('carry English and Japanese in a ToolFailure', () => {
    const failure = new ToolFailure({ en: 'No.', ja: 'いいえ。' });
    assert.ok(failure instanceof Error);
    assert.equal(failure.message, 'No.');
    assert.equal(failure.text.ja, 'いいえ。');
  });
});

describe('language tool output', () => {
  it('find a symbol as a whole word', () => {
    assert.equal(wholeWordIndex('const greeting = greet(x);', 'greet'), 17);
    assert.equal(wholeWordIndex('greetings', 'greet'), -1);
    assert.equal(wholeWordIndex('$greet greet', 'greet'), 7);
    assert.equal(wholeWordIndex('this.#count++', '#count'), 5);
    assert.equal(wholeWordIndex('const 挨拶する = 挨拶;', '挨拶'), 13);
    assert.equal(wholeWordIndex('anything', ''), -1);
  });

  it('look on the named line first, then the nearest lines within three', () => {
    const lines = ['import { greet } from "./a";', '', 'const x = 1;', '', 'greet();', 'greet(2);'];
    assert.deepEqual(findSymbol(lines, 1, 'greet'), { ok: true, line: 0, character: 9 });
    assert.deepEqual(findSymbol(lines, 5, 'greet'), { ok: true, line: 4, character: 0 });
    assert.deepEqual(findSymbol(lines, 3, 'greet'), { ok: true, line: 1 - 1, character: 9 }, 'above wins a tie');
    assert.deepEqual(findSymbol(lines, 4, 'greet'), { ok: true, line: 4, character: 0 });
    assert.deepEqual(findSymbol(lines, 3, 'missing'), { ok: false, reason: 'not-found', lineCount: 6 });
    assert.deepEqual(findSymbol(lines, 7, 'greet'), { ok: false, reason: 'no-line', lineCount: 6 });
    assert.deepEqual(findSymbol(lines, 0, 'greet'), { ok: false, reason: 'no-line', lineCount: 6 });
    assert.deepEqual(findSymbol(['a', 'b', 'c', 'd', 'e', 'greet'], 1, 'greet'), { ok: false, reason: 'not-found', lineCount: 6 });
  });

  it('list problems errors first, bounded', () => {
    const entries: DiagnosticEntry[] = [
      { path: 'b.ts', line: 2, column: 5, severity: 'warning', message: 'Unused.', source: 'ts', code: '6133' },
      { path: 'a.ts', line: 3, column: 7, severity: 'error', message: "Type 'string' is not assignable\n  to type 'number'.", source: 'ts', code: '2322' },
      { path: 'a.ts', line: 1, column: 1, severity: 'info', message: 'Note.' },
    ];
    assert.equal(
      diagnosticsResult(entries, undefined),
      [
        '1 error, 1 warning, 1 info:',
        "a.ts:3:7 error Type 'string' is not assignable\n    to type 'number'. (ts 2322)",
        'b.ts:2:5 warning Unused. (ts 6133)',
        'a.ts:1:1 info Note.',
      ].join('\n'),
    );
    assert.match(diagnosticsResult(entries, 'a.ts', 1), /^1 error, 1 warning, 1 info in a\.ts:\na\.ts:3:7 error [^]*\(ts 2322\)\n\[… 2 more not shown\]$/);
    assert.equal(diagnosticsResult([], 'a.ts'), 'No problems are reported for a.ts.');
    assert.match(diagnosticsResult([], undefined), /^No problems are reported in the workspace\./);
  });

  it('list references by file and line', () => {
    const text = referencesResult(
      'greet',
      [
        { path: 'b.ts', line: 3, text: '  greet();', character: 2, length: 5 },
        { path: 'a.ts', line: 1, text: 'export function greet() {}', character: 16, length: 5 },
      ],
      2,
    );
    assert.equal(text, '2 references to "greet" in 2 files:\na.ts:1: export function greet() {}\nb.ts:3: greet();\n[2 more outside the workspace]');
    const many = referencesResult('greet', [{ path: 'a.ts', line: 1, text: 'greet', character: 0, length: 5 }], 0, 1, 250);
    assert.equal(many, '250 references to "greet":\na.ts:1: greet\n[… 249 more not shown]');
    assert.equal(referencesResult('greet', [], 0), 'No references to "greet" were found.');
    assert.match(referencesResult('greet', [], 1), /only outside the workspace \(1 place\)/);
  });
});
