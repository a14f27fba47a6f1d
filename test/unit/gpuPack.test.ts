// bench/gpu: what the payload carries to a bare GPU machine, the size check against what travels
// (64 MiB), the device call it prints, and the cmake options of node-llama-cpp's addon built
// there. Pure functions of bench/gpu/pack.mjs and bench/gpu/addon.mjs; nothing is packed or built.
import * as assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const gpu = path.resolve(__dirname, '..', '..', '..', 'bench', 'gpu');

interface PackModule {
  MIB: number;
  TRAVEL_LIMIT: number;
  COMMAND_LIMIT: number;
  CARRY: string[];
  isCarriedPackage(name: string): boolean;
  isCarriedModuleFile(rel: string): boolean;
  isCarriedLlamaFile(rel: string): boolean;
  budget(sizes: { workingTreeBytes: number; payloadBytes: number; limit?: number }): { total: number; limit: number; ok: boolean; marginBytes: number };
  runCall(options?: { timeoutS?: number; budgetS?: number; extra?: string }): { command: string; carry: string[]; timeout_s: number };
}
interface AddonModule {
  localBuildFolderName(gpu: string): string;
  addonCmakeOptions(options: { gpu: string; release: string; nodeInclude: string; outputDir: string; cudaArchitectures?: string }): string[];
  buildMetadata(options: object): { buildOptions: { gpu: string | false; llamaCpp: { release: string } } };
  isAddonFile(name: string): boolean;
}

const load = <T>(file: string): Promise<T> => import(pathToFileURL(path.join(gpu, file)).href) as Promise<T>;

describe('bench/gpu payload and addon build', () => {
  it('carries node-llama-cpp and its dependencies but no prebuilt binary package', async () => {
    const pack = await load<PackModule>('pack.mjs');
    assert.equal(pack.isCarriedPackage('node-llama-cpp'), true);
    assert.equal(pack.isCarriedPackage('@huggingface/jinja'), true);
    assert.equal(pack.isCarriedPackage('@node-llama-cpp/linux-x64-cuda'), false);
    assert.equal(pack.isCarriedPackage('@node-llama-cpp/linux-x64'), false);
  });

  it('leaves the 34 MB git bundle, clones, local builds, source maps and type declarations behind', async () => {
    const pack = await load<PackModule>('pack.mjs');
    for (const rel of ['node-llama-cpp/dist/index.js', 'node-llama-cpp/llama/CMakeLists.txt', 'node-llama-cpp/llama/addon/addon.cpp',
      'node-llama-cpp/llama/llama.cpp.info.json', 'node-llama-cpp/llama/patches/PR-22566.diff', 'node-llama-cpp/package.json', 'chalk/source/index.js']) {
      assert.equal(pack.isCarriedModuleFile(rel), true, rel);
    }
    for (const rel of ['node-llama-cpp/llama/gitRelease.bundle', 'node-llama-cpp/llama/llama.cpp/CMakeLists.txt',
      'node-llama-cpp/llama/localBuilds/linux-x64/Release/llama-addon.node', 'node-llama-cpp/bins/linux-x64/llama-addon.node',
      'node-llama-cpp/dist/index.js.map', 'node-llama-cpp/dist/index.d.ts']) {
      assert.equal(pack.isCarriedModuleFile(rel), false, rel);
    }
  });

  it('carries the llama.cpp sources the addon, llama-bench, -quantize and -server build from, and nothing the builds never read', async () => {
    const pack = await load<PackModule>('pack.mjs');
    for (const rel of ['CMakeLists.txt', 'ggml/src/ggml.c', 'ggml/src/ggml-cpu/ggml-cpu.c', 'ggml/src/ggml-cuda/mmq.cu', 'src/llama.cpp', 'common/common.cpp',
      'tools/llama-bench/llama-bench.cpp', 'tools/server/server.cpp', 'tools/quantize/quantize.cpp', 'tools/ui/CMakeLists.txt', 'vendor/nlohmann/json.hpp', 'include/llama.h']) {
      assert.equal(pack.isCarriedLlamaFile(rel), true, rel);
    }
    for (const rel of ['docs/build.md', 'models/ggml-vocab-llama-bpe.gguf', 'tests/test-backend-ops.cpp', 'examples/simple/simple.cpp', 'gguf-py/gguf/gguf.py',
      'ggml/src/ggml-vulkan/ggml-vulkan.cpp', 'ggml/src/ggml-metal/ggml-metal.m', 'tools/ui/src/app.html', 'tools/mtmd/test-3.mp4', 'media/llama0-logo.png']) {
      assert.equal(pack.isCarriedLlamaFile(rel), false, rel);
    }
  });

  it('fails the size check when working tree and payload together pass 64 MiB', async () => {
    const pack = await load<PackModule>('pack.mjs');
    assert.equal(pack.TRAVEL_LIMIT, 64 * pack.MIB);
    const fits = pack.budget({ workingTreeBytes: 3 * pack.MIB, payloadBytes: 30 * pack.MIB });
    assert.deepEqual(fits, { total: 33 * pack.MIB, limit: 64 * pack.MIB, ok: true, marginBytes: 31 * pack.MIB });
    assert.equal(pack.budget({ workingTreeBytes: 3 * pack.MIB, payloadBytes: 61 * pack.MIB }).ok, true, 'exactly 64 MiB still travels');
    const over = pack.budget({ workingTreeBytes: 3 * pack.MIB, payloadBytes: 61 * pack.MIB + 1 });
    assert.equal(over.ok, false);
    assert.equal(over.marginBytes, -1);
  });

  it('prints a device call within the tool\'s limits: one command of at most 2,000 characters, the payload carried', async () => {
    const pack = await load<PackModule>('pack.mjs');
    const call = pack.runCall();
    assert.equal(call.command, 'GPU_BENCH_BUDGET_S=540 bash bench/gpu/run.sh');
    assert.deepEqual(call.carry, ['bench/gpu/.payload']);
    assert.ok(call.timeout_s <= 600 && call.timeout_s > 540, 'the timeout leaves the script its budget and the wrap-up');
    assert.throws(() => pack.runCall({ extra: 'x'.repeat(pack.COMMAND_LIMIT) }), /more than 2000/);
  });

  it('builds the addon where getLlama() looks, CUDA for the asked architectures only', async () => {
    const addon = await load<AddonModule>('addon.mjs');
    assert.equal(addon.localBuildFolderName('cuda'), 'linux-x64-cuda');
    assert.equal(addon.localBuildFolderName('cpu'), 'linux-x64');
    const base = { release: 'v0.5.0', nodeInclude: '/x/node-include', outputDir: '/x/build/Release' };
    const cuda = addon.addonCmakeOptions({ ...base, gpu: 'cuda', cudaArchitectures: '90' });
    for (const option of ['-DGGML_CUDA=1', '-DCMAKE_CUDA_ARCHITECTURES=90', '-DCMAKE_JS_INC=/x/node-include', '-DNLC_VARIANT=v0.5.0',
      '-DCMAKE_LIBRARY_OUTPUT_DIRECTORY=/x/build/Release', '-DLLAMA_CURL=OFF', '-DLLAMA_OPENSSL=OFF', '-DGGML_NATIVE=OFF', '-DGGML_AVX2=ON']) {
      assert.ok(cuda.includes(option), option);
    }
    const cpu = addon.addonCmakeOptions({ ...base, gpu: 'cpu' });
    assert.ok(!cpu.some((o) => o.startsWith('-DGGML_CUDA') || o.startsWith('-DCMAKE_CUDA')));
    assert.ok(!cpu.some((o) => /AMX|AVX512/.test(o)), 'no AMX: a -march=native addon died with SIGILL on Sapphire Rapids');
    assert.throws(() => addon.addonCmakeOptions({ ...base, gpu: 'cuda' }), /cuda-architectures/);
    const meta = addon.buildMetadata({ gpu: 'cuda', release: 'v0.5.0', repo: 'ggml-org/llama.cpp', platformInfo: { name: 'Ubuntu', version: '24.04' }, customCmakeOptions: {} });
    assert.equal(meta.buildOptions.gpu, 'cuda');
    assert.equal(meta.buildOptions.llamaCpp.release, 'v0.5.0');
    assert.equal(addon.buildMetadata({ gpu: 'cpu', release: 'v0.5.0' }).buildOptions.gpu, false);
    for (const name of ['llama-addon.node', 'libggml-cuda.so', 'libllama.v0.5.0.so', 'libggml-base.so.0']) assert.equal(addon.isAddonFile(name), true, name);
    for (const name of ['build.ninja', 'libggml.a', 'llama-addon.node.d']) assert.equal(addon.isAddonFile(name), false, name);
  });
});
