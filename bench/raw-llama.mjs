// The engine's decode loop (src/engine/decodeLoop.ts) on its own, in this process, doing what
// llama-bench does: the engine's prebuilt llama.cpp binary and its loop without the worker, IPC,
// tokenizer or parser. With it, engine / llama-bench splits into engine / raw (the worker's
// share) and raw / llama-bench (the binary and the loop against a llama.cpp built here).
// node-llama-cpp's own evaluate() is measured beside it: what the loop replaced.
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
  const { DecodeLoop } = await import('../out/src/engine/decodeLoop.js');
  const loop = new DecodeLoop(context);
  const signal = new AbortController().signal;
  const vocabSize = model.fileInfo.metadata.tokenizer.ggml.tokens.length;
  let state = 12345;
  const randomToken = () => 608 + ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) % (vocabSize - 608));
  return {
    /** `n` random tokens from an empty sequence, decoded as the engine decodes a prompt (slices of PROMPT_SLICE), and one sample. */
    async pp(n) {
      await sequence.clearHistory();
      const prompt = Array.from({ length: n }, randomToken);
      const started = performance.now();
      await loop.run({ sequence, prompt, sampling: { temperature: 0.7, topP: 0.9, seed: 1 }, signal, onToken: () => false });
      return (n * 1000) / (performance.now() - started);
    },
    /** `n` random tokens in one decode through node-llama-cpp (as llama-bench's pp does it). */
    async ppOneDecode(n) {
      await sequence.clearHistory();
      const tokens = Array.from({ length: n }, randomToken);
      const started = performance.now();
      await sequence.evaluateWithoutGeneratingNewTokens(tokens);
      return (n * 1000) / (performance.now() - started);
    },
    /** `n` tokens through the engine's decode loop (sampling included); tokens/s after the first, as the engine counts. */
    async tg(n, sampling) {
      await sequence.clearHistory();
      let count = 0;
      let firstAt = 0;
      await loop.run({
        sequence,
        prompt: [model.tokens.bos ?? randomToken()],
        sampling: { seed: 1, topP: 1, ...sampling },
        signal,
        onToken: () => {
          if (++count === 1) firstAt = performance.now();
          return count < n;
        },
      });
      return ((count - 1) * 1000) / (performance.now() - firstAt);
    },
    /** The same through node-llama-cpp's own evaluate(). */
    async tgEvaluate(n, sampling) {
      await sequence.clearHistory();
      let count = 0;
      let firstAt = 0;
      for await (const token of sequence.evaluate([model.tokens.bos ?? randomToken()], { seed: 1, ...sampling })) {
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
