// Runs llama.cpp's own llama-bench once (-r 1, JSON) and reads its pp and tg figures.
import { spawnSync } from 'node:child_process';

/** The arguments that make llama-bench measure what the engine does (see run.mjs). */
export function llamaBenchArgs({ model, threads, batch, prompt, generate, gpu }) {
  return [
    '-m', model,
    '-t', String(threads),
    '-b', String(batch),
    '-ub', String(batch), // node-llama-cpp sets n_ubatch = n_batch (AddonContext.cpp)
    '-p', String(prompt),
    '-n', String(generate),
    '-ngl', gpu ? '99' : '0',
    '-fa', 'auto', // node-llama-cpp's default flashAttention is "auto" too
    '-r', '1',
    '-o', 'json',
  ];
}

/** One llama-bench invocation: { pp, tg } tokens per second and the run's metadata. */
export function runLlamaBench(binary, options) {
  const args = llamaBenchArgs(options);
  const result = spawnSync(binary, args, { encoding: 'utf8', maxBuffer: 16 * 2 ** 20, timeout: 600_000 });
  if (result.status !== 0) {
    throw new Error(`llama-bench failed (${result.status ?? result.signal}): ${(result.stderr ?? '').slice(-2000)}`);
  }
  const rows = JSON.parse(result.stdout);
  const pp = rows.find((r) => r.n_prompt > 0 && r.n_gen === 0) ?? { avg_ts: NaN };
  const tg = rows.find((r) => r.n_gen > 0 && r.n_prompt === 0);
  if (!tg) throw new Error(`llama-bench gave no pp/tg rows: ${result.stdout.slice(0, 500)}`);
  return { pp: pp.avg_ts, tg: tg.avg_ts, meta: pp, args };
}
