// Drives code-server's web workbench in Debian's Chromium through playwright-core.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
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
 * `workspace` opens that folder instead of a fresh empty one.
 * @param {{ extensionDevelopmentPath?: string, extensionTestsPath?: string, extensionEnvironment?: Record<string,string>, settings?: object, locale?: string, colorScheme?: 'light'|'dark', workspace?: string, log?: (line: string) => void }} options
 */
export async function openWorkbench(options = {}) {
  const log = options.log ?? (() => {});
  const server = await startCodeServer({
    settings: options.settings,
    ...(options.workspace ? { workspace: options.workspace } : {}),
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
    /** Every console line of the page and its frames (the webviews' included). */
    const consoleLines = [];
    page.on('console', (message) => {
      consoleLines.push({ type: message.type(), text: message.text(), url: message.location().url });
      log(`[browser ${message.type()}] ${message.text()}`);
    });

    // A bench may load another extension folder (bench/activation/bare: an extension host without ours).
    const payload = [['extensionDevelopmentPath', server.remoteUri(options.extensionDevelopmentPath ?? repoRoot)]];
    if (options.extensionTestsPath) payload.push(['extensionTestsPath', server.remoteUri(options.extensionTestsPath)]);
    if (options.extensionEnvironment) payload.push(['extensionEnvironment', JSON.stringify(options.extensionEnvironment)]);
    const url = `${server.origin}/?folder=${encodeURIComponent(server.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
    return {
      server,
      page,
      automation,
      consoleLines,
      async screenshot(name) {
        mkdirSync(outputDir, { recursive: true });
        const file = path.join(outputDir, `${name}.png`);
        await page.screenshot({ path: file });
        return file;
      },
      /** A picture of the side bar alone (where the chat view lives). */
      async screenshotSidebar(name) {
        mkdirSync(outputDir, { recursive: true });
        const file = path.join(outputDir, `${name}.png`);
        await page.locator('.part.sidebar').screenshot({ path: file });
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

/** The chat panel's document: webviews are an iframe inside an iframe (a hidden view keeps its own). */
export function chatFrame(page) {
  return page.frameLocator('iframe.webview.ready:visible').frameLocator('iframe#active-frame');
}

/**
 * The chat panel alone in a plain Chromium page: the real markup (PANEL_BODY_HTML), dist/webview.js
 * and media/chat.css under the same strict CSP as in VS Code, with a stand-in for acquireVsCodeApi
 * that records what the panel posts (window.posted). Faster than a workbench for checks of the
 * panel's own logic; messages go in through window.postMessage as VS Code delivers them.
 * @param {{ width?: number, height?: number, log?: (line: string) => void }} options
 */
export async function openPanelPage(options = {}) {
  const log = options.log ?? (() => {});
  const { PANEL_BODY_HTML } = createRequire(import.meta.url)(path.join(repoRoot, 'out', 'src', 'core', 'panelBody.js'));
  const origin = 'https://panel.test';
  const files = { '/webview.js': 'dist/webview.js', '/chat.css': 'media/chat.css', '/codicons/codicon.css': 'dist/codicons/codicon.css', '/codicons/codicon.ttf': 'dist/codicons/codicon.ttf' };
  const csp = `default-src 'none'; img-src ${origin} data:; style-src ${origin}; font-src ${origin}; script-src 'nonce-test'`;
  const html = `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<link rel="stylesheet" href="/codicons/codicon.css" id="vscode-codicon-stylesheet"><link rel="stylesheet" href="/chat.css">
</head><body>${PANEL_BODY_HTML}<script nonce="test" src="/webview.js"></script></body></html>`;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: chromiumArgs });
  try {
    const page = await browser.newPage({ viewport: { width: options.width ?? 320, height: options.height ?? 700 } });
    const problems = [];
    page.on('console', (message) => {
      log(`[panel ${message.type()}] ${message.text()}`);
      if (message.type() === 'error' || message.type() === 'warning') problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(String(error)));
    await page.addInitScript(() => {
      window.posted = [];
      window.acquireVsCodeApi = () => ({ postMessage: (message) => window.posted.push(message), getState: () => undefined, setState: () => {} });
    });
    await page.route(`${origin}/**`, (route) => {
      const pathname = new URL(route.request().url()).pathname;
      if (pathname === '/') return route.fulfill({ contentType: 'text/html', body: html });
      const file = files[pathname];
      return file ? route.fulfill({ path: path.join(repoRoot, file) }) : route.fulfill({ status: 404 });
    });
    await page.goto(`${origin}/`);
    await page.waitForFunction(() => window.posted.some((message) => message.type === 'ready'));
    return {
      page,
      /** Console errors and warnings, and uncaught exceptions (CSP violations show up here). */
      problems,
      /** Delivers messages to the panel as the extension would. */
      async send(...messages) {
        await page.evaluate((list) => {
          for (const message of list) window.postMessage(message, '*');
        }, messages);
      },
      posted: () => page.evaluate(() => window.posted),
      close: () => browser.close(),
    };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/** The panel's English strings (src/core/panelStringsEn.ts, compiled by tsc), for tests that drive the panel alone. */
export const { PANEL_STRINGS_EN } = createRequire(import.meta.url)(path.join(repoRoot, 'out', 'src', 'core', 'panelStringsEn.js'));

/** Runs a command from the palette; retries while the extension's contributions are still loading. */
export async function runFromPalette(page, title, rowText) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    await page.keyboard.press('F1');
    const quickInput = page.locator('.quick-input-widget input');
    await quickInput.waitFor();
    await quickInput.fill(`>${title}`);
    // The row whose label (or, in Japanese, its English alias) is exactly the title: "Open Chat"
    // must not pick "Open Chat in Editor", whose match highlight alone reads "LLM-jp: Open Chat".
    // `rowText` picks a row by part of its label, for commands whose label differs from `title`.
    const exact = new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    const label = page.locator('span:not(.highlight), div', { hasText: rowText ?? exact });
    const row = page.locator('.quick-input-list .monaco-list-row').filter({ has: label }).first();
    try {
      await row.waitFor({ timeout: 5_000 });
      await row.click();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await page.keyboard.press('Escape');
    }
  }
}
