// Property tests (issue 11, hostile inputs): whatever path a tool call names, what the path rules
// accept stays inside the workspace folder and out of `.git`, by POSIX and by Windows rules, and
// on a real disk with symbolic links. Seeded, so a run is the same everywhere; a failure prints the
// shrunk counterexample and the seed.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync, symlinkSync, lstatSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { parseToolCall } from '../../src/core/tools/chatTools';
import { resolveRealTarget } from '../../src/core/tools/realPaths';
import { checkWorkspacePath, isHiddenSegment, isWithin } from '../../src/core/tools/workspacePaths';

const SEED = 424242;

// ---- generated hostile paths ----

/** Segments a hostile model (or a hostile file that a model repeats) might write. */
const HOSTILE_SEGMENTS = [
  '..', '.', '', '...', '.. ', '. ', ' ..', '..\u00a0', '..\t', '. .',
  '.git', '.GIT', '.Git', '.gIt', '.git.', '.git ', '.git..', '.git. .', 'GIT~1', 'git~1', '.git::$INDEX_ALLOCATION', '.git:stream', '.g\u0131t', '.gİt',
  'C:', 'c:', 'Z:x', 'C:..', '~', '~root', '%2e%2e', '%2E%2E%2F', '..%2f', '%00', '\u2025', '\uFF0E\uFF0E', '\u2024\u2024', '\uFF0F', '\u2215', '\u29F8',
  'src', 'a', 'b.txt', 'README.md', '日本語', 'ファイル.txt', 'CON', 'nul', 'x'.repeat(300), 'with space', 'trailing.', 'trailing ',
];
const SEPARATORS = ['/', '\\', '//', '\\\\', '/./', '\\.\\'];
const PREFIXES = ['', '', '', './', '.\\', '/', '\\', '\\\\server\\share\\', '//server/share/', '\\\\?\\C:\\', '\\\\.\\', 'C:', 'C:\\', 'c:/', '~/', ' ', '\u00a0', 'file:///', '\t'];

const segmentArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...HOSTILE_SEGMENTS) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('.', ' ', ':', 'g', 'i', 't', 'G', 'I', 'T', '~', '1', '\\', '/', '\0', 'C'), maxLength: 8 }) },
);

/** A path: a prefix, then segments joined by mixed separators, then maybe a trailing one. */
const hostilePathArb = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .tuple(fc.constantFrom(...PREFIXES), fc.array(fc.tuple(segmentArb, fc.constantFrom(...SEPARATORS)), { maxLength: 8 }), fc.constantFrom('', '/', '\\', ' ', '.'))
      .map(([prefix, parts, suffix]) => prefix + parts.map(([segment, sep], i) => (i === 0 ? segment : sep + segment)).join('') + suffix),
  },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
);

/** Long paths around the length limit (1024), made of one hostile unit repeated. */
const longPathArb = fc
  .tuple(fc.integer({ min: 1000, max: 1100 }), fc.constantFrom('a/', '../', 'a/../', '..\\', '.git./', '\u65e5/'))
  .map(([n, unit]) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n));

// ---- what Windows and POSIX make of accepted segments ----

const POSIX_ROOT = '/work/ws';
const WIN_ROOTS = ['D:\\work\\ws', '\\\\server\\share\\ws'];

/** Inside `root` (or `root` itself) by `flavor`'s rules, compared as that platform compares. */
function inside(flavor: typeof path.posix | typeof path.win32, root: string, target: string): boolean {
  const relative = flavor.relative(root, target);
  return relative === '' || (!flavor.isAbsolute(relative) && relative !== '..' && !relative.startsWith(`..${flavor.sep}`));
}

/**
 * The names Windows may open for one path segment: it drops the dots and spaces that end a name,
 * reads a colon as a drive (`C:`) or an NTFS stream (`.git::$INDEX_ALLOCATION` opens `.git`),
 * compares names by upper case (so `.gıt` is `.GIT`), and gives `.git` the short name `GIT~1`.
 */
function windowsNames(segment: string): string[] {
  const beforeColon = segment.split(':')[0];
  return [segment, beforeColon].map((name) => name.replace(/[. ]+$/, '').toUpperCase());
}

function assertAcceptedIsSafe(input: string, segments: readonly string[]): void {
  const label = JSON.stringify(input);
  for (const segment of segments) {
    assert.ok(segment !== '' && segment !== '.' && segment !== '..', `${label}: segment ${JSON.stringify(segment)} left in`);
    assert.ok(!/[/\\\0]/.test(segment), `${label}: separator or NUL in segment ${JSON.stringify(segment)}`);
    // POSIX file systems that ignore case (macOS) and those that do not.
    assert.notEqual(segment.toLowerCase(), '.git', `${label}: segment ${JSON.stringify(segment)} is .git`);
    // Windows: a name of only dots and spaces may be read as `.` or `..`; a drive names another root.
    for (const name of windowsNames(segment)) {
      assert.ok(name !== '' && name !== '.GIT' && name !== 'GIT~1', `${label}: Windows reads segment ${JSON.stringify(segment)} as ${name === '' ? '"." or ".."' : JSON.stringify(name)}`);
    }
    assert.ok(!/^[A-Za-z]:/.test(segment), `${label}: segment ${JSON.stringify(segment)} names a drive`);
  }
  // The adapter joins the segments onto the folder; resolving them (each, or the joined request
  // path) must land inside it too, so no later change from join to resolve can open a way out.
  const joined = segments.join('/');
  for (const target of [path.posix.join(POSIX_ROOT, ...segments), path.posix.resolve(POSIX_ROOT, ...segments), path.posix.resolve(POSIX_ROOT, joined)]) {
    assert.ok(inside(path.posix, POSIX_ROOT, target), `${label}: POSIX ${target} is outside ${POSIX_ROOT}`);
  }
  for (const root of WIN_ROOTS) {
    for (const target of [path.win32.join(root, ...segments), path.win32.resolve(root, ...segments), path.win32.resolve(root, joined)]) {
      assert.ok(inside(path.win32, root, target), `${label}: Windows ${target} is outside ${root}`);
    }
  }
  // The normal form is accepted again as the same segments (the check trims the whole path, so a
  // first or last segment with white space at its edge is the exception).
  if (joined.trim() === joined) assert.deepEqual(checkWorkspacePath(joined), { ok: true, segments }, `${label}: its normal form ${JSON.stringify(joined)} checks differently`);
}

function assertCheckIsSafe(input: string): void {
  const checked = checkWorkspacePath(input);
  if (!checked.ok) {
    assert.ok(checked.error.en !== '' && checked.error.ja !== '');
    return;
  }
  assertAcceptedIsSafe(input, checked.segments);
  // The tool-call reader hands on exactly these segments.
  const call = parseToolCall('list_files', JSON.stringify({ path: input }));
  assert.deepEqual(call.ok && call.request.tool === 'list_files' && call.request.segments, checked.segments);
}

describe('path rules, properties', () => {
  it('accept only paths that stay inside the root and out of .git, by POSIX and Windows rules', () => {
    fc.assert(fc.property(hostilePathArb, assertCheckIsSafe), { seed: SEED, numRuns: 3000 });
  });

  it('accept only safe paths around the length limit', () => {
    fc.assert(fc.property(longPathArb, assertCheckIsSafe), { seed: SEED, numRuns: 100 });
  });

  it('hide every generated name that opens .git on some file system', () => {
    for (const name of HOSTILE_SEGMENTS) {
      const opensGit = name.toLowerCase() === '.git' || windowsNames(name).some((n) => n === '.GIT' || n === 'GIT~1');
      if (opensGit) assert.ok(isHiddenSegment(name), name);
    }
  });

  it('accept every plain relative path, whatever its separators', () => {
    const plain = fc.array(fc.constantFrom('src', 'a', 'b.txt', '日本語', 'ファイル.txt', '.github', 'with space', 'x-1_2'), { minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(plain, fc.constantFrom('/', '\\'), (segments, sep) => {
        assert.deepEqual(checkWorkspacePath(segments.join(sep)), { ok: true, segments });
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('isWithin agrees with path.relative on resolved POSIX and Windows paths', () => {
    const posixPart = fc.constantFrom('work', 'ws', 'ws2', 'w', 'WS', 'a', '.git', 'é');
    const posixPath = fc.array(posixPart, { maxLength: 4 }).map((p) => path.posix.resolve('/', ...p));
    const winPath = fc
      .tuple(fc.constantFrom('C:\\', 'c:\\', 'D:\\', '\\\\server\\share\\'), fc.array(posixPart, { maxLength: 4 }))
      .map(([root, p]) => path.win32.resolve(root, ...p));
    fc.assert(
      fc.property(posixPath, posixPath, fc.boolean(), (root, target, slash) => {
        const r = slash ? `${root}/` : root;
        assert.equal(isWithin(r, target), inside(path.posix, root, target), `${r} ⊇ ${target}`);
      }),
      { seed: SEED, numRuns: 1000 },
    );
    fc.assert(
      fc.property(winPath, winPath, (root, target) => {
        // path.win32 compares case-insensitively, as NTFS does.
        assert.equal(isWithin(root, target, true), inside(path.win32, root, target), `${root} ⊇ ${target}`);
      }),
      { seed: SEED, numRuns: 1000 },
    );
  });

  it('on a real disk, a path reads a file or folder of the workspace outside .git, through any links', async () => {
    const base = realpathSync(mkdtempSync(path.join(tmpdir(), 'llmjp-paths-')));
    try {
      await fc.assert(fc.asyncProperty(layoutWithRequestsArb, fc.boolean(), ([layout, requests], viaLink) => checkLayout(base, layout, requests, viaLink)), {
        seed: SEED,
        numRuns: 100,
      });
    } finally {
      rmSync(base, { recursive: true, force: true });
    }
  });
});

// ---- real disk layouts with symbolic links ----

const NAMES = ['a', 'b', 'c', 'secret.txt'];

/** Where a link may point, relative to the link's folder, or absolute: OUT, WS, WS2 and ROOTLINK stand for real places. */
const LINK_TARGETS = {
  outside: ['..', '../..', '../outside', '../outside/secret.txt', '../../outside', '../../outside/secret.txt', 'OUT', 'OUT/secret.txt', '/'],
  // ws2 is a sibling whose name starts with the workspace folder's: only a separator tells them apart.
  sibling: ['../ws2', '../ws2/secret.txt', '../../ws2', 'WS2', 'WS2/secret.txt'],
  git: ['.git', '.git/config', '../.git', '../.git/config', 'WS/.git', 'WS/.git/config', 'ROOTLINK/.git'],
  inside: ['a', 'b', 'b/c', '.', 'a/..', '../a', 'WS', 'WS/a', 'ROOTLINK', 'ROOTLINK/a', 'missing', 'c/../../outside'],
};
const linkTargetArb = fc.oneof(...Object.values(LINK_TARGETS).map((targets) => fc.constantFrom(...targets)));

type Entry = { readonly kind: 'file' } | { readonly kind: 'dir'; readonly children: ReadonlyMap<string, Entry> } | { readonly kind: 'link'; readonly target: string };

const entryArb: fc.Arbitrary<Entry> = fc.letrec<{ entry: Entry; dir: Entry }>((tie) => ({
  entry: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 1, arbitrary: fc.constant<Entry>({ kind: 'file' }) },
    { weight: 3, arbitrary: linkTargetArb.map((target): Entry => ({ kind: 'link', target })) },
    { weight: 2, arbitrary: tie('dir') },
  ),
  dir: fc
    .uniqueArray(fc.tuple(fc.constantFrom(...NAMES), tie('entry')), { selector: ([name]) => name, minLength: 1, maxLength: 3 })
    .map((children): Entry => ({ kind: 'dir', children: new Map(children) })),
})).entry;

/** The workspace folder's top level: always a `.git` with a config, plus generated entries. */
const layoutArb = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...NAMES), entryArb), { selector: ([name]) => name, minLength: 1, maxLength: 4 })
  .map((top) => new Map(top));

/** Every path in a layout, as segments (links included, not followed). */
function layoutPaths(entries: ReadonlyMap<string, Entry>, prefix: readonly string[] = []): string[][] {
  return [...entries].flatMap(([name, entry]) => {
    const own = [...prefix, name];
    return entry.kind === 'dir' ? [own, ...layoutPaths(entry.children, own)] : [own];
  });
}

/** A layout and requests into it: mostly its own paths (through its links), with a step further or back. */
const layoutWithRequestsArb = layoutArb.chain((layout) => {
  const own = layoutPaths(layout);
  const extra = fc.array(fc.constantFrom(...NAMES, '..', '.', '.git', 'config', 'outside', 'ws', 'wslink'), { maxLength: 2 });
  const request = fc
    .tuple(fc.constantFrom(...own), extra, fc.constantFrom('/', '\\'))
    .map(([segments, more, sep]) => [...segments, ...more].join(sep));
  return fc.tuple(fc.constant(layout), fc.array(request, { minLength: 1, maxLength: 16 }));
});

let layoutCount = 0;

function build(dir: string, entries: ReadonlyMap<string, Entry>, places: Record<string, string>): void {
  for (const [name, entry] of entries) {
    const at = path.join(dir, name);
    if (entry.kind === 'file') writeFileSync(at, `file ${at}`);
    else if (entry.kind === 'dir') {
      mkdirSync(at);
      build(at, entry.children, places);
    } else {
      const [head, ...rest] = entry.target.split('/');
      const target = head in places ? path.join(places[head], ...rest) : entry.target;
      symlinkSync(target, at);
    }
  }
}

/** Identities (device and inode) of everything in the folder, links not followed, `.git` left out. */
function allowedIdentities(root: string): Set<string> {
  const found = new Set<string>();
  const walk = (dir: string): void => {
    const stat = lstatSync(dir);
    found.add(`${stat.dev}:${stat.ino}`);
    if (!stat.isDirectory()) return;
    for (const name of readdirSync(dir)) if (name !== '.git') walk(path.join(dir, name));
  };
  walk(root);
  return found;
}

function identity(p: string): string | undefined {
  try {
    const stat = statSync(p);
    return `${stat.dev}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

async function checkLayout(base: string, layout: ReadonlyMap<string, Entry>, requests: readonly string[], viaLink: boolean): Promise<void> {
  const dir = path.join(base, String(layoutCount++));
  const ws = path.join(dir, 'ws');
  const outside = path.join(dir, 'outside');
  const sibling = path.join(dir, 'ws2');
  const rootLink = path.join(dir, 'wslink');
  mkdirSync(path.join(ws, '.git'), { recursive: true });
  writeFileSync(path.join(ws, '.git', 'config'), '[core]');
  for (const other of [outside, sibling]) {
    mkdirSync(other);
    writeFileSync(path.join(other, 'secret.txt'), 'secret');
  }
  symlinkSync(ws, rootLink);
  try {
    build(ws, layout, { OUT: outside, WS: ws, WS2: sibling, ROOTLINK: rootLink });
    const allowed = allowedIdentities(ws);
    // The workspace folder may itself be opened through a link.
    const root = viaLink ? rootLink : ws;
    for (const request of requests) {
      const checked = checkWorkspacePath(request);
      if (!checked.ok) continue;
      const target = await resolveRealTarget(root, checked.segments, false);
      const logical = path.join(root, ...checked.segments);
      const id = identity(logical);
      const expectOk = id !== undefined && allowed.has(id);
      const label = `${request} in ${JSON.stringify(layout, (_, v: unknown) => (v instanceof Map ? Object.fromEntries(v) : v))}`;
      assert.equal(target.ok, expectOk, `${label}: ${target.ok ? `accepted ${target.real}` : `refused (${target.reason})`}, but ${expectOk ? 'it is in the workspace' : id === undefined ? 'it does not exist' : 'it lies outside the workspace or in .git'}`);
      if (target.ok) {
        // What the tools then open is the thing the model named.
        assert.equal(identity(target.real), id, `${label}: real path ${target.real} is another file`);
        assert.equal(target.logical, logical);
      } else if (id === undefined) {
        assert.equal(target.reason, 'missing', label);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
