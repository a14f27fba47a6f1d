// The chat panel once against a real llama-server (started by the e2e driver on a scripted model,
// test/e2e/models.mjs): with llmJp.backend "server" the same question goes to the server, its
// reasoning stays a trace apart from the answer, and the status shows the server's model; back
// on "local", the local model answers again.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import { CPU_SETTINGS, e2eModel, resetSettings, setSettings } from './support';
import { GREETING_ANSWER, SERVER_ANSWER, SERVER_REASONING } from '../scriptTexts';

const extensionId = 'llm-jp-vscode.llm-jp-vscode';

describe('the chat panel on an OpenAI-compatible server (llama-server)', function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  const config = () => vscode.workspace.getConfiguration('llmJp');
  const serverUrl = process.env.LLMJP_E2E_SERVER;

  before(async function () {
    if (!serverUrl) {
      console.log('    (skipped: the driver started no llama-server; it says why)');
      this.skip();
    }
    api = await vscode.extensions.getExtension<ExtensionApi>(extensionId)!.activate();
    await setSettings({ ...CPU_SETTINGS, modelPath: e2eModel('chat') });
  });

  after(async () => {
    await resetSettings(['backend', 'server.baseUrl', 'server.model', 'modelPath', 'contextSize', 'threads', 'gpu']);
  });

  async function ask(text: string) {
    await api.chat.receive({ type: 'newChat' });
    await api.chat.receive({ type: 'send', text });
    const entry = api.chat.entries.at(-1);
    assert.equal(entry?.kind, 'assistant');
    return entry as Extract<typeof entry, { kind: 'assistant' }>;
  }

  it('answers from the server, its reasoning apart, and from the local model again when switched back', async () => {
    await config().update('server.baseUrl', `${serverUrl}/v1`, vscode.ConfigurationTarget.Global);
    await config().update('backend', 'server', vscode.ConfigurationTarget.Global);
    const answer = await ask('サーバーに質問します');
    assert.equal(answer.error, undefined);
    assert.equal(answer.answer, SERVER_ANSWER);
    assert.equal(answer.reasoning, SERVER_REASONING);
    assert.equal(api.engine.model?.server, new URL(serverUrl!).host, 'the model in use is the server\'s');
    await config().update('backend', 'local', vscode.ConfigurationTarget.Global);
    const local = await ask('こんにちは');
    assert.equal(local.answer, GREETING_ANSWER);
  });
});
