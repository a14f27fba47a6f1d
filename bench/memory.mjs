// Memory: the model process's resident memory against the memory planner's figure for the same
// model and context (src/core/models/memoryPlanner.ts, which the status bar and the model picker
// use to say what fits before anything is loaded).
import { spawnSync } from 'node:child_process';
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

/** What llama.cpp itself reports it reserved for this model and context (bench/memory-probe.mjs), in bytes. */
function reserved(modelPath, contextSize) {
  const probe = spawnSync(process.execPath, [path.join(repoRoot, 'bench', 'memory-probe.mjs'), modelPath, String(contextSize)], { cwd: repoRoot, encoding: 'utf8', timeout: 300_000 });
  try {
    const mibs = JSON.parse(probe.stdout.trim().split('\n').pop());
    const bytes = Object.fromEntries(Object.entries(mibs).map(([key, value]) => [key, value * 2 ** 20]));
    return { ...bytes, total: bytes.modelBuffers + bytes.kv + bytes.compute + bytes.output };
  } catch {
    return { failure: `the probe printed no figures (${probe.status ?? probe.signal}): ${probe.stderr?.slice(-200)}` };
  }
}

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
      const llamaCpp = reserved(modelPath, info.contextSize);
      rows.push([
        path.basename(modelPath), info.contextSize, plan.mode, mib(plan.weightsBytes), mib(plan.kvBytes), mib(plan.computeBytes), mib(plan.totalBytes),
        llamaCpp.failure ?? `${mib(llamaCpp.modelBuffers)} / ${mib(llamaCpp.kv)} / ${mib(llamaCpp.compute + llamaCpp.output)} = ${mib(llamaCpp.total)}`,
        (plan.totalBytes / llamaCpp.total).toFixed(3),
        mib(base.rss), mib(loaded.rss), mib(used.rss), mib(used.peak), mib(worker), (worker / plan.totalBytes).toFixed(3),
      ]);
    } finally {
      client.dispose();
    }
  }
  table(['model', 'context', 'plan', 'plan weights', 'plan KV', 'plan compute', 'plan total', "llama.cpp's own reservation: weights / KV / compute = total",
    'plan / reservation (target 0.9-1.1)', 'worker RSS before load', 'after load', 'after a 3/4-full prompt', 'peak', 'peak - before load', 'that / plan total'], rows);
  out('RSS counts memory only once it is touched: the memory-mapped weights once read, the compute buffer as far as a step uses it (a generation step ' +
    "writes one row of logits of the 512 it reserves), so on a CPU it reads below what llama.cpp reserved; on a GPU the reservation is what is taken. \"before load\" is the worker's own Node.js.");
  return rows;
}
