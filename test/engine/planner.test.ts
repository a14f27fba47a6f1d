// The planner's KV-cache estimate against the real engine: llama.cpp's own KV buffer size (from
// its log while creating a context) and node-llama-cpp's GgufInsights estimate, for generated
// models of several shapes. CPU only, one thread.
import * as assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { kvBytesPerToken, memoryFactsFromGguf, summarizeGguf, type GgufTensorFacts } from '../../src/core/models';
import { writeTameModel, type ModelShape } from '../fixtures/gguf';
import { MODEL_DIR } from './models';

const MID_SHAPE: ModelShape = {
  architecture: 'llama', layers: 4, hidden: 256, heads: 8, kvHeads: 2, headDim: 32, feedForward: 512,
  contextLength: 8192, ropeTheta: 500000, rmsEpsilon: 1e-5,
};
const CASES: readonly { name: string; shape: 'tiny' | 'tiny-moe' | ModelShape; contextSize: number }[] = [
  { name: 'tiny', shape: 'tiny', contextSize: 8192 },
  { name: 'tiny-moe', shape: 'tiny-moe', contextSize: 4096 },
  { name: 'mid-4x256', shape: MID_SHAPE, contextSize: 8192 },
];
const MiB = 1024 * 1024;

describe('memory planner vs node-llama-cpp (CPU)', function () {
  this.timeout(120_000);
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  let llama: any;

  before(async () => {
    const { getLlama } = await import('node-llama-cpp');
    llama = await getLlama({ gpu: false, build: 'never', progressLogs: false });
  });

  for (const { name, shape, contextSize } of CASES) {
    it(`${name}: KV cache at ${contextSize} tokens within 10% of llama.cpp's allocation and GgufInsights' estimate`, async () => {
      const { readGgufFileInfo, GgufInsights } = await import('node-llama-cpp');
      mkdirSync(MODEL_DIR, { recursive: true });
      const file = path.join(MODEL_DIR, `planner-${name}.gguf`);
      const written = writeTameModel(file, { shape, name: `planner-${name}` });
      const info = await readGgufFileInfo(file);
      const summary = summarizeGguf(info.metadata as unknown as Record<string, unknown>, info.fullTensorInfo as unknown as GgufTensorFacts[]);
      const planned = memoryFactsFromGguf(summary, written.totalBytes, name);
      assert.ok('facts' in planned, JSON.stringify(planned));
      const ours = kvBytesPerToken(planned.facts) * contextSize;

      const insights = await GgufInsights.from(info, llama);
      const estimate = insights.estimateContextResourceRequirements({
        contextSize, modelGpuLayers: 0, sequences: 1, includeGraphOverhead: false,
      });

      const probe = spawnSync(process.execPath, [path.join(__dirname, 'kvProbe.js'), file, String(contextSize)], { encoding: 'utf8' });
      assert.equal(probe.status, 0, probe.stderr);
      const { kvBytes: actual, line } = JSON.parse(probe.stdout.trim().split('\n').at(-1)!) as { kvBytes: number; line: string | null };
      assert.ok(line, `no KV buffer line in llama.cpp's log:\n${probe.stdout}`);

      console.log(`      ${name}: planner ${(ours / MiB).toFixed(2)} MiB, llama.cpp ${(actual / MiB).toFixed(2)} MiB, ` +
        `GgufInsights cpuRam (KV + buffers) ${(estimate.cpuRam / MiB).toFixed(2)} MiB`);
      assert.ok(Math.abs(ours - actual) / actual <= 0.1, `planner ${ours} vs llama.cpp ${actual}`);
      assert.ok(ours <= estimate.cpuRam * 1.1, `planner ${ours} vs GgufInsights ${estimate.cpuRam}`);
    });
  }
});
