// Patches of node-llama-cpp's JavaScript, applied after `npm install` (package.json postinstall)
// and checked by test/unit/nodeLlamaCppPatches.test.ts, which fails when one no longer applies.
// Each is kept only for a measured gain (bench/RESULTS.md says what and how much).
//   node scripts/patch-node-llama-cpp.mjs [--check]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const PATCHES = [
  {
    name: 'join-concurrent-decodes',
    file: 'node_modules/node-llama-cpp/dist/evaluator/LlamaContext/LlamaContext.js',
    // After a decode, node-llama-cpp decodes at once whatever is queued. With two requests, the
    // one whose token was just sampled has not queued its next decode yet (that happens in the
    // microtasks that follow), so the other's decode ran alone, and the two alternated: one
    // decode per token, each reading all the weights. One turn of the event loop lets every
    // sequence queue, and their tokens share a decode (bench: 256 tokens of two requests took
    // 255 decodes before, 128 after). A single request never waits: nothing else is queued then.
    before: `                        await decodeTokenBatchItems(currentBatchItems, currentBatchSize);
                        shouldHaveAnotherLoop = this._queuedDecodes.length > 0;`,
    after: `                        await decodeTokenBatchItems(currentBatchItems, currentBatchSize);
                        // llm-jp-vscode (scripts/patch-node-llama-cpp.mjs): let the other sequences queue their next tokens
                        if (this._queuedDecodes.length > 0 && this._queuedDecodeSequenceIds.size < this._totalSequences)
                            await new Promise((resolve) => setImmediate(resolve));
                        shouldHaveAnotherLoop = this._queuedDecodes.length > 0;`,
  },
];

/** Whether each patch is applied, can be, or cannot (the file changed under it). */
export function patchStates(root = repoRoot) {
  return PATCHES.map((patch) => {
    const file = path.join(root, patch.file);
    if (!existsSync(file)) return { ...patch, state: 'missing' };
    const text = readFileSync(file, 'utf8');
    const count = (needle) => text.split(needle).length - 1;
    if (count(patch.after) === 1) return { ...patch, state: 'applied' };
    if (count(patch.before) === 1) return { ...patch, state: 'applicable' };
    return { ...patch, state: 'does not apply' };
  });
}

/** Applies what can be applied; returns the states after. */
export function applyPatches(root = repoRoot) {
  for (const patch of patchStates(root)) {
    if (patch.state !== 'applicable') continue;
    const file = path.join(root, patch.file);
    writeFileSync(file, readFileSync(file, 'utf8').replace(patch.before, patch.after));
  }
  return patchStates(root);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const states = process.argv.includes('--check') ? patchStates() : applyPatches();
  for (const patch of states) console.log(`node-llama-cpp patch ${patch.name}: ${patch.state}`);
  // An install never fails for it (the extension works unpatched, only slower with two requests);
  // the unit test does.
  if (process.argv.includes('--check') && states.some((p) => p.state !== 'applied')) process.exitCode = 1;
}
