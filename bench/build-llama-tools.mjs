// Builds llama.cpp's own llama-bench and llama-quantize from the exact llama.cpp release that
// node-llama-cpp binds (node_modules/node-llama-cpp/llama/gitRelease.bundle), into bench/.cache/.
// Rebuilds only when the bundle changes (its sha256 is stored next to the binaries).
//   node bench/build-llama-tools.mjs [--cuda | --variant=cpu-zen4] [--force]
// Nothing here is committed: bench/.cache/ is gitignored.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, createReadStream, existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const llamaDir = path.join(repoRoot, 'node_modules', 'node-llama-cpp', 'llama');
const bundle = path.join(llamaDir, 'gitRelease.bundle');
const cacheDir = path.join(repoRoot, 'bench', '.cache');
const srcDir = path.join(cacheDir, 'llama.cpp-src');
/**
 * `cpu`: GGML_NATIVE for this machine; `cuda`: adds GGML_CUDA (--gpu on NVIDIA machines);
 * `cpu-<name>`: the instruction sets of node-llama-cpp's prebuilt CPU variant <name> (e.g. zen4,
 * the libggml-cpu-zen4.so the engine loads), so the compiler flags match the engine's binary.
 */
function dirs(variant) {
  const suffix = variant === 'cpu' ? '' : `-${variant}`;
  const toolsDir = path.join(cacheDir, `llama-tools${suffix}`);
  return { buildDir: path.join(srcDir, `build${suffix}`), toolsDir, stampFile: path.join(toolsDir, 'build.json') };
}

/** The -DGGML_<ISA>=ON flags ggml's own CMakeLists gives the CPU backend variant `name`. */
function variantFlags(name) {
  const cmake = readFileSync(path.join(srcDir, 'ggml', 'src', 'CMakeLists.txt'), 'utf8');
  const match = new RegExp(`ggml_add_cpu_backend_variant\\(${name}\\s+([A-Z0-9_ ]+)\\)`).exec(cmake);
  if (!match) throw new Error(`ggml has no CPU variant ${name}`);
  return ['-DGGML_NATIVE=OFF', '-DGGML_OPENMP=OFF', ...match[1].trim().split(/\s+/).map((isa) => `-DGGML_${isa}=ON`)];
}

export const CMAKE_OPTIONS = [
  '-DCMAKE_BUILD_TYPE=Release',
  '-DGGML_NATIVE=ON',
  '-DBUILD_SHARED_LIBS=OFF', // self-contained binaries that survive a deleted source tree
  '-DLLAMA_BUILD_TESTS=OFF',
  '-DLLAMA_BUILD_EXAMPLES=OFF',
  '-DLLAMA_BUILD_TOOLS=ON', // llama-bench and llama-quantize live under tools/ in this release
  '-DLLAMA_BUILD_SERVER=OFF',
  '-DLLAMA_BUILD_APP=OFF',
  '-DLLAMA_OPENSSL=OFF', // LLAMA_CURL is deprecated in this release; nothing here downloads
];
const TARGETS = ['llama-bench', 'llama-quantize'];

function sha256(file) {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('end', () => resolve(hash.digest('hex')))
      .on('error', reject);
  });
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: options.quiet ? 'pipe' : 'inherit', encoding: 'utf8', ...options });
  if (result.status !== 0) {
    const output = options.quiet ? `\n${result.stdout ?? ''}${result.stderr ?? ''}` : '';
    throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal})${output}`);
  }
  return result.stdout ?? '';
}

/** Runs a command with its output appended to `logFile` (compiler warnings run to megabytes). */
function logged(command, args, logFile, flags) {
  const fd = openSync(logFile, flags);
  try {
    const result = spawnSync(command, args, { stdio: ['ignore', fd, fd] });
    if (result.status !== 0) {
      const tail = readFileSync(logFile, 'utf8').split('\n').slice(-40).join('\n');
      throw new Error(`${command} ${args.join(' ')} failed (${result.status ?? result.signal}); end of ${logFile}:\n${tail}`);
    }
  } finally {
    closeSync(fd);
  }
}

function hasCommand(name) {
  return spawnSync(name, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** The release node-llama-cpp binds: its tag and the bundle's head commit. */
export function llamaRelease() {
  const info = JSON.parse(readFileSync(path.join(llamaDir, 'llama.cpp.info.json'), 'utf8'));
  return { tag: info.tag, repo: info.llamaCppGithubRepo };
}

/** The built tools, or undefined when they are missing or older than the bundle. */
export async function builtTools(variant = 'cpu') {
  const { toolsDir, stampFile } = dirs(variant);
  if (!existsSync(stampFile)) return undefined;
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  const bins = Object.fromEntries(TARGETS.map((t) => [t, path.join(toolsDir, t)]));
  if (!Object.values(bins).every((file) => existsSync(file))) return undefined;
  if (stamp.bundleSha256 !== (await sha256(bundle))) return undefined;
  return { ...stamp, bench: bins['llama-bench'], quantize: bins['llama-quantize'] };
}

/**
 * Clones the bundle, applies node-llama-cpp's own patches where they apply, configures and
 * builds the two targets with -j2 under `nice`, and copies the binaries to bench/.cache/llama-tools.
 */
export async function ensureLlamaTools({ variant = 'cpu', force = false, log = console.log, jobs = 2 } = {}) {
  const { buildDir, toolsDir, stampFile } = dirs(variant);
  if (!force) {
    const built = await builtTools(variant);
    if (built) return built;
  }
  for (const tool of ['git', 'cmake']) {
    if (!hasCommand(tool)) throw new Error(`${tool} is needed to build llama-bench`);
  }
  const started = Date.now();
  const bundleSha256 = await sha256(bundle);
  const release = llamaRelease();
  log(`building llama-bench and llama-quantize from ${path.relative(repoRoot, bundle)} (llama.cpp ${release.tag}), -j${jobs}: a few minutes`);
  const sourceStamp = path.join(srcDir, '.bench-source.json');
  let source = existsSync(sourceStamp) ? JSON.parse(readFileSync(sourceStamp, 'utf8')) : undefined;
  if (source?.bundleSha256 !== bundleSha256) {
    rmSync(srcDir, { recursive: true, force: true });
    mkdirSync(cacheDir, { recursive: true });
    run('git', ['clone', '--quiet', bundle, srcDir], { quiet: true });
    const commit = run('git', ['-C', srcDir, 'rev-parse', 'HEAD'], { quiet: true }).trim();
    // node-llama-cpp applies these patches before it builds (applyLlamaCppRepoPatches.js); the
    // prebuilt binaries carry them, so the reference tools do too. A patch already merged is skipped.
    const patches = [];
    const patchDir = path.join(llamaDir, 'patches');
    for (const name of existsSync(patchDir) ? readdirPatches(patchDir) : []) {
      const file = path.join(patchDir, name);
      const check = spawnSync('git', ['-C', srcDir, 'apply', '--check', '--ignore-whitespace', file], { stdio: 'ignore' });
      if (check.status === 0) {
        run('git', ['-C', srcDir, 'apply', '--ignore-whitespace', file], { quiet: true });
        patches.push(name);
      } else {
        log(`  patch ${name} does not apply (already in this release?): skipped`);
      }
    }
    source = { bundleSha256, commit, patches };
    writeFileSync(sourceStamp, JSON.stringify(source));
  }
  const { commit, patches } = source;
  const extra = variant === 'cuda' ? ['-DGGML_CUDA=ON'] : variant.startsWith('cpu-') ? variantFlags(variant.slice(4)) : [];
  const cmakeOptions = [...CMAKE_OPTIONS.filter((o) => !(extra.includes('-DGGML_NATIVE=OFF') && o === '-DGGML_NATIVE=ON')), ...extra];

  const generator = hasCommand('ninja') ? ['-G', 'Ninja'] : [];
  const buildLog = path.join(cacheDir, `llama-build-${variant}.log`);
  log(`  cmake ${cmakeOptions.join(' ')}; log: ${path.relative(repoRoot, buildLog)}`);
  logged('nice', ['-n', '10', 'cmake', '-S', srcDir, '-B', buildDir, ...generator, ...cmakeOptions], buildLog, 'w');
  logged('nice', ['-n', '10', 'cmake', '--build', buildDir, '--config', 'Release', '-j', String(jobs), '--target', ...TARGETS], buildLog, 'a');
  mkdirSync(toolsDir, { recursive: true });
  for (const target of TARGETS) copyFileSync(path.join(buildDir, 'bin', target), path.join(toolsDir, target));
  const stamp = {
    bundleSha256,
    tag: release.tag,
    commit,
    patches,
    variant,
    cmakeOptions,
    builtAt: new Date().toISOString(),
    buildSeconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
  log(`built in ${stamp.buildSeconds} s: ${path.relative(repoRoot, toolsDir)}/{${TARGETS.join(',')}}`);
  return { ...stamp, bench: path.join(toolsDir, 'llama-bench'), quantize: path.join(toolsDir, 'llama-quantize') };
}

function readdirPatches(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.diff') || name.endsWith('.patch'))
    .sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const variantArg = process.argv.find((a) => a.startsWith('--variant='));
  const variant = process.argv.includes('--cuda') ? 'cuda' : variantArg ? variantArg.slice('--variant='.length) : 'cpu';
  const tools = await ensureLlamaTools({ variant, force: process.argv.includes('--force') });
  console.log(JSON.stringify(tools, null, 2));
}
