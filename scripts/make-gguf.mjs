// Writes a deterministic random GGUF model (test/fixtures/gguf) for benchmarks and manual checks.
//   node scripts/make-gguf.mjs --shape llm-jp-4-8b --out FILE [--seed N] [--vocab tame|llm-jp-4]
//                              [--template FILE] [--dry-run]
// Shapes: llm-jp-4-8b, llm-jp-4-32b-a3b, tiny, tiny-moe. --vocab llm-jp-4 (the default for the two
// full-size shapes) reads ../shared/llm-jp-4. --dry-run prints the layout and total size and writes
// only the header and the first tensor, so a multi-gigabyte layout can be checked quickly.
// Needs the compiled generator: run `npx tsc -p .` first.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = path.join(repoRoot, 'out', 'test', 'fixtures', 'gguf', 'index.js');
if (!existsSync(compiled)) {
  console.error(`${path.relative(process.cwd(), compiled)} is missing: run \`npx tsc -p .\` first.`);
  process.exit(2);
}
const gguf = createRequire(import.meta.url)(compiled);

const { values } = parseArgs({
  options: {
    shape: { type: 'string', default: 'tiny' },
    out: { type: 'string' },
    seed: { type: 'string' },
    vocab: { type: 'string' },
    template: { type: 'string' },
    'dry-run': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help || !values.out) {
  console.log('usage: node scripts/make-gguf.mjs --shape NAME --out FILE [--seed N] [--vocab tame|llm-jp-4] [--template FILE] [--dry-run]');
  console.log(`shapes: ${Object.keys(gguf.SHAPES).join(', ')}`);
  process.exit(values.help ? 0 : 2);
}

const shape = gguf.SHAPES[values.shape];
if (!shape) {
  console.error(`unknown shape ${values.shape}; known: ${Object.keys(gguf.SHAPES).join(', ')}`);
  process.exit(2);
}
const fullSize = values.shape.startsWith('llm-jp-4');
const vocabName = values.vocab ?? (fullSize ? 'llm-jp-4' : 'tame');
let vocab;
if (vocabName === 'llm-jp-4') {
  const files = gguf.sharedTokenizerFiles(repoRoot);
  if (!files) {
    console.error(`${path.resolve(repoRoot, '..', 'shared', 'llm-jp-4')} is absent; use --vocab tame`);
    process.exit(2);
  }
  vocab = gguf.realVocab(files);
} else if (vocabName !== 'tame') {
  console.error(`unknown vocabulary ${vocabName}; use tame or llm-jp-4`);
  process.exit(2);
}
const chatTemplate = values.template ? readFileSync(values.template, 'utf8') : undefined;
const options = {
  shape: values.shape,
  vocab,
  chatTemplate,
  seed: values.seed === undefined ? undefined : Number(values.seed),
  name: `random-${values.shape}`,
};

const gib = (bytes) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;
const started = Date.now();
const result = gguf.writeTameModel(values.out, { ...options, tensorLimit: values['dry-run'] ? 1 : undefined });
console.log(`${values.shape} (${shape.architecture}, ${shape.layers} layers, hidden ${shape.hidden}, vocab ${vocab ? vocab.pieces.length : 'tame'})`);
console.log(`header ${result.headerBytes} bytes; complete file ${result.totalBytes} bytes (${gib(result.totalBytes)})`);
console.log(`${values['dry-run'] ? 'dry run: wrote' : 'wrote'} ${result.bytesWritten} bytes to ${values.out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
