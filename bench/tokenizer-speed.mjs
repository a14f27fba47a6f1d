// The exact Unigram tokenizer (src/core/tokenizer, as the engine's codec builds it from the GGUF's
// pieces and scores) against llama.cpp's tokenizer through node-llama-cpp's model.tokenize, on
// the same 1 MB mixed ja/en/code text (bench/tokenizer.bench.mjs's mix) and the same vocabulary.
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './build-llama-tools.mjs';

const require = createRequire(import.meta.url);

const FRAGMENTS = [
  '東京の天気は？', '大規模言語モデルは、大量のテキストから次の単語を予測するように学習されます。',
  'The quick brown fox jumps over the lazy dog. ', 'function add(a, b) {\n  return a + b;\n}\n',
  'def f():\n    return 1\n', '    ', '\t', '\n', '#### heading\n', '😀', '𠮷野家', 'ＡＢＣ１２３',
  'SELECT * FROM t WHERE x = 1;\n', '<|start|>', 'const x = { key: "value" };\n',
];

function mixed(length) {
  let seed = 1;
  const random = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296;
  let text = '';
  while (text.length < length) text += FRAGMENTS[Math.floor(random() * FRAGMENTS.length)];
  return text.slice(0, length).replace(/[\uD800-\uDBFF]$/, '');
}

function timeRuns(fn, runs) {
  const times = [];
  let result;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = fn();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { result, best: times[0], median: times[Math.floor(runs / 2)] };
}

/** Lines to print. `modelPath` must carry LLM-jp-4's vocabulary (`realVocab`), else this skips. */
export async function tokenizerSpeed(modelPath, realVocab, runs = 5) {
  if (!realVocab) return ['skipped: ../shared/llm-jp-4 is absent, so no model has LLM-jp-4\'s vocabulary'];
  const { UnigramTokenizer } = require(path.join(repoRoot, 'out', 'src', 'core', 'tokenizer', 'index.js'));
  const { getLlama } = await import('node-llama-cpp');
  const llama = await getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: 'error' });
  const model = await llama.loadModel({ modelPath, vocabOnly: true });
  try {
    const ggml = model.fileInfo.metadata.tokenizer.ggml;
    let t = performance.now();
    const exact = UnigramTokenizer.fromVocab([...ggml.tokens], [...ggml.scores]);
    exact.encodeText('x');
    const buildMs = performance.now() - t;
    const text = mixed(1_000_000);
    const bytes = Buffer.byteLength(text);
      const exactRuns = timeRuns(() => exact.encodeText(text), runs);
    const llamaRuns = timeRuns(() => model.tokenize(text, false), runs);
    const a = exactRuns.result;
    const b = Array.from(llamaRuns.result);
    let same = 0;
    while (same < Math.min(a.length, b.length) && a[same] === b[same]) same++;
    const mbps = (ms) => (bytes / 2 ** 20 / (ms / 1000)).toFixed(2);
    return [
      `text: ${text.length} characters, ${bytes} bytes UTF-8; ${runs} runs each, in this process (node-llama-cpp model loaded vocabOnly)`,
      `exact Unigram: built from the GGUF's ${ggml.tokens.length} pieces in ${buildMs.toFixed(0)} ms; ` +
        `encode median ${exactRuns.median.toFixed(0)} ms (best ${exactRuns.best.toFixed(0)}) = ${mbps(exactRuns.median)} MiB/s -> ${a.length} tokens`,
      `llama.cpp model.tokenize: median ${llamaRuns.median.toFixed(0)} ms (best ${llamaRuns.best.toFixed(0)}) = ${mbps(llamaRuns.median)} MiB/s -> ${b.length} tokens`,
      `exact / llama.cpp time: ${(exactRuns.median / llamaRuns.median).toFixed(2)}x; the two token sequences agree on the first ${same} tokens ` +
        `(llama.cpp's "llama" tokenizer is not SentencePiece's Unigram Viterbi: it is why the engine has its own)`,
    ];
  } finally {
    await model.dispose();
  }
}
