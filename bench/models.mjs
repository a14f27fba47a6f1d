// Benchmark models: random weights in the real shapes (cost does not depend on weight values),
// generated on demand into bench/.cache/models and never committed.
//
// - The generator (test/fixtures/gguf) writes Q8_0 matrices and F32 norms: that file is the
//   Q8_0 model as is.
// - Q4_K_M: the generator writes no F16/F32 matrices, so the Q8_0 file is requantized with the
//   llama-quantize built from node-llama-cpp's llama.cpp (`--allow-requantize`). The weights are
//   random, so the double rounding changes nothing that matters here; the tensor types are
//   exactly what llama-quantize's Q4_K_M recipe picks (Q4_K, Q6_K for output and some attn_v /
//   ffn_down), which is what the speed depends on.
// - The template is LLM-jp-3's plain-text one: the tame weights never emit an end token, so
//   every request streams answer text up to maxTokens.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './build-llama-tools.mjs';

const require = createRequire(import.meta.url);
export const modelDir = path.join(repoRoot, 'bench', '.cache', 'models');

/**
 * A small LLM-jp-4-8B-like Llama that runs in seconds on one CPU core: 8 layers, hidden 768,
 * 12 heads over 4 KV heads (head 64), FFN 3072. Every matrix width is a multiple of 256 so that
 * the K-quants apply everywhere, as in the real models. With LLM-jp-4's 196,608-piece vocabulary
 * the output matrix (151 M weights) is 70% of the per-token work: the sampling and output-head
 * cost the real models pay per token is there too.
 */
export const BENCH_SMALL = {
  architecture: 'llama',
  layers: 8,
  hidden: 768,
  heads: 12,
  kvHeads: 4,
  headDim: 64,
  feedForward: 3072,
  contextLength: 65536,
  ropeTheta: 500000,
  rmsEpsilon: 1e-5,
};

/**
 * A model as fast as LLM-jp-4 8B on a GPU: 2 layers, hidden 256, 4 heads over 2 KV heads, FFN
 * 1024, LLM-jp-4's vocabulary. llama-bench generates about 300 tokens/s with it on one core of
 * this bench's CPU (3.3 ms a token; 8B Q4_K_M on an H200 is about 5 ms), so what each side adds
 * per token (sampling the 196,608 candidates, its loop, streaming) is measured at the token rate
 * where it matters, not projected from a slow model.
 */
export const BENCH_FAST = {
  architecture: 'llama',
  layers: 2,
  hidden: 256,
  heads: 4,
  kvHeads: 2,
  headDim: 64,
  feedForward: 1024,
  contextLength: 65536,
  ropeTheta: 500000,
  rmsEpsilon: 1e-5,
};

/** The shapes every run covers (the published sizes come with --full). */
export const QUICK_SHAPES = ['bench-small', 'bench-fast'];

export const QUANTS = ['Q4_K_M', 'Q8_0'];

function generator() {
  const compiled = path.join(repoRoot, 'out', 'test', 'fixtures', 'gguf', 'index.js');
  if (!existsSync(compiled)) throw new Error(`${compiled} is missing: run \`npx tsc -p .\` first`);
  return require(compiled);
}

export function llmJp3Template() {
  return require(path.join(repoRoot, 'out', 'test', 'engine', 'models.js')).LLM_JP_3_TEMPLATE;
}

/** The shapes a run covers: the small and the fast one, plus the two published sizes with --full. */
export function benchShapes(full) {
  const gguf = generator();
  const shapes = [
    { name: 'bench-small', shape: BENCH_SMALL },
    { name: 'bench-fast', shape: BENCH_FAST },
  ];
  if (full) {
    shapes.push({ name: 'llm-jp-4-8b', shape: gguf.SHAPES['llm-jp-4-8b'] });
    shapes.push({ name: 'llm-jp-4-32b-a3b', shape: gguf.SHAPES['llm-jp-4-32b-a3b'] });
  }
  return shapes;
}

/** LLM-jp-4's vocabulary when ../shared/llm-jp-4 is present, else the generator's tame one. */
export function benchVocab() {
  const gguf = generator();
  const files = gguf.sharedTokenizerFiles(repoRoot);
  return files ? { name: 'llm-jp-4', vocab: gguf.realVocab(files) } : { name: 'tame', vocab: undefined };
}

function describeFile(file) {
  return `${path.relative(repoRoot, file)} (${(statSync(file).size / 2 ** 20).toFixed(0)} MiB)`;
}

/**
 * The plan for one shape: file names, sizes and the commands that make them, without writing.
 * `vocab` comes from benchVocab().
 */
export function modelPlan({ name, shape }, vocab, quants = QUANTS) {
  const gguf = generator();
  const tag = `${name}-${vocab.name}`;
  const q8 = path.join(modelDir, `${tag}-Q8_0.gguf`);
  const q8Bytes = gguf.tameModelSize({ shape, vocab: vocab.vocab, chatTemplate: llmJp3Template(), name: `bench-${tag}` });
  const files = {};
  for (const quant of quants) {
    files[quant] = quant === 'Q8_0' ? q8 : path.join(modelDir, `${tag}-${quant}.gguf`);
  }
  return { name, shape, tag, q8, q8Bytes, files };
}

/** Bytes free on the file system that holds bench/.cache/models. */
export function freeBytes() {
  mkdirSync(modelDir, { recursive: true });
  const stats = statfsSync(modelDir);
  return stats.bavail * stats.bsize;
}

/**
 * Writes the models of `plan` that are missing (Q8_0 from the generator, the others with
 * llama-quantize). A sidecar JSON records what each file was made from; a file whose recipe
 * changed is made again.
 */
export function ensureModels(plan, vocab, quantize, log = console.log) {
  mkdirSync(modelDir, { recursive: true });
  const recipe = JSON.stringify({ shape: plan.shape, vocab: vocab.name, template: 'llm-jp-3', seed: 'default', q8Bytes: plan.q8Bytes });
  const fresh = (file) => existsSync(file) && existsSync(`${file}.json`) && readFileSync(`${file}.json`, 'utf8') === recipe;
  const needQ8 = Object.values(plan.files).some((file) => !fresh(file));
  if (needQ8 && !fresh(plan.q8)) {
    const free = freeBytes();
    if (free < plan.q8Bytes * 1.7) {
      throw new Error(`${plan.name}: ${(plan.q8Bytes / 2 ** 30).toFixed(1)} GiB model (+ its Q4_K_M) needs more than the ${(free / 2 ** 30).toFixed(1)} GiB free`);
    }
    const started = Date.now();
    log(`  generating ${path.relative(repoRoot, plan.q8)} (${(plan.q8Bytes / 2 ** 20).toFixed(0)} MiB, random weights, ${vocab.name} vocabulary)`);
    const temp = `${plan.q8}.partial`;
    generator().writeTameModel(temp, { shape: plan.shape, vocab: vocab.vocab, chatTemplate: llmJp3Template(), name: `bench-${plan.tag}` });
    renameSync(temp, plan.q8);
    writeFileSync(`${plan.q8}.json`, recipe);
    log(`    ${describeFile(plan.q8)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  for (const [quant, file] of Object.entries(plan.files)) {
    if (quant === 'Q8_0' || fresh(file)) continue;
    const started = Date.now();
    // One thread unless BENCH_QUANTIZE_THREADS says more (bench/gpu/run.sh: all of a GPU machine's cores).
    const args = ['--allow-requantize', plan.q8, `${file}.partial`, quant, String(Number(process.env.BENCH_QUANTIZE_THREADS) || 1)];
    log(`  quantizing: llama-quantize ${args.map((a) => path.relative(repoRoot, a) || a).join(' ')}`);
    const result = spawnSync('nice', ['-n', '10', quantize, ...args], { encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
    if (result.status !== 0) throw new Error(`llama-quantize failed (${result.status ?? result.signal}):\n${(result.stderr ?? '').slice(-3000)}`);
    renameSync(`${file}.partial`, file);
    writeFileSync(`${file}.json`, recipe);
    log(`    ${describeFile(file)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  // The Q8_0 source of a run that benchmarks only other types is not kept around.
  if (!('Q8_0' in plan.files) && existsSync(plan.q8)) {
    rmSync(plan.q8);
    rmSync(`${plan.q8}.json`, { force: true });
  }
  return plan.files;
}
