// The engine as the extension drives it: EngineClient (out/src/engine/client.js) forks the real
// worker, which tokenizes with the exact tokenizer, runs node-llama-cpp and the Harmony parser,
// and streams events back over IPC. Times are taken on both sides of the IPC channel.
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './build-llama-tools.mjs';

const require = createRequire(import.meta.url);

export function engineModules() {
  const out = path.join(repoRoot, 'out', 'src');
  return {
    EngineClient: require(path.join(out, 'engine', 'client.js')).EngineClient,
    chooseThreads: require(path.join(out, 'engine', 'threads.js')).chooseThreads,
    attachContext: require(path.join(out, 'core', 'generation', 'fitPrompt.js')).attachContext,
    workerPath: path.join(out, 'engine', 'worker.js'),
  };
}

export function newClient() {
  const { EngineClient, workerPath } = engineModules();
  const logs = [];
  const client = new EngineClient({ workerPath, log: (level, message) => logs.push(`${level}: ${message}`) });
  return { client, logs };
}

/**
 * Runs one request to its end and times it from this process: `sentAt` (generate called),
 * the first answer event, the last answer event, `done`. `usage` is the worker's own account.
 * `onText` hears the arrival time of each text event.
 */
export async function timedRequest(client, request, onText) {
  const sentAt = performance.now();
  let firstTextAt;
  let lastTextAt;
  let textEvents = 0;
  let text = '';
  let usage;
  let done;
  let error;
  const notices = [];
  for await (const event of client.generate(request)) {
    const now = performance.now();
    if (event.type === 'answer' || event.type === 'reasoning') {
      firstTextAt ??= now;
      lastTextAt = now;
      textEvents++;
      onText?.(now);
      if (event.type === 'answer') text += event.text;
    } else if (event.type === 'usage') {
      usage = event.usage;
    } else if (event.type === 'done') {
      done = { reason: event.reason, at: now };
    } else if (event.type === 'error') {
      error = event.error;
    } else if (event.type === 'notice') {
      notices.push(event.code);
    }
  }
  if (error) throw new Error(`engine error ${error.code}: ${error.message.en} ${error.detail ?? ''}`);
  return { sentAt, firstTextAt, lastTextAt, textEvents, text, usage, done, notices };
}

/** Generated tokens per second after the first, as the client sees the stream arrive. */
export function clientTokensPerSecond(result) {
  const { usage, firstTextAt, done } = result;
  if (!usage || firstTextAt === undefined || usage.generatedTokens < 2) return 0;
  return ((usage.generatedTokens - 1) * 1000) / (done.at - firstTextAt);
}
