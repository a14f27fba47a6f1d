import * as assert from 'node:assert/strict';
import { fileHunks, splitDiff, type DiffFile } from '../../src/core/commit/diffFiles';
import { skipReason } from '../../src/core/commit/skipRules';

// `git diff --cached --no-color --no-ext-diff -M` of a real repository: a binary change, CRLF
// content, an empty new file, a mode change, a pure rename, no newline at EOF, a new file whose
// content looks like diff headers, a path with a space, and a Japanese path git quotes.
const REAL_DIFF = 'diff --git a/b.bin b/b.bin\n' +
  'index 88768ef..3e3315e 100644\n' +
  'Binary files a/b.bin and b/b.bin differ\n' +
  'diff --git a/crlf.txt b/crlf.txt\n' +
  'index c30dea8..06c9c76 100644\n' +
  '--- a/crlf.txt\n' +
  '+++ b/crlf.txt\n' +
  '@@ -1,2 +1,2 @@\n' +
  ' a\r\n' +
  '-b\r\n' +
  '+c\r\n' +
  'diff --git a/empty.txt b/empty.txt\n' +
  'new file mode 100644\n' +
  'index 0000000..e69de29\n' +
  'diff --git a/mode.sh b/mode.sh\n' +
  'old mode 100644\n' +
  'new mode 100755\n' +
  'diff --git a/old.txt b/new.txt\n' +
  'similarity index 100%\n' +
  'rename from old.txt\n' +
  'rename to new.txt\n' +
  'diff --git a/noeol.txt b/noeol.txt\n' +
  'index c1b0730..e25f181 100644\n' +
  '--- a/noeol.txt\n' +
  '+++ b/noeol.txt\n' +
  '@@ -1 +1 @@\n' +
  '-x\n' +
  '\\ No newline at end of file\n' +
  '+y\n' +
  '\\ No newline at end of file\n' +
  'diff --git a/tricky.txt b/tricky.txt\n' +
  'new file mode 100644\n' +
  'index 0000000..57c1587\n' +
  '--- /dev/null\n' +
  '+++ b/tricky.txt\n' +
  '@@ -0,0 +1,3 @@\n' +
  '++++ b/fake\n' +
  '+--- a/fake\n' +
  '+diff --git a/x b/x\n' +
  'diff --git a/with space.txt b/with space.txt\n' +
  'index 3367afd..3e75765 100644\n' +
  '--- a/with space.txt\t\n' +
  '+++ b/with space.txt\t\n' +
  '@@ -1 +1 @@\n' +
  '-old\n' +
  '+new\n' +
  'diff --git "a/\\343\\201\\202.txt" "b/\\343\\201\\202.txt"\n' +
  'index 5f0b3b6..35c47ec 100644\n' +
  '--- "a/\\343\\201\\202.txt"\n' +
  '+++ "b/\\343\\201\\202.txt"\n' +
  '@@ -1 +1 @@\n' +
  '-jp\n' +
  '+jp2\n' +
  '';

function byPath(files: readonly DiffFile[], path: string): DiffFile {
  const file = files.find((f) => f.path === path);
  assert.ok(file, `no ${path} in ${files.map((f) => f.path).join(', ')}`);
  return file;
}

function diffOf(path: string, body: string[], header: string[] = []): string {
  return [`diff --git a/${path} b/${path}`, ...header, `--- a/${path}`, `+++ b/${path}`, ...body, ''].join('\n');
}

describe('diff splitting', () => {
  const files = splitDiff(REAL_DIFF);

  it('finds every file, in order, and their sections cover the whole diff', () => {
    assert.deepEqual(files.map((f) => f.path), ['b.bin', 'crlf.txt', 'empty.txt', 'mode.sh', 'new.txt', 'noeol.txt', 'tricky.txt', 'with space.txt', 'あ.txt']);
    assert.equal(files.map((f) => f.text).join(''), REAL_DIFF);
    for (const f of files) assert.ok(f.text.startsWith('diff --git '), f.path);
  });

  it('reads binary, rename, added, mode-only and modified files', () => {
    assert.deepEqual({ ...byPath(files, 'b.bin'), text: '' }, { path: 'b.bin', change: 'modified', binary: true, added: 0, removed: 0, text: '' });
    const rename = byPath(files, 'new.txt');
    assert.equal(rename.change, 'renamed');
    assert.equal(rename.oldPath, 'old.txt');
    assert.equal(byPath(files, 'empty.txt').change, 'added');
    assert.equal(byPath(files, 'empty.txt').added, 0);
    const mode = byPath(files, 'mode.sh');
    assert.deepEqual([mode.change, mode.binary, mode.added, mode.removed], ['modified', false, 0, 0]);
    assert.equal(byPath(files, 'mode.sh').oldPath, undefined);
  });

  it('counts lines with CRLF content and without a newline at the end of file', () => {
    const crlf = byPath(files, 'crlf.txt');
    assert.deepEqual([crlf.added, crlf.removed], [1, 1]);
    const noeol = byPath(files, 'noeol.txt');
    assert.deepEqual([noeol.added, noeol.removed], [1, 1]);
  });

  it('does not read hunk content that looks like headers', () => {
    const tricky = byPath(files, 'tricky.txt');
    assert.deepEqual([tricky.change, tricky.added, tricky.removed], ['added', 3, 0]);
    assert.equal(files.filter((f) => f.path === 'fake' || f.path === 'x').length, 0);
  });

  it('unquotes paths: spaces (with the tab git adds), octal UTF-8 escapes, escaped quotes', () => {
    assert.equal(byPath(files, 'with space.txt').change, 'modified');
    assert.equal(byPath(files, 'あ.txt').added, 1);
    const quoted = splitDiff([
      'diff --git "a/dir/name \\"q\\".txt" "b/dir/\\346\\226\\260 \\"q\\".txt"',
      'similarity index 80%',
      'rename from "dir/name \\"q\\".txt"',
      'rename to "dir/\\346\\226\\260 \\"q\\".txt"',
      'index 1..2 100644',
      '--- "a/dir/name \\"q\\".txt"\t',
      '+++ "b/dir/\\346\\226\\260 \\"q\\".txt"\t',
      '@@ -1 +1,2 @@',
      ' new',
      '+more',
      '',
    ].join('\n'));
    assert.equal(quoted.length, 1);
    assert.equal(quoted[0].path, 'dir/新 "q".txt');
    assert.equal(quoted[0].oldPath, 'dir/name "q".txt');
    assert.equal(quoted[0].change, 'renamed');
    assert.equal(quoted[0].added, 1);
  });

  it('reads deletions, a file named "diff --git", binary patches, copies and submodules', () => {
    const diff = [
      'diff --git a/crlf.txt b/crlf.txt', 'deleted file mode 100644', 'index 06c9c76..0000000', '--- a/crlf.txt', '+++ /dev/null', '@@ -1,2 +0,0 @@', '-a\r', '-c\r',
      'diff --git a/diff --git b/diff --git', 'new file mode 100644', 'index 0000000..ce01362', '--- /dev/null', '+++ b/diff --git\t', '@@ -0,0 +1 @@', '+hello',
      'diff --git a/b.bin b/b.bin', 'index 3e3315e..a903574 100644', 'GIT binary patch', 'literal 2', 'JcmZQz1^@sB00aO4', '', 'literal 5', 'McmZQzO3KUw00MIXJOBUy', '',
      'diff --git a/src/a.ts b/src/b.ts', 'similarity index 90%', 'copy from src/a.ts', 'copy to src/b.ts', '--- a/src/a.ts', '+++ b/src/b.ts', '@@ -1 +1 @@', '-x', '+y',
      'diff --git a/vendor/lib b/vendor/lib', 'index 1111111..2222222 160000', '--- a/vendor/lib', '+++ b/vendor/lib', '@@ -1 +1 @@', '-Subproject commit 1111111', '+Subproject commit 2222222',
      '',
    ].join('\n');
    const parsed = splitDiff(diff);
    assert.deepEqual(parsed.map((f) => [f.path, f.change, f.binary, f.added, f.removed]), [
      ['crlf.txt', 'deleted', false, 0, 2],
      ['diff --git', 'added', false, 1, 0],
      ['b.bin', 'modified', true, 0, 0],
      ['src/b.ts', 'copied', false, 1, 1],
      ['vendor/lib', 'modified', false, 1, 1],
    ]);
    assert.equal(parsed[3].oldPath, 'src/a.ts');
    assert.equal(parsed.map((f) => f.text).join(''), diff);
  });

  it('reads `git diff --no-index /dev/null FILE` and ignores text before the first file', () => {
    const parsed = splitDiff('warning: something\n' + ['diff --git a/new file.md b/new file.md', 'new file mode 100644', 'index 0000000..d0aa637', '--- /dev/null', '+++ b/new file.md\t', '@@ -0,0 +1,2 @@', '+a', '+b', ''].join('\n'));
    assert.deepEqual(parsed.map((f) => [f.path, f.change, f.added]), [['new file.md', 'added', 2]]);
    assert.deepEqual(splitDiff(''), []);
  });

  it('splits a file into its header and hunks, which join back to its text', () => {
    const [file] = splitDiff(diffOf('a.ts', ['@@ -1,2 +1,2 @@', ' a', '-b', '+c', '@@ -10 +10 @@', '-@@ x', '++@@ y']));
    const { header, hunks } = fileHunks(file);
    assert.equal(header, 'diff --git a/a.ts b/a.ts\n--- a/a.ts\n+++ b/a.ts\n');
    assert.deepEqual(hunks, ['@@ -1,2 +1,2 @@\n a\n-b\n+c\n', '@@ -10 +10 @@\n-@@ x\n++@@ y\n']);
    assert.equal(header + hunks.join(''), file.text);
    assert.deepEqual([file.added, file.removed], [2, 2]);
    assert.deepEqual(fileHunks(byPath(files, 'mode.sh')).hunks, []);
  });

  it('splits a 40,000-line diff in linear time', () => {
    const lines: string[] = [];
    for (let f = 0; f < 200; f++) {
      lines.push(`diff --git a/src/f${f}.ts b/src/f${f}.ts`, 'index 1..2 100644', `--- a/src/f${f}.ts`, `+++ b/src/f${f}.ts`, '@@ -1,100 +1,100 @@');
      for (let i = 0; i < 100; i++) lines.push(`-old ${i}`, `+new ${i}`);
    }
    const text = lines.join('\n') + '\n';
    const start = performance.now();
    const parsed = splitDiff(text);
    const elapsed = performance.now() - start;
    assert.equal(parsed.length, 200);
    assert.ok(parsed.every((f) => f.added === 100 && f.removed === 100));
    assert.ok(elapsed < 500, `${elapsed} ms`);
  });
});

function fileWith(path: string, added: string[], change: DiffFile['change'] = 'modified', start = 1): DiffFile {
  const sign = change === 'deleted' ? '-' : '+';
  const [file] = splitDiff(diffOf(path, [`@@ -${start},0 +${start},${added.length} @@`, ...added.map((l) => sign + l)], change === 'deleted' ? ['deleted file mode 100644'] : []));
  return file;
}

describe('skip rules', () => {
  it('skips lockfiles by base name, in any folder', () => {
    for (const name of ['package-lock.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb', 'Cargo.lock', 'Gemfile.lock', 'poetry.lock', 'go.sum', 'uv.lock', 'flake.lock', 'composer.lock', 'packages.lock.json', 'gradle.lockfile', 'deno.lock']) {
      assert.equal(skipReason(fileWith(`apps/web/${name}`, ['x'])), 'lockfile', name);
    }
    assert.equal(skipReason(fileWith('src/lock.ts', ['x'])), undefined);
    assert.equal(skipReason(fileWith('package.json', ['"x": 1'])), undefined);
  });

  it('skips generated files by path and by a marker comment near the top', () => {
    for (const path of ['dist/app.min.js', 'web/site.min.css', 'dist/app.js.map', 'api/v1/user.pb.go', 'proto/user_pb2.py', 'src/api.generated.ts', 'lib/model.g.dart', 'src/__snapshots__/app.test.ts.snap']) {
      assert.equal(skipReason(fileWith(path, ['x'])), 'generated', path);
    }
    assert.equal(skipReason(fileWith('gen/types.go', ['// Code generated by protoc-gen-go. DO NOT EDIT.', 'package gen'])), 'generated');
    assert.equal(skipReason(fileWith('src/schema.ts', ['/**', ' * @generated SignedSource<<abc>>', ' */'])), 'generated');
    assert.equal(skipReason(fileWith('Form.cs', ['// <auto-generated />', 'class A {}'])), 'generated');
    // A generator writes the marker into a string; a marker far below the top is someone's text.
    assert.equal(skipReason(fileWith('gen/main.go', ['fmt.Println("// Code generated by x. DO NOT EDIT.")'])), undefined);
    assert.equal(skipReason(fileWith('src/a.ts', ['// @generated'], 'modified', 500)), undefined);
  });

  it('skips minified code by its long lines, but not prose', () => {
    assert.equal(skipReason(fileWith('public/vendor.js', ['x'.repeat(1500)])), 'minified');
    assert.equal(skipReason(fileWith('public/a.js', Array.from({ length: 6 }, () => 'y'.repeat(400)))), 'minified');
    assert.equal(skipReason(fileWith('src/a.ts', ['const x = 1;', 'y'.repeat(400)])), undefined);
    assert.equal(skipReason(fileWith('README.md', ['あ'.repeat(2000)])), undefined);
  });

  it('skips binary files, and deletions of generated files', () => {
    assert.equal(skipReason(byPath(splitDiff(REAL_DIFF), 'b.bin')), 'binary');
    assert.equal(skipReason(fileWith('gen/old.go', ['// Code generated by stringer. DO NOT EDIT.', 'package gen'], 'deleted')), 'generated');
    assert.equal(skipReason(fileWith('public/old.js', ['z'.repeat(5000)], 'deleted')), 'minified');
    assert.equal(skipReason(byPath(splitDiff(REAL_DIFF), 'crlf.txt')), undefined);
  });
});
