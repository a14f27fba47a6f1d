// Which CPU variant the reference llama-bench runs, and what the bench does when it crashes.
//
// The reference runs on node-llama-cpp's own prebuilt libraries (scripts/llama-tools.mjs): every
// CPU variant is a loadable libggml-cpu-<name>.so, and ggml loads the one with the best score
// (ggml_backend_score, exported by each variant) from the executable's folder and the current
// folder. The bench runs llama-bench from a folder that holds only the variant it chose, so that
// the variant is known, not guessed: first ggml's own choice, then, when that one crashes on the
// probe (a short batched prompt), the next by ggml's score, and so on. A crash is a finding that
// the results report; the run goes on.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runLlamaBench } from './llama-bench.mjs';

/** The probe: a batched prompt (the crash on Sapphire Rapids needs more than one token), no generation. */
export const PROBE = { prompt: 64, generate: 0 };

/**
 * The variants in the order to try them: ggml's choice (the highest score) first, then the
 * others by falling score, which is the one ggml would load if the better ones were absent.
 * A score of 0 means this CPU lacks an instruction the variant needs. `start` skips the
 * better-scored ones (--cpu-variant).
 */
export function fallbackOrder(scores, { start } = {}) {
  const usable = scores
    .filter((s) => Number.isFinite(s.score) && s.score > 0)
    .sort((a, b) => b.score - a.score || a.variant.localeCompare(b.variant))
    .map((s) => s.variant);
  if (start === undefined) return usable;
  const at = usable.indexOf(start);
  if (at < 0) throw new Error(`CPU variant ${start} is not usable here; usable by ggml's score: ${usable.join(', ') || 'none'}`);
  return usable.slice(at);
}

/**
 * Tries each variant in `order` with `attempt(variant)`, which returns `{ failure }` (a string)
 * when that variant failed. The first success is the variant used; every failure before it is
 * kept as a finding. `variant` is undefined when all of them failed.
 */
export function chooseVariant(order, attempt) {
  const crashed = [];
  for (const variant of order) {
    const outcome = attempt(variant);
    if (!outcome.failure) return { variant, outcome, crashed };
    crashed.push({ variant, failure: outcome.failure, stderr: outcome.stderr });
  }
  return { variant: undefined, outcome: undefined, crashed };
}

/** One line for the results: what ran, and what crashed before it. */
export function describeChoice(choice, { probe = 'the probe', chosenBy = "ggml's choice" } = {}) {
  const crashes = choice.crashed.map((c) => `${c.variant} ${c.failure}`).join('; ');
  if (choice.variant === undefined) {
    return choice.crashed.length > 0 ? `every CPU variant failed ${probe} (${crashes}): no reference figures` : 'no usable CPU variant: no reference figures';
  }
  return choice.crashed.length > 0 ? `${choice.variant} (after ${crashes} on ${probe})` : `${choice.variant} (${chosenBy})`;
}

/**
 * A folder that makes ggml load only `variant`: copies of llama-bench and llama-server (ggml
 * searches the folder of /proc/self/exe, so a symlink to a binary would not do), links to the
 * shared libraries and a link to libggml-cpu-<variant>.so. The tools run with it as their
 * current folder too.
 */
export function variantFolder(toolsDir, variant) {
  const dir = path.join(toolsDir, 'only', variant);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const binaries = ['llama-bench', 'llama-server'].filter((name) => existsSync(path.join(toolsDir, name)));
  for (const name of binaries) copyFileSync(path.join(toolsDir, name), path.join(dir, name));
  for (const file of readdirSync(toolsDir)) {
    const cpuVariant = /^libggml-cpu-(.+)\.so$/.exec(file)?.[1];
    if (!/\.so(\.|$)/.test(file) || (cpuVariant !== undefined && cpuVariant !== variant)) continue;
    symlinkSync(path.join('..', '..', file), path.join(dir, file));
  }
  return { bench: path.join(dir, 'llama-bench'), server: binaries.includes('llama-server') ? path.join(dir, 'llama-server') : undefined, cwd: dir };
}

const SCORES_SOURCE = `// bench/reference-probe.mjs: prints ggml_backend_score() of each backend library given.
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char ** argv) {
  for (int i = 1; i < argc; i++) {
    void * handle = dlopen(argv[i], RTLD_NOW | RTLD_LOCAL);
    int (*score)(void) = handle ? (int (*)(void)) dlsym(handle, "ggml_backend_score") : 0;
    printf("%s\\t%d\\n", argv[i], score ? score() : -1);
    fflush(stdout);
  }
  return 0;
}
`;

/**
 * ggml's score of each libggml-cpu-*.so in `dir` on this machine, from the libraries' own
 * ggml_backend_score (the function ggml_backend_load_best calls), through a small C helper
 * compiled once into `helperDir`.
 */
export function cpuVariantScores(dir, helperDir) {
  const helper = path.join(helperDir, 'ggml-cpu-scores');
  if (!existsSync(helper)) {
    mkdirSync(helperDir, { recursive: true });
    writeFileSync(`${helper}.c`, SCORES_SOURCE);
    const cc = spawnSync('cc', ['-O1', '-o', helper, `${helper}.c`, '-ldl'], { encoding: 'utf8' });
    if (cc.status !== 0) throw new Error(`cc could not build ${helper}: ${cc.stderr}`);
  }
  const files = readdirSync(dir).filter((f) => /^libggml-cpu-.+\.so$/.test(f)).sort();
  const result = spawnSync(helper, files.map((f) => path.join(dir, f)), { encoding: 'utf8', timeout: 60_000 });
  const scores = new Map(result.stdout.split('\n').filter(Boolean).map((line) => {
    const [file, score] = line.split('\t');
    return [path.basename(file), Number(score)];
  }));
  // A library that crashed the helper, and those after it, get no score (and are not tried).
  return files.map((f) => ({ variant: /^libggml-cpu-(.+)\.so$/.exec(f)[1], score: scores.get(f) ?? NaN }));
}

/**
 * Probes the reference once: llama-bench -p 64 -n 0 -r 1 (PROBE) with each variant in
 * `order` until one succeeds. Returns the choice (chooseVariant) with, for the variant used,
 * `bench` and `cwd` to run it with.
 */
export function probeReference(toolsDir, order, benchOptions) {
  const folders = new Map();
  const choice = chooseVariant(order, (variant) => {
    const folder = variantFolder(toolsDir, variant);
    folders.set(variant, folder);
    return runLlamaBench(folder.bench, { ...benchOptions, ...PROBE }, { cwd: folder.cwd, timeoutMs: 300_000 });
  });
  return { ...choice, ...(choice.variant !== undefined ? folders.get(choice.variant) : {}) };
}

/** Probes a reference that has no variants to fall back to (the -march=native build). */
export function probeSingle(bench, benchOptions) {
  const outcome = runLlamaBench(bench, { ...benchOptions, ...PROBE }, { timeoutMs: 300_000 });
  return outcome.failure ? { failure: outcome.failure, stderr: outcome.stderr } : { failure: undefined };
}
