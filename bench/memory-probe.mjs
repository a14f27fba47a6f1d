// Run as its own process by memory.mjs (llama.cpp's log callback is process-wide): loads a model
// on the CPU with a context and prints, as JSON, the buffers llama.cpp says it reserved (MiB).
//   node bench/memory-probe.mjs MODEL CONTEXT
const [modelPath, contextSize] = process.argv.slice(2);
const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
const logs = [];
const llama = await getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: LlamaLogLevel.info, logger: (_level, message) => logs.push(message) });
const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
const context = await model.createContext({ contextSize: Number(contextSize), threads: 1, sequences: 1 });
await new Promise((resolve) => setTimeout(resolve, 500)); // log lines arrive after the call
const sum = (pattern) => logs.map((line) => pattern.exec(line)).filter(Boolean).reduce((total, match) => total + Number(match[1]), 0);
process.stdout.write(`${JSON.stringify({
  modelBuffers: sum(/model buffer size\s*=\s*([\d.]+) MiB/),
  kv: sum(/KV buffer size\s*=\s*([\d.]+) MiB/),
  compute: sum(/compute buffer size\s*=\s*([\d.]+) MiB/),
  output: sum(/output buffer size\s*=\s*([\d.]+) MiB/),
})}\n`);
await context.dispose();
await model.dispose();
process.exit(0);
