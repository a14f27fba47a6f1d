import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  contextCandidates, findModel, kvBytesPerToken, memoryFactsFromCatalog, memoryFactsFromGguf, planMemory, quantizationName,
  readCatalogFile, roomForParallelRequests, summarizeGguf, tensorBytes, type ModelMemoryFacts,
} from '../../src/core/models';

const GiB = 1024 ** 3;
const GB = 1e9;
const catalog = readCatalogFile(path.resolve(__dirname, '../../../models/catalog.json'));

function catalogFacts(id: string): ModelMemoryFacts {
  const model = findModel(catalog, id)!;
  return memoryFactsFromCatalog(model, model.files[0])!;
}

describe('memory planner', () => {
  it('KV cache per token from the real shapes: 8B 128 KiB (8 GiB at 65,536), 32B-A3B 64 KiB (4 GiB)', () => {
    const small = catalogFacts('llm-jp-4-8b-thinking');
    assert.equal(kvBytesPerToken(small), 128 * 1024);
    assert.equal(kvBytesPerToken(small) * 65_536, 8 * GiB);
    const moe = catalogFacts('llm-jp-4-32b-a3b-thinking');
    assert.equal(kvBytesPerToken(moe) * 65_536, 4 * GiB);
    assert.equal(kvBytesPerToken(small, 1) * 65_536, 4 * GiB);
  });

  it('steps the context down by powers of two to the minimum', () => {
    assert.deepEqual(contextCandidates(65_536), [65_536, 32_768, 16_384, 8192, 4096, 2048]);
    assert.deepEqual(contextCandidates(65_536, 20_000), [20_000, 16_384, 8192, 4096, 2048]);
    assert.deepEqual(contextCandidates(4096), [4096, 2048]);
    assert.deepEqual(contextCandidates(1024), [1024]);
  });

  it('8B Q4_K_M on a 12 GB GPU: 32,768 tokens fully offloaded', () => {
    const plan = planMemory(catalogFacts('llm-jp-4-8b-thinking'), { gpu: { totalBytes: 12 * GB, freeBytes: 11.5 * GB }, ramTotalBytes: 32 * GB, ramFreeBytes: 20 * GB });
    assert.equal(plan.mode, 'gpu-full');
    assert.equal(plan.contextSize, 32_768);
    assert.equal(plan.gpuLayers, 32);
    assert.equal(plan.summary.en, 'LLM-jp-4 8B thinking Q4_K_M: 5.3 GB weights + 8.6 GB KV cache at 65,536 tokens; your 12.0 GB GPU fits 32,768 tokens with all layers offloaded.');
    assert.match(plan.summary.ja, /32,768 トークン/);
  });

  it('8B on a 24 GB GPU: the whole 65,536-token context', () => {
    const plan = planMemory(catalogFacts('llm-jp-4-8b-thinking'), { gpu: { totalBytes: 24 * GB, freeBytes: 23 * GB }, ramTotalBytes: 32 * GB, ramFreeBytes: 20 * GB });
    assert.equal(plan.mode, 'gpu-full');
    assert.equal(plan.contextSize, 65_536);
  });

  it('32B-A3B on an 8 GB GPU: part of the layers on the GPU at a modest context', () => {
    const plan = planMemory(catalogFacts('llm-jp-4-32b-a3b-thinking'), { gpu: { totalBytes: 8 * GB, freeBytes: 7.5 * GB }, ramTotalBytes: 64 * GB, ramFreeBytes: 40 * GB });
    assert.equal(plan.mode, 'gpu-partial');
    assert.equal(plan.contextSize, 8192);
    assert.ok(plan.gpuLayers > 0 && plan.gpuLayers < 32, `${plan.gpuLayers}`);
    assert.match(plan.summary.en, new RegExp(`holds ${plan.gpuLayers} of 32 layers`));
  });

  it('no GPU: the CPU plan takes the largest context that fits in RAM; too little RAM does not fit', () => {
    const cpu = planMemory(catalogFacts('llm-jp-4-8b-thinking'), { ramTotalBytes: 16 * GB, ramFreeBytes: 12 * GB });
    assert.equal(cpu.mode, 'cpu');
    assert.equal(cpu.gpuLayers, 0);
    assert.equal(cpu.contextSize, 32_768);
    const none = planMemory(catalogFacts('llm-jp-4-32b-a3b-thinking'), { ramTotalBytes: 8 * GB, ramFreeBytes: 6 * GB });
    assert.equal(none.mode, 'does-not-fit');
    assert.equal(none.contextSize, 2048);
    assert.match(none.summary.ja, /小さいモデル/);
  });

  it('summarizes the GGUF metadata node-llama-cpp reads, and plans from it', () => {
    const reserved = Array.from({ length: 352 }, (_, id) => `<|reserved_${id}|>`);
    const bytes = Array.from({ length: 256 }, (_, byte) => `<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    const tokens = [...reserved, ...bytes, '▁a', '▁b'];
    const metadata = {
      general: { architecture: 'llama', name: 'llm-jp-4-8b-thinking', file_type: 15 },
      llama: { block_count: 32, context_length: 65_536, embedding_length: 4096, attention: { head_count: 32, head_count_kv: 8 } },
      tokenizer: { ggml: { tokens }, chat_template: '{#- chat_format=llm-jp-harmony-v1 -#}...' },
    };
    const summary = summarizeGguf(metadata, [
      { name: 'blk.0.attn_q.weight', dimensions: [4096, 4096], ggmlType: 12 },
      { name: 'output.weight', dimensions: [4096, 610], ggmlType: 8 },
    ]);
    assert.equal(summary.architecture, 'llama');
    assert.equal(summary.quantization, 'Q4_K_M');
    assert.equal(summary.llmJp4Vocabulary, true);
    assert.equal(summary.vocabularySize, 610);
    assert.equal(summary.dialect, 'llm-jp-4.1');
    assert.equal(summary.keyLength, 128);
    assert.equal(summary.kvHeads, 8);
    assert.equal(summary.layerWeightsBytes, (4096 * 4096 / 256) * 144);
    const planned = memoryFactsFromGguf(summary, 5.3e9, 'file');
    assert.ok('facts' in planned);
    assert.equal(kvBytesPerToken(planned.facts), 128 * 1024);
    assert.deepEqual(memoryFactsFromGguf(summarizeGguf({ general: { architecture: 'llama' } }), 1, 'x'), {
      missing: ['layers', 'kvHeads', 'keyLength', 'contextLength', 'hiddenSize', 'vocabularySize'],
    });
    assert.equal(quantizationName(7), 'Q8_0');
    assert.equal(tensorBytes({ name: 't', dimensions: [64n, 32n], ggmlType: 8 }), 64 * 34);
  });

  it('takes a second sequence for LLM-jp-4 8B at its full context only where its KV cache is a small share of what is free', () => {
    // LLM-jp-4 8B: 32 layers x 8 KV heads x (128 + 128) x 2 bytes = 128 KiB a token; 65,536 tokens = 8 GiB more.
    const secondKv = kvBytesPerToken({ layers: 32, kvHeads: 8, keyLength: 128 }) * 65536;
    assert.equal(secondKv, 8 * GiB);
    assert.equal(roomForParallelRequests(secondKv, 20 * GiB), false, 'a 32 GB laptop with the model loaded: one sequence');
    assert.equal(roomForParallelRequests(secondKv, 50 * GiB), true, 'a 64 GB machine: two');
    assert.equal(roomForParallelRequests(secondKv, 120 * GiB), true, 'an H200 with the model loaded: two');
    assert.equal(roomForParallelRequests(kvBytesPerToken({ layers: 32, kvHeads: 8, keyLength: 128 }) * 8192, 20 * GiB), true, 'at an 8k context the laptop takes two');
  });
});
