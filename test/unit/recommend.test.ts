import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import {
  COMFORTABLE_CONTEXT, findModel, formatByteSize, parseCatalog, percentOf, planMemory, rankDownloads, readCatalogFile, recommendDownload,
  type Catalog, type CatalogFile, type CatalogModel, type DeviceMemory,
} from '../../src/core/models';

const GB = 1e9;
const catalog = readCatalogFile(path.resolve(__dirname, '../../../models/catalog.json'));

function gpu(totalGb: number, ramGb = 32): DeviceMemory {
  return { gpu: { totalBytes: totalGb * GB, freeBytes: (totalGb - 0.5) * GB }, ramTotalBytes: ramGb * GB, ramFreeBytes: (ramGb * 2) / 3 * GB };
}

function cpu(ramGb: number, freeGb: number): DeviceMemory {
  return { ramTotalBytes: ramGb * GB, ramFreeBytes: freeGb * GB };
}

/** A downloadable copy of a real catalog model, with the file size given. */
function entry(id: string, sizeBytes: number, overrides: Partial<CatalogModel> = {}): CatalogModel {
  const model = findModel(catalog, id)!;
  const name = `${id}-Q4_K_M.gguf`;
  const file: CatalogFile = {
    quantization: 'Q4_K_M', repo: 'llm-jp/test', file: name, uri: `https://huggingface.co/llm-jp/test/resolve/main/${name}`,
    sizeBytes, approxSizeBytes: null, sha256: null,
  };
  return { ...model, files: [file], ...overrides };
}

function catalogOf(...models: CatalogModel[]): Catalog {
  return parseCatalog({ version: 1, models });
}

describe('recommended download', () => {
  it('offers the catalog\'s first downloadable file that runs fully on a 12 GB GPU', () => {
    const choice = recommendDownload(catalog, gpu(12));
    assert.ok(choice);
    assert.equal(choice.model.id, 'llm-jp-4-8b-thinking');
    assert.equal(choice.file.quantization, 'Q4_K_M');
    assert.equal(choice.plan.mode, 'gpu-full');
    assert.ok(choice.file.uri?.startsWith('https://huggingface.co/'));
  });

  it('plans on the CPU without a GPU, and offers nothing when no file fits the free memory', () => {
    const onCpu = recommendDownload(catalog, cpu(32, 20));
    assert.equal(onCpu?.plan.mode, 'cpu');
    assert.equal(onCpu?.model.id, 'llm-jp-4-8b-thinking');
    assert.equal(recommendDownload(catalog, cpu(8, 4)), undefined);
  });

  it('never offers a file without an address or a size, nor a server-only model', () => {
    for (const { model, file } of rankDownloads(catalog, gpu(80, 512))) {
      assert.notEqual(file.uri, null);
      assert.ok(file.sizeBytes !== null || file.approxSizeBytes !== null, `${model.id} ${file.quantization}`);
      assert.equal(model.serverOnly, false);
    }
  });

  it('prefers a model that runs fully on the GPU over an earlier one that only partly fits', () => {
    const big = entry('llm-jp-4-32b-a3b-thinking', 20 * GB);
    const small = entry('llm-jp-4-8b-thinking', 5.3 * GB);
    const ranked = rankDownloads(catalogOf(big, small), gpu(12));
    assert.deepEqual(ranked.map((r) => [r.model.id, r.plan.mode]), [['llm-jp-4-8b-thinking', 'gpu-full'], ['llm-jp-4-32b-a3b-thinking', 'gpu-partial']]);
  });

  it('prefers a comfortable context over catalog order within the same mode', () => {
    // On a 10 GB GPU the 8B fits whole only with a short context; a smaller model fits at 65,536.
    const wide = entry('llm-jp-4-8b-thinking', 8 * GB);
    const narrow = entry('llm-jp-4-8b-instruct', 2 * GB);
    const [first, second] = rankDownloads(catalogOf(wide, narrow), gpu(10));
    assert.equal(first.model.id, 'llm-jp-4-8b-instruct');
    assert.ok(first.plan.contextSize >= COMFORTABLE_CONTEXT);
    assert.equal(second.model.id, 'llm-jp-4-8b-thinking');
    assert.equal(second.plan.mode, 'gpu-full');
    assert.ok(second.plan.contextSize < COMFORTABLE_CONTEXT);
    // With the user's context cap below the comfortable size, both are comfortable: catalog order.
    assert.equal(recommendDownload(catalogOf(wide, narrow), gpu(10), { maxContext: 2048 })?.model.id, 'llm-jp-4-8b-thinking');
  });

  it('keeps catalog order among equally good choices', () => {
    const ranked = rankDownloads(catalogOf(entry('llm-jp-4-8b-instruct', 5.3 * GB), entry('llm-jp-4-8b-thinking', 5.3 * GB)), gpu(24));
    assert.deepEqual(ranked.map((r) => r.model.id), ['llm-jp-4-8b-instruct', 'llm-jp-4-8b-thinking']);
  });
});

describe('byte sizes for people', () => {
  it('uses the unit that keeps the number readable', () => {
    assert.equal(formatByteSize(5_300_000_000), '5.3 GB');
    assert.equal(formatByteSize(697_440), '697 KB');
    assert.equal(formatByteSize(12_400_000), '12.4 MB');
    assert.equal(formatByteSize(20_000_000_000), '20.0 GB');
    assert.equal(formatByteSize(150_000_000_000), '150 GB');
    assert.equal(formatByteSize(999), '999 B');
    assert.equal(formatByteSize(0), '0 B');
  });

  it('the planner\'s sentence names a tiny model\'s sizes in KB and MB, not "0.0 GB"', () => {
    const plan = planMemory(
      { label: 'tiny Q8_0', layers: 2, kvHeads: 3, keyLength: 64, trainContextLength: 65_536, vocabularySize: 648, hiddenSize: 192, weightsBytes: 697_440 },
      cpu(32, 20),
      { maxContext: 2048 },
    );
    assert.equal(plan.summary.en, 'tiny Q8_0: 697 KB weights + 101 MB KV cache at 65,536 tokens; runs on the CPU in your 32.0 GB of memory at 2,048 tokens.');
    assert.equal(plan.summary.ja, 'tiny Q8_0: 重み 697 KB + KV キャッシュ 101 MB（65,536 トークン）。CPU とメモリ 32.0 GB で 2,048 トークンまで動かせます。');
  });

  it('gives whole, clamped percentages', () => {
    assert.equal(percentOf(0, 100), 0);
    assert.equal(percentOf(999, 1000), 99);
    assert.equal(percentOf(1000, 1000), 100);
    assert.equal(percentOf(5, undefined), 0);
    assert.equal(percentOf(50, 0), 0);
  });
});
