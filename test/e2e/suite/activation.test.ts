import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';

const extensionId = 'llm-jp-vscode.llm-jp-vscode';

describe('the extension in a real VS Code', () => {
  it('is present, activates at startup for its status bar item, and starts no model process', async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    assert.deepEqual(extension.packageJSON.activationEvents, ['onStartupFinished', 'onWebviewPanel:llmJp.chatEditor']);
    const api = await extension.activate();
    // Activation is cheap: the model process starts with the first question, not before.
    assert.equal(api.engine.workerPid, undefined);
    assert.ok(api.timings.codeLoadingMs >= 0 && api.timings.activateMs >= 0);
  });

  it('activates and registers its commands', async () => {
    const extension = vscode.extensions.getExtension<ExtensionApi>(extensionId);
    assert.ok(extension);
    const api = await extension.activate();
    assert.ok(api.chat, 'activate() returns the extension API');
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('llmJp.openChat'), 'llmJp.openChat is registered');
  });

  it('opens the chat panel, which round-trips Japanese text', async () => {
    const api = vscode.extensions.getExtension<ExtensionApi>(extensionId)!.exports;
    await vscode.commands.executeCommand('llmJp.openChat');
    await api.chat.whenReady();
    const text = 'こんにちは、LLM-jp！ 東京の天気は？ 🌸';
    assert.equal(await api.chat.ping(text), text);
  });
});
