// A fixed set of hostile paths (issue 14, before the tools may write): lookalikes of `.` and `/`,
// fullwidth forms, mixed separators, %-encodings, control characters, very long paths, `.git` in
// every disguise, drives, UNC, `~`, device names. Each one goes through checkWorkspacePath, and
// what it accepts through realPaths on a disk where names like these are links to outside. Every
// path must be refused or stay inside the workspace and out of `.git`, however a layer between the
// model and the disk might read it. Generated from lists, not random, so the set is the same on
// every run and a failure names its path.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parseToolCall } from '../../src/core/tools/chatTools';
import { resolveRealTarget } from '../../src/core/tools/realPaths';
import { checkWorkspacePath, isHiddenSegment, isWithin } from '../../src/core/tools/workspacePaths';

const DOTS = ['\u2024', '\u2025', '\u2026', '\uFE52', '\uFF0E', '\u3002', '\uFF61'];
const SLASHES = ['\u2215', '\u2044', '\uFF0F', '\u29F8', '\u2571', '\uFF3C', '\u29F5', '\u2216', '\uFE68'];
/** Characters HFS+ ignores in names (git's is_hfs_dotgit), and other invisible ones. */
const INVISIBLE = ['\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202e', '\u2066', '\u206a', '\ufeff', '\u00ad'];

function hostilePaths(): string[] {
  const paths: string[] = [];
  // Lookalikes of `.` and `/`, alone and mixed with the real ones.
  for (const d of DOTS) {
    for (const s of [...SLASHES, '/', '\\']) paths.push(`${d}${d}${s}${d}${d}${s}etc${s}passwd`);
    paths.push(`${d}git/config`, `src/${d}git${d}/HEAD`, `${d}${d}`, `a/${d}${d}/x`, `.${d}/x`, `${d}./x`, `~${d}ssh/id_rsa`);
  }
  for (const s of SLASHES) paths.push(`..${s}secret`, `a${s}..${s}..${s}b`, `.git${s}config`, `${s}etc${s}passwd`, `${s}${s}server${s}share`);
  // Fullwidth forms.
  paths.push('．．／．．／secret', '．ｇｉｔ／ｃｏｎｆｉｇ', 'Ｃ：＼Ｗｉｎｄｏｗｓ＼win.ini', 'ｃ：/x', '～／.ssh/id_rsa', '～', 'ａ／．．／．．／ｂ', '．\uFF47\uFF49\uFF54', 'src／．．／．．／x');
  // Mixed separators and dots with spaces.
  paths.push(
    '..\\/x', '.\\..\\x', 'a\\..\\..\\x', 'a/b\\..\\..\\..\\x', '..//x', '.../x', '. ./x', '.. \\x', ' ../x', '..\t/x', 'src/..\\..',
    '\\..\\x', 'a/./../../x', 'a/b/c/../../../../x', '..\\..\\..\\windows', '/\\/x', '\\/x',
  );
  // %-encoded, once and twice, and overlong UTF-8.
  for (const encoded of [
    '%2e%2e%2f', '%2e%2e/', '..%2f', '%2e%2e%5c', '%252e%252e%252f', '%c0%ae%c0%ae/', '%uff0e%uff0e/', '.%2e/', '%2e./', '%2E%2E%2Fetc%2Fpasswd',
    '%2fetc%2fpasswd', '%5c%5cserver%5cshare', '%2egit/config', '.git%2fconfig', 'C%3a%5cWindows', '%7e/.ssh', '%2e', '%252e%252e', '%25252e%25252e%25252f', '.g%69t/config',
  ]) {
    paths.push(encoded, `src/${encoded}`);
  }
  // NUL and the other control characters, and invisible ones.
  for (let code = 0; code < 32; code++) paths.push(`a${String.fromCharCode(code)}b`, `..${String.fromCharCode(code)}/x`, `.git${String.fromCharCode(code)}/config`);
  paths.push('a\u007fb', 'a\u0085b');
  for (const c of INVISIBLE) paths.push(`.g${c}it/config`, `${c}.git/config`, `src/${c}..${c}/x`, `a${c}b.txt`);
  // Very long paths and segments.
  paths.push('a/'.repeat(2048), 'x'.repeat(4096), `${'x'.repeat(300)}/a`, `${'y'.repeat(300)}/`.repeat(3) + 'z', '../'.repeat(1400), 'a/'.repeat(500) + '../'.repeat(501) + 'etc', `src/${'日'.repeat(256)}.ts`);
  paths.push(`${'a/'.repeat(400)}${'../'.repeat(400)}..`, `${'./'.repeat(500)}../x`);
  // .git in any case, with trailing dots and spaces, streams, short names.
  for (const git of ['.git', '.GIT', '.Git', '.gIT', '.git.', '.git..', '.git ', '.git. ', '.git .', '.git::$DATA', '.git::$INDEX_ALLOCATION', '.git:$DATA', '.git:x', 'GIT~1', 'git~1', 'Git~1.', '.gıt', '.GİT']) {
    paths.push(`${git}/config`, `sub/${git}/HEAD`, git);
  }
  // Drives, UNC, device paths, `~`, absolute, URIs, device names.
  paths.push(
    'C:', 'C:x', 'c:\\x', 'C:/', 'Z:..\\x', 'a/C:x', './D:/x', '\\\\server\\share', '//server/share', '\\\\?\\C:\\x', '\\\\.\\pipe\\x',
    '\\\\?\\UNC\\server\\share', '\\??\\C:\\x', '/etc/passwd', '/', '\\', '~', '~/x', '~root/x', './~/x', 'a/../~', 'file:///etc/passwd',
    'file:/etc', 'vscode-remote://x/y', 'con', 'CON.txt', 'nul', 'aux.md', 'COM1', 'lpt9.log', 'com\u00b9', 'CONIN$', 'conout$', 'src/nul .txt',
    'src/PRN', 'x.txt:hidden', 'README.md::$DATA', 'a/b:c',
  );
  return paths;
}

export const HOSTILE = hostilePaths();

// ---- what might read a segment differently from us ----

/** A segment as other layers might read it: %-decoded, NFKC, lookalikes as `.` and `/`, invisible characters dropped. */
function readingsOf(segment: string): string[] {
  const found = new Set([segment]);
  let decoded = segment;
  for (let i = 0; i < 4; i++) {
    try {
      decoded = decodeURIComponent(decoded);
    } catch {
      break;
    }
    found.add(decoded);
  }
  for (const text of [...found]) {
    let folded = text.normalize('NFKC');
    for (const d of DOTS) folded = folded.split(d).join('.');
    for (const s of SLASHES) folded = folded.split(s).join('/');
    found.add(folded);
    found.add(folded.replace(/[\p{Cf}\p{Cc}]/gu, ''));
  }
  return [...found];
}

const POSIX_ROOT = '/work/ws';
const WIN_ROOT = 'D:\\work\\ws';

function insideBy(flavor: typeof path.posix | typeof path.win32, root: string, target: string): boolean {
  const relative = flavor.relative(root, target);
  return relative === '' || (!flavor.isAbsolute(relative) && relative !== '..' && !relative.startsWith(`..${flavor.sep}`));
}

export function assertSafeSegments(input: string, segments: readonly string[]): void {
  const label = JSON.stringify(input);
  for (const [i, segment] of segments.entries()) {
    assert.ok(segment.length > 0 && segment.length <= 255, `${label}: segment of ${segment.length} characters`);
    assert.ok(!/[\p{Cc}\p{Cf}]/u.test(segment), `${label}: control or invisible character in ${JSON.stringify(segment)}`);
    assert.ok(!segment.includes(':'), `${label}: a colon (drive or NTFS stream) in ${JSON.stringify(segment)}`);
    assert.ok(!/^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i.test(segment.split('.')[0].replace(/[ .]+$/, '')), `${label}: device name ${JSON.stringify(segment)}`);
    for (const reading of readingsOf(segment)) {
      const name = reading.split(':')[0].replace(/[. ]+$/, '');
      const what = `${label}: segment ${JSON.stringify(segment)} reads as ${JSON.stringify(reading)}`;
      assert.ok(!/[/\\]/.test(reading), `${what}, a separator`);
      assert.ok(name !== '', `${what}, "." or ".."`);
      assert.ok(!isHiddenSegment(reading) && name.toLowerCase() !== '.git' && name.toUpperCase() !== 'GIT~1', `${what}, .git`);
      assert.ok(!/^[A-Za-z]:/.test(reading), `${what}, a drive`);
      if (i === 0) assert.ok(!reading.startsWith('~'), `${what}, a home folder`);
    }
  }
  const posix = path.posix.resolve(POSIX_ROOT, ...segments);
  const win = path.win32.resolve(WIN_ROOT, ...segments);
  assert.ok(insideBy(path.posix, POSIX_ROOT, posix), `${label}: POSIX ${posix}`);
  assert.ok(insideBy(path.win32, WIN_ROOT, win), `${label}: Windows ${win}`);
}

describe('path rules, a fixed set of hostile paths', () => {
  it('has at least 200 distinct hostile paths', () => {
    assert.ok(new Set(HOSTILE).size >= 200, `${new Set(HOSTILE).size} paths`);
    assert.ok(HOSTILE.some((p) => p.length >= 4096));
    assert.ok(HOSTILE.some((p) => p.split('/').some((s) => s.length >= 300)));
  });

  it('refuses each of them, or accepts segments that stay inside and out of .git by every reading', () => {
    const accepted: string[] = [];
    for (const input of HOSTILE) {
      const checked = checkWorkspacePath(input);
      if (!checked.ok) {
        assert.ok(checked.error.en !== '' && checked.error.ja !== '', JSON.stringify(input));
        continue;
      }
      accepted.push(input);
      assertSafeSegments(input, checked.segments);
      // The tools hand on the same segments, for reads and writes.
      for (const [name, args] of [
        ['list_files', { path: input }],
        ['create_file', { path: input, content: 'x' }],
      ] as const) {
        const call = parseToolCall(name, JSON.stringify(args));
        if (call.ok && 'segments' in call.request) assert.deepEqual(call.request.segments, checked.segments, `${name} ${JSON.stringify(input)}`);
      }
    }
    // Most of the set is refused outright; what is accepted are plain names that only look odd.
    assert.ok(accepted.length < HOSTILE.length / 3, `${accepted.length} accepted: ${JSON.stringify(accepted)}`);
  });

  it('refuses the disguises of "..", "/", ".git", drives and devices in particular', () => {
    for (const input of [
      '．．／．．／secret', '\u2025/x', '\u2024\u2024\u2215etc', '.g\u200cit/config', '\ufeff.git/config', '%2e%2e%2fsecret', '%252e%252e%252fsecret', '%2egit/config',
      '．ｇｉｔ／ｃｏｎｆｉｇ', 'Ｃ：＼Ｗｉｎｄｏｗｓ', '～／.ssh', 'a\u2215..\u2215..\u2215b', 'CON', 'nul.txt', 'x.txt:hidden', 'a\nb', `${'x'.repeat(300)}/a`, 'x'.repeat(4096),
    ]) {
      assert.equal(checkWorkspacePath(input).ok, false, JSON.stringify(input));
    }
    // Names that merely contain such characters stay usable: Japanese punctuation, a percent sign.
    for (const [input, segments] of [
      ['メモ：会議。md', ['メモ：会議。md']],
      ['docs/日本語．txt', ['docs', '日本語．txt']],
      ['100%.txt', ['100%.txt']],
      ['a%20b/c', ['a%20b', 'c']],
      ['src/…rest.ts', ['src', '…rest.ts']],
      ['console.ts', ['console.ts']],
      ['src/nul-test.ts', ['src', 'nul-test.ts']],
    ] as const) {
      assert.deepEqual(checkWorkspacePath(input), { ok: true, segments }, input);
    }
  });

  it('on a real disk, names like these that are links to outside are refused by one gate or the other', async () => {
    const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'llmjp-fuzz-')));
    try {
      const ws = path.join(base, 'ws');
      const outside = path.join(base, 'outside');
      mkdirSync(path.join(ws, '.git'), { recursive: true });
      mkdirSync(path.join(ws, 'src'));
      mkdirSync(outside);
      writeFileSync(path.join(ws, '.git', 'config'), '[core]');
      writeFileSync(path.join(outside, 'secret'), 'secret');
      writeFileSync(path.join(ws, 'src', 'a.ts'), 'a');
      // Every first segment of the set that can be a name here becomes a link: to outside, up, or into .git.
      const targets = [outside, '..', '.git', path.join(ws, '.git'), '../outside/secret'];
      let links = 0;
      const linked = new Set<string>();
      for (const input of HOSTILE) {
        const first = input.split(/[/\\]/)[0];
        if (first === '' || first === '.' || first === '..' || first.includes('\0') || Buffer.byteLength(first) > 255) continue;
        try {
          symlinkSync(targets[links % targets.length], path.join(ws, first));
          linked.add(first);
          links++;
        } catch {
          // Taken already, or not a name this file system allows.
        }
      }
      assert.ok(links > 60, `${links} links`);
      let resolved = 0;
      let throughLinks = 0;
      for (const input of [...HOSTILE, ...HOSTILE.map((p) => `src/../${p}`)]) {
        const checked = checkWorkspacePath(input);
        if (!checked.ok) continue;
        const target = await resolveRealTarget(ws, checked.segments, false);
        if (linked.has(checked.segments[0])) {
          // Every link leads outside or into .git: the second gate must refuse what the first let by.
          throughLinks++;
          assert.equal(target.ok, false, `${JSON.stringify(input)} opened ${target.ok ? target.real : ''} through a link`);
        }
        if (!target.ok) continue;
        resolved++;
        assert.ok(isWithin(ws, target.real), `${JSON.stringify(input)} opened ${target.real}`);
        assert.ok(!path.relative(ws, target.real).split(path.sep).includes('.git'), `${JSON.stringify(input)} opened ${target.real}`);
      }
      assert.ok(throughLinks >= 5, `${throughLinks} accepted paths through links`);
      // Accepted paths that resolve are the workspace itself or its plain files.
      assert.ok(resolved >= 1);
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});
