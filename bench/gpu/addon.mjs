// Builds node-llama-cpp's native addon (llama-addon.node with its libllama and ggml libraries)
// from source without npm, cmake-js or a network, and installs it where getLlama() looks for a
// local build: node_modules/node-llama-cpp/llama/localBuilds/<linux-x64[-cuda]>/Release/.
//
// node-llama-cpp's own `source build` runs `npm run cmake-js-llama`, which needs npm and the
// Node headers from the internet; a bare GPU machine has neither. This configures the same
// CMakeLists (node_modules/node-llama-cpp/llama) with the options its compileLLamaCpp sets on
// a user's machine (not its CI mode: one CPU backend, libggml-cpu.so, no loadable variants;
// AVX2 rather than -march=native) and the variables cmake-js would pass (CMAKE_JS_INC: a
// folder holding node_api.h).
//
//   node bench/gpu/addon.mjs --gpu cuda|cpu --node-include DIR [--cuda-architectures 90]
//                            [--jobs N] [--build-dir DIR] [--nice N]
//
// getLlama({ gpu: 'auto', build: 'never' }) (src/engine/llama.ts) then loads it: a local build
// named after the GPU type comes before the prebuilt packages, which are not there at all.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const nodeLlamaCppDir = path.join(repoRoot, 'node_modules', 'node-llama-cpp');
const llamaDir = path.join(nodeLlamaCppDir, 'llama');

/** The four headers an N-API addon includes (node-addon-api's napi.h pulls in node_api.h). */
export const NODE_API_HEADERS = ['node_api.h', 'node_api_types.h', 'js_native_api.h', 'js_native_api_types.h'];

/** The folder getLlama() looks in for a local build of this GPU type (getBuildFolderNameForBuildOptions, no custom options). */
export function localBuildFolderName(gpu) {
  return gpu === 'cuda' ? 'linux-x64-cuda' : 'linux-x64';
}

/**
 * NLC_VARIANT, the suffix of libllama.<suffix>.so and libggml.<suffix>.so: the release alone, for
 * CUDA too. node-llama-cpp's own builds name the CUDA ones libllama.cuda.v0.5.0.so, which only
 * keeps prebuilt packages apart; each local build has a folder of its own, and with one form of
 * the names scripts/llama-tools.mjs swaps the tools' libllama and libggml for these the same way
 * for the CPU and the CUDA build. Nothing in node-llama-cpp reads the suffix.
 */
export function variantSuffix(release) {
  return release;
}

/**
 * The cmake options: compileLLamaCpp's for a source build on this machine (no CURL/HTTPLIB/
 * OpenSSL, no Metal, no ccache, build number 1; the CPU kernels for AVX2 rather than
 * GGML_NATIVE, see below), cmake-js's (CMAKE_JS_INC, the
 * Release output folder) and, for CUDA, only the architectures asked for (90: the H100 and
 * H200), so that the kernels are compiled once, for one chip.
 */
export function addonCmakeOptions({ gpu, release, nodeInclude, outputDir, cudaArchitectures }) {
  const options = {
    CMAKE_BUILD_TYPE: 'Release',
    CMAKE_LIBRARY_OUTPUT_DIRECTORY: outputDir,
    CMAKE_JS_INC: nodeInclude,
    CMAKE_JS_SRC: '',
    CMAKE_JS_LIB: '',
    NODE_RUNTIME: 'node',
    NODE_ARCH: 'x64',
    GGML_BUILD_NUMBER: '1',
    CMAKE_CONFIGURATION_TYPES: 'Release',
    NLC_CURRENT_PLATFORM: 'linux-x64',
    NLC_TARGET_PLATFORM: 'linux-x64',
    NLC_VARIANT: variantSuffix(release),
    GGML_METAL: 'OFF',
    GGML_CCACHE: 'OFF',
    LLAMA_CURL: 'OFF',
    LLAMA_HTTPLIB: 'OFF',
    LLAMA_BUILD_BORINGSSL: 'OFF',
    LLAMA_OPENSSL: 'OFF',
    // Not GGML_NATIVE, which compileLLamaCpp would set: -march=native takes in AMX on a Sapphire
    // Rapids host, and there the addon died with SIGILL on its first prompt (the dry run here, as
    // RESULTS.md records for the reference). ggml's haswell set runs on any x86-64 machine of the
    // last ten years; on the GPU machine the CPU kernels hardly run.
    GGML_NATIVE: 'OFF',
    GGML_SSE42: 'ON',
    GGML_AVX: 'ON',
    GGML_AVX2: 'ON',
    GGML_FMA: 'ON',
    GGML_F16C: 'ON',
    GGML_BMI2: 'ON',
  };
  if (gpu === 'cuda') {
    options.GGML_CUDA = '1';
    if (!cudaArchitectures) throw new Error('a CUDA build needs --cuda-architectures (90 for the H100 and H200)');
    options.CMAKE_CUDA_ARCHITECTURES = String(cudaArchitectures);
  }
  return Object.entries(options).map(([key, value]) => `-D${key}=${value}`);
}

/** The build metadata node-llama-cpp writes next to a local build (_nlcBuildMetadata.json). */
export function buildMetadata({ gpu, release, repo, platformInfo, customCmakeOptions }) {
  return { buildOptions: { customCmakeOptions, progressLogs: true, platform: 'linux', platformInfo, arch: 'x64', gpu: gpu === 'cuda' ? 'cuda' : false, llamaCpp: { repo, release } } };
}

/** What the addon and its libraries are named: the files a Release folder must hold. */
export function isAddonFile(name) {
  return name === 'llama-addon.node' || /\.so(\.\d+)*$/.test(name);
}

function collectOutputs(dir, found = []) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'CMakeFiles') collectOutputs(file, found);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && isAddonFile(entry.name)) {
      found.push(file);
    }
  }
  return found;
}

function run(command, args, { logFile, env } = {}) {
  const started = Date.now();
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 2 ** 20, env: env ?? process.env });
  if (logFile) writeFileSync(logFile, `$ ${command} ${args.join(' ')}\n${result.stdout ?? ''}${result.stderr ?? ''}\n`, { flag: 'a' });
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.split('\n').slice(-40).join('\n');
    throw new Error(`${command} ${args.slice(0, 6).join(' ')} ... failed (${result.status ?? result.signal}):\n${tail}`);
  }
  return (Date.now() - started) / 1000;
}

async function platformInfo() {
  // node-llama-cpp compares this with the running system before it loads a local build.
  const { getPlatformInfo } = await import(path.join(nodeLlamaCppDir, 'dist', 'bindings', 'utils', 'getPlatformInfo.js'));
  return getPlatformInfo();
}

/**
 * Configures and builds the `llama-addon` target (it pulls in libllama, libggml, the backends
 * and libllama-common), then installs the addon and its libraries as a local build.
 */
export async function buildAddon({ gpu, nodeInclude, cudaArchitectures, jobs = os.availableParallelism(), buildDir, niceness = 0, log = console.log, logFile }) {
  for (const header of NODE_API_HEADERS) {
    if (!existsSync(path.join(nodeInclude, header))) throw new Error(`${header} is missing from ${nodeInclude}`);
  }
  if (!existsSync(path.join(llamaDir, 'llama.cpp', 'CMakeLists.txt'))) throw new Error(`${path.join(llamaDir, 'llama.cpp')} holds no llama.cpp source`);
  const info = JSON.parse(readFileSync(path.join(llamaDir, 'llama.cpp.info.json'), 'utf8'));
  const folder = path.join(llamaDir, 'localBuilds', localBuildFolderName(gpu));
  const releaseDir = path.join(folder, 'Release');
  buildDir ??= path.join(folder, 'build');
  const outputDir = path.join(buildDir, 'Release');
  const options = addonCmakeOptions({ gpu, release: info.tag, nodeInclude, outputDir, cudaArchitectures });
  const nice = niceness > 0 ? ['nice', '-n', String(niceness)] : [];
  const generator = spawnSync('ninja', ['--version'], { stdio: 'ignore' }).status === 0 ? ['-G', 'Ninja'] : [];
  rmSync(path.join(folder, 'buildDone.status'), { force: true });
  mkdirSync(buildDir, { recursive: true });
  log(`  cmake -S ${path.relative(repoRoot, llamaDir)} ${options.join(' ')}`);
  const [cmd, ...pre] = nice.length > 0 ? nice : ['cmake'];
  const cmake = (args) => (nice.length > 0 ? run(cmd, [...pre, 'cmake', ...args], { logFile }) : run('cmake', args, { logFile }));
  const configureSeconds = cmake(['-S', llamaDir, '-B', buildDir, '--no-warn-unused-cli', ...generator, ...options]);
  const buildSeconds = cmake(['--build', buildDir, '--config', 'Release', '--target', 'llama-addon', '-j', String(jobs)]);
  rmSync(releaseDir, { recursive: true, force: true });
  mkdirSync(releaseDir, { recursive: true });
  const files = collectOutputs(buildDir);
  for (const file of files) cpSync(file, path.join(releaseDir, path.basename(file)), { verbatimSymlinks: true });
  if (!existsSync(path.join(releaseDir, 'llama-addon.node'))) throw new Error(`the build made no llama-addon.node (found ${files.map((f) => path.basename(f)).join(', ')})`);
  const customCmakeOptions = gpu === 'cuda' ? { CMAKE_CUDA_ARCHITECTURES: String(cudaArchitectures) } : {};
  writeFileSync(path.join(releaseDir, '_nlcBuildMetadata.json'),
    JSON.stringify(buildMetadata({ gpu, release: info.tag, repo: info.llamaCppGithubRepo, platformInfo: await platformInfo(), customCmakeOptions })));
  writeFileSync(path.join(folder, 'buildDone.status'), '');
  const installed = readdirSync(releaseDir).sort();
  const bytes = installed.reduce((sum, name) => sum + statSync(path.join(releaseDir, name)).size, 0);
  log(`  ${path.relative(repoRoot, releaseDir)}: ${installed.join(', ')} (${(bytes / 2 ** 20).toFixed(1)} MiB); ` +
    `configured in ${configureSeconds.toFixed(0)} s, built in ${buildSeconds.toFixed(0)} s with -j${jobs}`);
  return { releaseDir, files: installed, configureSeconds, buildSeconds, options };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      gpu: { type: 'string', default: 'cpu' },
      'node-include': { type: 'string' },
      'cuda-architectures': { type: 'string' },
      jobs: { type: 'string' },
      'build-dir': { type: 'string' },
      nice: { type: 'string', default: '0' },
      log: { type: 'string' },
    },
  });
  if (!values['node-include']) throw new Error('--node-include DIR (a folder holding node_api.h) is required');
  await buildAddon({
    gpu: values.gpu === 'cuda' ? 'cuda' : 'cpu',
    nodeInclude: path.resolve(values['node-include']),
    cudaArchitectures: values['cuda-architectures'],
    jobs: values.jobs ? Number(values.jobs) : undefined,
    buildDir: values['build-dir'] ? path.resolve(values['build-dir']) : undefined,
    niceness: Number(values.nice),
    logFile: values.log ? path.resolve(values.log) : undefined,
  });
}
