// Memory: the model process's resident memory against the memory planner's figure for the same
// model and context (src/core/models/memoryPlanner.ts, which the status bar and the model picker
// use to say what fits before anything is loaded).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './build-llama-tools.mjs';
import { newClient, timedRequest } from './engine.mjs';
import { promptOf } from './long-context.mjs';

const require = createRequire(import.meta.url);

/** Resident and peak resident memory of a process, in bytes (Linux /proc). */
export function residentBytes(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (name) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), peak: kib('VmHWM') };
}

const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;

export async function memoryBench(modelPath, options, { out, table }) {
  const { memoryFactsFromGguf, planMemory } = require(path.join(repoRoot, 'out', 'src', 'core', 'models', 'index.js'));
  const rows = [];
  for (const contextSize of options.contexts) {
    const { client } = newClient();
    try {
      const header = await client.inspect(modelPath);
      const device = await client.device(false);
      const base = residentBytes(client.workerPid);
      const info = await client.load({ modelPath, gpu: false, threads: options.threads, contextSize });
      const loaded = residentBytes(client.workerPid);
      // Fill the context to about three quarters, so the KV cache pages are touched.
      await timedRequest(client, { messages: [{ role: 'user', content: await promptOf(client, Math.round(info.contextSize * 0.75), 3) }], maxTokens: 16 });
      const used = residentBytes(client.workerPid);
      const facts = memoryFactsFromGguf(header.summary, header.fileBytes, path.basename(modelPath));
      const plan = planMemory(facts.facts, device, { maxContext: info.contextSize, minContext: Math.min(2048, info.contextSize) });
      const worker = used.peak - base.rss;
      rows.push([
        path.basename(modelPath), info.contextSize, plan.mode, mib(plan.weightsBytes), mib(plan.kvBytes), mib(plan.computeBytes), mib(plan.totalBytes),
        mib(base.rss), mib(loaded.rss), mib(used.rss), mib(used.peak), mib(worker), (worker / plan.totalBytes).toFixed(3),
      ]);
    } finally {
      client.dispose();
    }
  }
  table(['model', 'context', 'plan', 'plan weights', 'plan KV', 'plan compute', 'plan total', 'worker RSS before load', 'after load', 'after a 3/4-full prompt', 'peak',
    'peak - before load', 'that / plan total (target 0.9-1.1)'], rows);
  out('RSS counts the memory-mapped weights only once their pages are read (the first evaluation reads them all); "before load" is the worker\'s own Node.js.');
  return rows;
}
