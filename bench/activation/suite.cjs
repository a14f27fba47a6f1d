// Loaded by the extension host as `extensionTestsPath` (see measure.mjs), in one of three modes
// ($LLMJP_BENCH_MODE), and writes its figures to $LLMJP_BENCH_RESULTS:
// - activation (default): times the extension's activation inside a real VS Code (code-server);
// - bare: the extension host's memory with no extension of ours loaded (the baseline);
// - memory: the extension host's memory after activation with the chat panel open, then after a
//   chat of $LLMJP_BENCH_TURNS questions and answers with the model of the settings.
const vscode = require('vscode');
const { writeFileSync } = require('node:fs');

const extensionId = 'llm-jp-vscode.llm-jp-vscode';

/** The extension host's memory, once what is garbage has had a chance to go. */
async function memory() {
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}

async function activation(extension, result) {
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

async function chatMemory(extension, result) {
  const api = await extension.activate();
  await vscode.commands.executeCommand('llmJp.openChat');
  await api.chat.whenReady();
  result.activated = await memory();
  const turns = Number(process.env.LLMJP_BENCH_TURNS ?? 100);
  const started = performance.now();
  for (let i = 1; i <= turns; i++) await api.chat.receive({ type: 'send', text: `質問 ${i}: このプロジェクトについて教えてください。` });
  result.chatSeconds = (performance.now() - started) / 1000;
  result.entries = api.chat.entries.length;
  result.answerCharacters = api.chat.entries.reduce((sum, entry) => sum + (entry.kind === 'assistant' ? entry.answer.length : 0), 0);
  result.lastAnswer = api.chat.entries.at(-1)?.answer?.slice(0, 80);
  result.afterChat = await memory();
  result.workerPid = api.engine.workerPid;
}

module.exports.run = async function run() {
  const mode = process.env.LLMJP_BENCH_MODE ?? 'activation';
  const result = { mode, vscode: vscode.version, node: process.version };
  try {
    if (mode === 'bare') {
      result.bare = await memory();
      result.ours = vscode.extensions.getExtension(extensionId) !== undefined;
    } else {
      const extension = vscode.extensions.getExtension(extensionId);
      if (!extension) result.error = `${extensionId} is not loaded`;
      else if (mode === 'memory') await chatMemory(extension, result);
      else await activation(extension, result);
    }
  } catch (error) {
    result.error = String(error?.stack ?? error);
  }
  if (process.env.LLMJP_BENCH_RESULTS) writeFileSync(process.env.LLMJP_BENCH_RESULTS, JSON.stringify(result));
};
