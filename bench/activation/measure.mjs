// Extension activation time in a real VS Code: code-server's web workbench (test/e2e/workbench.mjs)
// runs suite.cjs in its extension host, which times `getExtension(id).activate()` from cold.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../build-llama-tools.mjs';

const ACTIVATION_TARGET_MS = 50;

/** Loading the bundle plus the activate() call: what the extension itself costs at activation. */
function ownMs(result) {
  return result.codeLoadingMs + (result.activateCallMs ?? 0);
}

/** The e2e harness, or why it cannot run here (a missing build, code-server or Chromium is reported, never thrown). */
async function harness() {
  const main = path.join(repoRoot, 'dist', 'extension.js');
  if (!existsSync(main)) return { skip: 'skipped: dist/extension.js is missing (npm run build)' };
  try {
    const { codeServerEntry } = await import('../../scripts/code-server.mjs');
    if (!existsSync(codeServerEntry)) return { skip: 'skipped: code-server is not installed (npm run setup:code-server)' };
    if (!existsSync('/usr/bin/chromium')) return { skip: 'skipped: /usr/bin/chromium is absent' };
    return { workbench: await import('../../test/e2e/workbench.mjs'), main };
  } catch (error) {
    return { skip: `skipped: the e2e harness did not load: ${String(error)}` };
  }
}

/** Runs suite.cjs once in a workbench; its result, or `{ error }`. */
async function runSuite(workbench, mode, { extensionDevelopmentPath, settings, environment = {}, timeoutMs = 120_000 } = {}) {
  const dir = path.join(repoRoot, 'bench', '.cache', 'activation');
  mkdirSync(dir, { recursive: true });
  const resultsFile = path.join(dir, `results-${mode}.json`);
  rmSync(resultsFile, { force: true });
  const started = performance.now();
  let session;
  try {
    session = await workbench.openWorkbench({
      ...(extensionDevelopmentPath ? { extensionDevelopmentPath } : {}),
      ...(settings ? { settings } : {}),
      extensionTestsPath: path.join(repoRoot, 'bench', 'activation', 'suite.cjs'),
      extensionEnvironment: { LLMJP_BENCH_RESULTS: resultsFile, LLMJP_BENCH_MODE: mode, ...environment },
    });
    let timer;
    await Promise.race([session.automation.exited, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
  } catch (error) {
    return { error: `the workbench failed: ${String(error).split('\n')[0]}` };
  } finally {
    await session?.close();
  }
  if (!existsSync(resultsFile)) return { error: 'no result from the extension host' };
  return { ...JSON.parse(readFileSync(resultsFile, 'utf8')), sessionSeconds: (performance.now() - started) / 1000 };
}

const MEMORY_TARGET_BYTES = 50 * 2 ** 20;
const mib = (bytes) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

/**
 * The extension host's resident memory: bare (no extension of ours), with ours activated and the
 * chat panel open, and after a chat of `turns` questions (2 x turns messages) with a scripted
 * model; the model itself lives in the model process, whose RSS is reported apart.
 */
export async function measureHostMemory({ turns = 100, modelSettings } = {}) {
  const { workbench, skip } = await harness();
  if (skip) return [skip];
  const lines = [];
  const bare = await runSuite(workbench, 'bare', { extensionDevelopmentPath: path.join(repoRoot, 'bench', 'activation', 'bare') });
  if (bare.error) return [`bare extension host: ${bare.error}`];
  const ours = await runSuite(workbench, 'memory', { settings: modelSettings, environment: { LLMJP_BENCH_TURNS: String(turns) }, timeoutMs: 900_000 });
  if (ours.error) return [`extension host with LLM-jp: ${ours.error}`];
  const above = (m) => m.rss - bare.bare.rss;
  lines.push(`bare extension host (bench/activation/bare, no extension of ours): RSS ${mib(bare.bare.rss)}, JS heap ${mib(bare.bare.heapUsed)}`);
  lines.push(`with LLM-jp activated and the chat panel open: RSS ${mib(ours.activated.rss)} (+${mib(above(ours.activated))}), JS heap ${mib(ours.activated.heapUsed)}`);
  lines.push(`after a chat of ${turns} questions (${ours.entries} transcript entries, ${ours.answerCharacters} characters of answers, ${ours.chatSeconds.toFixed(0)} s; last answer ${JSON.stringify(ours.lastAnswer)}): ` +
    `RSS ${mib(ours.afterChat.rss)} (+${mib(above(ours.afterChat))} over bare), JS heap ${mib(ours.afterChat.heapUsed)}; ` +
    `target: under ${mib(MEMORY_TARGET_BYTES)} above bare: ${above(ours.afterChat) < MEMORY_TARGET_BYTES ? 'pass' : 'BELOW'}`);
  return lines;
}

/** Lines to print; a missing code-server or Chromium is reported, never thrown. */
export async function measureActivation(runs = 2) {
  const { workbench, skip, main } = await harness();
  if (skip) return [skip];
  const lines = [`dist/extension.js: ${statSync(main).size} bytes, built ${statSync(main).mtime.toISOString()}`];
  const results = [];
  for (let run = 0; run < runs; run++) {
    const result = await runSuite(workbench, 'activation');
    if (!result.error) results.push(result);
    lines.push(
      result.error
        ? `run ${run + 1}: ${result.error}`
        : `run ${run + 1}: extension's own code ${ownMs(result).toFixed(1)} ms (loading dist/extension.js ${result.codeLoadingMs.toFixed(1)} ms + activate() ${result.activateCallMs?.toFixed(1) ?? '?'} ms); ` +
            `extension.activate() in all ${result.activateMs.toFixed(1)} ms (active before: ${result.activeBefore}; second call ${result.secondCallMs.toFixed(2)} ms); ` +
            `open the chat panel until its webview answers ${result.openChatMs.toFixed(0)} ms; VS Code ${result.vscode}, extension host Node ${result.node}; ` +
            `workbench session ${result.sessionSeconds.toFixed(0)} s`,
    );
  }
  const own = results.map(ownMs);
  if (own.length > 0) {
    const worst = Math.max(...own);
    const all = results.map((r) => r.activateMs);
    lines.push(`activation, extension's own code (worst of ${own.length}): ${worst.toFixed(1)} ms, target < ${ACTIVATION_TARGET_MS} ms: ${worst < ACTIVATION_TARGET_MS ? 'pass' : 'BELOW'}` +
      `; with VS Code's activation plumbing: ${Math.min(...all).toFixed(1)}–${Math.max(...all).toFixed(1)} ms`);
  }
  return lines;
}
