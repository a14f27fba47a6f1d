// The user's view: command palette, the chat panel, Japanese text, screenshots.
import * as assert from 'node:assert/strict';
import { HOSTILE_QUESTION, e2eModels, modelSettings } from './models.mjs';
import { chatFrame, openWorkbench } from './workbench.mjs';

const verbose = process.env.E2E_VERBOSE === '1';
const log = verbose ? (line) => console.log(`      ${line}`) : undefined;

/** Runs a command from the palette; retries while the extension's contributions are still loading. */
async function runFromPalette(page, title) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    await page.keyboard.press('F1');
    const quickInput = page.locator('.quick-input-widget input');
    await quickInput.waitFor();
    await quickInput.fill(`>${title}`);
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
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

for (const { locale, placeholder, emptyText, noModel } of [
  { locale: 'en', placeholder: 'Ask LLM-jp', emptyText: 'Ask a question about your code', noModel: 'No model is set' },
  { locale: 'ja', placeholder: 'LLM-jp に質問', emptyText: 'コードについて日本語または英語で質問してください', noModel: 'モデルが設定されていません' },
]) {
  describe(`chat panel in code-server (${locale})`, function () {
    this.timeout(240_000);
    let workbench;

    before(async () => {
      workbench = await openWorkbench({ locale, log });
    });

    after(async () => {
      await workbench?.close();
    });

    it('opens from the command palette with its localized strings', async () => {
      await runFromPalette(workbench.page, 'LLM-jp: Open Chat');
      const chat = chatFrame(workbench.page);
      await chat.locator('.empty', { hasText: emptyText }).waitFor({ timeout: 60_000 });
      const shown = await chat.locator('#input').getAttribute('placeholder');
      assert.ok(shown?.startsWith(placeholder), `placeholder was ${JSON.stringify(shown)}`);
    });

    it('sends Japanese text on Enter and, with no model set, says how to set one', async () => {
      const chat = chatFrame(workbench.page);
      const text = '日本語のテキスト：東京の天気は？';
      await chat.locator('#input').fill(text);
      await chat.locator('#input').press('Enter');
      await chat.locator('.message.user', { hasText: text }).waitFor({ timeout: 10_000 });
      await chat.locator('.message.assistant .error', { hasText: noModel }).waitFor({ timeout: 10_000 });
      assert.equal(await chat.locator('#input').inputValue(), '');
      const file = await workbench.screenshot(`chat-panel-${locale}`);
      console.log(`      screenshot: ${file}`);
    });

    it('does not send when Enter confirms an IME composition', async () => {
      const chat = chatFrame(workbench.page);
      const input = chat.locator('#input');
      const before = await chat.locator('.message.user').count();
      await input.fill('にほんご');
      await input.evaluate((element) => {
        element.dispatchEvent(new CompositionEvent('compositionstart', { data: '' }));
        element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true }));
        element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, cancelable: true }));
        element.dispatchEvent(new CompositionEvent('compositionend', { data: '日本語' }));
      });
      await workbench.page.waitForTimeout(500);
      assert.equal(await chat.locator('.message.user').count(), before);
      assert.equal(await input.inputValue(), 'にほんご');
    });
  });
}

describe('chat panel with a model (scripted LLM-jp-4)', function () {
  this.timeout(240_000);
  let workbench;

  before(async () => {
    workbench = await openWorkbench({ locale: 'ja', settings: modelSettings(e2eModels().greeting), log });
  });

  after(async () => {
    await workbench?.close();
  });

  it('streams the reasoning trace apart from the answer, then folds it away', async () => {
    await runFromPalette(workbench.page, 'LLM-jp: Open Chat');
    const chat = chatFrame(workbench.page);
    await chat.locator('#input').fill('こんにちは');
    await chat.locator('#input').press('Enter');
    const turn = chat.locator('.message.assistant').last();
    await chat.locator('.message.assistant[data-stop-reason="return"]').waitFor({ timeout: 60_000 });
    assert.equal(await turn.locator('.reasoning-text').textContent(), '挨拶には挨拶で返します。');
    assert.equal(await turn.locator('.answer > p').first().textContent(), 'こんにちは！例えば次のように書けます。');
    assert.equal(await turn.locator('details.reasoning').getAttribute('open'), null, 'the trace is folded once the answer starts');
    assert.match(await turn.locator('.reasoning summary').textContent(), /^\d+\.\d 秒、1 トークン考えました$/);
    // The code block is highlighted and offers its actions.
    assert.equal(await turn.locator('pre code').textContent(), 'const answer: number = 42;');
    assert.ok((await turn.locator('pre code .hljs-keyword').count()) > 0, 'TypeScript is highlighted');
    assert.deepEqual(await turn.locator('.code-actions button').allTextContents(), ['コピー', 'カーソル位置に挿入']);
    await chat.locator('#send').waitFor({ state: 'visible' });
    // The status bar names the loaded model and its device.
    await workbench.page.locator('.statusbar-item', { hasText: 'scripted-greeting · CPU' }).waitFor({ timeout: 10_000 });
    console.log(`      screenshot: ${await workbench.screenshot('chat-answer-ja')}`);
  });

  it('renders hostile model output inert', async () => {
    const chat = chatFrame(workbench.page);
    await chat.locator('#input').fill(HOSTILE_QUESTION);
    await chat.locator('#input').press('Enter');
    await chat.locator('.message.assistant[data-stop-reason="return"]').nth(1).waitFor({ timeout: 60_000 });
    const answer = chat.locator('.message.assistant').last().locator('.answer');
    assert.equal(await answer.locator('img, script, iframe').count(), 0);
    assert.equal(await answer.locator('[onerror], [onclick], [style]').count(), 0);
    for (const href of await answer.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')))) {
      assert.ok(href === null || /^https?:/.test(href), `link kept: ${href}`);
    }
    // The javascript: links survive at most as text or as an anchor without a target.
    assert.match(await answer.textContent(), /clickme/);
    for (const link of await answer.locator('a').all()) await link.click();
    assert.ok((await answer.locator('a').count()) >= 1, 'the anchor with an onclick is kept, inert');
    await workbench.page.waitForTimeout(300);
    assert.equal(await answer.evaluate(() => document.body.dataset.pwned ?? null), null, 'no model-provided code ran');
    assert.equal(await answer.locator('table td').count(), 8, 'the table renders as a table');
    console.log(`      screenshot: ${await workbench.screenshot('chat-hostile-ja')}`);
  });

  it('restores the conversation after the window reloads', async () => {
    const page = workbench.page;
    await page.keyboard.press('F1');
    await page.locator('.quick-input-widget input').fill('>Developer: Reload Window');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Reload Window' }).first().click();
    await page.waitForTimeout(2000);
    await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
    const chat = chatFrame(page);
    await chat.locator('.message.user', { hasText: HOSTILE_QUESTION }).waitFor({ timeout: 60_000 });
    const restored = chat.locator('.message.assistant');
    assert.equal(await restored.count(), 2);
    assert.equal(await restored.first().locator('pre code').textContent(), 'const answer: number = 42;');
    assert.match(await restored.first().locator('.reasoning summary').textContent(), /秒、\d+ トークン考えました/);
    assert.match(await restored.first().locator('.stats').textContent(), /トークン\/秒/);
    assert.equal(await restored.locator('img, script, iframe').count(), 0);
  });
});
