// Run as its own process by planner.test.ts: llama.cpp's log callback is process-wide, so the
// KV buffer line it prints is read reliably only where no other test's Llama instance exists.
// Prints {"kvBytes": N} for the model file and context size given as arguments.
async function main(): Promise<void> {
  const [file, contextSize] = process.argv.slice(2);
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  const logs: string[] = [];
  const llama = await getLlama({
    gpu: false,
    build: 'never',
    progressLogs: false,
    logLevel: LlamaLogLevel.info,
    logger: (_level, message) => logs.push(message),
  });
  const model = await llama.loadModel({ modelPath: file, gpuLayers: 0 });
  logs.length = 0;
  const context = await model.createContext({ contextSize: Number(contextSize), sequences: 1, threads: 1, flashAttention: false });
  // llama.cpp's log lines reach JavaScript asynchronously: wait (bounded) for the one we read.
  const find = (): string | undefined => logs.find((entry) => /KV buffer size\s*=/.test(entry));
  for (let waited = 0; find() === undefined && waited < 3000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  const line = find();
  await context.dispose();
  await model.dispose();
  const mib = line ? Number(/KV buffer size\s*=\s*([\d.]+) MiB/.exec(line)?.[1]) : NaN;
  process.stdout.write(JSON.stringify({ kvBytes: mib * 1024 * 1024, line: line ?? null }) + '\n');
}

void main();
