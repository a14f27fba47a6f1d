// llama.cpp's own llama-server as the peer the engine is compared with: what Ollama, LM Studio
// and llama.vscode users run. Built from the same bundle as llama-bench and run on the engine's
// own libraries (scripts/llama-tools.mjs), on 127.0.0.1, streaming /v1/chat/completions as
// llama.vscode's chat and this extension's server backend do.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './build-llama-tools.mjs';

// The remote-backend tests' own free-port finder (compiled by tsc, as bench/models.mjs uses the generator).
const { freePort } = createRequire(import.meta.url)(path.join(repoRoot, 'out', 'test', 'engine', 'llamaServer.js'));

/** The engine's default sampling spelled out for llama-server: min-p off and top-k 40, as node-llama-cpp samples. */
export const SERVER_SAMPLING = { temperature: 0.7, top_p: 0.9, top_k: 40, min_p: 0 };

/** The arguments that make llama-server run what llama-bench and the engine run (see run.mjs). */
export function llamaServerArgs({ model, threads, batch, contextSize, gpu, port }) {
  return [
    '-m', model,
    '--host', '127.0.0.1', '--port', String(port),
    '-t', String(threads), '-tb', String(threads),
    '-c', String(contextSize),
    '-np', '1', // one slot, as the engine runs one sequence per request
    '-b', String(batch), '-ub', String(batch),
    '-ngl', gpu ? '99' : '0',
    '-fa', 'auto',
    '--jinja', // the GGUF's own chat template, as llama.vscode's chat uses it
  ];
}

/**
 * Starts llama-server and resolves once /health answers 200 (the model is loaded and warmed up).
 * `cwd` is the variant folder (reference-probe.mjs) so that it loads the same CPU variant.
 */
export async function startLlamaServer(binary, options, { cwd, timeoutMs = 600_000 } = {}) {
  const port = await freePort();
  const args = llamaServerArgs({ ...options, port });
  const child = spawn(binary, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  const keep = (d) => {
    log = (log + d.toString()).slice(-200_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const baseUrl = `http://127.0.0.1:${port}`;
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(`exited (${signal ?? code})`)));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const outcome = await Promise.race([exited, new Promise((r) => setTimeout(() => r(undefined), 100))]);
    if (outcome) return { failure: outcome, log: log.slice(-2000), args };
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      return { failure: 'did not become ready', log: log.slice(-2000), args };
    }
    try {
      const response = await fetch(`${baseUrl}/health`);
      if (response.ok) break;
    } catch {
      // not listening yet
    }
  }
  return {
    baseUrl,
    args,
    pid: child.pid,
    log: () => log,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const gone = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await gone;
      clearTimeout(timer);
    },
  };
}

/**
 * One streamed chat completion, timed in this process: `sentAt`, the first and last chunk that
 * carried text, the number of such chunks, and the server's own `timings` from its last chunk.
 */
export async function streamChat(baseUrl, body) {
  const sentAt = performance.now();
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...body, stream: true }),
  });
  if (!response.ok) throw new Error(`llama-server answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
  let firstTextAt;
  let lastTextAt;
  let textChunks = 0;
  let timings;
  let usage;
  let finish;
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const bytes of response.body) {
    buffer += decoder.decode(bytes, { stream: true });
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline).trim();
      buffer = buffer.slice(newline + 1);
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') continue;
      const chunk = JSON.parse(data);
      const now = performance.now();
      const delta = chunk.choices?.[0]?.delta;
      if (delta?.content || delta?.reasoning_content) {
        firstTextAt ??= now;
        lastTextAt = now;
        textChunks++;
      }
      finish = chunk.choices?.[0]?.finish_reason ?? finish;
      timings = chunk.timings ?? timings;
      usage = chunk.usage ?? usage;
    }
  }
  return { sentAt, firstTextAt, lastTextAt, endAt: performance.now(), textChunks, timings, usage, finish };
}

/** Generated tokens per second after the first, as the client sees them arrive (as the engine is timed). */
export function streamTokensPerSecond(result) {
  const n = result.timings?.predicted_n ?? result.textChunks;
  if (result.firstTextAt === undefined || n < 2) return NaN;
  return ((n - 1) * 1000) / (result.lastTextAt - result.firstTextAt);
}
