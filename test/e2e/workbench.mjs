// Drives code-server's web workbench in Debian's Chromium through playwright-core.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { format } from 'node:util';
import { repoRoot, startCodeServer } from '../../scripts/code-server.mjs';

const jaLocaleFixture = path.join(repoRoot, 'test', 'e2e', 'fixtures', 'ja-locale');

export const outputDir = path.join(repoRoot, 'test-output', 'e2e');

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * The web workbench honours `extensionDevelopmentPath` / `extensionTestsPath` from the URL payload
 * only when the smoke-test driver is enabled in its configuration element. Patch the element as the
 * workbench reads it (route interception would break the extension host's websocket).
 */
function enableSmokeTestDriver() {
  const original = Document.prototype.getElementById;
  Document.prototype.getElementById = function (id) {
    const element = original.call(this, id);
    if (id === 'vscode-workbench-web-configuration' && element && !element.dataset.llmJpPatched) {
      const settings = JSON.parse(element.getAttribute('data-settings'));
      settings.developmentOptions = { ...settings.developmentOptions, enableSmokeTestDriver: true };
      element.setAttribute('data-settings', JSON.stringify(settings));
      element.dataset.llmJpPatched = 'true';
    }
    return element;
  };
}

/**
 * Starts code-server and opens the workbench with this repository as a development extension.
 * @param {{ extensionTestsPath?: string, extensionEnvironment?: Record<string,string>, settings?: object, locale?: string, colorScheme?: 'light'|'dark', log?: (line: string) => void }} options
 */
export async function openWorkbench(options = {}) {
  const log = options.log ?? (() => {});
  const server = await startCodeServer({
    settings: options.settings,
    locale: options.locale,
    // code-server shows a display language only when a language pack declares it.
    installed: options.locale === 'ja' ? [jaLocaleFixture] : [],
    log: (line) => log(`[code-server] ${line}`),
  });
  let browser;
  try {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      colorScheme: options.colorScheme ?? 'light',
      locale: options.locale ?? 'en-US',
    });
    const page = await context.newPage();
    const automation = { logs: [], exit: undefined };
    automation.exited = new Promise((resolve) => (automation.exit = resolve));
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const line = format(...(Array.isArray(args) ? args : [args]));
      automation.logs.push(line);
      log(`[extension host ${type}] ${line}`);
    });
    await page.exposeFunction('codeAutomationExit', (code) => automation.exit(code));
    await page.addInitScript(enableSmokeTestDriver);
    page.on('console', (message) => log(`[browser ${message.type()}] ${message.text()}`));

    const payload = [['extensionDevelopmentPath', server.remoteUri(repoRoot)]];
    if (options.extensionTestsPath) payload.push(['extensionTestsPath', server.remoteUri(options.extensionTestsPath)]);
    if (options.extensionEnvironment) payload.push(['extensionEnvironment', JSON.stringify(options.extensionEnvironment)]);
    const url = `${server.origin}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
    return {
      server,
      page,
      automation,
      async screenshot(name) {
        mkdirSync(outputDir, { recursive: true });
        const file = path.join(outputDir, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      async close() {
        await browser.close().catch(() => {});
        await server.stop();
      },
    };
  } catch (error) {
    await browser?.close().catch(() => {});
    await server.stop();
    throw error;
  }
}

/** The chat panel's document: webviews are an iframe inside an iframe. */
export function chatFrame(page) {
  return page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
}
