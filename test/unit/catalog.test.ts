import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  catalogProblems, CatalogError, DIALECT_OF_FAMILY, findModel, huggingFaceResolveUri, parseCatalog, readCatalogFile, type Catalog,
} from '../../src/core/models';

const ROOT = path.resolve(__dirname, '../../..');
const CATALOG_FILE = path.join(ROOT, 'models', 'catalog.json');
const raw = (): Record<string, unknown> => JSON.parse(readFileSync(CATALOG_FILE, 'utf8')) as Record<string, unknown>;

describe('model catalog', () => {
  let catalog: Catalog;
  before(() => {
    catalog = readCatalogFile(CATALOG_FILE);
  });

  it('parses and passes every rule', () => {
    assert.deepEqual(catalogProblems(raw()), []);
    assert.ok(catalog.models.length >= 8);
  });

  it('has unique ids and the models the project offers', () => {
    const ids = catalog.models.map((model) => model.id);
    assert.equal(new Set(ids).size, ids.length);
    for (const id of ['llm-jp-4-8b-thinking', 'llm-jp-4-8b-instruct', 'llm-jp-4-32b-a3b-thinking', 'llm-jp-4.1-8b-thinking',
      'llm-jp-3.1-1.8b-instruct4', 'llm-jp-3.1-13b-instruct4', 'llm-jp-3.1-8x13b-instruct4', 'llm-jp-3-172b-instruct3']) {
      assert.ok(findModel(catalog, id), id);
    }
  });

  it('links only to Hugging Face resolve URLs over https, derived from repo and file', () => {
    for (const model of catalog.models) {
      for (const file of model.files) {
        if (file.uri === null) {
          assert.equal(file.file, null);
          continue;
        }
        const url = new URL(file.uri);
        assert.equal(url.protocol, 'https:');
        assert.equal(url.host, 'huggingface.co');
        assert.match(url.pathname, /\/resolve\//);
        assert.equal(file.uri, huggingFaceResolveUri(file.repo, file.file!));
      }
    }
  });

  it('speaks the dialect of its family, and its shape is consistent', () => {
    for (const model of catalog.models) {
      assert.equal(model.dialect, DIALECT_OF_FAMILY[model.family], model.id);
      assert.equal(model.heads % model.kvHeads, 0, model.id);
      if (model.architecture === 'llama') assert.equal(model.heads * model.headDim, model.hiddenSize, model.id);
      if (model.architecture === 'qwen3moe') assert.ok(model.experts, model.id);
      if (model.family.startsWith('llm-jp-4')) assert.equal(model.vocabularySize, 196_608, model.id);
    }
  });

  it('keeps the 172B server-only with no local files', () => {
    const big = findModel(catalog, 'llm-jp-3-172b-instruct3')!;
    assert.equal(big.serverOnly, true);
    assert.equal(big.files.length, 0);
    assert.ok(catalog.models.filter((model) => model.serverOnly).every((model) => model.parametersBillions.total === null || model.parametersBillions.total > 100));
  });

  it('holds the shapes from the reference data (8B: 32 layers, 8 KV heads; 32B-A3B: 4 KV heads, 128 experts)', () => {
    const small = findModel(catalog, 'llm-jp-4-8b-thinking')!;
    assert.deepEqual([small.layers, small.hiddenSize, small.heads, small.kvHeads, small.headDim, small.contextLength], [32, 4096, 32, 8, 128, 65_536]);
    const moe = findModel(catalog, 'llm-jp-4-32b-a3b-thinking')!;
    assert.deepEqual([moe.architecture, moe.layers, moe.hiddenSize, moe.heads, moe.kvHeads, moe.experts], ['qwen3moe', 32, 2560, 40, 4, { count: 128, used: 8 }]);
  });

  it('the schema file and the validator agree on required properties', () => {
    const schema = JSON.parse(readFileSync(path.join(ROOT, 'models', 'catalog.schema.json'), 'utf8')) as {
      $defs: { model: { required: string[] }; file: { required: string[] } };
    };
    const model = catalog.models[0] as unknown as Record<string, unknown>;
    assert.deepEqual([...schema.$defs.model.required].sort(), Object.keys(model).sort());
    const file = catalog.models[0].files[0] as unknown as Record<string, unknown>;
    assert.deepEqual([...schema.$defs.file.required].sort(), Object.keys(file).sort());
  });

  it('reports each broken rule', () => {
    const broken = raw();
    const models = broken.models as Record<string, unknown>[];
    models.push({ ...models[0] });
    models[1] = { ...models[1], dialect: 'llm-jp-3', kvHeads: 5 };
    const files = (models[2].files as Record<string, unknown>[]).map((file) => ({ ...file }));
    files[0] = { ...files[0], uri: 'http://example.com/resolve/main/x.gguf', sha256: 'ABC', sizeBytes: -1 };
    models[2] = { ...models[2], files, extra: true };
    const problems = catalogProblems(broken).join('\n');
    assert.match(problems, /duplicate id/);
    assert.match(problems, /dialect: family llm-jp-4 speaks llm-jp-4.0/);
    assert.match(problems, /kvHeads: must divide heads/);
    assert.match(problems, /uri: https:\/\/huggingface.co\/ only/);
    assert.match(problems, /sha256/);
    assert.match(problems, /sizeBytes/);
    assert.match(problems, /unknown property extra/);
    assert.throws(() => parseCatalog(broken), CatalogError);
  });
});
