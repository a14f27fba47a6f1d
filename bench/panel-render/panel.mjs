// One panel in a page of its own, and the runs the driver (driver.js) performs in it.
// Functions handed to page.evaluate run in the page, where `window` is the panel's.
/* global window */
import { setupMessages } from './scenarios.mjs';

/** A side bar's size. */
export const VIEWPORT = { width: 420, height: 900 };

/**
 * Opens the panel in a fresh browser context and sends it `init` and `settings`. With `settled`,
 * waits a second more, as a user who types a question does, so the panel's work after load (the
 * highlighter's idle warm-up) is done; a restore, which VS Code sends right after `ready`, is
 * measured without it.
 */
export async function openPanel(browser, server, { settled = false } = {}) {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: 'dark', locale: 'ja-JP' });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(server.url);
  const dom = await page.evaluate((messages) => window.panelBench.init(messages), setupMessages());
  if (settled) await page.waitForTimeout(1000);
  return { page, errors, dom, close: () => context.close() };
}

export const stream = (page, scenario) => page.evaluate((s) => window.panelBench.streamTurn(s), scenario);
/** The unmeasured start of a turn (the tail case's first 10,000 tokens); `stream` with phase 'rest' goes on. */
export const startTurn = (page, scenario) => page.evaluate((s) => window.panelBench.streamTurn({ ...s, phase: 'start' }), scenario);
export const rest = (scenario) => ({ ...scenario, phase: 'rest' });
/** Whether Chromium reports long animation frames (else only rAF gaps are measured). */
export const loafSupported = (page) => page.evaluate(() => window.panelBench.loafSupported);
export const restore = (page, scenario) => page.evaluate((s) => window.panelBench.restoreTranscript(s), scenario);

/**
 * Runs `fn` and adds the CPU time of the page's main thread it took (CDP Performance.getMetrics
 * ThreadTime): unlike frame times, it barely moves when other jobs compete for the 2 cores.
 */
export async function withCpu(page, fn) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const read = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const before = await read();
  const result = await fn();
  const after = await read();
  await cdp.detach();
  const ms = (name) => (after[name] - before[name]) * 1000;
  return { ...result, cpu: { threadMs: ms('ThreadTime'), taskMs: ms('TaskDuration'), scriptMs: ms('ScriptDuration'), layoutMs: ms('LayoutDuration'), styleMs: ms('RecalcStyleDuration') } };
}

/** The last answer's digest (markup hash and size, rows, code text), and the same answer drawn as a stored turn. */
export const answerDigest = (page) => page.evaluate(() => window.panelBench.answerDigest());
export const storedDigest = (page, scenario) =>
  page.evaluate((s) => window.panelBench.storedDigest(s), { question: scenario.question, answer: scenario.answerText, sentinel: scenario.sentinel });

/**
 * `stream`, clicking Stop every `scenario.stopEveryMs` as a user would (real input events, which
 * wait for the page's main thread); the driver records how long each click waited.
 */
export async function streamWithStops(page, scenario) {
  // The answer's whole text is the stored turn's, not the stream's: it need not go to the page.
  const posted = { ...scenario, answerText: undefined };
  let finished = false;
  const streaming = stream(page, posted).finally(() => (finished = true));
  const stop = page.locator('#stop');
  const box = await stop.waitFor({ state: 'visible', timeout: 60_000 }).then(() => stop.boundingBox()).catch(() => null);
  while (box && !finished) {
    await new Promise((resolve) => setTimeout(resolve, scenario.stopEveryMs));
    if (!finished) await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2).catch(() => {});
  }
  return streaming;
}
