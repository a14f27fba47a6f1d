// Loaded by the extension host as `extensionTestsPath` (see measure.mjs): times the extension's
// activation inside a real VS Code (code-server) and writes the figures to $LLMJP_BENCH_RESULTS.
const vscode = require('vscode');
const { writeFileSync } = require('node:fs');

const extensionId = 'llm-jp-vscode.llm-jp-vscode';

module.exports.run = async function run() {
  const extension = vscode.extensions.getExtension(extensionId);
  const result = { vscode: vscode.version, node: process.version };
  if (!extension) {
    result.error = `${extensionId} is not loaded`;
  } else {
    result.activeBefore = extension.isActive;
    const started = performance.now();
    await extension.activate();
    // Loading dist/extension.js, VS Code's activation plumbing, and activate() itself.
    result.activateMs = performance.now() - started;
    const again = performance.now();
    await extension.activate();
    result.secondCallMs = performance.now() - again;
    const opened = performance.now();
    await vscode.commands.executeCommand('llmJp.openChat');
    await extension.exports.chat.whenReady();
    result.openChatMs = performance.now() - opened;
  }
  if (process.env.LLMJP_BENCH_RESULTS) writeFileSync(process.env.LLMJP_BENCH_RESULTS, JSON.stringify(result));
};
