// The user's view: command palette, the chat panel, Japanese text, screenshots.
import * as assert from 'node:assert/strict';
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

for (const { locale, placeholder, emptyText } of [
  { locale: 'en', placeholder: 'Ask LLM-jp', emptyText: 'Ask a question about your code' },
  { locale: 'ja', placeholder: 'LLM-jp に質問', emptyText: 'コードについて日本語または英語で質問してください' },
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

    it('sends Japanese text on Enter and shows what the extension sends back', async () => {
      const chat = chatFrame(workbench.page);
      const text = '日本語のテキスト：東京の天気は？';
      await chat.locator('#input').fill(text);
      await chat.locator('#input').press('Enter');
      await chat.locator('.message.user', { hasText: text }).waitFor({ timeout: 10_000 });
      await chat.locator('.message.notice').first().waitFor({ timeout: 10_000 });
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
