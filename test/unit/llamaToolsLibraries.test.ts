// The reference tools run on node-llama-cpp's own libllama and ggml (scripts/llama-tools.mjs):
// each library the tools were linked against is replaced by the engine's file of that library,
// under the tools' name, while the tools' own common and mtmd libraries stay. Checked on real
// files named as llama.cpp's build and node-llama-cpp's prebuilt folder name them.
import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

interface LlamaToolsModule {
  useEngineLibraries(toolsDir: string, libDir: string): { libDir: string; libraries: string[] };
}

const scripts = path.resolve(__dirname, '..', '..', '..', 'scripts');

describe('reference tools on the engine’s libraries', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llama-tools-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("replaces libllama and ggml by node-llama-cpp's files and keeps the tools' own common, mtmd and impl libraries", async () => {
    const { useEngineLibraries } = (await import(pathToFileURL(path.join(scripts, 'llama-tools.mjs')).href)) as LlamaToolsModule;
    const tools = path.join(dir, 'tools');
    const engine = path.join(dir, 'engine');
    mkdirSync(tools);
    mkdirSync(engine);
    // As the tools' build leaves them: versioned files behind symlinks, one generic CPU backend.
    for (const file of ['llama-bench', 'llama-server', 'libllama.so.0.0.1', 'libggml.so.0.9.7', 'libggml-base.so.0.9.7', 'libggml-cpu.so', 'libllama-common.so.0.0.1', 'libmtmd.so.0.0.1', 'libllama-bench-impl.so']) {
      writeFileSync(path.join(tools, file), `ours:${file}`);
    }
    symlinkSync('libllama.so.0.0.1', path.join(tools, 'libllama.so.0'));
    symlinkSync('libggml.so.0.9.7', path.join(tools, 'libggml.so.0'));
    symlinkSync('libggml-base.so.0.9.7', path.join(tools, 'libggml-base.so.0'));
    symlinkSync('libllama-common.so.0.0.1', path.join(tools, 'libllama-common.so.0'));
    // As node-llama-cpp's prebuilt folder names them.
    for (const file of ['libllama.v0.5.0.so', 'libggml.v0.5.0.so', 'libggml-base.so', 'libggml-cpu-zen4.so', 'libggml-cpu-haswell.so', 'libllama-common.so', 'llama-addon.node']) {
      writeFileSync(path.join(engine, file), `engine:${file}`);
    }

    const used = useEngineLibraries(tools, engine);

    const content = (file: string) => readFileSync(path.join(tools, file), 'utf8');
    for (const name of ['libllama.so.0', 'libllama.so.0.0.1', 'libllama.v0.5.0.so']) assert.equal(content(name), 'engine:libllama.v0.5.0.so', name);
    for (const name of ['libggml.so.0', 'libggml.so.0.9.7', 'libggml.v0.5.0.so']) assert.equal(content(name), 'engine:libggml.v0.5.0.so', name);
    for (const name of ['libggml-base.so.0', 'libggml-base.so']) assert.equal(content(name), 'engine:libggml-base.so', name);
    assert.equal(content('libggml-cpu-zen4.so'), 'engine:libggml-cpu-zen4.so');
    assert.equal(content('libllama-common.so.0'), 'ours:libllama-common.so.0.0.1', "the tools' own common library stays");
    assert.equal(content('libmtmd.so.0.0.1'), 'ours:libmtmd.so.0.0.1');
    assert.equal(content('libllama-bench-impl.so'), 'ours:libllama-bench-impl.so', "llama-bench's own code stays");
    assert.equal(content('llama-bench'), 'ours:llama-bench');
    const files = readdirSync(tools);
    assert.ok(!files.includes('libggml-cpu.so'), 'our generic CPU backend is gone: ggml must load only the engine\'s variants');
    assert.ok(!files.includes('llama-addon.node') && !files.includes('libllama-common.so'), "node-llama-cpp's addon and common are not taken");
    assert.deepEqual(used.libraries, ['libggml-base.so', 'libggml-cpu-haswell.so', 'libggml-cpu-zen4.so', 'libggml.v0.5.0.so', 'libllama.v0.5.0.so']);
  });
});
