// Builds llama.cpp's own tools (llama-bench and llama-quantize for the benchmarks, llama-server for
// the remote-backend tests) from the exact llama.cpp release that node-llama-cpp binds
// (node_modules/node-llama-cpp/llama/gitRelease.bundle), into bench/.cache/.
// Rebuilds only when the bundle or the cmake options change (both are stored next to the binaries).
//   node scripts/llama-tools.mjs [--cuda | --native | --server] [--force]
// Nothing here is committed: bench/.cache/ is gitignored.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, copyFileSync, createReadStream, existsSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const llamaDir = path.join(repoRoot, 'node_modules', 'node-llama-cpp', 'llama');
const bundle = path.join(llamaDir, 'gitRelease.bundle');
const cacheDir = path.join(repoRoot, 'bench', '.cache');
const srcDir = path.join(cacheDir, 'llama.cpp-src');

/**
 * The builds:
 * - `cpu` (the reference): llama-bench, llama-server and llama-quantize, built as shared
 *   libraries with loadable backends (GGML_BACKEND_DL), then run on node-llama-cpp's own prebuilt
 *   libllama, libggml and libggml-cpu-<variant>.so (the files the engine loads), copied next to
 *   the binaries under the names the binaries ask for. Both sides then run the same compiled
 *   llama.cpp and the same kernels, so a difference between them is the loop around
 *   llama_decode, not the compiler: a reference whose own kernels came from GCC 12.2 died with
 *   SIGILL in its AMX code on Sapphire Rapids (RESULTS.md), and compared AVX-512 with AMX when
 *   it fell back. Our own CPU backend is built once, generic, only because the targets need one.
 * - `cuda`: the same with GGML_CUDA, on node-llama-cpp's own CUDA build when there is one
 *   (bench/gpu), else on its own libraries.
 * - `native`: the former reference, one static binary with -march=native (--native adds it as
 *   a second reference; on Sapphire Rapids its AMX kernels die with SIGILL, see RESULTS.md).
 * - `server`: llama-server alone for the remote-backend tests, CPU only, one static binary with no
 *   CPU-specific kernels (GGML_NATIVE off: the cached binary runs on any x86-64 machine, and the
 *   scripted test models are too small for SIMD to matter), no OpenSSL and no web UI (the UI
 *   would be downloaded from Hugging Face; the tests only speak the API). Its own build folder,
 *   so the other builds stay valid.
 */
export const BUILDS = ['cpu', 'cuda', 'native', 'server'];

function dirs(variant) {
  const name = { cpu: 'dl', cuda: 'dl-cuda', native: 'native', server: 'server' }[variant];
  if (!name) throw new Error(`unknown llama.cpp build ${variant}; choose from ${BUILDS.join(', ')}`);
  const toolsDir = path.join(cacheDir, `llama-tools-${name}`);
  return { buildDir: path.join(srcDir, `build-${name}`), toolsDir, stampFile: path.join(toolsDir, 'build.json') };
}

const COMMON_OPTIONS = [
  '-DCMAKE_BUILD_TYPE=Release',
  '-DLLAMA_BUILD_TESTS=OFF',
  '-DLLAMA_BUILD_EXAMPLES=OFF',
  '-DLLAMA_BUILD_TOOLS=ON', // llama-bench and llama-quantize live under tools/ in this release
  '-DLLAMA_BUILD_SERVER=OFF',
  '-DLLAMA_BUILD_APP=OFF',
  '-DLLAMA_OPENSSL=OFF', // LLAMA_CURL is deprecated in this release; nothing here downloads
];

const SERVER_OPTIONS = ['-DLLAMA_BUILD_SERVER=ON', '-DLLAMA_BUILD_UI=OFF', '-DLLAMA_USE_PREBUILT_UI=OFF'];

/** Shared libraries and loadable backends, as node-llama-cpp builds them (compileLLamaCpp, linux x64). */
const SHARED_OPTIONS = [
  '-DGGML_NATIVE=OFF',
  '-DGGML_BACKEND_DL=ON',
  '-DGGML_CPU_ALL_VARIANTS=OFF', // the kernels that run are node-llama-cpp's (see `cpu` above)
  '-DGGML_OPENMP=OFF',
  '-DBUILD_SHARED_LIBS=ON', // GGML_BACKEND_DL requires it
  // The libraries and backends are copied next to the binaries in bench/.cache: $ORIGIN finds
  // them there (node-llama-cpp's own CMakeLists sets the same rpath), not in the build tree.
  '-DCMAKE_BUILD_WITH_INSTALL_RPATH=ON',
  '-DCMAKE_INSTALL_RPATH=$ORIGIN',
];

/** The cmake options of each build (spawned without a shell: $ORIGIN stays literal). */
export function cmakeOptionsFor(variant, { libDir } = {}) {
  const common = COMMON_OPTIONS.filter((o) => !o.startsWith('-DLLAMA_BUILD_SERVER='));
  if (variant === 'server') {
    return [...common, ...SERVER_OPTIONS, '-DGGML_NATIVE=OFF', '-DGGML_OPENMP=OFF', '-DBUILD_SHARED_LIBS=OFF'];
  }
  if (variant === 'native') return [...COMMON_OPTIONS, '-DGGML_NATIVE=ON', '-DBUILD_SHARED_LIBS=OFF'];
  // On libraries that bring their own libggml-cuda.so (bench/gpu's source build) the tools need no CUDA code of their own.
  const ownCuda = variant === 'cuda' && !(libDir && existsSync(path.join(libDir, 'libggml-cuda.so')));
  return [...common, ...SERVER_OPTIONS, ...SHARED_OPTIONS, ...(ownCuda ? ['-DGGML_CUDA=ON'] : [])];
}
/** Only what is needed: the server build compiles llama-server and its libraries, nothing else. */
export function targetsFor(variant) {
  if (variant === 'server') return ['llama-server'];
  if (variant === 'native') return ['llama-bench', 'llama-quantize'];
  return ['llama-bench', 'llama-quantize', 'llama-server'];
}

/** The result of a build: its stamp, its folder and the path of each binary by target name. */
function describe(stamp, variant, toolsDir) {
  const bins = Object.fromEntries(targetsFor(variant).map((t) => [t, path.join(toolsDir, t)]));
  return { ...stamp, toolsDir, bins, bench: bins['llama-bench'], quantize: bins['llama-quantize'], server: bins['llama-server'] };
}

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

/** Whether a build could run here at all (the remote-backend tests skip, saying why, where not). */
export function missingBuildTools() {
  const missing = ['git', 'cmake'].filter((tool) => !hasCommand(tool));
  if (!hasCommand('c++') && !hasCommand('g++') && !hasCommand('clang++')) missing.push('a C++ compiler');
  return missing;
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

/**
 * The bundle's sha256; where only a prepared source travelled (bench/gpu/pack.mjs: no bundle,
 * maybe no git), the one recorded in that source's stamp, which this file's own clone writes too.
 */
async function bundleIdentity() {
  if (existsSync(bundle)) return sha256(bundle);
  const stamp = path.join(srcDir, '.bench-source.json');
  if (existsSync(stamp)) return JSON.parse(readFileSync(stamp, 'utf8')).bundleSha256;
  throw new Error(`${bundle} is missing and ${srcDir} holds no prepared source (bench/gpu/pack.mjs)`);
}

/** The release node-llama-cpp binds: its tag and the bundle's head commit. */
export function llamaRelease() {
  const info = JSON.parse(readFileSync(path.join(llamaDir, 'llama.cpp.info.json'), 'utf8'));
  return { tag: info.tag, repo: info.llamaCppGithubRepo };
}

/** The built tools, or undefined when they are missing, older than the bundle or built with other options. */
export async function builtTools(variant = 'cpu', { libDir = engineLibraryDir(variant) } = {}) {
  const { toolsDir, stampFile } = dirs(variant);
  if (!existsSync(stampFile)) return undefined;
  const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
  const built = describe(stamp, variant, toolsDir);
  if (!Object.values(built.bins).every((file) => existsSync(file))) return undefined;
  if (JSON.stringify(stamp.cmakeOptions) !== JSON.stringify(cmakeOptionsFor(variant, { libDir }))) return undefined;
  if (stamp.bundleSha256 !== (await bundleIdentity())) return undefined;
  if ((stamp.engineLibraries?.libDir ?? undefined) !== libDir) return undefined;
  return built;
}

/** The libggml-cpu-<name>.so variants in a folder, by name. */
export function cpuVariantsIn(dir) {
  return readdirSync(dir)
    .map((file) => /^libggml-cpu-(.+)\.so$/.exec(file)?.[1])
    .filter((name) => name !== undefined)
    .sort();
}

/**
 * Copies the binaries, the shared libraries and the loadable backends from the build's bin/
 * into `toolsDir`, keeping the libraries' version symlinks (libllama.so -> libllama.so.0 -> ...).
 */
function copyBuildOutput(binDir, toolsDir, targets) {
  rmSync(toolsDir, { recursive: true, force: true });
  mkdirSync(toolsDir, { recursive: true });
  for (const target of targets) copyFileSync(path.join(binDir, target), path.join(toolsDir, target));
  for (const file of readdirSync(binDir)) {
    if (!/\.so(\.|$)/.test(file)) continue;
    const from = path.join(binDir, file);
    if (lstatSync(from).isSymbolicLink()) symlinkSync(readlinkSync(from), path.join(toolsDir, file));
    else copyFileSync(from, path.join(toolsDir, file));
  }
}

/** The folder of node-llama-cpp's libraries the engine loads for this build, or undefined. */
export function engineLibraryDir(variant, { localBuild } = {}) {
  if (variant !== 'cpu' && variant !== 'cuda') return undefined;
  if (localBuild && existsSync(localBuild)) return localBuild;
  const name = variant === 'cuda' ? 'linux-x64-cuda' : 'linux-x64';
  // As getLlama() does: node-llama-cpp's own local build of this GPU type first (bench/gpu/addon.mjs makes one).
  const local = path.join(llamaDir, 'localBuilds', name, 'Release');
  if (existsSync(path.join(local, 'llama-addon.node')) && existsSync(path.join(llamaDir, 'localBuilds', name, 'buildDone.status'))) return local;
  const dir = path.join(repoRoot, 'node_modules', '@node-llama-cpp', name, 'bins', name);
  return process.platform === 'linux' && process.arch === 'x64' && existsSync(dir) ? dir : undefined;
}

/** libllama.so.0.0.7000, libllama.v0.5.0.so -> libllama: one library under its versioned names. */
const libraryBase = (file) => file.replace(/(\.v\d+(\.\d+)*)?\.so(\.\d+)*$/, '');
/** llama.cpp's own libraries in node-llama-cpp's folder (not its common library or the addon: the tools keep their own). */
const isLlamaLibrary = (file) => /\.so(\.|$)/.test(file) && /^lib(llama|ggml)(-[a-z0-9]+)*$/.test(libraryBase(file)) && libraryBase(file) !== 'libllama-common';
const isCpuBackend = (file) => /^libggml-cpu(-.+)?$/.test(libraryBase(file));

/**
 * Puts the engine's own libllama and ggml libraries (`libDir`) in place of the ones the tools
 * were built with: each of ours that the engine also has is replaced by the engine's file, under
 * our name (the name our binaries were linked against), and the engine's files are added under
 * their own names too (its libllama asks for libggml.v0.5.0.so). Our generic CPU backend goes, so
 * that ggml loads only the engine's variants; the tools' own libraries (common, mtmd, the
 * *-impl libraries that hold each tool's code) stay.
 */
export function useEngineLibraries(toolsDir, libDir) {
  const theirs = readdirSync(libDir).filter(isLlamaLibrary);
  const byBase = new Map(theirs.map((file) => [libraryBase(file), file]));
  for (const file of readdirSync(toolsDir).filter((f) => /\.so(\.|$)/.test(f))) {
    const match = byBase.get(libraryBase(file));
    if (!match && !isCpuBackend(file)) continue;
    rmSync(path.join(toolsDir, file));
    if (match) copyFileSync(path.join(libDir, match), path.join(toolsDir, file));
  }
  for (const file of theirs) {
    if (!existsSync(path.join(toolsDir, file))) copyFileSync(path.join(libDir, file), path.join(toolsDir, file));
  }
  return { libDir, libraries: theirs.sort() };
}

/**
 * Clones the bundle (once; every build shares the checkout), applies node-llama-cpp's own patches where they apply, configures and
 * builds the variant's targets (and, for the loadable-backend builds, every CPU variant: the `ggml`
 * target depends on them) with -j2 under `nice`, and copies the result to bench/.cache/llama-tools-*.
 */
export async function ensureLlamaTools({ variant = 'cpu', force = false, log = console.log, jobs = 2, localBuild } = {}) {
  const { buildDir, toolsDir, stampFile } = dirs(variant);
  const libDir = engineLibraryDir(variant, { localBuild });
  if (!force) {
    const built = await builtTools(variant, { libDir });
    if (built) return built;
  }
  const targets = targetsFor(variant);
  for (const tool of existsSync(bundle) ? ['git', 'cmake'] : ['cmake']) {
    if (!hasCommand(tool)) throw new Error(`${tool} is needed to build ${targets.join(' and ')}`);
  }
  const started = Date.now();
  const bundleSha256 = await bundleIdentity();
  const release = llamaRelease();
  const what = libDir ? `, to run on node-llama-cpp's own libraries (${path.relative(repoRoot, libDir)})` : '';
  const duration = variant === 'cuda' ? 'several minutes' : 'about 10 minutes on 2 cores';
  log(`building ${targets.join(' and ')}${what} from ${path.relative(repoRoot, bundle)} (llama.cpp ${release.tag}), -j${jobs}: ` +
    `${duration}, once (cached in bench/.cache)`);
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
  const cmakeOptions = cmakeOptionsFor(variant, { libDir });

  const generator = hasCommand('ninja') ? ['-G', 'Ninja'] : [];
  const buildLog = path.join(cacheDir, `llama-build-${variant}.log`);
  log(`  cmake ${cmakeOptions.join(' ')}; log: ${path.relative(repoRoot, buildLog)}`);
  // A build folder configured with other options (CMakeCache keeps them) starts afresh.
  rmSync(buildDir, { recursive: true, force: true });
  logged('nice', ['-n', '15', 'cmake', '-S', srcDir, '-B', buildDir, ...generator, ...cmakeOptions], buildLog, 'w');
  logged('nice', ['-n', '15', 'cmake', '--build', buildDir, '--config', 'Release', '-j', String(jobs), '--target', ...targets], buildLog, 'a');
  copyBuildOutput(path.join(buildDir, 'bin'), toolsDir, targets);
  const engineLibraries = libDir ? useEngineLibraries(toolsDir, libDir) : undefined;
  const stamp = {
    bundleSha256,
    tag: release.tag,
    commit,
    patches,
    variant,
    cmakeOptions,
    cpuVariants: cpuVariantsIn(toolsDir),
    ...(engineLibraries ? { engineLibraries } : {}),
    builtAt: new Date().toISOString(),
    buildSeconds: Math.round((Date.now() - started) / 1000),
  };
  writeFileSync(stampFile, `${JSON.stringify(stamp, null, 2)}\n`);
  log(`built in ${stamp.buildSeconds} s: ${path.relative(repoRoot, toolsDir)}/{${targets.join(',')}}` +
    (stamp.cpuVariants.length > 0 ? ` and ${stamp.cpuVariants.length} CPU variants (${stamp.cpuVariants.join(', ')})` : ''));
  return describe(stamp, variant, toolsDir);
}

function readdirPatches(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.diff') || name.endsWith('.patch'))
    .sort();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const variant = ['cuda', 'native', 'server'].find((name) => process.argv.includes(`--${name}`)) ?? 'cpu';
  const tools = await ensureLlamaTools({ variant, force: process.argv.includes('--force') });
  console.log(JSON.stringify(tools, null, 2));
}
