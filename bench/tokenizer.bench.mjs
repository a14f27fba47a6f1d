// Times UnigramTokenizer on LLM-jp-4's vocabulary: loading, building, and encoding a
// 50,000-character text and a 1 MB mixed text. Prints numbers; asserts nothing.
//   npx tsc -p . && node bench/tokenizer.bench.mjs [file-to-encode]
import { readFileSync, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const { UnigramTokenizer } = require(path.join(root, 'out/src/core/tokenizer/index.js'));
const { loadVocabFile } = require(path.join(root, 'out/src/core/tokenizer/loadVocab.js'));
const { parseSentencePieceModel } = require(path.join(root, 'out/src/core/tokenizer/sentencePieceModel.js'));

const shared = path.resolve(root, '..', 'shared', 'llm-jp-4');
const vocabPath = path.join(shared, 'tokenizer-v4.0-alpha1.0.vocab');
const modelPath = path.join(shared, 'tokenizer-v4.0-alpha1.0.model');
if (!existsSync(vocabPath)) {
  console.log(`skipped: ${vocabPath} is absent`);
  process.exit(0);
}

const ms = (t0) => `${(performance.now() - t0).toFixed(1)} ms`;

let t0 = performance.now();
const vocab = loadVocabFile(vocabPath);
console.log(`read .vocab (${vocab.pieces.length} pieces): ${ms(t0)}`);
t0 = performance.now();
const model = parseSentencePieceModel(readFileSync(modelPath));
console.log(`read .model: ${ms(t0)}`);
t0 = performance.now();
const tok = UnigramTokenizer.fromVocab(vocab.pieces, model.scores);
console.log(`fromVocab: ${ms(t0)}`);
t0 = performance.now();
tok.encodeText('x');
console.log(`first encode (builds the trie): ${ms(t0)}`);

const fragments = [
  '東京の天気は？', '大規模言語モデルは、大量のテキストから次の単語を予測するように学習されます。',
  'The quick brown fox jumps over the lazy dog. ', 'function add(a, b) {\n  return a + b;\n}\n',
  'def f():\n    return 1\n', '    ', '\t', '\n', '#### heading\n', '😀', '𠮷野家', 'ＡＢＣ１２３',
  'SELECT * FROM t WHERE x = 1;\n', '<|start|>', 'const x = { key: "value" };\n',
];
let seed = 1;
const random = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 4294967296);
function mixed(length) {
  let text = '';
  while (text.length < length) text += fragments[Math.floor(random() * fragments.length)];
  return text.slice(0, length).replace(/[\uD800-\uDBFF]$/, '');
}

const inputs = [
  ['50,000 chars mixed', mixed(50_000)],
  ['50,000 chars Japanese', fragments[1].repeat(2000).slice(0, 50_000)],
  ['1 MB mixed', mixed(1_000_000)],
];
if (process.argv[2]) inputs.push([process.argv[2], readFileSync(process.argv[2], 'utf8')]);

for (const [name, text] of inputs) {
  const runs = [];
  let ids = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    ids = tok.encodeText(text);
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  console.log(
    `${name}: ${text.length} chars -> ${ids.length} tokens, ` +
      `first ${runs.at(-1).toFixed(1)} ms, median ${runs[2].toFixed(1)} ms, best ${runs[0].toFixed(1)} ms`,
  );
}
