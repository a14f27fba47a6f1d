// The bench's reference llama-bench (bench/llama-bench.mjs, bench/reference-probe.mjs): a crash
// is a finding the run reports, and a crashing CPU variant gives way to the next by ggml's score.
// A fake llama-bench (a shell script that kills itself) stands in for llama.cpp's, so this runs
// without a llama.cpp build.
import * as assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const bench = path.resolve(__dirname, '..', '..', '..', 'bench');

interface Outcome { failure?: string; stderr?: string; pp: number; tg: number }
interface Choice { variant?: string; crashed: { variant: string; failure: string }[]; bench?: string; cwd?: string }
interface LlamaBenchModule {
  runLlamaBench(binary: string, options: object, run?: { cwd?: string; timeoutMs?: number }): Outcome;
}
interface ProbeModule {
  PROBE: { prompt: number; generate: number };
  fallbackOrder(scores: { variant: string; score: number }[], options?: { start?: string }): string[];
  chooseVariant(order: string[], attempt: (variant: string) => { failure?: string }): Choice;
  describeChoice(choice: Choice): string;
  probeReference(toolsDir: string, order: string[], options: object): Choice;
}

const load = <T>(file: string): Promise<T> => import(pathToFileURL(path.join(bench, file)).href) as Promise<T>;

/**
 * ggml's scores on the Sapphire Rapids machine the crash was seen on: ggml_backend_score of each
 * of node-llama-cpp's prebuilt linux-x64 variants there (bench/reference-probe.mjs, cpuVariantScores).
 */
const SAPPHIRE_RAPIDS_SCORES = [
  { variant: 'alderlake', score: 128 }, { variant: 'cannonlake', score: 448 }, { variant: 'cascadelake', score: 1216 },
  { variant: 'cooperlake', score: 1728 }, { variant: 'haswell', score: 64 }, { variant: 'icelake', score: 1472 },
  { variant: 'ivybridge', score: 23 }, { variant: 'piledriver', score: 24 }, { variant: 'sandybridge', score: 21 },
  { variant: 'sapphirerapids', score: 4032 }, { variant: 'skylakex', score: 192 }, { variant: 'sse42', score: 5 },
  { variant: 'x64', score: 1 }, { variant: 'zen4', score: 1984 },
];

const OPTIONS = { model: '/nonexistent/model.gguf', threads: 1, batch: 512, prompt: 64, generate: 0, gpu: false };

/**
 * A folder laid out like bench/.cache/llama-tools-dl: `llama-bench` (a script that dies by the
 * signal given for the one CPU variant it can see, and prints llama-bench's JSON otherwise),
 * the shared libraries and every variant's libggml-cpu-*.so (empty files).
 */
function fakeTools(variants: string[], crashes: Record<string, 'SEGV' | 'ILL'>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'bench-reference-'));
  const cases = Object.entries(crashes).map(([variant, signal]) => `  ${variant}) kill -${signal} $$ ;;`).join('\n');
  writeFileSync(path.join(dir, 'llama-bench'), `#!/bin/sh
here=$(dirname "$0")
seen=$( (ls "$here"; ls "$PWD") | sed -n 's/^libggml-cpu-\\(.*\\)\\.so$/\\1/p' | sort -u)
[ "$(echo "$seen" | wc -l)" = 1 ] || { echo "ggml would choose among: $seen" >&2; exit 3; }
case "$seen" in
${cases}
esac
echo '[{"n_prompt": 64, "n_gen": 0, "avg_ts": 100.5, "cpu_variant": "'"$seen"'"}]'
`);
  chmodSync(path.join(dir, 'llama-bench'), 0o755);
  for (const lib of ['libggml-base.so', 'libggml.so', 'libllama.so', ...variants.map((v) => `libggml-cpu-${v}.so`)]) {
    writeFileSync(path.join(dir, lib), '');
  }
  return dir;
}

describe('bench reference llama-bench', () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('reports a llama-bench killed by a signal as a failure instead of throwing', async () => {
    const { runLlamaBench } = await load<LlamaBenchModule>('llama-bench.mjs');
    const dir = fakeTools(['sapphirerapids'], { sapphirerapids: 'SEGV' });
    dirs.push(dir);
    const outcome = runLlamaBench(path.join(dir, 'llama-bench'), OPTIONS);
    assert.equal(outcome.failure, 'killed by SIGSEGV');
    assert.ok(Number.isNaN(outcome.pp) && Number.isNaN(outcome.tg));
  });

  it('orders the usable variants by ggml score, ggml\'s choice first', async () => {
    const { fallbackOrder } = await load<ProbeModule>('reference-probe.mjs');
    assert.deepEqual(fallbackOrder(SAPPHIRE_RAPIDS_SCORES), [
      'sapphirerapids', 'zen4', 'cooperlake', 'icelake', 'cascadelake', 'cannonlake', 'skylakex',
      'alderlake', 'haswell', 'piledriver', 'ivybridge', 'sandybridge', 'sse42', 'x64',
    ]);
    assert.deepEqual(fallbackOrder(SAPPHIRE_RAPIDS_SCORES, { start: 'ivybridge' }), ['ivybridge', 'sandybridge', 'sse42', 'x64']);
    // 0: this CPU lacks an instruction the variant needs; NaN: the score helper died on that library.
    const onHaswell = [{ variant: 'zen4', score: 0 }, { variant: 'haswell', score: 64 }, { variant: 'icelake', score: NaN }, { variant: 'x64', score: 1 }];
    assert.deepEqual(fallbackOrder(onHaswell), ['haswell', 'x64']);
    assert.throws(() => fallbackOrder(onHaswell, { start: 'zen4' }), /not usable/);
  });

  it('keeps each failure and stops at the first variant that works', async () => {
    const { chooseVariant, describeChoice } = await load<ProbeModule>('reference-probe.mjs');
    const tried: string[] = [];
    const choice = chooseVariant(['a', 'b', 'c'], (v) => (tried.push(v), v === 'a' ? { failure: 'killed by SIGILL' } : {}));
    assert.deepEqual(tried, ['a', 'b']);
    assert.equal(choice.variant, 'b');
    assert.deepEqual(choice.crashed.map((c) => [c.variant, c.failure]), [['a', 'killed by SIGILL']]);
    assert.match(describeChoice(choice), /^b \(after a killed by SIGILL/);
    assert.equal(describeChoice(chooseVariant(['a'], () => ({}))), "a (ggml's choice)");
  });

  it('falls back from a crashing sapphirerapids to zen4, each run seeing only its own variant', async () => {
    const { probeReference, fallbackOrder, PROBE } = await load<ProbeModule>('reference-probe.mjs');
    const variants = SAPPHIRE_RAPIDS_SCORES.map((s) => s.variant);
    const dir = fakeTools(variants, { sapphirerapids: 'SEGV' });
    dirs.push(dir);
    assert.deepEqual(PROBE, { prompt: 64, generate: 0 });
    const choice = probeReference(dir, fallbackOrder(SAPPHIRE_RAPIDS_SCORES), OPTIONS);
    assert.equal(choice.variant, 'zen4');
    assert.deepEqual(choice.crashed.map((c) => [c.variant, c.failure]), [['sapphirerapids', 'killed by SIGSEGV']]);
    assert.equal(choice.cwd, path.join(dir, 'only', 'zen4'));
    assert.equal(choice.bench, path.join(dir, 'only', 'zen4', 'llama-bench'));
  });

  it('says so when every variant crashes, without throwing', async () => {
    const { probeReference, describeChoice } = await load<ProbeModule>('reference-probe.mjs');
    const dir = fakeTools(['zen4', 'x64'], { zen4: 'ILL', x64: 'SEGV' });
    dirs.push(dir);
    const choice = probeReference(dir, ['zen4', 'x64'], OPTIONS);
    assert.equal(choice.variant, undefined);
    assert.equal(choice.bench, undefined);
    assert.deepEqual(choice.crashed.map((c) => c.failure), ['killed by SIGILL', 'killed by SIGSEGV']);
    assert.match(describeChoice(choice), /every CPU variant failed/);
  });
});
