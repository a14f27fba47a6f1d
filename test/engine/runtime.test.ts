import * as assert from 'node:assert/strict';
import { loadRuntime } from '../../src/engine/llama';

describe('llama.cpp runtime', function () {
  this.timeout(120_000);

  it('loads the prebuilt CPU binary without building anything', async () => {
    const llama = await loadRuntime({ gpu: false });
    try {
      assert.equal(llama.gpu, false);
      assert.equal(llama.buildType, 'prebuilt');
      assert.ok(llama.cpuMathCores >= 1, `cpuMathCores = ${llama.cpuMathCores}`);
      assert.ok(llama.llamaCppRelease.release.length > 0);
    } finally {
      await llama.dispose();
    }
  });
});
