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
    // The extension's own share: loading its bundle (timed here; VS Code then gets the module
    // from Node's cache) and its activate() function (wrapped on the cached exports, which is
    // the object VS Code calls). The rest of extension.activate() is VS Code's plumbing.
    const main = require('node:path').join(extension.extensionPath, extension.packageJSON.main);
    const loadStarted = performance.now();
    const module_ = require(main);
    result.codeLoadingMs = performance.now() - loadStarted;
    const activate = module_.activate;
    // esbuild's exports are getters that cannot be reassigned: replace the cached exports.
    require.cache[require.resolve(main)].exports = { ...module_, activate: timedActivate };
    function timedActivate(...args) {
      const called = performance.now();
      try {
        return activate.apply(this, args);
      } finally {
        result.activateCallMs = performance.now() - called;
      }
    }
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
