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
    // VS Code activates the extension at startup (onStartupFinished), so its bundle is loaded
    // before this runs: the extension's own share is what it measured itself (ExtensionApi.timings).
    // This awaits the activation in flight, or activates it now.
    const started = performance.now();
    await extension.activate();
    // VS Code's activation plumbing and the extension's own code, from here on.
    result.activateMs = performance.now() - started;
    result.codeLoadingMs = extension.exports.timings.codeLoadingMs;
    result.activateCallMs = extension.exports.timings.activateMs;
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
