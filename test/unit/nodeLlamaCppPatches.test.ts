// node-llama-cpp is patched after install (scripts/patch-node-llama-cpp.mjs) for measured gains.
// This fails when a patch no longer applies to the installed node-llama-cpp (a new version moved
// the code): then the patch must be redone, or dropped with its bench figures.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface Patch { name: string; file: string; before: string; after: string; state?: string }
interface PatchModule {
  PATCHES: Patch[];
  patchStates(root?: string): Patch[];
  applyPatches(root?: string): Patch[];
}

const root = path.resolve(__dirname, '..', '..', '..');
const load = async (): Promise<PatchModule> => (await import(pathToFileURL(path.join(root, 'scripts', 'patch-node-llama-cpp.mjs')).href)) as PatchModule;

describe('node-llama-cpp patches', () => {
  it('are applied to the installed node-llama-cpp (npm install ran the postinstall)', async () => {
    const { patchStates } = await load();
    for (const patch of patchStates()) assert.equal(patch.state, 'applied', `${patch.name} in ${patch.file}`);
  });

  it('apply once to the file as node-llama-cpp ships it, and a second run changes nothing', async () => {
    const { PATCHES, applyPatches } = await load();
    const dir = mkdtempSync(path.join(tmpdir(), 'nlc-patch-'));
    try {
      for (const patch of PATCHES) {
        const installed = readFileSync(path.join(root, patch.file), 'utf8');
        const pristine = installed.replace(patch.after, patch.before);
        assert.notEqual(pristine, installed);
        mkdirSync(path.dirname(path.join(dir, patch.file)), { recursive: true });
        writeFileSync(path.join(dir, patch.file), pristine);
        assert.deepEqual(applyPatches(dir).map((p) => p.state), PATCHES.map(() => 'applied'));
        assert.equal(readFileSync(path.join(dir, patch.file), 'utf8'), installed);
        applyPatches(dir);
        assert.equal(readFileSync(path.join(dir, patch.file), 'utf8'), installed, 'idempotent');
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('say so when the code they change is gone', async () => {
    const { PATCHES, patchStates } = await load();
    const dir = mkdtempSync(path.join(tmpdir(), 'nlc-patch-'));
    try {
      for (const patch of PATCHES) {
        mkdirSync(path.dirname(path.join(dir, patch.file)), { recursive: true });
        writeFileSync(path.join(dir, patch.file), '// another version\n');
      }
      assert.deepEqual(patchStates(dir).map((p) => p.state), PATCHES.map(() => 'does not apply'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
