// node-llama-cpp on its own, in this process, doing what llama-bench does: the engine's prebuilt
// llama.cpp binary and node-llama-cpp's evaluation loop without the worker, IPC, tokenizer or
// parser. With it, engine / llama-bench splits into engine / raw (the engine's own overhead) and
// raw / llama-bench (node-llama-cpp's binary and loop against a llama.cpp built here).
let llamaPromise;

/** node-llama-cpp's prebuilt binary, loaded once per process (every section that drives it directly shares it). */
export async function rawLlama(gpu) {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  llamaPromise ??= getLlama({ gpu: gpu ? 'auto' : false, build: 'never', progressLogs: false, logLevel: LlamaLogLevel.error });
  return llamaPromise;
}

export async function openRaw(modelPath, { gpu, threads, contextSize, batch }) {
  const llama = await rawLlama(gpu);
  const model = await llama.loadModel({ modelPath, gpuLayers: gpu ? 'max' : 0 });
  const context = await model.createContext({ contextSize, threads, batchSize: batch, sequences: 1 });
  const sequence = context.getSequence();
  const vocabSize = model.fileInfo.metadata.tokenizer.ggml.tokens.length;
  let state = 12345;
  const randomToken = () => 608 + ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) % (vocabSize - 608));
  return {
    /** One decode of `n` random tokens from an empty sequence (or slices of `slice` tokens). */
    async pp(n, slice = n) {
      await sequence.clearHistory();
      const tokens = Array.from({ length: n }, randomToken);
      const started = performance.now();
      for (let i = 0; i < n; i += slice) await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(i, i + slice));
      return (n * 1000) / (performance.now() - started);
    },
    /** `n` tokens through sequence.evaluate (sampling included); tokens/s after the first, as the engine counts. */
    async tg(n, sampling) {
      await sequence.clearHistory();
      let count = 0;
      let firstAt = 0;
      for await (const token of sequence.evaluate([model.tokens.bos ?? randomToken()], sampling)) {
        void token;
        count++;
        if (count === 1) firstAt = performance.now();
        if (count >= n) break;
      }
      return ((count - 1) * 1000) / (performance.now() - firstAt);
    },
    async dispose() {
      await context.dispose();
      await model.dispose();
    },
  };
}
