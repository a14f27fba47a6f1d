// `npm run bench`: the engine's speed side by side with llama.cpp's own llama-bench, built from
// the very llama.cpp release node-llama-cpp binds, on the same GGUF, threads and batch size.
// Prints tables; never fails on a time. See bench/RESULTS.md for the latest figures.
//
//   node bench/run.mjs [--reps N] [--full] [--gpu] [--threads N] [--dry-run] [--no-compile] [--native]
//                      [--cpu-variant NAME] [--depths 1024,16384,60000] [--shapes NAME,...] [--quants Q4_K_M,...]
//                      [--only throughput,ttft,context,concurrent,memory,commit,grammar,tokenizer,activation,panel]
//
//   --full      adds the LLM-jp-4 8B and 32B-A3B shapes (8.5 GiB and 34 GiB at Q8_0, generated
//               into bench/.cache/models; slow on a CPU)
//   --gpu       engine with gpu 'auto' and llama-bench with -ngl 99, built with GGML_CUDA
//   --dry-run   prints the plan (files, sizes, commands) and measures nothing
//   --shapes    only these shapes (bench-small, bench-fast: GPU-like 3 ms a token, llm-jp-4-8b,
//               llm-jp-4-32b-a3b), --quants only these
//               types (Q4_K_M, Q8_0): bench/gpu/run.sh runs --shapes llm-jp-4-8b --quants Q4_K_M
//   --native    also runs a llama-bench built with -march=native (D), the former reference
//   --cpu-variant zen4  starts the reference's variant probe at libggml-cpu-zen4.so, not ggml's choice
//   throughput  engine vs llama-server vs llama-bench vs its decode loop alone and node-llama-cpp's
//               evaluate(): tg, pp, TTFT, the per-token overhead split, projections at GPU speeds
//   context     TTFT and tg at --depths tokens of context against llama-server and llama-bench -d,
//               and a follow-up turn after a 16k-token file (bench/long-context.mjs)
//   concurrent  a chat answer while a commit message is generated, 2 and 1 sequences (bench/concurrent.mjs)
//   memory      the model process's RSS against the memory planner (bench/memory.mjs)
//   commit      a commit message for a 2,000-line diff (bench/commit-message.mjs) on bench-small
//   grammar     tokens/s inside a tool call's grammar-constrained arguments against free generation
//               (bench/grammar.mjs; the engine's decode loop and grammar) on bench-small Q8_0
//   --only panel  the chat panel's render benchmark alone (bench/panel-render.mjs; needs no model),
//               runaway blocks included
// The reference tools (llama-bench, llama-server) are built from node-llama-cpp's bundle and run
// on node-llama-cpp's own prebuilt libllama, ggml and CPU kernels (scripts/llama-tools.mjs): the
// same compiled code as the engine, in the variant ggml picks for the engine unless that one
// crashes on a probe (bench/reference-probe.mjs): then the next by ggml's score, and the results say so.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { measureActivation, measureHostMemory } from './activation/measure.mjs';
import { cmakeOptionsFor, ensureLlamaTools, llamaRelease, repoRoot } from './build-llama-tools.mjs';
import { commitMessageBench } from './commit-message.mjs';
import { concurrentBench } from './concurrent.mjs';
import { TARGET as GRAMMAR_TARGET, grammarBench } from './grammar.mjs';
import { clientTokensPerSecond, engineModules, newClient, timedRequest } from './engine.mjs';
import { llamaBenchArgs, runLlamaBench } from './llama-bench.mjs';
import { DEPTHS, longContextBench } from './long-context.mjs';
import { memoryBench } from './memory.mjs';
import { SERVER_SAMPLING, llamaServerArgs, startLlamaServer, streamChat, streamTokensPerSecond } from './llama-server.mjs';
import { PROBE, cpuVariantScores, describeChoice, fallbackOrder, probeReference, probeSingle } from './reference-probe.mjs';
import { QUANTS, QUICK_SHAPES, benchShapes, benchVocab, ensureModels, freeBytes, modelPlan } from './models.mjs';
import { measurePanelRender } from './panel-render.mjs';
import { openRaw } from './raw-llama.mjs';
import { mixedText } from './texts.mjs';
import { tokenizerSpeed } from './tokenizer-speed.mjs';

const { values: args } = parseArgs({
  options: {
    reps: { type: 'string' },
    full: { type: 'boolean', default: false },
    gpu: { type: 'boolean', default: false },
    threads: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    'no-compile': { type: 'boolean', default: false },
    only: { type: 'string' },
    native: { type: 'boolean', default: false },
    'cpu-variant': { type: 'string' },
    depths: { type: 'string' },
    shapes: { type: 'string' },
    quants: { type: 'string' },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(readFileSync(new URL(import.meta.url), 'utf8').split('\n').slice(0, 29).join('\n'));
  process.exit(0);
}

const sections = new Set((args.only ?? 'throughput,ttft,context,concurrent,memory,commit,grammar,tokenizer,activation,panel').split(','));
// The llama.cpp tools and the models are built only for the sections that load a model.
const modelSections = ['throughput', 'ttft', 'context', 'concurrent', 'memory', 'commit', 'grammar', 'tokenizer'].some((section) => sections.has(section));
// llama-bench, and llama-quantize for the Q4_K_M files, only where something is compared with them.
const referenceSections = ['throughput', 'ttft', 'context'].some((section) => sections.has(section));
const BATCH = 512; // node-llama-cpp's default batch (min(contextSize, 512)); n_ubatch = n_batch
const PP_TOKENS = 512;
const TG_TOKENS = 128;
const CONTEXT_SIZE = 4096;
const TARGETS = { tg: 0.97, pp: 0.95, tgServer: 1.0, overheadMs: 0.3 };
const transcript = [];

function out(line = '') {
  console.log(line);
  transcript.push(line);
}

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const finite = (xs) => xs.filter(Number.isFinite);
const spread = (xs) => `${fmt(Math.min(...finite(xs)), 3)} / ${fmt(median(xs), 3)} / ${fmt(Math.max(...finite(xs)), 3)}`;

/**
 * The milliseconds each side adds to a generated token over llama-bench's bare decode loop,
 * as medians of the per-repeat differences: the engine, its decode loop alone, the worker's
 * share (engine minus the loop alone), llama-server, and node-llama-cpp's own evaluate().
 */
function perTokenOverhead(reps) {
  const ms = (tps) => 1000 / tps;
  const over = (pick) => median(reps.map((r) => ms(pick(r)) - ms(r.lb.tg)));
  return {
    benchMs: median(reps.map((r) => ms(r.lb.tg))),
    engine: over((r) => r.tg.tps),
    loop: over((r) => r.raw.tg),
    evaluate: over((r) => r.raw.tgEvaluate),
    worker: median(reps.map((r) => ms(r.tg.tps) - ms(r.raw.tg))),
    server: over((r) => r.server.tg.tps),
    greedy: over((r) => r.greedy.tps),
  };
}

/** Main-thread ms per generated token, medians: the decode loop alone, node-llama-cpp's evaluate(), the model process, the client. */
function jsPerToken(reps) {
  return {
    raw: median(reps.map((r) => r.raw.jsMs)),
    evaluate: median(reps.map((r) => r.raw.evaluateJsMs)),
    worker: median(reps.map((r) => r.tg.workerJsMs)),
    client: median(reps.map((r) => r.tg.clientJsMs)),
    // All threads, decode included.
    rawCpu: median(reps.map((r) => r.raw.cpuMs)),
    workerCpu: median(reps.map((r) => r.tg.workerCpuMs)),
    serverCpu: median(reps.map((r) => r.server.tg.cpuMs)),
  };
}

/** What fraction of llama-bench's speed a side keeps when llama-bench takes `baseMs` a token. */
const project = (baseMs, overheadMs) => baseMs / (baseMs + overheadMs);

function table(header, rows) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
  out(line(header));
  out(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of rows) out(line(row));
}

// ---------------------------------------------------------------------------------------------
// The machine and the versions

function machine() {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const cpu = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const flags = /^flags\s*:\s*(.+)$/m.exec(cpuinfo)?.[1].split(' ') ?? [];
  const simd = ['avx2', 'avx512f', 'avx512_vnni', 'avx512_bf16'].filter((f) => flags.includes(f)).join(' ');
  const git = (...a) => spawnSync('git', a, { cwd: repoRoot, encoding: 'utf8' }).stdout?.trim();
  const dirty = git('status', '--porcelain') ? ' (working tree has changes)' : '';
  const nlc = JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', 'node-llama-cpp', 'package.json'), 'utf8')).version;
  return {
    nproc: execFileSync('nproc', { encoding: 'utf8' }).trim(),
    cpu,
    simd,
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    nodeLlamaCpp: nlc,
    commit: `${git('rev-parse', '--short', 'HEAD')}${dirty}`,
    date: new Date().toISOString(),
  };
}

// ---------------------------------------------------------------------------------------------
// Prompts

/** The first 200 lines of a real source file of this repository, attached as a user would. */
function twoHundredLineFile() {
  const file = 'src/engine/client.ts';
  const text = readFileSync(path.join(repoRoot, file), 'utf8').split('\n').slice(0, 200).join('\n');
  return { label: file, text };
}

// ---------------------------------------------------------------------------------------------
// Engine vs llama-bench, alternating

/** Which of node-llama-cpp's prebuilt CPU variants the worker mapped (ggml's choice for the engine). */
function cpuBackendOf(pid) {
  try {
    const maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
    const found = new Set([...maps.matchAll(/[^/\s]*libggml-cpu[^/\s]*\.so/g)].map((m) => m[0]));
    return found.size > 0 ? [...found].join(', ') : 'no libggml-cpu-*.so mapped';
  } catch {
    return 'unknown';
  }
}

/**
 * CPU time of a process's main thread in ms (Linux schedstat, nanoseconds): the JavaScript of a
 * Node process. llama.cpp decodes on a thread-pool thread, so per generated token this is the
 * work that sits between two decodes, which a GPU's faster decode does not shrink.
 */
function mainThreadMs(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/task/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

/**
 * CPU time of all of a process's threads in ms (Linux schedstat). Per generated token this is
 * what a side spends, decode included; unlike wall time it hardly moves when other jobs take
 * turns on the machine's cores.
 */
function processCpuMs(pid) {
  try {
    return readdirSync(`/proc/${pid}/task`).reduce((sum, tid) => sum + Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6, 0);
  } catch {
    return NaN;
  }
}

/** `libggml-cpu-zen4.so` -> `zen4`. */
const variantName = (library) => {
  const match = /libggml-cpu(?:-([^,\s]+))?\.so/.exec(library);
  return match ? match[1] ?? 'native' : undefined; // libggml-cpu.so: a source build's one backend for this machine
};

async function loadEngine(modelPath, options) {
  const { client, logs } = newClient();
  const started = performance.now();
  const info = await client.load({ modelPath, gpu: options.gpu ? 'auto' : false, threads: options.threads, contextSize: CONTEXT_SIZE });
  return { client, logs, info, loadMs: performance.now() - started };
}

/** Finds the text length whose prompt evaluates to about PP_TOKENS tokens (the calls warm up too). */
async function calibratePrompt(client) {
  let chars = PP_TOKENS * 2;
  let last;
  for (let attempt = 0; attempt < 4; attempt++) {
    const result = await timedRequest(client, { messages: [{ role: 'user', content: mixedText(chars, 1000 + attempt) }], maxTokens: 1 });
    last = result.usage;
    if (Math.abs(last.evaluatedTokens - PP_TOKENS) <= 3) break;
    chars = Math.max(16, Math.round((chars * PP_TOKENS) / last.evaluatedTokens));
  }
  return { chars, usage: last };
}

async function enginePp(client, chars, seed) {
  const result = await timedRequest(client, { conversation: `pp-${seed}`, messages: [{ role: 'user', content: mixedText(chars, seed) }], maxTokens: 1 });
  const { usage } = result;
  const clientMs = (result.firstTextAt ?? result.done.at) - result.sentAt;
  return {
    usage,
    clientMs,
    // The engine path: request sent to first token back, through tokenizer, evaluation and IPC.
    tps: (usage.evaluatedTokens * 1000) / clientMs,
    workerTps: (usage.evaluatedTokens * 1000) / usage.timeToFirstTokenMs,
  };
}

const TG_QUESTION = 'LLM-jp について、日本語で詳しく説明してください。';

/** Generation as a user gets it: the default sampling and no seed (the engine picks one per request). */
async function engineTg(client, sampling, rep) {
  const worker0 = mainThreadMs(client.workerPid);
  const workerAll0 = processCpuMs(client.workerPid);
  const client0 = mainThreadMs(process.pid);
  const result = await timedRequest(client, {
    conversation: `tg-${rep}`,
    messages: [{ role: 'user', content: TG_QUESTION }],
    maxTokens: TG_TOKENS,
    sampling,
  });
  const n = result.usage.generatedTokens;
  return {
    usage: result.usage, reason: result.done.reason, tps: clientTokensPerSecond(result), workerTps: result.usage.tokensPerSecond, events: result.textEvents,
    // Main-thread milliseconds per token in the model process and in this one (the extension host's part: IPC in, events out).
    workerJsMs: (mainThreadMs(client.workerPid) - worker0) / n,
    workerCpuMs: (processCpuMs(client.workerPid) - workerAll0) / n,
    clientJsMs: (mainThreadMs(process.pid) - client0) / n,
  };
}

/** llama-server's pp: the same kind of prompt as the engine's, no prompt cache, one token; timed to its first text. */
async function serverPp(server, chars, rep) {
  const result = await streamChat(server.baseUrl, {
    messages: [{ role: 'user', content: mixedText(chars, rep) }],
    max_tokens: 1, cache_prompt: false, ...SERVER_SAMPLING,
  });
  const clientMs = (result.firstTextAt ?? result.endAt) - result.sentAt;
  const evaluated = result.timings?.prompt_n ?? NaN;
  return { clientMs, evaluated, tps: (evaluated * 1000) / clientMs, serverTps: result.timings?.prompt_per_second ?? NaN };
}

/** llama-server's tg: the engine's question, TG_TOKENS tokens (ignore_eos, as the random model never ends anyway). */
async function serverTg(server, sampling) {
  const cpu0 = processCpuMs(server.pid);
  const result = await streamChat(server.baseUrl, {
    messages: [{ role: 'user', content: TG_QUESTION }],
    max_tokens: TG_TOKENS, ignore_eos: true, cache_prompt: false, ...sampling,
  });
  const generated = result.timings?.predicted_n ?? NaN;
  return { tps: streamTokensPerSecond(result), serverTps: result.timings?.predicted_per_second ?? NaN, generated, chunks: result.textChunks, cpuMs: (processCpuMs(server.pid) - cpu0) / generated };
}

async function openServer(reference, modelPath, options) {
  if (!reference.server) return { failure: reference.bench ? 'not built' : reference.failure ?? 'crashed on the probe' };
  const started = await startLlamaServer(reference.server, { model: modelPath, threads: options.threads, batch: BATCH, contextSize: CONTEXT_SIZE, gpu: options.gpu }, { cwd: reference.cwd });
  if (started.failure) return started;
  await serverTg(started, { temperature: 0, max_tokens: 8 }); // warm-up
  return started;
}

async function throughput(label, modelPath, tools, options) {
  out();
  out(`### ${label}: engine vs llama-bench (${options.reps} alternating repeats)`);
  const engine = await loadEngine(modelPath, options);
  const { info } = engine;
  out(`engine: loaded in ${fmt(engine.loadMs, 0)} ms; ${info.architecture}, ${info.dialect} template, exact tokenizer ${info.exactTokenizer}, ` +
    `context ${info.contextSize}, ${info.threads} thread(s), ${info.gpu || 'cpu'} ${info.gpuLayers}/${info.totalLayers} layers on GPU`);
  const engineBackend = cpuBackendOf(engine.client.workerPid);
  const reference = tools.reference;
  out(`CPU variant: engine ${engineBackend}; llama-bench ${reference.variant ? `libggml-cpu-${reference.variant}.so` : 'none (crashed)'}` +
    (reference.variant && variantName(engineBackend) === reference.variant ? ' (the same kernels)' : reference.variant ? ' (NOT the same variant)' : ''));
  const lbArgs = llamaBenchArgs({ model: modelPath, threads: options.threads, batch: BATCH, prompt: PP_TOKENS, generate: TG_TOKENS, gpu: options.gpu });
  out(`llama-bench ${lbArgs.map((a) => (a === modelPath ? path.relative(repoRoot, a) : a)).join(' ')}`);
  const calibration = await calibratePrompt(engine.client);
  await engineTg(engine.client, {}, 0); // warm-up of the generation path
  out(`engine pp prompt: ${calibration.chars} characters -> ${calibration.usage.promptTokens} tokens, ${calibration.usage.evaluatedTokens} evaluated; ` +
    `tg: ${TG_TOKENS} tokens, default sampling (temperature 0.7, top-p 0.9) and greedy (temperature 0)`);

  // On a GPU three copies of a large model (engine, llama-bench, the decode loop alone) may not fit:
  // there each side holds the model only while it runs (the engine reloads it; load time is not counted).
  const exclusive = options.gpu || process.env.BENCH_EXCLUSIVE === '1';
  const rawOptions = { gpu: options.gpu, threads: options.threads, contextSize: CONTEXT_SIZE, batch: BATCH };
  const openWarmRaw = async () => {
    const opened = await openRaw(modelPath, rawOptions);
    await opened.pp(64);
    await opened.tg(8, { temperature: 0 });
    return opened;
  };
  let raw = exclusive ? undefined : await openWarmRaw();
  let server = exclusive ? undefined : await openServer(tools.reference, modelPath, options);
  const serverArgs = llamaServerArgs({ model: modelPath, threads: options.threads, batch: BATCH, contextSize: CONTEXT_SIZE, gpu: options.gpu, port: 'PORT' });
  out(`llama-server ${serverArgs.map((a) => (a === modelPath ? path.relative(repoRoot, a) : a)).join(' ')}; ` +
    `streamed POST /v1/chat/completions, temperature 0.7, top-p 0.9, top-k 40, min-p 0, cache_prompt false` +
    (server?.failure ? `: ${server.failure}${server.log ? ` (${server.log.split('\n').filter(Boolean).pop()})` : ''}` : ''));

  // A reference that crashed on the probe gives no figures: its cells say so and the run goes on.
  const benchOptions = { model: modelPath, threads: options.threads, batch: BATCH, prompt: PP_TOKENS, generate: TG_TOKENS, gpu: options.gpu };
  const runReference = (ref) => (ref.bench ? runLlamaBench(ref.bench, benchOptions, { cwd: ref.cwd }) : { failure: ref.failure ?? 'crashed on the probe', pp: NaN, tg: NaN });
  const reps = [];
  for (let i = 0; i < options.reps; i++) {
    // A: llama-bench; B: the engine; C: the engine's decode loop alone (same binary as B, no worker), and node-llama-cpp's evaluate().
    if (exclusive) await engine.client.unload();
    const a = runReference(reference);
    if (a.failure && reference.bench) out(`  rep ${i + 1}: llama-bench (${reference.variant}) ${a.failure}${a.stderr ? `: ${a.stderr.split('\n').pop()}` : ''}`);
    if (exclusive) {
      await engine.client.load({ modelPath, gpu: options.gpu ? 'auto' : false, threads: options.threads, contextSize: CONTEXT_SIZE });
      await engineTg(engine.client, { temperature: 0 }, 0);
    }
    const pp = await enginePp(engine.client, calibration.chars, i + 1);
    const tg = await engineTg(engine.client, {}, i + 1);
    const greedy = await engineTg(engine.client, { temperature: 0 }, i + 1);
    if (exclusive) {
      await engine.client.unload();
      server = await openServer(tools.reference, modelPath, options);
    }
    // S: llama-server, the peer, on the same kernels (the reference's variant folder).
    const s = server.failure
      ? { failure: server.failure, pp: { tps: NaN, clientMs: NaN }, tg: { tps: NaN } }
      : { pp: await serverPp(server, calibration.chars, i + 1), tg: await serverTg(server, SERVER_SAMPLING) };
    if (exclusive) {
      await server.stop?.();
      server = undefined;
      raw = await openWarmRaw();
    }
    const c = {
      ppOneDecode: await raw.ppOneDecode(PP_TOKENS),
      pp: await raw.pp(PP_TOKENS),
    };
    const rawJs0 = mainThreadMs(process.pid);
    const rawCpu0 = processCpuMs(process.pid);
    c.tg = await raw.tg(TG_TOKENS, { temperature: 0.7, topP: 0.9 });
    c.jsMs = (mainThreadMs(process.pid) - rawJs0) / TG_TOKENS;
    c.cpuMs = (processCpuMs(process.pid) - rawCpu0) / TG_TOKENS;
    c.greedy = await raw.tg(TG_TOKENS, { temperature: 0 });
    const evaluateJs0 = mainThreadMs(process.pid);
    c.tgEvaluate = await raw.tgEvaluate(TG_TOKENS, { temperature: 0.7, topP: 0.9 });
    c.evaluateJsMs = (mainThreadMs(process.pid) - evaluateJs0) / TG_TOKENS;
    if (exclusive) {
      await raw.dispose();
      raw = undefined;
    }
    const extra = tools.native ? runReference(tools.native) : undefined;
    if (extra?.failure && tools.native.bench) out(`  rep ${i + 1}: llama-bench -march=native ${extra.failure}`);
    reps.push({ lb: a, pp, tg, greedy, raw: c, native: extra, server: s });
    if (tg.usage.generatedTokens !== TG_TOKENS) out(`  warning: rep ${i + 1} generated ${tg.usage.generatedTokens} tokens (${tg.reason}), not ${TG_TOKENS}`);
  }
  await raw?.dispose();
  await server?.stop?.();
  if (exclusive) await engine.client.load({ modelPath, gpu: options.gpu ? 'auto' : false, threads: options.threads, contextSize: CONTEXT_SIZE });
  const meta = reps.find((r) => r.lb.meta)?.lb.meta;
  if (meta) {
    out(`llama-bench: ${meta.cpu_info}; backends ${meta.backends}; build ${meta.build_commit} (${meta.build_number}); ` +
      `flash_attn ${meta.flash_attn}; n_batch ${meta.n_batch}, n_ubatch ${meta.n_ubatch}, type_k ${meta.type_k}`);
  } else {
    out(`llama-bench: no figures (${reps[0].lb.failure})`);
  }
  out();
  const lbCell = (r, key) => (r.lb.failure ? r.lb.failure : fmt(r.lb[key]));
  const serverCell = (r, value) => (r.server.failure ? r.server.failure : fmt(value));
  const rows = reps.map((r, i) => [
    i + 1,
    lbCell(r, 'pp'), fmt(r.pp.tps), fmt(r.pp.workerTps), serverCell(r, r.server.pp.tps), `${r.pp.usage.evaluatedTokens} / ${r.server.pp.evaluated ?? '-'}`,
    fmt(r.pp.clientMs, 0), serverCell(r, r.server.pp.clientMs),
    lbCell(r, 'tg'), fmt(r.tg.tps), fmt(r.tg.workerTps), serverCell(r, r.server.tg.tps), fmt(r.greedy.tps),
  ]);
  table(['rep', 'pp llama-bench t/s', 'pp engine t/s', 'pp worker t/s', 'pp llama-server t/s', 'pp tokens engine / server', 'TTFT engine ms', 'TTFT llama-server ms',
    'tg llama-bench t/s', 'tg engine t/s', 'tg worker t/s', 'tg llama-server t/s', 'tg engine greedy t/s'], rows);
  out();
  out('the decode loop alone (C, src/engine/decodeLoop.ts in this process, same prebuilt binary as the engine; pp 512 is one node-llama-cpp decode) and node-llama-cpp\'s evaluate()' + (tools.native ? ', and llama-bench built with -march=native (D)' : '') + ':');
  const dCell = (r, key) => (r.native.failure ? r.native.failure : fmt(r.native[key]));
  table(
    ['rep', 'pp 512 t/s', 'pp 2x256 (loop) t/s', 'tg sampled (loop) t/s', 'tg greedy (loop) t/s', 'tg sampled, evaluate() t/s', ...(tools.native ? ['D pp t/s', 'D tg t/s'] : [])],
    reps.map((r, i) => [i + 1, fmt(r.raw.ppOneDecode), fmt(r.raw.pp), fmt(r.raw.tg), fmt(r.raw.greedy), fmt(r.raw.tgEvaluate), ...(r.native ? [dCell(r, 'pp'), dCell(r, 'tg')] : [])]),
  );
  const ratios = {
    pp: reps.map((r) => r.pp.tps / r.lb.pp),
    ppWorker: reps.map((r) => r.pp.workerTps / r.lb.pp),
    tg: reps.map((r) => r.tg.tps / r.lb.tg),
    tgWorker: reps.map((r) => r.tg.workerTps / r.lb.tg),
    tgGreedy: reps.map((r) => r.greedy.tps / r.lb.tg),
    tgVsServer: reps.map((r) => r.tg.tps / r.server.tg.tps),
    ppVsServer: reps.map((r) => r.pp.tps / r.server.pp.tps),
    ttftVsServer: reps.map((r) => r.pp.clientMs / r.server.pp.clientMs),
    serverTg: reps.map((r) => r.server.tg.tps / r.lb.tg),
    serverPp: reps.map((r) => r.server.pp.tps / r.lb.pp),
    rawPp: reps.map((r) => r.raw.pp / r.lb.pp),
    rawTg: reps.map((r) => r.raw.tg / r.lb.tg),
    enginePpVsRaw: reps.map((r) => r.pp.tps / r.raw.pp),
    engineTgVsRaw: reps.map((r) => r.tg.tps / r.raw.tg),
    ...(tools.native ? { nativePp: reps.map((r) => r.raw.pp / r.native.pp), nativeTg: reps.map((r) => r.raw.tg / r.native.tg) } : {}),
  };
  const verdict = (xs, target) => (finite(xs).length === 0 ? 'no reference' : median(xs) >= target ? 'pass' : 'BELOW');
  out();
  out(`ratio engine/llama-bench (min / median / max, paired by repeat):`);
  out(`  tg ${spread(ratios.tg)}  target >= ${TARGETS.tg}: ${verdict(ratios.tg, TARGETS.tg)}` +
    `   (worker-side ${spread(ratios.tgWorker)}; greedy ${spread(ratios.tgGreedy)})`);
  out(`  pp ${spread(ratios.pp)}  target >= ${TARGETS.pp}: ${verdict(ratios.pp, TARGETS.pp)}   (worker-side ${spread(ratios.ppWorker)})`);
  out(`  where the gap is: the decode loop alone / llama-bench: pp ${spread(ratios.rawPp)}, tg ${spread(ratios.rawTg)}; ` +
    `engine / the loop alone: pp ${spread(ratios.enginePpVsRaw)}, tg ${spread(ratios.engineTgVsRaw)}`);
  if (ratios.nativePp) out(`  the loop alone / llama-bench -march=native: pp ${spread(ratios.nativePp)}, tg ${spread(ratios.nativeTg)}`);
  out(`ratio engine/llama-server (the peer; min / median / max): tg ${spread(ratios.tgVsServer)} target >= ${TARGETS.tgServer}: ${verdict(ratios.tgVsServer, TARGETS.tgServer)}; ` +
    `pp ${spread(ratios.ppVsServer)}; TTFT of the pp prompt, engine ms / llama-server ms (below 1: the engine is first) ${spread(ratios.ttftVsServer)}`);
  out(`  llama-server / llama-bench: tg ${spread(ratios.serverTg)}, pp ${spread(ratios.serverPp)}`);
  const overhead = perTokenOverhead(reps);
  out(`  per generated token (medians of the paired differences): llama-bench ${fmt(overhead.benchMs, 2)} ms; ` +
    `engine +${fmt(overhead.engine, 2)} ms over llama-bench (target <= ${TARGETS.overheadMs} ms: ${overhead.engine <= TARGETS.overheadMs ? 'pass' : 'BELOW'}), ` +
    `of which the decode loop +${fmt(overhead.loop, 2)} ms (the loop alone) and the worker (tokenizer, parser, IPC) +${fmt(overhead.worker, 2)} ms; ` +
    `llama-server +${fmt(overhead.server, 2)} ms; greedy engine +${fmt(overhead.greedy, 2)} ms; node-llama-cpp's evaluate() alone +${fmt(overhead.evaluate, 2)} ms`);
  out(`  projected at GPU speeds (llama-bench at 5 / 10 ms a token, the same overhead in ms): engine ${fmt(project(5, overhead.engine), 3)} / ${fmt(project(10, overhead.engine), 3)} of llama-bench, ` +
    `llama-server ${fmt(project(5, overhead.server), 3)} / ${fmt(project(10, overhead.server), 3)}; engine / llama-server ${fmt(project(5, overhead.engine) / project(5, overhead.server), 3)} / ${fmt(project(10, overhead.engine) / project(10, overhead.server), 3)}`);
  const js = jsPerToken(reps);
  out(`  main-thread CPU per generated token (JavaScript between two decodes; a faster decode leaves it as it is): the decode loop alone ${fmt(js.raw, 3)} ms ` +
    `(node-llama-cpp's evaluate() ${fmt(js.evaluate, 3)} ms), the model process ${fmt(js.worker, 3)} ms (the worker's share ${fmt(js.worker - js.raw, 3)} ms), the client receiving the events ${fmt(js.client, 3)} ms`);
  out(`  CPU per generated token, all threads (decode included): llama-server ${fmt(js.serverCpu, 2)} ms, the decode loop alone ${fmt(js.rawCpu, 2)} ms, ` +
    `the model process ${fmt(js.workerCpu, 2)} ms; engine / llama-server ${fmt(js.serverCpu / js.workerCpu, 3)} by CPU time (above 1: the engine spends less)`);
  out(`  projected from that at 5 / 10 ms a token of decode: engine ${fmt(project(5, js.worker), 3)} / ${fmt(project(10, js.worker), 3)} of llama-bench, ` +
    `the loop alone ${fmt(project(5, js.raw), 3)} / ${fmt(project(10, js.raw), 3)}, node-llama-cpp's evaluate() ${fmt(project(5, js.evaluate), 3)} / ${fmt(project(10, js.evaluate), 3)}`);
  out(`  text events per 128-token request: ${median(reps.map((r) => r.tg.events))} (deltas of one 16 ms frame are sent as one)`);
  return { engine, ratios, reps, overhead, js, lbArgs, engineVariant: variantName(engineBackend) ?? engineBackend };
}

/**
 * Probes each reference once on a short batched prompt (PROBE) with the bench's smallest model:
 * the loadable-backend build from ggml's choice of CPU variant down (bench/reference-probe.mjs),
 * and the -march=native build (--native) as it is. Crashes are findings, printed and kept.
 */
function probeReferences(tools, modelPath, options) {
  out();
  out(`## reference llama-bench: CPU variant (probe: llama-bench -p ${PROBE.prompt} -n ${PROBE.generate} -r 1 on ${path.basename(modelPath)})`);
  const benchOptions = { model: modelPath, threads: options.threads, batch: BATCH, gpu: options.gpu };
  const scores = cpuVariantScores(tools.toolsDir, path.join(repoRoot, 'bench', '.cache'));
  if (scores.length === 0) {
    // node-llama-cpp built from source (bench/gpu): one CPU backend for this machine, libggml-cpu.so, no variants.
    const probe = probeSingle(tools.bench, benchOptions);
    out(`no CPU variants in ${path.relative(repoRoot, tools.toolsDir)} (node-llama-cpp's own source build: one libggml-cpu.so for this machine): ` +
      `${probe.failure ? `FINDING: llama-bench ${probe.failure} on the probe${probe.stderr ? `; its last output: ${probe.stderr.split('\n').pop()}` : ''}` : 'llama-bench passed the probe'}`);
    tools.reference = { variant: probe.failure ? undefined : 'native', crashed: [], bench: tools.bench, server: tools.server, cwd: tools.toolsDir, failure: probe.failure };
    return;
  }
  out(`ggml's scores here (ggml_backend_score of each libggml-cpu-*.so in ${path.relative(repoRoot, tools.toolsDir)}; 0: not usable on this CPU):`);
  out(`  ${[...scores].sort((a, b) => (b.score || 0) - (a.score || 0)).map((s) => `${s.variant} ${Number.isFinite(s.score) ? s.score : '?'}`).join(', ')}`);
  const order = fallbackOrder(scores, { start: args['cpu-variant'] });
  const started = performance.now();
  const choice = probeReference(tools.toolsDir, order, benchOptions);
  for (const crash of choice.crashed) {
    out(`  FINDING: llama-bench with libggml-cpu-${crash.variant}.so ${crash.failure} on the probe${crash.stderr ? `; its last output: ${crash.stderr.split('\n').pop()}` : ''}`);
  }
  out(`reference CPU variant: ${describeChoice(choice, { probe: 'the probe', chosenBy: args['cpu-variant'] ? `--cpu-variant ${args['cpu-variant']}` : "ggml's choice" })}; probed in ${fmt((performance.now() - started) / 1000, 1)} s`);
  tools.reference = { ...choice, failure: choice.variant ? undefined : choice.crashed.at(-1)?.failure ?? 'no usable CPU variant' };
  if (tools.native) {
    const probe = probeSingle(tools.native.bench, benchOptions);
    out(`-march=native llama-bench (D): ${probe.failure ? `FINDING: ${probe.failure} on the probe, no D figures${probe.stderr ? `; its last output: ${probe.stderr.split('\n').pop()}` : ''}` : 'passed the probe'}`);
    if (probe.failure) tools.native = { failure: probe.failure };
  }
}

// ---------------------------------------------------------------------------------------------
// Time to first token: explain a 200-line file, cold then a follow-up turn

async function timeToFirstToken(label, client, reps) {
  out();
  out(`### ${label}: time to first token, "このファイルを説明してください" + a 200-line file (${reps} repeats)`);
  const file = twoHundredLineFile();
  const question = { role: 'user', content: 'このファイルを説明してください' };
  const rows = [];
  let allWarmReuse = true;
  for (let i = 0; i < reps; i++) {
    // An unrelated request first, so that the cold one finds only the template's first tokens in the cache.
    await timedRequest(client, { messages: [{ role: 'user', content: `別の話題 ${i}` }], maxTokens: 1 });
    const conversation = `ttft-${i}-${Date.now()}`;
    const cold = await timedRequest(client, { conversation, messages: [question], context: [file], maxTokens: 32 });
    // The follow-up carries the first message as the model read it (file attached) and the answer.
    const { attachContext } = engineModules();
    const history = [...attachContext([question], [file]), { role: 'assistant', content: cold.text }];
    const warm = await timedRequest(client, {
      conversation,
      messages: [...history, { role: 'user', content: 'dispose() は何をしますか？' }],
      maxTokens: 32,
    });
    const warmOk = warm.usage.reusedTokens >= cold.usage.promptTokens && warm.usage.evaluatedTokens === warm.usage.promptTokens - warm.usage.reusedTokens;
    allWarmReuse &&= warmOk;
    for (const [name, r] of [['cold', cold], ['warm', warm]]) {
      rows.push([i + 1, name, r.usage.promptTokens, r.usage.reusedTokens, r.usage.evaluatedTokens, r.usage.timeToFirstTokenMs, fmt((r.firstTextAt ?? r.done.at) - r.sentAt, 0)]);
    }
    if (i === reps - 1) {
      // What a client that re-attaches the file to the new question instead would pay.
      const naive = await timedRequest(client, {
        conversation,
        messages: [question, { role: 'assistant', content: cold.text }, { role: 'user', content: 'dispose() は何をしますか？' }],
        context: [file],
        maxTokens: 32,
      });
      rows.push([i + 1, 'warm, file re-attached to the new question', naive.usage.promptTokens, naive.usage.reusedTokens, naive.usage.evaluatedTokens, naive.usage.timeToFirstTokenMs, fmt((naive.firstTextAt ?? naive.done.at) - naive.sentAt, 0)]);
    }
  }
  table(['rep', 'case', 'prompt tokens', 'reused', 'evaluated', 'TTFT worker ms', 'TTFT client ms'], rows);
  out(`warm turns reuse the whole first prompt and evaluate only the new tokens: ${allWarmReuse ? 'yes' : 'NO'}`);
  return { rows, allWarmReuse };
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const m = machine();
  const release = llamaRelease();
  const { chooseThreads } = engineModulesSafe();
  const threads = args.threads ? Number(args.threads) : chooseThreads();
  const reps = Math.max(1, Math.min(20, Number(args.reps ?? (args.full ? 3 : 5))));
  const options = { gpu: args.gpu, threads, reps };

  out(`# npm run bench — ${m.date}`);
  out(`machine: ${m.nproc} CPUs (nproc), ${m.cpu} [${m.simd}], ${m.memory}`);
  out(`node ${m.node}; node-llama-cpp ${m.nodeLlamaCpp} (llama.cpp release ${release.tag}); git ${m.commit}`);
  out(`threads ${threads} (chooseThreads(${os.availableParallelism()})), batch ${BATCH}, context ${CONTEXT_SIZE}, ${args.gpu ? 'GPU (auto / -ngl 99)' : 'CPU only'}`);

  if (!args['no-compile'] && !args['dry-run']) {
    out();
    out('compiling: npx tsc -p .');
    const tsc = spawnSync('nice', ['-n', '10', 'npx', 'tsc', '-p', '.'], { cwd: repoRoot, encoding: 'utf8' });
    if (tsc.status !== 0) out(`  tsc reported errors (output still emitted; the bench uses it):\n${tsc.stdout.split('\n').slice(0, 10).join('\n')}`);
  }
  if (!modelSections && !args['dry-run']) return hostSections([]);

  out();
  out('## llama.cpp reference tools');
  let tools;
  if (args['dry-run']) {
    out(`would build bench/.cache/llama-tools-dl${args.gpu ? '-cuda' : ''}/ (llama-bench, llama-quantize, llama-server, to run on node-llama-cpp's own libraries` +
      `${args.native ? '; and llama-tools-native/, -march=native' : ''}) from node_modules/node-llama-cpp/llama/gitRelease.bundle:`);
    out(`  cmake ${cmakeOptionsFor(args.gpu ? 'cuda' : 'cpu').join(' ')}`);
    out(`then probe it (llama-bench -p ${PROBE.prompt} -n ${PROBE.generate} -r 1) from ggml's choice of CPU variant down to the first that does not crash`);
  } else if (!referenceSections) {
    out('none needed: these sections run the engine alone, on the generator\'s Q8_0 files');
  } else {
    tools = await ensureLlamaTools({ variant: args.gpu ? 'cuda' : 'cpu', log: out });
    out(`llama-bench, llama-server and llama-quantize: llama.cpp ${tools.tag}, commit ${tools.commit.slice(0, 12)}, patches [${tools.patches.join(', ')}], built ${tools.builtAt} (${tools.buildSeconds} s)`);
    out(`  cmake ${tools.cmakeOptions.join(' ')}`);
    out(tools.engineLibraries
      ? `  running on node-llama-cpp's own ${tools.engineLibraries.libraries.join(', ')} from ${path.relative(repoRoot, tools.engineLibraries.libDir)}`
      : '  running on their own libraries (node-llama-cpp has no prebuilt libraries for this platform)');
    if (args.native) {
      const native = await ensureLlamaTools({ variant: 'native', log: out });
      tools.native = { ...native };
      out(`-march=native llama-bench (D): built ${native.builtAt} (${native.buildSeconds} s)`);
    }
  }

  out();
  out('## models (random weights, real shapes)');
  const vocab = benchVocab();
  out(`vocabulary: ${vocab.name}${vocab.vocab ? ` (${vocab.vocab.pieces.length} pieces from ../shared/llm-jp-4)` : ' (../shared/llm-jp-4 is absent)'}; template LLM-jp-3 (plain answer text)`);
  const plans = selectedShapes().map((s) => modelPlan(s, vocab, selectedQuants(QUANTS)));
  const free = freeBytes();
  for (const plan of plans) {
    const s = plan.shape;
    out(`${plan.name}: ${s.architecture}, ${s.layers} layers, hidden ${s.hidden}, ${s.heads}/${s.kvHeads} heads, FFN ${s.expertFeedForward ? `${s.experts}x${s.expertFeedForward} experts (${s.expertsUsed} used)` : s.feedForward}; ` +
      `Q8_0 ${(plan.q8Bytes / 2 ** 30).toFixed(2)} GiB`);
    for (const [quant, file] of Object.entries(plan.files)) {
      const how = quant === 'Q8_0' ? 'writeTameModel (generator, Q8_0 matrices)' : `llama-quantize --allow-requantize ${path.basename(plan.q8)} ${path.basename(file)} ${quant}`;
      out(`  ${quant}: ${path.relative(repoRoot, file)}${existsSync(file) ? ' (present)' : ''} <- ${how}`);
    }
  }
  out(`free disk at bench/.cache/models: ${(free / 2 ** 30).toFixed(1)} GiB`);
  if (args['dry-run']) {
    out();
    out('dry run: nothing generated or measured. Per model the run would do, alternating:');
    out(`  A: llama-bench ${llamaBenchArgs({ model: 'MODEL', threads, batch: BATCH, prompt: PP_TOKENS, generate: TG_TOKENS, gpu: args.gpu }).join(' ')}`);
    out(`  B: engine pp (${PP_TOKENS}-token prompt, maxTokens 1), tg (${TG_TOKENS} tokens, default and greedy sampling)`);
    return;
  }

  const summary = [];
  for (const plan of plans) {
    out();
    out(`## ${plan.name}`);
    const quants = quantsFor(tools);
    const files = ensureModels(tools ? plan : { ...plan, files: { Q8_0: plan.files.Q8_0 } }, vocab, tools?.quantize, out);
    if ((sections.has('throughput') || sections.has('context')) && !tools.reference) probeReferences(tools, files.Q8_0 ?? files[quants[0]], options);
    for (const quant of quants) {
      const label = `${plan.name} ${quant}`;
      // bench-fast's repeats are short (128 tokens in half a second) and move with the machine: three times as many.
      const reps = plan.name === 'bench-fast' ? options.reps * 3 : QUICK_SHAPES.includes(plan.name) ? options.reps : Math.min(options.reps, 3);
      let engine;
      try {
        if (sections.has('throughput')) {
          const result = await throughput(label, files[quant], tools, { ...options, reps });
          engine = result.engine;
          summary.push({ label, ratios: result.ratios, reps: result.reps, overhead: result.overhead, js: result.js, engineVariant: result.engineVariant, reference: tools.reference });
        }
        if (sections.has('ttft')) {
          engine ??= await loadEngine(files[quant], options);
          await timeToFirstToken(label, engine.client, QUICK_SHAPES.includes(plan.name) ? 2 : 1);
        }
        if (sections.has('commit') && plan.name === 'bench-small' && quant === quants[0]) {
          engine ??= await loadEngine(files[quant], options);
          out();
          out(`### ${label}: commit message of a 2,000-line diff (Source Control button's path, core/commit/commitRun)`);
          await commitMessageBench(engine.client, engine.info, out);
        }
      } finally {
        engine?.client.dispose();
      }
    }
    if (sections.has('context') && plan.name === 'bench-small') {
      const depths = args.depths ? args.depths.split(',').map(Number) : DEPTHS;
      out();
      out(`## ${plan.name} Q4_K_M: long context (${depths.join(', ')} tokens), engine vs llama-server vs llama-bench -d`);
      await longContextBench(files.Q4_K_M, tools.reference, { ...options, depths }, { out, table, fmt, batch: BATCH });
    }
    if (sections.has('concurrent') && plan.name === 'bench-small') {
      out();
      out(`## ${plan.name} ${quantsFor(tools)[0]}: two surfaces at once (a chat answer while a commit message is generated)`);
      await concurrentBench(files[quantsFor(tools)[0]], options, { out, table, fmt });
    }
    if (sections.has('memory') && plan.name === 'bench-small' && !args.gpu) {
      out();
      out(`## ${plan.name}: the model process's memory against the memory planner`);
      for (const quant of quantsFor(tools)) await memoryBench(files[quant], { ...options, contexts: [4096, 16384] }, { out, table });
    }
    if (sections.has('grammar') && plan.name === 'bench-small') {
      out();
      out(`## ${plan.name} Q8_0: tokens/s inside grammar-constrained tool arguments vs free generation, target >= ${GRAMMAR_TARGET}`);
      await grammarBench(files.Q8_0, { ...options, reps: Math.max(3, options.reps) }, { out, table });
    }
    if (sections.has('tokenizer') && plan.name === 'bench-small') {
      out();
      out('## tokenizer: exact Unigram (src/core/tokenizer) vs node-llama-cpp model.tokenize, 1 MB mixed text');
      const lines = await tokenizerSpeed(plan.files.Q8_0, vocab.name === 'llm-jp-4');
      for (const line of lines) out(line);
    }
  }

  await hostSections(summary);
}

/** The sections that need no model (activation, panel), then the summary and the transcript. */
async function hostSections(summary) {
  if (sections.has('activation')) {
    out();
    out('## extension activation (code-server extension host)');
    for (const line of await measureActivation()) out(line);
  }

  if (sections.has('memory')) {
    out();
    out("## the extension host's memory (code-server): bare, activated with the chat panel open, after a 200-message chat; target under 50 MiB above bare");
    const { e2eModels, modelSettings } = await import('../test/e2e/models.mjs');
    for (const line of await measureHostMemory({ turns: 100, modelSettings: modelSettings(e2eModels().greeting) })) out(line);
  }

  if (sections.has('panel')) {
    out();
    out('## chat panel render (Chromium, dist/webview.js): 10,000-token answer, target >= 2,000 tok/s, longest frame <= 50 ms; runaway blocks, longest frame <= 100 ms');
    try {
      await measurePanelRender({ reps: Math.min(Number(args.reps ?? 3), 5), out });
    } catch (error) {
      out(`the panel benchmark broke: ${String(error?.stack ?? error).split('\n').slice(0, 3).join(' ')}`);
      process.exitCode = 1;
    }
  }

  if (summary.length > 0) {
    out();
    out('## summary: engine / llama-bench, median over paired repeats (min-max)');
    const cell = (xs) => (finite(xs).length === 0 ? '-' : `${fmt(median(xs), 3)} (${fmt(Math.min(...finite(xs)), 3)}-${fmt(Math.max(...finite(xs)), 3)})`);
    const mark = (xs, target) => (finite(xs).length === 0 ? 'no reference' : median(xs) >= target ? 'pass' : 'BELOW');
    // A reference that crashed in every repeat: its cells carry the failure instead of a figure.
    const lb = (reps, key) => (reps.every((r) => r.lb.failure) ? `crashed: ${reps[0].lb.failure}` : fmt(median(reps.map((r) => r.lb[key]))));
    table(
      ['model', 'CPU variant engine / llama-bench', 'tg llama-bench t/s', 'tg engine t/s', 'tg ratio', `tg >= ${TARGETS.tg}`, 'pp llama-bench t/s', 'pp engine t/s', 'pp ratio', `pp >= ${TARGETS.pp}`, 'tg ratio, greedy'],
      summary.map(({ label, ratios, reps, engineVariant, reference }) => [
        label,
        `${engineVariant} / ${reference.variant ?? 'none'}${reference.crashed.length > 0 ? ` (${reference.crashed.map((c) => `${c.variant} ${c.failure.replace('killed by ', '')}`).join(', ')})` : ''}`,
        lb(reps, 'tg'), fmt(median(reps.map((r) => r.tg.tps))), cell(ratios.tg), mark(ratios.tg, TARGETS.tg),
        lb(reps, 'pp'), fmt(median(reps.map((r) => r.pp.tps))), cell(ratios.pp), mark(ratios.pp, TARGETS.pp),
        cell(ratios.tgGreedy),
      ]),
    );
    out();
    out('## summary: engine / llama-server (the peer) and the per-token overhead, median over paired repeats (min-max)');
    table(
      ['model', 'tg llama-server t/s', 'tg engine t/s', `tg engine / llama-server (>= ${TARGETS.tgServer})`, 'pp engine / llama-server', 'TTFT engine / llama-server (ms, lower: engine first)',
        'ms per token over llama-bench: engine / decode loop / worker / llama-server / node-llama-cpp evaluate()', `engine overhead <= ${TARGETS.overheadMs} ms`, 'projected engine / llama-bench at 5 ms, 10 ms a token',
        'main-thread ms per token: decode loop alone / node-llama-cpp evaluate() / model process / client', 'projected from main-thread time at 5 ms, 10 ms',
        'CPU ms per token, all threads: llama-server / decode loop alone / model process'],
      summary.map(({ label, ratios, reps, overhead, js }) => [
        label,
        fmt(median(reps.map((r) => r.server.tg.tps))), fmt(median(reps.map((r) => r.tg.tps))),
        `${cell(ratios.tgVsServer)} ${mark(ratios.tgVsServer, TARGETS.tgServer)}`, cell(ratios.ppVsServer), cell(ratios.ttftVsServer),
        [overhead.engine, overhead.loop, overhead.worker, overhead.server, overhead.evaluate].map((x) => fmt(x, 2)).join(' / '),
        Number.isFinite(overhead.engine) ? (overhead.engine <= TARGETS.overheadMs ? 'pass' : 'BELOW') : 'no reference',
        `${fmt(project(5, overhead.engine), 3)}, ${fmt(project(10, overhead.engine), 3)}`,
        [js.raw, js.evaluate, js.worker, js.client].map((x) => fmt(x, 3)).join(' / '),
        `${fmt(project(5, js.worker), 3)}, ${fmt(project(10, js.worker), 3)}`,
        [js.serverCpu, js.rawCpu, js.workerCpu].map((x) => fmt(x, 2)).join(' / '),
      ]),
    );
    const differing = summary.filter((row) => row.reference.variant !== row.engineVariant);
    if (differing.length > 0) {
      out(`note: in ${differing.map((row) => row.label).join(', ')} the engine and llama-bench ran different CPU variants ` +
        `(${args['cpu-variant'] ? `--cpu-variant ${args['cpu-variant']}` : 'the reference fell back from a crashing variant'}): ` +
        'those ratios compare different kernels as well as the engine with llama.cpp.');
    }
  }
  mkdirSync(path.join(repoRoot, 'bench', '.cache'), { recursive: true });
  writeFileSync(path.join(repoRoot, 'bench', '.cache', 'last-run.txt'), `${transcript.join('\n')}\n`);
  out();
  out('transcript: bench/.cache/last-run.txt');
}

/** Q4_K_M needs llama-quantize: without the reference tools only the generator's Q8_0 files exist. */
const quantsFor = (tools) => selectedQuants(tools ? QUANTS : ['Q8_0']);

/** --quants: the types asked for, of those a run can make. */
function selectedQuants(available) {
  if (!args.quants) return available;
  const asked = args.quants.split(',');
  const unknown = asked.filter((q) => !QUANTS.includes(q));
  if (unknown.length > 0) throw new Error(`--quants: unknown ${unknown.join(', ')}; choose from ${QUANTS.join(', ')}`);
  return available.filter((q) => asked.includes(q));
}

/** --shapes: the shapes asked for by name, else bench-small and bench-fast (and the two LLM-jp-4 sizes with --full). */
function selectedShapes() {
  if (!args.shapes) return benchShapes(args.full);
  const all = benchShapes(true);
  const asked = args.shapes.split(',');
  const unknown = asked.filter((name) => !all.some((s) => s.name === name));
  if (unknown.length > 0) throw new Error(`--shapes: unknown ${unknown.join(', ')}; choose from ${all.map((s) => s.name).join(', ')}`);
  return all.filter((s) => asked.includes(s.name));
}

function engineModulesSafe() {
  if (!existsSync(path.join(repoRoot, 'out', 'src', 'engine', 'client.js'))) {
    spawnSync('nice', ['-n', '10', 'npx', 'tsc', '-p', '.'], { cwd: repoRoot, stdio: 'inherit' });
  }
  return engineModules();
}

const started = Date.now();
try {
  await main();
} finally {
  console.log(`bench finished in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
