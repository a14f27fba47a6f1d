// Builds bench/gpu/.payload/ (gitignored): what a bare GPU machine needs beyond the working tree
// to run bench/gpu/run.sh, and checks that working tree + payload fit in what travels (64 MiB).
//
//   node bench/gpu/pack.mjs [--no-compile] [--json]
//
// The payload: Node itself (xz), the node_modules that the engine, its worker and the bench
// load (node-llama-cpp's JavaScript and its runtime dependencies, without any prebuilt binary
// package and without the 34 MB git bundle), llama.cpp's source as node-llama-cpp clones it
// from that bundle (its patches applied, the parts no build here reads left out), the four
// N-API headers the addon includes, the compiled out/ (tsc; there is no npx there) and, when
// ../shared/llm-jp-4 is present, LLM-jp-4's tokenizer files (the bench's real vocabulary).
// It prints the size of each part and the device `run` call, and exits 1 when it does not fit.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const payloadDir = path.join(repoRoot, 'bench', 'gpu', '.payload');
export const MIB = 2 ** 20;
/** What travels to the device machine: tracked and untracked-not-ignored files plus the carried paths. */
export const TRAVEL_LIMIT = 64 * MIB;
/** The device tool's limits on one call. */
export const COMMAND_LIMIT = 2000;
export const CARRY_LIMIT = 8;
export const CARRY = ['bench/gpu/.payload'];
export const NODE_API_HEADERS = ['node_api.h', 'node_api_types.h', 'js_native_api.h', 'js_native_api_types.h'];

// ---------------------------------------------------------------------------------------------
// Pure parts (test/unit/gpuPack.test.ts)

/** Packages never carried: the prebuilt binaries (180 MB of CUDA alone); the GPU machine builds its own. */
export function isCarriedPackage(name) {
  return !name.startsWith('@node-llama-cpp/');
}

/**
 * Whether a file of a carried package travels (`rel` relative to node_modules). Left out: the
 * llama.cpp git bundle (its source travels on its own, smaller), any clone or local build of it,
 * source maps and type declarations (nothing runs them).
 */
export function isCarriedModuleFile(rel) {
  const p = rel.split(path.sep).join('/');
  if (p.startsWith('node-llama-cpp/llama/')) {
    const rest = p.slice('node-llama-cpp/llama/'.length);
    if (rest === 'gitRelease.bundle' || rest.startsWith('llama.cpp/') || rest.startsWith('localBuilds/') || rest === 'lastBuild.json') return false;
    if (rest.startsWith('xpack/store/') || rest.startsWith('xpack/cache/')) return false;
  }
  if (p.startsWith('node-llama-cpp/bins/')) return false; // local copies of prebuilt binaries
  if (/\.(map|d\.ts|d\.mts|d\.cts)$/.test(p)) return false;
  return true;
}

/** Top folders of llama.cpp that no build here (the addon, llama-bench, -quantize, -server) reads. */
const LLAMA_SKIPPED_DIRS = ['docs', 'models', 'tests', 'benches', 'examples', 'pocs', 'gguf-py', 'media', 'conversion', 'skills', 'ci', 'app', 'requirements', '.github', '.devops'];
/** ggml backends that are never enabled here: only ggml-cpu and ggml-cuda are built. */
const GGML_SKIPPED_BACKENDS = ['ggml-sycl', 'ggml-vulkan', 'ggml-opencl', 'ggml-cann', 'ggml-musa', 'ggml-hip', 'ggml-metal', 'ggml-webgpu', 'ggml-zdnn', 'ggml-zendnn',
  'ggml-openvino', 'ggml-hexagon', 'ggml-virtgpu', 'ggml-et', 'ggml-blas', 'ggml-rpc'];

/**
 * Whether a tracked file of llama.cpp travels. The web UI's sources and tests stay behind
 * (LLAMA_BUILD_UI is off: the server is built without its UI), as do test media.
 */
export function isCarriedLlamaFile(rel) {
  const p = rel.split(path.sep).join('/');
  const top = p.split('/')[0];
  if (LLAMA_SKIPPED_DIRS.includes(top)) return false;
  if (GGML_SKIPPED_BACKENDS.some((b) => p.startsWith(`ggml/src/${b}/`))) return false;
  if (p.startsWith('tools/ui/src/') || p.startsWith('tools/ui/tests/') || p.startsWith('tools/ui/static/')) return false;
  if (p.startsWith('tools/mtmd/tests/')) return false;
  if (/\.(png|jpe?g|webp|gif|mp4|mp3|wav|pdf|gguf)$/i.test(p)) return false;
  return true;
}

/** The size verdict: what travels (working tree + payload) against the limit. */
export function budget({ workingTreeBytes, payloadBytes, limit = TRAVEL_LIMIT }) {
  const total = workingTreeBytes + payloadBytes;
  return { total, limit, ok: total <= limit, marginBytes: limit - total };
}

/** The device `run` call: one command, the payload carried, a timeout that leaves room to rerun. */
export function runCall({ timeoutS = 600, budgetS = 540, extra = '' } = {}) {
  const command = `GPU_BENCH_BUDGET_S=${budgetS} bash bench/gpu/run.sh${extra ? ` ${extra}` : ''}`;
  if (command.length > COMMAND_LIMIT) throw new Error(`the command is ${command.length} characters, more than ${COMMAND_LIMIT}`);
  if (CARRY.length > CARRY_LIMIT) throw new Error(`${CARRY.length} carry paths, more than ${CARRY_LIMIT}`);
  return { command, carry: CARRY, timeout_s: timeoutS };
}

// ---------------------------------------------------------------------------------------------
// The payload

const sh = (command, args, options = {}) => execFileSync(command, args, { encoding: 'utf8', maxBuffer: 256 * MIB, ...options });

function sha256File(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** Bytes of what would travel from this checkout now (tracked + untracked-not-ignored files, shared/). */
export function workingTreeBytes(root = repoRoot) {
  const listed = sh('git', ['-C', root, 'ls-files', '-z', '--cached', '--others', '--exclude-standard']).split('\0').filter(Boolean);
  let bytes = 0;
  for (const rel of new Set(listed)) {
    const file = path.join(root, rel);
    if (!existsSync(file) && !isLink(file)) continue; // deleted in the working tree
    bytes += lstatSync(file).size;
  }
  return { bytes, files: listed.length };
}

function isLink(file) {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/** The folder a package `name` required from `fromDir` resolves to (Node's node_modules lookup). */
function resolvePackage(name, fromDir, root) {
  let dir = fromDir;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (existsSync(path.join(candidate, 'package.json'))) return candidate;
    if (dir === root || dir === path.dirname(dir)) return undefined;
    dir = path.dirname(dir);
  }
}

/** The installed packages the project's dependencies need at run time, prebuilt binaries excepted. */
export function dependencyClosure(root = repoRoot) {
  const seen = new Map();
  const missing = [];
  const visit = (name, fromDir, optional) => {
    if (!isCarriedPackage(name)) return;
    const dir = resolvePackage(name, fromDir, root);
    if (!dir) {
      if (!optional) missing.push(`${name} (from ${path.relative(root, fromDir) || '.'})`);
      return;
    }
    if (seen.has(dir)) return;
    const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    seen.set(dir, pkg.version);
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, false);
    for (const dep of Object.keys(pkg.optionalDependencies ?? {})) visit(dep, dir, true);
  };
  const top = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  for (const dep of Object.keys(top.dependencies ?? {})) visit(dep, root, false);
  return { dirs: [...seen.keys()].sort(), missing };
}

function walkFiles(dir, out = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') walkFiles(file, out); // nested packages are visited on their own
    } else {
      out.push(file);
    }
  }
  return out;
}

/** tar + xz of `files` (paths relative to `cwd`), NUL-separated list, deterministic order. */
function tarXz(cwd, files, target, level = '-9') {
  const list = path.join(os.tmpdir(), `gpu-pack-${process.pid}-${path.basename(target)}.list`);
  writeFileSync(list, `${[...files].sort().join('\0')}\0`);
  try {
    const result = spawnSync('sh', ['-c', `tar -C "$1" --null -T "$2" --owner=0 --group=0 --numeric-owner --mtime=@0 -cf - | xz -T0 ${level} -c > "$3"`, 'tar', cwd, list, target], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (result.status !== 0) throw new Error(`tar | xz for ${target} failed (${result.status ?? result.signal})`);
  } finally {
    rmSync(list, { force: true });
  }
  return statSync(target).size;
}

function packNode(manifest) {
  const target = path.join(payloadDir, 'node.xz');
  const source = process.execPath;
  const stat = statSync(source);
  const key = `${source}:${stat.size}:${stat.mtimeMs}:${process.version}`;
  if (!(existsSync(target) && manifest.previous?.node?.key === key)) {
    spawnSync('sh', ['-c', 'nice -n 19 xz -T0 -9 -c "$1" > "$2"', 'xz', source, target], { stdio: 'inherit' });
  }
  return { file: 'node.xz', key, version: process.version, sourceBytes: stat.size, bytes: statSync(target).size };
}

function packModules() {
  const nodeModules = path.join(repoRoot, 'node_modules');
  const { dirs, missing } = dependencyClosure(repoRoot);
  if (missing.length > 0) throw new Error(`dependencies not installed: ${missing.join(', ')}`);
  const files = [];
  for (const dir of dirs) {
    for (const file of walkFiles(dir)) {
      const rel = path.relative(nodeModules, file);
      if (isCarriedModuleFile(rel)) files.push(rel);
    }
  }
  const bytes = tarXz(nodeModules, files, path.join(payloadDir, 'node_modules.tar.xz'));
  return { file: 'node_modules.tar.xz', packages: dirs.map((d) => path.relative(nodeModules, d)), files: files.length, bytes };
}

/** llama.cpp as node-llama-cpp and scripts/llama-tools.mjs clone it: the bundle's commit, its patches applied. */
function packLlamaSource() {
  const llamaDir = path.join(repoRoot, 'node_modules', 'node-llama-cpp', 'llama');
  const bundle = path.join(llamaDir, 'gitRelease.bundle');
  const work = mkdtempSync(path.join(os.tmpdir(), 'gpu-pack-llama-'));
  try {
    const src = path.join(work, 'llama.cpp');
    sh('git', ['-c', 'advice.detachedHead=false', 'clone', '--quiet', bundle, src]);
    const commit = sh('git', ['-C', src, 'rev-parse', 'HEAD']).trim();
    const patches = [];
    const patchDir = path.join(llamaDir, 'patches');
    for (const name of existsSync(patchDir) ? readdirSync(patchDir).filter((n) => /\.(diff|patch)$/.test(n)).sort() : []) {
      const file = path.join(patchDir, name);
      if (spawnSync('git', ['-C', src, 'apply', '--check', '--ignore-whitespace', file], { stdio: 'ignore' }).status === 0) {
        sh('git', ['-C', src, 'apply', '--ignore-whitespace', file]);
        patches.push(name);
      }
    }
    // The stamp scripts/llama-tools.mjs writes for its own clone: with it, the tools build there
    // uses this tree as is (there is no bundle and maybe no git).
    const stamp = { bundleSha256: sha256File(bundle), commit, patches, from: 'bench/gpu/pack.mjs' };
    writeFileSync(path.join(src, '.bench-source.json'), JSON.stringify(stamp));
    const tracked = sh('git', ['-C', src, 'ls-files', '-z']).split('\0').filter(Boolean);
    const kept = tracked.filter(isCarriedLlamaFile);
    const files = [...kept, '.bench-source.json'].map((f) => path.join('llama.cpp', f));
    const rawBytes = kept.reduce((sum, f) => sum + statSync(path.join(src, f)).size, 0);
    const bytes = tarXz(work, files, path.join(payloadDir, 'llama.cpp.tar.xz'));
    return { file: 'llama.cpp.tar.xz', commit, patches, bundleSha256: stamp.bundleSha256, files: kept.length, skipped: tracked.length - kept.length, rawBytes, bytes };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The compiled out/, the N-API headers and the tokenizer files, in one archive. */
function packExtras() {
  const work = mkdtempSync(path.join(os.tmpdir(), 'gpu-pack-extra-'));
  try {
    let outFiles = 0;
    for (const file of walkFiles(path.join(repoRoot, 'out'))) {
      const rel = path.relative(repoRoot, file);
      if (rel.endsWith('.map')) continue;
      mkdirSync(path.dirname(path.join(work, rel)), { recursive: true });
      writeFileSync(path.join(work, rel), readFileSync(file));
      outFiles++;
    }
    const headerDir = findNodeHeaders();
    mkdirSync(path.join(work, 'node-include'), { recursive: true });
    for (const header of NODE_API_HEADERS) {
      writeFileSync(path.join(work, 'node-include', header), readFileSync(path.join(headerDir, header)));
    }
    const tokenizerDir = path.resolve(repoRoot, '..', 'shared', 'llm-jp-4');
    const tokenizer = ['tokenizer-v4.0-alpha1.0.model', 'tokenizer-v4.0-alpha1.0.vocab'].filter((f) => existsSync(path.join(tokenizerDir, f)));
    if (tokenizer.length === 2) {
      mkdirSync(path.join(work, 'shared', 'llm-jp-4'), { recursive: true });
      for (const f of tokenizer) writeFileSync(path.join(work, 'shared', 'llm-jp-4', f), readFileSync(path.join(tokenizerDir, f)));
    }
    const files = walkFiles(work).map((file) => path.relative(work, file));
    const bytes = tarXz(work, files, path.join(payloadDir, 'extra.tar.xz'));
    return { file: 'extra.tar.xz', outFiles, headersFrom: headerDir, tokenizer: tokenizer.length === 2 ? 'LLM-jp-4 (../shared/llm-jp-4)' : 'absent: the bench uses the tame vocabulary', bytes };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** A folder with node_api.h: Node's own include/node next to the running binary, else the system's. */
function findNodeHeaders() {
  const candidates = [path.resolve(path.dirname(process.execPath), '..', 'include', 'node'), '/usr/include/node', '/usr/local/include/node'];
  const found = candidates.find((dir) => NODE_API_HEADERS.every((h) => existsSync(path.join(dir, h))));
  if (!found) throw new Error(`no node_api.h in ${candidates.join(', ')}`);
  return found;
}

async function main() {
  const { values } = parseArgs({ options: { 'no-compile': { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
  const started = Date.now();
  const step = (label) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${label}`);
  if (!values['no-compile']) {
    step('npx tsc -p . (out/ travels compiled)');
    const tsc = spawnSync('nice', ['-n', '10', 'npx', 'tsc', '-p', '.'], { cwd: repoRoot, stdio: 'inherit' });
    if (tsc.status !== 0) throw new Error('tsc failed');
  }
  if (!existsSync(path.join(repoRoot, 'out', 'src', 'engine', 'client.js'))) throw new Error('out/ is missing: run `npx tsc -p .`');
  const manifestFile = path.join(payloadDir, 'manifest.json');
  const previous = existsSync(manifestFile) ? JSON.parse(readFileSync(manifestFile, 'utf8')) : undefined;
  mkdirSync(payloadDir, { recursive: true });
  for (const name of readdirSync(payloadDir)) {
    if (name !== 'node.xz' && name !== 'manifest.json') rmSync(path.join(payloadDir, name), { recursive: true, force: true });
  }
  step(`node ${process.version} (${process.execPath}) -> node.xz`);
  const node = packNode({ previous });
  step('node_modules subset -> node_modules.tar.xz');
  const modules = packModules();
  step('llama.cpp source (bundle + patches) -> llama.cpp.tar.xz');
  const llama = packLlamaSource();
  step('out/, N-API headers, tokenizer -> extra.tar.xz');
  const extra = packExtras();
  // The device gets no .git: the commit the payload was packed from goes with it.
  const commit = spawnSync('git', ['-C', repoRoot, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout?.trim();
  const dirty = spawnSync('git', ['-C', repoRoot, 'status', '--porcelain'], { encoding: 'utf8' }).stdout?.trim() ? ' (working tree has changes)' : '';
  const manifest = { createdAt: new Date().toISOString(), commit: `${commit}${dirty}`, node, modules, llama, extra };
  writeFileSync(manifestFile, `${JSON.stringify(manifest, null, 2)}\n`);

  const payloadBytes = readdirSync(payloadDir).reduce((sum, name) => sum + statSync(path.join(payloadDir, name)).size, 0);
  const tree = workingTreeBytes(repoRoot);
  const verdict = budget({ workingTreeBytes: tree.bytes, payloadBytes });
  const mib = (b) => `${(b / MIB).toFixed(1)} MiB`;
  console.log();
  console.log('payload (bench/gpu/.payload):');
  console.log(`  node.xz             ${mib(node.bytes)}  (node ${node.version}, ${mib(node.sourceBytes)} unpacked)`);
  console.log(`  node_modules.tar.xz ${mib(modules.bytes)}  (${modules.packages.length} packages, ${modules.files} files; no @node-llama-cpp/* binaries, no git bundle)`);
  console.log(`  llama.cpp.tar.xz    ${mib(llama.bytes)}  (commit ${llama.commit.slice(0, 12)}, patches [${llama.patches.join(', ')}], ${llama.files} files, ${mib(llama.rawBytes)} unpacked)`);
  console.log(`  extra.tar.xz        ${mib(extra.bytes)}  (out/: ${extra.outFiles} files; N-API headers from ${extra.headersFrom}; tokenizer: ${extra.tokenizer})`);
  console.log(`working tree that travels: ${mib(tree.bytes)} (${tree.files} files)`);
  console.log(`total ${mib(verdict.total)} of ${mib(verdict.limit)}: ${verdict.ok ? `fits, ${mib(verdict.marginBytes)} to spare` : `DOES NOT FIT, ${mib(-verdict.marginBytes)} over`}`);
  const call = runCall();
  console.log();
  console.log('device call (from this checkout, with the payload in place):');
  console.log(`  run ${JSON.stringify(call)}`);
  console.log(`packed in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (values.json) console.log(JSON.stringify({ ...manifest, workingTree: tree, verdict, call }));
  if (!verdict.ok) process.exitCode = 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();
