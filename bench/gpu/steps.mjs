// The steps of bench/gpu/run.sh that are Node code, one subcommand each:
//
//   node bench/gpu/steps.mjs tools cpu|cuda JOBS     llama-bench, -quantize, -server (scripts/llama-tools.mjs)
//                                                   on node-llama-cpp's local build, JOBS parallel jobs
//   node bench/gpu/steps.mjs q8 SHAPE                the generator's Q8_0 file of SHAPE, ahead of the bench
//                                                   (run.mjs then only quantizes it), while the addon builds
//   node bench/gpu/steps.mjs engine cpu|auto         what getLlama() loads, as the engine's worker calls it
import { fileURLToPath } from 'node:url';

export async function tools(variant, jobs) {
  const { ensureLlamaTools, engineLibraryDir, repoRoot } = await import('../../scripts/llama-tools.mjs');
  const path = await import('node:path');
  const libDir = engineLibraryDir(variant);
  if (!libDir) throw new Error(`no local build of node-llama-cpp for ${variant} (bench/gpu/addon.mjs makes it)`);
  console.log(`tools on node-llama-cpp's local build ${path.relative(repoRoot, libDir)}, -j${jobs}`);
  const built = await ensureLlamaTools({ variant, jobs, log: console.log });
  console.log(`  cmake ${built.cmakeOptions.join(' ')}`);
  console.log(`  engine libraries: ${built.engineLibraries?.libraries.join(', ') ?? 'none (the tools run on their own)'}`);
  console.log(`  built in ${built.buildSeconds} s (${built.builtAt})`);
}

export async function q8(shapeName) {
  const { benchShapes, benchVocab, ensureModels, modelPlan } = await import('../models.mjs');
  const shape = benchShapes(true).find((s) => s.name === shapeName);
  if (!shape) throw new Error(`unknown shape ${shapeName}`);
  const vocab = benchVocab();
  const plan = modelPlan(shape, vocab, ['Q8_0']);
  console.log(`${shapeName}: vocabulary ${vocab.name}, Q8_0 ${(plan.q8Bytes / 2 ** 30).toFixed(2)} GiB`);
  const started = Date.now();
  ensureModels(plan, vocab, undefined, console.log);
  const seconds = (Date.now() - started) / 1000;
  console.log(`  ready in ${seconds.toFixed(1)} s (${(plan.q8Bytes / 2 ** 20 / Math.max(seconds, 0.001)).toFixed(0)} MiB/s if generated now)`);
}

export async function engine(gpu) {
  const { getLlama } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: gpu === 'auto' ? 'auto' : false, build: 'never', progressLogs: false });
  const vram = llama.gpu ? await llama.getVramState() : undefined;
  console.log(`getLlama({ gpu: '${gpu}', build: 'never' }): ${llama.buildType} build, gpu ${llama.gpu || 'none'}` +
    `${llama.gpu ? `, devices ${(await llama.getGpuDeviceNames()).join(', ')}, VRAM ${(vram.total / 2 ** 30).toFixed(1)} GiB` : ''}; ` +
    `llama.cpp ${llama.llamaCppRelease.release}; ${llama.cpuMathCores} math cores`);
  await llama.dispose();
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [step, ...rest] = process.argv.slice(2);
  if (step === 'tools') await tools(rest[0], Number(rest[1]) || 2);
  else if (step === 'q8') await q8(rest[0]);
  else if (step === 'engine') await engine(rest[0]);
  else throw new Error(`unknown step ${step}: tools, q8 or engine`);
}
