import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';

const extensionId = 'llm-jp-vscode.llm-jp-vscode';

describe('the extension in a real VS Code', () => {
  it('is present and not activated before it is used', () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `${extensionId} is not loaded`);
    // Activation is on its own commands and views only, never at startup.
    assert.equal(extension.isActive, false);
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
