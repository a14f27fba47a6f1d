// Runs llama.cpp's own llama-bench once (-r 1, JSON) and reads its pp and tg figures.
import { spawnSync } from 'node:child_process';

/** The arguments that make llama-bench measure what the engine does (see run.mjs). */
export function llamaBenchArgs({ model, threads, batch, prompt, generate, gpu, depth }) {
  return [
    '-m', model,
    '-t', String(threads),
    '-b', String(batch),
    '-ub', String(batch), // node-llama-cpp sets n_ubatch = n_batch (AddonContext.cpp)
    '-p', String(prompt),
    '-n', String(generate),
    '-ngl', gpu ? '99' : '0',
    '-fa', 'auto', // node-llama-cpp's default flashAttention is "auto" too
    ...(depth ? ['-d', String(depth)] : []), // tokens already in the context (filled untimed)
    '-r', '1',
    '-o', 'json',
  ];
}

/** How a child process (spawnSync's result) ended: undefined when it succeeded, else a short finding. */
export function failureOf(result) {
  if (result.error?.code === 'ETIMEDOUT') return `timed out${result.signal ? ` (${result.signal})` : ''}`;
  if (result.error) return `could not run (${result.error.code ?? result.error.message})`;
  if (result.signal) return `killed by ${result.signal}`;
  if (result.status !== 0) return `exit status ${result.status}`;
  return undefined;
}

const tail = (text, lines = 6) => (text ?? '').trim().split('\n').slice(-lines).join('\n');

/**
 * One llama-bench invocation: { pp, tg } tokens per second and the run's metadata, or
 * { failure, stderr } when it crashed, exited non-zero or printed no figures: a crash is a
 * result the bench reports, not an exception.
 */
export function runLlamaBench(binary, options, { cwd, timeoutMs = 600_000 } = {}) {
  const args = llamaBenchArgs(options);
  const result = spawnSync(binary, args, { cwd, encoding: 'utf8', maxBuffer: 16 * 2 ** 20, timeout: timeoutMs });
  const failure = failureOf(result);
  if (failure) return { failure, stderr: tail(result.stderr), args, pp: NaN, tg: NaN };
  let rows;
  try {
    rows = JSON.parse(result.stdout);
  } catch {
    return { failure: 'printed no JSON', stderr: tail(`${result.stdout}\n${result.stderr}`), args, pp: NaN, tg: NaN };
  }
  const pp = rows.find((r) => r.n_prompt > 0 && r.n_gen === 0);
  const tg = rows.find((r) => r.n_gen > 0 && r.n_prompt === 0);
  if ((options.prompt > 0 && !pp) || (options.generate > 0 && !tg)) {
    return { failure: 'gave no pp/tg rows', stderr: result.stdout.slice(0, 500), args, pp: NaN, tg: NaN };
  }
  return { pp: pp?.avg_ts ?? NaN, tg: tg?.avg_ts ?? NaN, meta: pp ?? tg, args };
}
