import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { EngineEvent } from '../../../src/core/generation/types';
import type { ExtensionApi } from '../../../src/extension';

const extensionId = 'llm-jp-vscode.llm-jp-vscode';

function models(): { tame: string; greeting: string } {
  const value = process.env.LLMJP_E2E_MODELS;
  assert.ok(value, 'the e2e driver passes the generated models in LLMJP_E2E_MODELS');
  return JSON.parse(value) as { tame: string; greeting: string };
}

async function useModel(modelPath: string): Promise<void> {
  const config = vscode.workspace.getConfiguration('llmJp');
  await config.update('gpu', 'off', vscode.ConfigurationTarget.Global);
  await config.update('threads', 1, vscode.ConfigurationTarget.Global);
  await config.update('contextSize', 2048, vscode.ConfigurationTarget.Global);
  await config.update('modelPath', modelPath, vscode.ConfigurationTarget.Global);
}

describe('the model process under the real extension host', function () {
  this.timeout(120_000);
  let api: ExtensionApi;

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(extensionId)!.activate();
  });

  after(async () => {
    const config = vscode.workspace.getConfiguration('llmJp');
    for (const key of ['modelPath', 'unloadAfterMinutes']) await config.update(key, undefined, vscode.ConfigurationTarget.Global);
  });

  it('unloads the model after the idle time and reloads it for the next question', async () => {
    await useModel(models().tame);
    await vscode.workspace.getConfiguration('llmJp').update('unloadAfterMinutes', 0.02, vscode.ConfigurationTarget.Global);
    const ask = async (): Promise<EngineEvent | undefined> => {
      let last: EngineEvent | undefined;
      for await (const event of api.engine.generate({ messages: [{ role: 'user', content: 'こんにちは' }], sampling: { temperature: 0 }, maxTokens: 4 })) last = event;
      return last;
    };
    assert.deepEqual(await ask(), { type: 'done', reason: 'length' });
    assert.equal(api.engine.state.kind, 'ready');
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    assert.equal(api.engine.state.kind, 'idle');
    assert.equal(api.engine.model, undefined);
    assert.deepEqual(await ask(), { type: 'done', reason: 'length' });
    await vscode.workspace.getConfiguration('llmJp').update('unloadAfterMinutes', undefined, vscode.ConfigurationTarget.Global);
  });

  it('streams reasoning and the answer of the scripted model', async () => {
    await useModel(models().greeting);
    const events: EngineEvent[] = [];
    for await (const event of api.engine.generate({ messages: [{ role: 'user', content: 'こんにちは' }], sampling: { temperature: 0 }, maxTokens: 64 })) {
      events.push(event);
    }
    const text = (type: 'answer' | 'reasoning') => events.map((e) => (e.type === type ? e.text : '')).join('');
    assert.equal(text('reasoning'), '挨拶には挨拶で返します。');
    assert.equal(text('answer'), 'こんにちは！例えば次のように書けます。\n\n```ts\nconst answer: number = 42;\n```');
    assert.deepEqual(events.at(-1), { type: 'done', reason: 'return' });
    assert.equal(api.engine.model?.exactTokenizer, true);
  });

  it('survives the model process being killed mid-stream, and the next request works', async () => {
    await useModel(models().tame);
    const events: EngineEvent[] = [];
    let killed: number | undefined;
    for await (const event of api.engine.generate({ messages: [{ role: 'user', content: '話して' }], maxTokens: 100_000 })) {
      events.push(event);
      if (event.type === 'answer' && killed === undefined) {
        killed = api.engine.workerPid;
        assert.ok(killed, 'a worker process runs');
        process.kill(killed, 'SIGKILL');
      }
    }
    const last = events.at(-1);
    assert.equal(last?.type, 'error');
    assert.equal(last.type === 'error' && last.error.code, 'worker-crashed');
    assert.ok(vscode.extensions.getExtension(extensionId)!.isActive, 'the extension is still active');

    const again: EngineEvent[] = [];
    for await (const event of api.engine.generate({ messages: [{ role: 'user', content: 'もう一度' }], sampling: { temperature: 0 }, maxTokens: 4 })) {
      again.push(event);
    }
    assert.deepEqual(again.at(-1), { type: 'done', reason: 'length' });
    assert.notEqual(api.engine.workerPid, killed, 'a new model process took over');
  });
});
