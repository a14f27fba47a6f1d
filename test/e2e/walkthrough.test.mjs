// First run as a new user sees it, in code-server from a clean profile: the walkthrough's
// "Download Recommended Model" fetches a generated model from a mirror on 127.0.0.1 with visible
// progress, a cancel keeps the partial file (never used as the model), the next start resumes it
// with HTTP Range, the verified file loads and the status bar shows it ready. A corrupt file is
// refused. The catalog is a test catalog named by the `llmJp.modelCatalog` setting, since the real
// catalog's files have no published SHA-256 to verify against.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../scripts/code-server.mjs';
import { e2eModels } from './models.mjs';
import { chatFrame, openWorkbench, runFromPalette } from './workbench.mjs';

const require = createRequire(import.meta.url);
const { startGgufServer } = require(path.join(repoRoot, 'out', 'test', 'support', 'ggufServer.js'));
const { parseCatalog, summarizeGguf } = require(path.join(repoRoot, 'out', 'src', 'core', 'models', 'index.js'));

const verbose = process.env.E2E_VERBOSE === '1';
const log = verbose ? (line) => console.log(`      ${line}`) : undefined;

const REMOTE = 'llm-jp/test-gguf/resolve/main';
const GOOD = 'scripted-greeting.gguf';
const CORRUPT = 'corrupt-greeting.gguf';

/** A catalog entry shaped like the generated model (from its own header), one downloadable file. */
async function catalogModel(modelFile, id, displayName, fileName, bytes) {
  const { readGgufFileInfo } = await import('node-llama-cpp');
  const summary = summarizeGguf((await readGgufFileInfo(modelFile, { readTensorInfo: false, logWarnings: false })).metadata);
  return {
    id, family: 'llm-jp-4', displayName, variant: 'thinking', architecture: summary.architecture, experts: null,
    parametersBillions: { total: null, active: null }, layers: summary.layers, hiddenSize: summary.hiddenSize, heads: summary.heads,
    kvHeads: summary.kvHeads, headDim: summary.keyLength, contextLength: summary.contextLength, vocabularySize: summary.vocabularySize,
    dialect: 'llm-jp-4.0', licence: 'Apache-2.0', sourceRepo: 'llm-jp/test-gguf', serverOnly: false, unconfirmed: [],
    files: [{
      quantization: 'Q8_0', repo: 'llm-jp/test-gguf', file: fileName, uri: `https://huggingface.co/${REMOTE}/${fileName}`,
      sizeBytes: bytes.length, approxSizeBytes: null, sha256: createHash('sha256').update(bytes).digest('hex'),
    }],
  };
}

/** Runs a command from the palette; retries while the extension's contributions are still loading. */
async function openWalkthrough(page, title) {
  await runFromPalette(page, 'Welcome: Open Walkthrough', 'Open Walkthrough');
  const input = page.locator('.quick-input-widget input');
  await input.fill(title);
  // Enter, not a click: the row's hover card can cover the row.
  await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: title }).waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.gettingStartedContainer').waitFor({ timeout: 30_000 });
}

function walkthroughButton(page, text) {
  return page.locator('.step-description-container .button-container .monaco-button', { hasText: text }).first();
}

/**
 * The notification list. The smoke-test driver that loads the extension under development also
 * turns off notification toasts, so notifications are read (and their buttons clicked) here.
 */
async function notifications(page) {
  const center = page.locator('.notifications-center');
  if (!(await center.isVisible())) await runFromPalette(page, 'Notifications: Show Notifications');
  await center.waitFor({ state: 'visible' });
  return center.locator('.notification-list-item');
}

async function clearNotifications(page) {
  await runFromPalette(page, 'Notifications: Clear All Notifications');
}

/**
 * The settings the user has now. code-server is a remote window: machine-scoped settings (the
 * model's path) are written to the remote's Machine settings, the others to the user's.
 */
function userSettings(workbench) {
  const read = (scope) => JSON.parse(readFileSync(path.join(workbench.server.runDir, 'user-data', scope, 'settings.json'), 'utf8'));
  return { ...read('User'), ...read('Machine') };
}

describe('first run: the walkthrough downloads the recommended model (en)', function () {
  this.timeout(300_000);
  let workbench;
  let page;
  let server;
  let folder;
  let modelBytes;
  let cancelledAt;

  const goodTarget = () => path.join(folder, 'models', GOOD);
  const downloadButton = () => walkthroughButton(page, 'Download Recommended Model');

  before(async () => {
    const modelFile = e2eModels().greeting;
    modelBytes = readFileSync(modelFile);
    server = await startGgufServer({ [`${REMOTE}/${GOOD}`]: modelBytes, [`${REMOTE}/${CORRUPT}`]: modelBytes });
    folder = mkdtempSync(path.join(os.tmpdir(), 'llm-jp-walkthrough-'));
    const catalog = parseCatalog({
      version: 1,
      models: [
        await catalogModel(modelFile, 'llm-jp-4-test', 'LLM-jp-4 test', GOOD, modelBytes),
        await catalogModel(modelFile, 'llm-jp-4-corrupt-test', 'LLM-jp-4 corrupt test', CORRUPT, modelBytes),
      ],
    });
    writeFileSync(path.join(folder, 'catalog.json'), JSON.stringify(catalog));
    workbench = await openWorkbench({
      log,
      settings: {
        // No model: a clean profile, on the CPU with one thread (CI machines have 2 cores).
        'llmJp.gpu': 'off',
        'llmJp.threads': 1,
        // 8,192 tokens: the scripted model's small vocabulary spends ~3,500 tokens on the chat's tool schemas.
        'llmJp.contextSize': 8192,
        'llmJp.modelCatalog': path.join(folder, 'catalog.json'),
        'llmJp.huggingFaceEndpoint': `${server.origin}/files`,
        'llmJp.modelsFolder': path.join(folder, 'models'),
      },
    });
    page = workbench.page;
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && page) {
      console.log(`      screenshot of the failure: ${await workbench.screenshot(`walkthrough-failed-${this.currentTest.title.slice(0, 24).replace(/\W+/g, '-')}`)}`);
    }
  });

  after(async () => {
    await workbench?.close();
    await server?.close();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('opens from a clean profile and names what it will download, and how big it is, before downloading', async () => {
    await openWalkthrough(page, 'Get started with LLM-jp');
    await downloadButton().click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    const text = await dialog.textContent();
    assert.match(text, /Download LLM-jp-4 test Q8_0 \(697 KB\)\?/);
    assert.match(text, /LLM-jp-4 test Q8_0: 697 KB weights \+ [\d.]+ MB KV cache at 65,536 tokens; runs on the CPU in your [\d.]+ GB of memory at 8,192 tokens\./);
    assert.ok(text.includes(`Saved in ${path.join(folder, 'models')}`), text);
    assert.equal(server.requests.length, 0, 'nothing is fetched before the user confirms');
  });

  it('shows bytes and percent while downloading; Cancel keeps the partial file but does not use it', async () => {
    // Slow enough to watch and cancel: 4 KB every 100 ms.
    server.setFault(`${REMOTE}/${GOOD}`, { kind: 'trickle', chunk: 4096, intervalMs: 100 }, 1);
    await page.locator('.monaco-dialog-box .monaco-button', { hasText: /^Download$/ }).click();
    const items = await notifications(page);
    const progress = items.filter({ hasText: 'Downloading scripted-greeting.gguf' });
    await progress.filter({ hasText: /: \d+ KB \/ 697 KB \([1-9]\d?%\) · [\d.]+ KB\/s/ }).waitFor({ timeout: 60_000 });
    console.log(`      progress: ${(await progress.textContent()).replace(/^.*?Downloading/, 'Downloading')}`);
    await progress.locator('.monaco-button', { hasText: 'Cancel' }).click();
    await progress.waitFor({ state: 'detached', timeout: 10_000 });

    const partial = `${goodTarget()}.partial`;
    for (let waited = 0; !existsSync(partial) && waited < 5000; waited += 100) await page.waitForTimeout(100);
    cancelledAt = statSync(partial).size;
    assert.ok(cancelledAt > 0 && cancelledAt < modelBytes.length, `partial file of ${cancelledAt} bytes`);
    assert.equal(existsSync(goodTarget()), false, 'no file at the model path');
    assert.equal(userSettings(workbench)['llmJp.modelPath'], undefined, 'the partial file is not the model in use');
    await page.locator('.statusbar-item', { hasText: 'LLM-jp: no model' }).waitFor();
    const paused = (await notifications(page)).filter({ hasText: 'Download of scripted-greeting.gguf paused at' });
    await paused.waitFor({ timeout: 10_000 });
    assert.match(await paused.textContent(), /paused at \d+ KB of 697 KB\. It continues where it stopped/);
    await clearNotifications(page);
  });

  it('resumes from the partial file, verifies it, and makes it the model in use', async () => {
    await downloadButton().click();
    const dialog = page.locator('.monaco-dialog-box');
    await dialog.waitFor({ timeout: 60_000 });
    assert.match(await dialog.textContent(), /\d+ KB of it is already downloaded; the download continues from there\./);
    await dialog.locator('.monaco-button', { hasText: /^Resume Download$/ }).click();

    await page.locator('.getting-started-step[data-step-id$="#chooseModel"][aria-checked="true"]').waitFor({ timeout: 60_000 });
    assert.ok(readFileSync(goodTarget()).equals(modelBytes), 'the downloaded file is the served model');
    assert.equal(existsSync(`${goodTarget()}.partial`), false);
    const requests = server.requests.filter((r) => r.path.endsWith(`/${GOOD}`));
    assert.equal(requests.length, 2, JSON.stringify(requests));
    const resumedFrom = Number(/^bytes=(\d+)-$/.exec(requests[1].range ?? '')?.[1]);
    assert.ok(resumedFrom >= cancelledAt && resumedFrom > 0, `second request ${JSON.stringify(requests[1])}; cancelled at ${cancelledAt}`);
    assert.equal(requests[1].status, 206);
    assert.equal(userSettings(workbench)['llmJp.modelPath'], goodTarget());
    // Set, not loaded yet: the name and the effort of this LLM-jp-4 model.
    await page.locator('.statusbar-item', { hasText: 'scripted-greeting · medium' }).waitFor({ timeout: 30_000 });
  });

  it('loads the model on the first question; the status bar shows it ready and its hover the memory plan', async () => {
    // The walkthrough's media is a webview too: close it so the chat is the only one.
    await runFromPalette(page, 'View: Close All Editors');
    await runFromPalette(page, 'LLM-jp: Open Chat');
    // The input is a native textarea or one inside a vscode-textarea's (open) shadow root.
    const input = chatFrame(page).locator('textarea#input, #input textarea');
    await input.fill('こんにちは');
    await input.press('Enter');
    const chat = chatFrame(page);
    await chat.locator('.message.assistant[data-stop-reason="return"]').waitFor({ timeout: 120_000 });
    const status = page.locator('.statusbar-item', { hasText: 'scripted-greeting · CPU · medium' });
    await status.waitFor({ timeout: 10_000 });
    await status.hover();
    const hover = page.locator('.workbench-hover, .monaco-hover').filter({ hasText: 'Planned:' }).first();
    await hover.waitFor({ timeout: 10_000 });
    const text = await hover.textContent();
    assert.match(text, /Planned: scripted-greeting Q8_0: \d+ KB weights \+ [\d.]+ MB KV cache at 65,536 tokens; runs on the CPU in your [\d.]+ GB of memory at 8,192 tokens\./);
    assert.match(text, /Reasoning effort: Medium/);
    console.log(`      screenshot: ${await workbench.screenshot('walkthrough-model-ready')}`);
    await page.mouse.move(0, 0);
  });

  it('switches the reasoning effort from the Choose Model quick pick without reloading the model', async () => {
    await runFromPalette(page, 'LLM-jp: Choose Model');
    const effortRow = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Reasoning effort…' });
    await effortRow.waitFor({ timeout: 30_000 });
    assert.match(await effortRow.textContent(), /Medium/);
    await effortRow.click();
    const rows = page.locator('.quick-input-list .monaco-list-row');
    await rows.filter({ hasText: 'High' }).waitFor();
    assert.match(await rows.filter({ hasText: 'Medium' }).textContent(), /current/);
    await rows.filter({ hasText: 'High' }).click();
    // Still loaded (the state after a reload request would be idle, without the device).
    await page.locator('.statusbar-item', { hasText: 'scripted-greeting · CPU · high' }).waitFor({ timeout: 10_000 });
    assert.equal(userSettings(workbench)['llmJp.reasoningEffort'], 'high');
  });

  it('refuses a corrupt download with a clear message and keeps the model in use', async () => {
    server.setFault(`${REMOTE}/${CORRUPT}`, { kind: 'corrupt' });
    await runFromPalette(page, 'LLM-jp: Choose Model');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: 'LLM-jp-4 corrupt test Q8_0' });
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    const refused = (await notifications(page)).filter({ hasText: 'does not match its published checksum (SHA-256); it was deleted.' });
    await refused.waitFor({ timeout: 60_000 });
    const corruptTarget = path.join(folder, 'models', CORRUPT);
    assert.equal(existsSync(corruptTarget), false);
    assert.equal(existsSync(`${corruptTarget}.partial`), false);
    assert.equal(userSettings(workbench)['llmJp.modelPath'], goodTarget());
    await page.locator('.statusbar-item', { hasText: 'scripted-greeting · CPU' }).waitFor();
    console.log(`      screenshot: ${await workbench.screenshot('walkthrough-corrupt-refused')}`);
  });
});

describe('first run in Japanese: the walkthrough step and its confirmation', function () {
  this.timeout(240_000);
  let workbench;

  before(async () => {
    workbench = await openWorkbench({ locale: 'ja', log, settings: { 'llmJp.gpu': 'off' } });
  });

  after(async () => {
    await workbench?.close();
  });

  it('offers the recommended model in Japanese and asks before downloading', async () => {
    const page = workbench.page;
    await openWalkthrough(page, 'LLM-jp をはじめる');
    await walkthroughButton(page, 'おすすめのモデルをダウンロード').click();
    // This machine's free memory decides which built-in model is offered, or that none fits.
    const dialog = page.locator('.monaco-dialog-box');
    if (!(await dialog.waitFor({ timeout: 60_000 }).then(() => true, () => false))) {
      const warning = (await notifications(page)).filter({ hasText: 'カタログのどのモデルもこのマシンの空きメモリに収まりません' });
      await warning.waitFor({ timeout: 10_000 });
      return;
    }
    const text = await dialog.textContent();
    assert.match(text, /LLM-jp-4\S* [^（]+ Q4_K_M（約 5\.3 GB）をダウンロードしますか？/);
    assert.match(text, /保存先: /);
    assert.match(text, /重み 5\.3 GB \+ KV キャッシュ/);
    console.log(`      screenshot: ${await workbench.screenshot('walkthrough-confirm-ja')}`);
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
  });
});
