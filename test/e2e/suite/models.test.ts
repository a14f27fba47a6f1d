import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CatalogFile } from '../../../src/core/models';
import type { ExtensionApi } from '../../../src/extension';
import { startGgufServer, type GgufServer } from '../../support/ggufServer';

const extensionId = 'llm-jp-vscode.llm-jp-vscode';
const REMOTE_PATH = 'llm-jp/test-gguf/resolve/main';

function catalogFile(name: string, bytes: Buffer, sha256 = createHash('sha256').update(bytes).digest('hex')): CatalogFile {
  return {
    quantization: 'Q8_0',
    repo: 'llm-jp/test-gguf',
    file: name,
    uri: `https://huggingface.co/${REMOTE_PATH}/${name}`,
    sizeBytes: bytes.length,
    approxSizeBytes: null,
    sha256,
  };
}

describe('downloading a model from a mirror on 127.0.0.1', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  let server: GgufServer;
  let model: Buffer;
  let folder: string;

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(extensionId)!.activate();
    const models = JSON.parse(process.env.LLMJP_E2E_MODELS ?? '{}') as { tame: string };
    model = readFileSync(models.tame);
    server = await startGgufServer({ [`${REMOTE_PATH}/tame.gguf`]: model, [`${REMOTE_PATH}/corrupt.gguf`]: model });
    folder = mkdtempSync(path.join(tmpdir(), 'llm-jp-models-'));
    const config = vscode.workspace.getConfiguration('llmJp');
    await config.update('huggingFaceEndpoint', `${server.origin}/files`, vscode.ConfigurationTarget.Global);
    await config.update('modelsFolder', folder, vscode.ConfigurationTarget.Global);
    for (const [key, value] of [['gpu', 'off'], ['threads', 1], ['contextSize', 2048]] as const) {
      await config.update(key, value, vscode.ConfigurationTarget.Global);
    }
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('llmJp');
    for (const key of ['huggingFaceEndpoint', 'modelsFolder', 'modelPath']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
    await server?.close();
  });

  it('refuses a corrupt download and leaves nothing that could load as a model', async () => {
    server.setFault(`${REMOTE_PATH}/corrupt.gguf`, { kind: 'corrupt' });
    const result = await api.models.download(catalogFile('corrupt.gguf', model));
    assert.equal(result, undefined);
    assert.equal(existsSync(path.join(folder, 'corrupt.gguf')), false);
    assert.notEqual(vscode.workspace.getConfiguration('llmJp').get('modelPath'), path.join(folder, 'corrupt.gguf'));
  });

  it('recovers from a dropped connection, verifies, and makes the model the one in use', async () => {
    server.setFault(`${REMOTE_PATH}/tame.gguf`, { kind: 'drop-after', bytes: 50_000 }, 1);
    const result = await api.models.download(catalogFile('tame.gguf', model));
    assert.equal(result, path.join(folder, 'tame.gguf'));
    assert.ok(readFileSync(result).equals(model));
    // A retry followed the drop (whether it resumed with Range depends on how many of the bytes
    // before the drop Node handed over; the unit tests cover resuming exactly).
    assert.ok(server.requests.filter((r) => r.path.endsWith('/tame.gguf')).length >= 2, JSON.stringify(server.requests));
    assert.equal(vscode.workspace.getConfiguration('llmJp').get('modelPath'), result);

    // It loads on the first question, and the engine reports it ready.
    const events = [];
    for await (const event of api.engine.generate({ messages: [{ role: 'user', content: 'こんにちは' }], maxTokens: 4, sampling: { temperature: 0 } })) {
      events.push(event);
    }
    assert.deepEqual(events.at(-1), { type: 'done', reason: 'length' });
    assert.equal(api.engine.model?.path, result);
    assert.equal(api.engine.state.kind, 'ready');
  });

  it('keeps the loaded model when a setting that does not change how it loads changes', async () => {
    assert.equal(api.engine.state.kind, 'ready');
    const config = vscode.workspace.getConfiguration('llmJp');
    const pid = api.engine.workerPid;
    await config.update('reasoningEffort', 'high', vscode.ConfigurationTarget.Global);
    await config.update('modelsFolder', path.join(folder, 'elsewhere'), vscode.ConfigurationTarget.Global);
    assert.equal(api.engine.state.kind, 'ready', 'the reasoning effort and the download folder leave the model loaded');
    assert.equal(api.engine.workerPid, pid);
    // The context size does change the load: the next question loads again.
    await config.update('contextSize', 1024, vscode.ConfigurationTarget.Global);
    assert.equal(api.engine.state.kind, 'idle');
    await config.update('contextSize', 2048, vscode.ConfigurationTarget.Global);
    await config.update('reasoningEffort', undefined, vscode.ConfigurationTarget.Global);
  });
});
