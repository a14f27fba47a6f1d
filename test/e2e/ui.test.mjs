// The user's view: command palette, the chat panel, Japanese text, screenshots.
import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../scripts/code-server.mjs';
import { COMMIT_JA, COMMIT_WORDS, HOSTILE_ANSWER, HOSTILE_QUESTION, REVIEW_BEFORE, REVIEW_FILE, REVIEW_MESSAGES, e2eModels, modelSettings } from './models.mjs';
import { PANEL_STRINGS_EN, chatFrame, openPanelPage, openWorkbench, outputDir, runFromPalette } from './workbench.mjs';

const verbose = process.env.E2E_VERBOSE === '1';

/** The question box: the textarea inside <vscode-textarea id="input"> (Playwright's CSS pierces open shadow roots). */
const INPUT = '#input textarea';
const log = verbose ? (line) => console.log(`      ${line}`) : undefined;

/**
 * The workbench follows the browser's colour scheme, which the test switches live (code-server does
 * not apply edits of its settings file to a running window). Theme ids are code-server 4.139's; older
 * VS Code named these themes "Default Light Modern" and "Default Dark Modern".
 */
const THEME_SETTINGS = {
  'window.autoDetectColorScheme': true,
  'workbench.preferredLightColorTheme': 'Light Modern',
  'workbench.preferredDarkColorTheme': 'Dark Modern',
};

/** An English scripted answer with reasoning and a code block, for the English screenshots. */
function englishModel() {
  const models = createRequire(import.meta.url)(path.join(repoRoot, 'out', 'test', 'engine', 'models.js'));
  const answer = 'Annotate the type after the name:\n\n```ts\nconst answer: number = 42;\n```\n\nTypeScript would infer `number` here anyway.';
  return models.scriptedModel('scripted-english', {
    turns: [`<|channel|>analysis<|message|>A short TypeScript example answers this.<|end|><|start|>assistant<|channel|>final<|message|>${answer}<|return|>`],
  });
}

async function reloadWindow(page) {
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input').fill('>Developer: Reload Window');
  await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Reload Window' }).first().click();
  await page.waitForTimeout(2000);
  await page.locator('.monaco-workbench').waitFor({ timeout: 120_000 });
}

/** A new git repository in `repository` whose one commit holds `file` as `before`, with `after` staged. */
function stagedChange(repository, file, before, after) {
  const git = (...args) => execFileSync('git', args, { cwd: repository, encoding: 'utf8' });
  rmSync(repository, { recursive: true, force: true });
  mkdirSync(repository, { recursive: true });
  git('init', '-q', '-b', 'main');
  git('config', 'user.name', 'テスト太郎');
  git('config', 'user.email', 'taro@example.com');
  writeFileSync(path.join(repository, file), before);
  git('add', '-A');
  git('commit', '-q', '-m', 'Initial commit');
  writeFileSync(path.join(repository, file), after);
  git('add', '-A');
}

/** Switches the browser to `scheme`; the workbench, and the panel with it, take the matching theme. */
async function useColorScheme(workbench, scheme) {
  const chat = chatFrame(workbench.page);
  const background = () => chat.locator('body').evaluate((body) => window.getComputedStyle(body).backgroundColor);
  const before = await background();
  await workbench.page.emulateMedia({ colorScheme: scheme });
  await workbench.page.locator(`.monaco-workbench.${scheme === 'dark' ? 'vs-dark' : 'vs'}`).waitFor({ timeout: 30_000 });
  // The webview receives the theme's colours a moment after the workbench.
  const deadline = Date.now() + 10_000;
  while ((await background()) === before && Date.now() < deadline) await workbench.page.waitForTimeout(100);
  assert.notEqual(await background(), before, 'the panel follows the theme');
}

/** A picture of the panel in the side bar, from its top (the first question and answer). */
async function screenshotPanel(workbench, name) {
  await chatFrame(workbench.page).locator('#transcript').evaluate((transcript) => (transcript.scrollTop = 0));
  console.log(`      screenshot: ${await workbench.screenshotSidebar(name)}`);
}

/** Chromium reports a blocked style, script or font as a console error naming the policy. */
function assertNoCspViolation(workbench) {
  const violations = workbench.consoleLines.filter((line) => /Content Security Policy/i.test(line.text));
  assert.deepEqual(violations, []);
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
      const shown = await chat.locator(INPUT).getAttribute('placeholder');
      assert.ok(shown?.startsWith(placeholder), `placeholder was ${JSON.stringify(shown)}`);
    });

    it('sends Japanese text on Enter and, with no model set, says how to set one', async () => {
      const chat = chatFrame(workbench.page);
      const text = '日本語のテキスト：東京の天気は？';
      await chat.locator(INPUT).fill(text);
      await chat.locator(INPUT).press('Enter');
      await chat.locator('.message.user', { hasText: text }).waitFor({ timeout: 10_000 });
      await chat.locator('.message.assistant .error', { hasText: noModel }).waitFor({ timeout: 10_000 });
      assert.equal(await chat.locator(INPUT).inputValue(), '');
      const file = await workbench.screenshot(`chat-panel-${locale}`);
      console.log(`      screenshot: ${file}`);
    });

    it('does not send when Enter confirms an IME composition', async () => {
      const chat = chatFrame(workbench.page);
      const input = chat.locator(INPUT);
      const before = await chat.locator('.message.user').count();
      await input.fill('にほんご');
      // Composed like the browser's own key events, so they leave the component's shadow root.
      await input.evaluate((element) => {
        element.dispatchEvent(new CompositionEvent('compositionstart', { data: '', bubbles: true, composed: true }));
        element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', isComposing: true, bubbles: true, cancelable: true, composed: true }));
        element.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', keyCode: 229, bubbles: true, cancelable: true, composed: true }));
        element.dispatchEvent(new CompositionEvent('compositionend', { data: '日本語', bubbles: true, composed: true }));
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
    workbench = await openWorkbench({ locale: 'ja', settings: { ...modelSettings(e2eModels().greeting), ...THEME_SETTINGS }, log });
  });

  after(async () => {
    await workbench?.close();
  });

  it('streams the reasoning trace apart from the answer, then folds it away', async () => {
    await runFromPalette(workbench.page, 'LLM-jp: Open Chat');
    const chat = chatFrame(workbench.page);
    await chat.locator(INPUT).fill('こんにちは');
    await chat.locator(INPUT).press('Enter');
    const turn = chat.locator('.message.assistant').last();
    await chat.locator('.message.assistant[data-stop-reason="return"]').waitFor({ timeout: 60_000 });
    assert.equal(await turn.locator('.reasoning-text').textContent(), '挨拶には挨拶で返します。');
    assert.equal(await turn.locator('.answer > p').first().textContent(), 'こんにちは！例えば次のように書けます。');
    assert.equal(await turn.locator('details.reasoning').getAttribute('open'), null, 'the trace is folded once the answer starts');
    assert.match(await turn.locator('.reasoning summary').textContent(), /^\d+\.\d 秒、1 トークン考えました$/);
    // The code block is highlighted and offers its actions.
    assert.equal(await turn.locator('pre code').textContent(), 'const answer: number = 42;');
    assert.ok((await turn.locator('pre code .hljs-keyword').count()) > 0, 'TypeScript is highlighted');
    assert.deepEqual(await turn.locator('.code-actions [data-action]').evaluateAll((buttons) => buttons.map((b) => b.getAttribute('label'))), [
      'コピー',
      'カーソル位置に挿入',
      'ファイルに適用',
    ]);
    await chat.locator('#send').waitFor({ state: 'visible' });
    // Up in the empty input brings the question back.
    await chat.locator(INPUT).press('ArrowUp');
    assert.equal(await chat.locator(INPUT).inputValue(), 'こんにちは');
    await chat.locator(INPUT).press('ArrowDown');
    assert.equal(await chat.locator(INPUT).inputValue(), '');
    // The status bar names the loaded model and its device.
    await workbench.page.locator('.statusbar-item', { hasText: 'scripted-greeting · CPU' }).waitFor({ timeout: 10_000 });
    console.log(`      screenshot: ${await workbench.screenshot('chat-answer-ja')}`);
  });

  it('shows the model and settings in its header pickers', async () => {
    const chat = chatFrame(workbench.page);
    const model = chat.locator('#model-picker');
    await model.locator('vscode-option').first().waitFor({ state: 'attached', timeout: 10_000 });
    assert.equal(await model.evaluate((select) => select.value), e2eModels().greeting);
    assert.equal(await chat.locator('#effort-picker').evaluate((select) => select.value), 'medium');
    assert.equal(await chat.locator('#language-picker').evaluate((select) => select.value), 'auto');
    assert.deepEqual(await chat.locator('#language-picker vscode-option').allTextContents(), ['VS Code に合わせる', '日本語', 'English']);
    // A choice in the panel changes the setting: the engine (status bar) and the picker follow.
    await chat.locator('#effort-picker').click();
    await chat.locator('#effort-picker li.option', { hasText: '高' }).click();
    await workbench.page.locator('.statusbar-item', { hasText: /scripted-greeting.*(高|high)/ }).waitFor({ timeout: 10_000 });
    assert.equal(await chat.locator('#effort-picker').evaluate((select) => select.value), 'high');
    await screenshotPanel(workbench, 'panel-light-ja');
  });


  it('renders hostile model output inert', async () => {
    const chat = chatFrame(workbench.page);
    await chat.locator(INPUT).fill(HOSTILE_QUESTION);
    await chat.locator(INPUT).press('Enter');
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
    // The model's HTML block (up to the blank line) is shown as text, never parsed.
    assert.match(await answer.textContent(), /<a href="javascript:void\(0\)" onclick="document\.body\.dataset\.pwned=4">second<\/a>/);
    await workbench.page.waitForTimeout(300);
    assert.equal(await answer.evaluate(() => document.body.dataset.pwned ?? null), null, 'no model-provided code ran');
    assert.equal(await answer.locator('table td').count(), 8, 'the table renders as a table');
    console.log(`      screenshot: ${await workbench.screenshot('chat-hostile-ja')}`);
  });

  it('restores the conversation after the window reloads; in the dark theme too, with no CSP violation', async () => {
    const page = workbench.page;
    await reloadWindow(page);
    const chat = chatFrame(page);
    await chat.locator('.message.user', { hasText: HOSTILE_QUESTION }).waitFor({ timeout: 60_000 });
    const restored = chat.locator('.message.assistant');
    assert.equal(await restored.count(), 2);
    assert.equal(await restored.first().locator('pre code').textContent(), 'const answer: number = 42;');
    assert.match(await restored.first().locator('.reasoning summary').textContent(), /秒、\d+ トークン考えました/);
    assert.match(await restored.first().locator('.stats').textContent(), /トークン\/秒/);
    assert.equal(await restored.locator('img, script, iframe').count(), 0);
    // The reloaded window may come back with another view in the side bar.
    await runFromPalette(page, 'LLM-jp: Open Chat');
    await useColorScheme(workbench, 'dark');
    await screenshotPanel(workbench, 'panel-dark-ja');
    assertNoCspViolation(workbench);
  });
});

describe('chat panel in English (scripted LLM-jp-4)', function () {
  this.timeout(240_000);
  let workbench;

  before(async () => {
    workbench = await openWorkbench({ locale: 'en', settings: { ...modelSettings(englishModel()), ...THEME_SETTINGS }, log });
  });

  after(async () => {
    await workbench?.close();
  });

  it('streams an English answer with its code block; light and dark screenshots, no CSP violation', async () => {
    await runFromPalette(workbench.page, 'LLM-jp: Open Chat');
    const chat = chatFrame(workbench.page);
    await chat.locator(INPUT).fill('How do I declare a typed constant?');
    await chat.locator(INPUT).press('Enter');
    await chat.locator('.message.assistant[data-stop-reason="return"]').waitFor({ timeout: 60_000 });
    const turn = chat.locator('.message.assistant').last();
    assert.equal(await turn.locator('pre code').textContent(), 'const answer: number = 42;');
    assert.match(await turn.locator('.reasoning summary').textContent(), /^Thought for \d+\.\d s, \d+ tokens?$/);
    await chat.locator('.regenerate').waitFor();
    // The web components are styled through constructable stylesheets, which the webview's CSP allows.
    for (const selector of ['#send', '#input', '#model-picker', '.regenerate']) {
      assert.ok(await chat.locator(selector).first().evaluate((node) => node.shadowRoot.adoptedStyleSheets.length > 0), `${selector} is styled`);
    }
    await screenshotPanel(workbench, 'panel-light-en');
    await useColorScheme(workbench, 'dark');
    await screenshotPanel(workbench, 'panel-dark-en');
    assertNoCspViolation(workbench);
  });
});

describe('the editor\'s LLM-jp context menu (scripted LLM-jp-4)', function () {
  this.timeout(240_000);
  let workbench;

  before(async () => {
    workbench = await openWorkbench({ locale: 'en', settings: { ...modelSettings(englishModel()), ...THEME_SETTINGS }, log });
  });

  after(async () => {
    await workbench?.close();
  });

  /** Right-click in the editor, LLM-jp, then `item`, as a user would. */
  /** Selects the whole file, and waits until the status bar says so (the editor must have focus). */
  async function selectAll(page) {
    const selected = page.locator('.statusbar-item', { hasText: /\(\d+ selected\)/ });
    for (let attempt = 0; attempt < 5 && !(await selected.isVisible()); attempt++) {
      await page.locator('.monaco-editor .view-line span span', { hasText: 'twice' }).first().click();
      await page.keyboard.press('Control+A');
      await selected.waitFor({ timeout: 2_000 }).catch(() => {});
    }
    await selected.waitFor();
  }

  async function fromContextMenu(page, item) {
    // On the selected word itself: a right-click beside the text would move the cursor and drop the selection.
    await page.locator('.monaco-editor .view-line span span', { hasText: 'twice' }).first().click({ button: 'right' });
    const menu = page.locator('.context-view .monaco-menu');
    await menu.locator('.action-item', { hasText: /^LLM-jp$/ }).first().hover();
    const entry = page.locator('.context-view .monaco-menu .action-item', { hasText: new RegExp(`^${item}`) }).last();
    await entry.hover();
    await entry.click();
    // A click that lands while the submenu is still opening only highlights the item: Enter runs it.
    const closed = await menu.first().waitFor({ state: 'hidden', timeout: 1_500 }).then(() => true, () => false);
    if (!closed) await page.keyboard.press('Enter');
  }

  it('explains the selection in English and in Japanese, each streamed into the panel as a chat turn', async () => {
    const { page, server } = workbench;
    writeFileSync(path.join(server.workspace, 'menu.ts'), 'export const twice = (x: number): number => x * 2;\n');
    await page.keyboard.press('Control+P');
    await page.locator('.quick-input-widget input').fill('menu.ts');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'menu.ts' }).first().click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'twice' }).waitFor();
    await selectAll(page);

    await fromContextMenu(page, 'Explain in English');
    const chat = chatFrame(page);
    await chat.locator('.message.assistant[data-stop-reason="return"]').first().waitFor({ timeout: 60_000 });
    assert.match(await chat.locator('.message.user').last().textContent(), /Explain the selected code in English/);
    assert.match(await chat.locator('.message.user .chip').last().textContent(), /menu\.ts:1/);
    assert.match(await chat.locator('.message.assistant').last().textContent(), /Annotate the type after the name/);

    await selectAll(page);
    await fromContextMenu(page, 'Explain in Japanese');
    await chat.locator('.message.user', { hasText: '選択したコードを日本語で説明してください' }).first().waitFor({ timeout: 30_000 });
    assert.equal(await chat.locator('.message.user').count(), 2, 'each menu choice asked once');
    await chat.locator('.message.assistant[data-stop-reason="return"]').nth(1).waitFor({ timeout: 60_000 });
    // The selection went with the command: it is not offered again under the input.
    assert.equal(await chat.locator('#chips .chip.implicit').count(), 0);
    const title = page.locator('.part.sidebar .composite.title h2').first();
    // The text is ours; VS Code's stylesheet capitalizes each word of it (it shows "LLM-Jp: Chat").
    assert.equal(await title.textContent(), 'LLM-jp: Chat');
    await workbench.screenshot('editor-context-menu-explain');
  });
});

describe('Write Commit Message in the Source Control title bar (scripted LLM-jp-4)', function () {
  this.timeout(240_000);
  let workbench;
  const repository = path.join(outputDir, 'scm-ui-repository');

  before(async () => {
    stagedChange(repository, 'tax.ts', 'export const withTax = (price: number): number => price;\n',
      `// ${COMMIT_WORDS.ja} 税率\nexport const RATE = 1.1;\nexport const withTax = (price: number): number => Math.round(price * RATE);\n`);
    const settings = { ...modelSettings(e2eModels().commit), 'llmJp.contextSize': 8192, 'llmJp.commitMessage.language': 'ja' };
    workbench = await openWorkbench({ locale: 'en', settings, workspace: repository, log });
  });

  after(async () => {
    await workbench?.close();
  });

  it('writes the staged change\'s message into the Source Control box from its title-bar button', async () => {
    const { page } = workbench;
    await page.keyboard.press('Control+Shift+G');
    // The view's title actions show while the pointer is over its header (the label ends with the keybinding).
    const header = page.locator('.part.sidebar .pane-header').first();
    const button = page.locator('.part.sidebar .action-item a[aria-label^="Write Commit Message"]').locator('visible=true').first();
    await header.waitFor({ timeout: 60_000 });
    for (let attempt = 0; attempt < 20 && !(await button.isVisible()); attempt++) {
      await header.hover();
      await page.waitForTimeout(500);
    }
    await button.click();
    // The box is a Monaco editor: its lines, joined, are the message (with no preamble and no fence).
    const box = page.locator('.scm-editor .view-lines');
    await box.filter({ hasText: '消費税率を定数 RATE にまとめました。' }).waitFor({ timeout: 60_000 });
    const lines = await page.locator('.scm-editor .view-lines .view-line').allTextContents();
    assert.equal(lines.join('\n').replace(/\u00a0/g, ' '), COMMIT_JA);
    // Idle again: the button is back (it was Stop while the message was written).
    await header.hover();
    await button.waitFor();
    await page.mouse.move(800, 400); // the button's tooltip would cover the subject
    await workbench.screenshotSidebar('scm-commit-message');
  });
});

describe('Review comments in the editor (scripted LLM-jp-4 reviewer)', function () {
  this.timeout(300_000);
  let workbench;
  const repository = path.join(outputDir, 'review-ui-repository');

  before(async () => {
    stagedChange(repository, 'calc.ts', REVIEW_BEFORE, REVIEW_FILE);
    const settings = { ...modelSettings(e2eModels().review), 'llmJp.review.language': 'ja' };
    workbench = await openWorkbench({ locale: 'en', settings, workspace: repository, log });
  });

  after(async () => {
    await workbench?.close();
  });

  /** The Comments view, which lists every thread of the workspace with its text. */
  async function commentsView(page) {
    await runFromPalette(page, 'Comments: Focus on Comments View', /Focus on Comments View/);
    return page.locator('.comments-panel, .pane-body .comments-panel-container, [id="workbench.panel.comments"]').first();
  }

  it('shows a staged change\'s findings as threads on their lines, and lists them again after the window reloads', async () => {
    const { page } = workbench;
    await page.keyboard.press('Control+p');
    await page.locator('.quick-input-widget input').fill('calc.ts');
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'calc.ts' }).first().click();
    await page.locator('.monaco-editor .view-lines', { hasText: 'average' }).waitFor({ timeout: 60_000 });
    await runFromPalette(page, 'LLM-jp: Review Staged Changes');
    // The thread opens inside the editor, under the line it is about, with the finding's Japanese text.
    const widget = page.locator('.review-widget', { hasText: REVIEW_MESSAGES.zero });
    await widget.waitFor({ timeout: 120_000 });
    await page.locator('.review-widget', { hasText: REVIEW_MESSAGES.empty }).waitFor({ timeout: 60_000 });
    assert.equal(await page.locator('.review-widget', { hasText: REVIEW_MESSAGES.wrong }).count(), 0, 'the finding quoting missing code is dropped');
    await widget.locator('.review-title, .comment-title, .head').first().filter({ hasText: 'Warning · 1 of 2' }).waitFor({ timeout: 10_000 });
    console.log(`      screenshot: ${await workbench.screenshot('review-threads')}`);
    // The summary is in the chat panel.
    await chatFrame(page).locator('#transcript', { hasText: 'レビューしました。' }).waitFor({ timeout: 60_000 });
    await reloadWindow(page);
    const view = await commentsView(page);
    await view.locator('text=' + REVIEW_MESSAGES.empty.slice(0, 8)).first().waitFor({ timeout: 120_000 });
    await view.locator('text=' + REVIEW_MESSAGES.zero.slice(0, 8)).first().waitFor({ timeout: 10_000 });
  });
});

describe('Stop in the chat panel (a model that writes until it is stopped)', function () {
  this.timeout(240_000);
  let workbench;

  before(async () => {
    // The tame model never emits an end token: only Stop (or maxTokens, set far away) ends its answer.
    const settings = { ...modelSettings(e2eModels().tame), 'llmJp.contextSize': 4096, 'llmJp.maxTokens': 3500 };
    workbench = await openWorkbench({ locale: 'en', settings, log });
  });

  after(async () => {
    await workbench?.close();
  });

  it('stops the generation in the model process, not just in the panel', async () => {
    await runFromPalette(workbench.page, 'LLM-jp: Open Chat');
    const chat = chatFrame(workbench.page);
    await chat.locator(INPUT).fill('Write as much as you can.');
    await chat.locator(INPUT).press('Enter');
    const answer = chat.locator('.message.assistant .answer').last();
    await answer.filter({ hasText: /\S{3}/ }).waitFor({ timeout: 90_000 });
    await chat.locator('#stop').click();
    const stopped = Date.now();
    // The turn's stop reason is the engine's own `done` reason.
    await chat.locator('.message.assistant[data-stop-reason="cancelled"]').waitFor({ timeout: 10_000 });
    log?.(`stopped ${Date.now() - stopped} ms after the click`);
    await chat.locator('#send').waitFor({ state: 'visible' });
    const length = (await answer.textContent()).length;
    await workbench.page.waitForTimeout(1_000);
    assert.equal((await answer.textContent()).length, length, 'no text arrives after Stop');
    // The model is idle again (not "generating"), and answers the next question.
    const item = workbench.page.locator('.statusbar-item', { hasText: /tame.* · CPU/ });
    await item.locator('.codicon-hubot').waitFor({ timeout: 10_000 });
    assert.equal(await item.locator('.codicon-sync').count(), 0, 'the status bar no longer shows a running generation');
  });
});

/** The panel's own logic in a plain page (no workbench): the extension's side is played by messages. */
describe('chat panel page (the webview alone, strict CSP)', function () {
  this.timeout(60_000);
  let panel;
  const models = [
    { id: '/models/llm-jp-4-8b-q4.gguf', label: 'LLM-jp-4 8B (Q4_K_M)' },
    { id: '/models/llm-jp-4-32b-q4.gguf', label: 'LLM-jp-4 32B (Q4_K_M)', detail: '19 GB' },
  ];
  const settings = { models, modelId: models[1].id, reasoningEffort: 'high', answerLanguage: 'en', collapseReasoning: true };
  const posted = async (type) => (await panel.posted()).filter((message) => message.type === type);

  beforeEach(async () => {
    panel = await openPanelPage({ log });
    await panel.send({ type: 'init', language: 'en', strings: PANEL_STRINGS_EN }, { type: 'restore', entries: [] });
  });

  afterEach(async () => {
    await panel?.close();
  });

  it('renders its controls as styled @vscode-elements components, with no CSP violation', async () => {
    const { page } = panel;
    await panel.send({ type: 'settings', settings });
    await page.locator('#model-picker vscode-option').first().waitFor({ state: 'attached' });
    const styled = await page.evaluate(() =>
      ['vscode-button', 'vscode-textarea', 'vscode-single-select', 'vscode-toolbar-button'].map((tag) => {
        const node = document.querySelector(tag);
        return [tag, window.customElements.get(tag) !== undefined, node?.shadowRoot?.adoptedStyleSheets.length ?? 0];
      }),
    );
    for (const [tag, defined, sheets] of styled) {
      assert.ok(defined, `${tag} is registered`);
      assert.ok(sheets > 0, `${tag} is styled through adoptedStyleSheets`);
    }
    // The codicon font loads under the CSP (the icons would be empty boxes otherwise).
    assert.ok(await page.evaluate(async () => (await document.fonts.load('16px codicon')).length > 0), 'codicon font loaded');
    assert.deepEqual(panel.problems, []);
  });

  it('shows the settings in the header pickers and posts the choices', async () => {
    const { page } = panel;
    await panel.send({ type: 'settings', settings });
    const model = page.locator('#model-picker');
    await model.locator('vscode-option').first().waitFor({ state: 'attached' });
    assert.equal(await model.evaluate((select) => select.value), models[1].id);
    assert.equal(await page.locator('#effort-picker').evaluate((select) => select.value), 'high');
    assert.equal(await page.locator('#language-picker').evaluate((select) => select.value), 'en');
    assert.deepEqual(await model.locator('vscode-option').allTextContents(), [models[0].label, models[1].label, 'Choose Model…']);

    await page.locator('#effort-picker').click();
    await page.locator('#effort-picker li.option', { hasText: 'Low' }).click();
    assert.deepEqual(await posted('setReasoningEffort'), [{ type: 'setReasoningEffort', effort: 'low' }]);

    await page.locator('#language-picker').click();
    await page.locator('#language-picker li.option', { hasText: '日本語' }).click();
    assert.deepEqual(await posted('setAnswerLanguage'), [{ type: 'setAnswerLanguage', language: 'ja' }]);

    await model.click();
    await model.locator('li.option', { hasText: models[0].label }).click();
    assert.deepEqual(await posted('setModel'), [{ type: 'setModel', id: models[0].id }]);
    // "Choose Model…" opens the extension's quick pick and leaves the picker on the model in use.
    await model.click();
    await model.locator('li.option', { hasText: 'Choose Model…' }).click();
    assert.equal((await posted('chooseModel')).length, 1);
    assert.equal(await model.evaluate((select) => select.value), models[1].id);

    // A later settings message (the extension's answer) moves the pickers.
    await panel.send({ type: 'settings', settings: { ...settings, modelId: models[0].id, reasoningEffort: 'low' } });
    await page.waitForFunction((id) => document.getElementById('model-picker').value === id, models[0].id);
    assert.equal(await page.locator('#effort-picker').evaluate((select) => select.value), 'low');
  });

  it('recalls earlier questions with Up and returns to the draft with Down', async () => {
    const { page } = panel;
    await panel.send({ type: 'restore', entries: [{ kind: 'user', text: 'restored question' }, { kind: 'assistant', reasoning: '', answer: 'ok', stopReason: 'return' }] });
    const input = page.locator('#input textarea');
    await input.fill('sent here');
    await input.press('Enter');
    assert.deepEqual(await posted('send'), [{ type: 'send', text: 'sent here' }]);
    assert.equal(await input.inputValue(), '');

    await input.fill('my draft');
    await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'sent here');
    await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'restored question');
    await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'restored question', 'stays at the oldest');
    await input.press('ArrowDown');
    assert.equal(await input.inputValue(), 'sent here');
    await input.press('ArrowDown');
    assert.equal(await input.inputValue(), 'my draft');

    // Up on the second line of a multi-line question moves the caret, not through history.
    await input.fill('line one\nline two');
    await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'line one\nline two');
  });

  it('keeps an IME composition: Enter that confirms it neither sends nor breaks it', async () => {
    const { page } = panel;
    const input = page.locator('#input textarea');
    await input.focus();
    // A real composition through Chromium's input method (CDP), not synthetic events.
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'にほんご', selectionStart: 4, selectionEnd: 4 });
    await cdp.send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229 });
    await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229 });
    await cdp.send('Input.insertText', { text: '日本語' });
    assert.equal(await input.inputValue(), '日本語');
    assert.deepEqual(await posted('send'), []);
    await input.press('Enter');
    assert.deepEqual(await posted('send'), [{ type: 'send', text: '日本語' }]);
  });

  it('gives each code block Copy, Insert at Cursor and Apply to File', async () => {
    const { page } = panel;
    await panel.send(
      { type: 'turnStarted', turnId: 't1' },
      { type: 'turnDelta', turnId: 't1', part: 'answer', text: 'Here:\n\n```python\nprint("hi")\n```\n' },
      { type: 'turnEnded', turnId: 't1', reason: 'return' },
    );
    const bar = page.locator('.code-block .code-actions');
    await bar.waitFor();
    assert.deepEqual(await bar.locator('[data-action]').evaluateAll((buttons) => buttons.map((b) => [b.dataset.action, b.getAttribute('label')])), [
      ['copy', 'Copy'],
      ['insert', 'Insert at Cursor'],
      ['apply', 'Apply to File'],
    ]);
    await bar.locator('[data-action="apply"]').click();
    await bar.locator('[data-action="insert"]').click();
    await bar.locator('[data-action="copy"]').click();
    assert.deepEqual(await posted('applyCode'), [{ type: 'applyCode', text: 'print("hi")', language: 'python' }]);
    assert.deepEqual(await posted('insertCode'), [{ type: 'insertCode', text: 'print("hi")' }]);
    assert.deepEqual(await posted('copyCode'), [{ type: 'copyCode', text: 'print("hi")' }]);
    assert.equal(await bar.locator('[data-action="copy"]').getAttribute('label'), 'Copied');
  });

  it('shows tool cards between the reasoning and the answer, updated by call id', async () => {
    const { page } = panel;
    const call = { callId: 'call-1', name: 'read_file', arguments: '{"path":"src/app.ts"}', status: 'running' };
    await panel.send(
      { type: 'turnStarted', turnId: 't1' },
      { type: 'turnDelta', turnId: 't1', part: 'reasoning', text: 'I should read the file.' },
      { type: 'toolCard', turnId: 't1', card: call },
    );
    const card = page.locator('.message.assistant .tool-card');
    await card.waitFor();
    assert.equal(await card.getAttribute('data-status'), 'running');
    assert.equal(await card.locator('.tool-status').textContent(), 'Running');
    assert.equal(await card.locator('.tool-arguments').textContent(), '{\n  "path": "src/app.ts"\n}');
    await panel.send(
      { type: 'toolCard', turnId: 't1', card: { ...call, status: 'done', result: 'export const x = 1;' } },
      { type: 'toolCard', turnId: 't1', card: { callId: 'call-2', name: 'run_tests', arguments: 'not json', status: 'failed', result: 'boom' } },
      { type: 'turnDelta', turnId: 't1', part: 'answer', text: 'The file exports x.' },
      { type: 'turnEnded', turnId: 't1', reason: 'return' },
    );
    await page.locator('.message.assistant[data-stop-reason="return"]').waitFor();
    const cards = page.locator('.tool-card');
    assert.equal(await cards.count(), 2, 'the first card was updated in place');
    assert.deepEqual(await cards.evaluateAll((nodes) => nodes.map((n) => n.dataset.status)), ['done', 'failed']);
    assert.equal(await cards.nth(1).locator('.tool-arguments').textContent(), 'not json');
    assert.equal(await cards.first().locator('details.tool-result').getAttribute('open'), null, 'results start folded');
    assert.equal(await cards.first().locator('details.tool-result pre').textContent(), 'export const x = 1;');
    const order = await page.locator('.message.assistant').evaluate((turn) => [...turn.children].filter((c) => !c.hidden).map((c) => c.className));
    assert.deepEqual(order.slice(0, 3), ['reasoning', 'tool-cards', 'answer']);

    // A restored turn shows its tools too.
    await panel.send({ type: 'restore', entries: [{ kind: 'assistant', reasoning: '', answer: 'done', stopReason: 'return', tools: [{ ...call, status: 'unavailable' }] }] });
    await page.locator('.tool-card[data-status="unavailable"] .tool-status', { hasText: 'Unavailable' }).waitFor();
  });

  it('shows proposed file changes on their card with Open Diff, Accept and Reject, and Accept All for several', async () => {
    const { page } = panel;
    const proposal = (id, path) => ({ id, path, added: 2, removed: 1, created: false, state: 'pending' });
    await panel.send(
      { type: 'turnStarted', turnId: 't1' },
      { type: 'toolCard', turnId: 't1', card: { callId: 'c1', name: 'replace_in_file', arguments: '{"path":"src/a.ts"}', status: 'done', result: 'Proposed', proposals: [proposal('p1', 'src/a.ts')] } },
    );
    const row = page.locator('.proposal[data-proposal-id="p1"]');
    await row.waitFor();
    assert.equal(await row.locator('.proposal-path').textContent(), 'src/a.ts');
    assert.equal(await row.locator('.proposal-counts').textContent(), '+2 −1');
    assert.deepEqual(await row.locator('.proposal-action').allTextContents(), ['Open Diff', 'Accept', 'Reject']);
    assert.equal(await page.locator('.proposal-all').count(), 0, 'one proposal: no Accept All');
    await panel.send({ type: 'toolCard', turnId: 't1', card: { callId: 'c2', name: 'rename_symbol', arguments: '{}', status: 'done', proposals: [proposal('p2', 'src/b.ts')] } });
    await page.locator('.proposal-all').waitFor();
    assert.deepEqual(await page.locator('.proposal-all .proposal-action').allTextContents(), ['Accept All', 'Reject All']);

    await row.locator('.proposal-action[data-decision="open"]').click();
    await row.locator('.proposal-action[data-decision="accept"]').click();
    await page.locator('.proposal-all .proposal-action[data-decision="reject"]').click();
    const decisions = [...(await posted('decideProposal')), ...(await posted('decideAllProposals'))];
    assert.deepEqual(decisions, [
      { type: 'decideProposal', id: 'p1', decision: 'open' },
      { type: 'decideProposal', id: 'p1', decision: 'accept' },
      { type: 'decideAllProposals', decision: 'reject' },
    ]);
    // The extension's answer: the row says what happened and offers nothing more.
    await panel.send({ type: 'proposalState', id: 'p1', state: 'accepted' });
    await row.locator('.proposal-state', { hasText: 'accepted' }).waitFor();
    assert.equal(await row.locator('.proposal-action').count(), 0);
    assert.equal(await page.locator('.proposal-all').count(), 0, 'one pending proposal left: no Accept All');
    await panel.send({ type: 'proposalState', id: 'p2', state: 'stale' });
    await page.locator('.proposal[data-proposal-id="p2"][data-state="stale"] .proposal-state', { hasText: 'the file changed' }).waitFor();
  });

  it('shows pending context chips, removes them on request, and shows them on the sent question', async () => {
    const { page } = panel;
    await page.locator('#attach-selection').click();
    await page.locator('#attach-problems').click();
    assert.deepEqual(await posted('attach'), [{ type: 'attach', kind: 'selection' }, { type: 'attach', kind: 'problems' }]);
    const chips = [
      { id: 'c1', kind: 'selection', label: 'app.ts:10-24', detail: '/ws/src/app.ts' },
      { id: 'c2', kind: 'problems', label: 'Problems (3)' },
    ];
    await panel.send({ type: 'context', chips });
    const pending = page.locator('#chips .chip');
    await pending.first().waitFor();
    assert.deepEqual(await pending.locator('.chip-label').allTextContents(), ['app.ts:10-24', 'Problems (3)']);
    assert.equal(await pending.first().getAttribute('title'), '/ws/src/app.ts');
    await pending.nth(1).locator('.chip-remove').click();
    assert.deepEqual(await posted('detach'), [{ type: 'detach', id: 'c2' }]);
    await panel.send({ type: 'context', chips: [] });
    await page.locator('#chips').waitFor({ state: 'hidden' });
    await panel.send({ type: 'appendMessage', role: 'user', text: 'Explain this', chips: [chips[0]] });
    const sent = page.locator('.message.user', { hasText: 'Explain this' });
    assert.deepEqual(await sent.locator('.chip-label').allTextContents(), ['app.ts:10-24']);
    assert.equal(await sent.locator('.chip-remove').count(), 0);
    // Restored questions show their attachments as chips.
    await panel.send({ type: 'restore', entries: [{ kind: 'user', text: 'Fix it', attachments: [{ ...chips[1], content: 'error TS2322' }] }] });
    await page.locator('.message.user .chip-label', { hasText: 'Problems (3)' }).waitFor();
  });

  it('offers regenerate on the last finished answer only', async () => {
    const { page } = panel;
    await panel.send({
      type: 'restore',
      entries: [
        { kind: 'user', text: 'q1' },
        { kind: 'assistant', reasoning: '', answer: 'a1', stopReason: 'return' },
        { kind: 'user', text: 'q2' },
        { kind: 'assistant', reasoning: '', answer: 'a2', stopReason: 'return' },
      ],
    });
    const regenerate = page.locator('.regenerate');
    await regenerate.waitFor();
    assert.equal(await regenerate.count(), 1);
    assert.equal(await page.locator('.message.assistant').last().locator('.regenerate').count(), 1);
    await panel.send({ type: 'turnStarted', turnId: 't3' });
    await regenerate.waitFor({ state: 'detached' });
    await panel.send({ type: 'turnEnded', turnId: 't3', reason: 'cancelled' });
    await page.locator('.message.assistant').nth(2).locator('.regenerate').waitFor();
    await regenerate.click();
    assert.deepEqual(await posted('regenerate'), [{ type: 'regenerate' }]);
  });

  it('keeps the reasoning trace open when collapseReasoning is off', async () => {
    const { page } = panel;
    await panel.send(
      { type: 'settings', settings: { ...settings, collapseReasoning: false } },
      { type: 'turnStarted', turnId: 't1' },
      { type: 'turnDelta', turnId: 't1', part: 'reasoning', text: 'Let me think.' },
    );
    const summary = page.locator('.reasoning summary');
    await summary.filter({ hasText: 'Thinking…' }).waitFor();
    await panel.send({ type: 'turnDelta', turnId: 't1', part: 'answer', text: 'Answer.' });
    await page.locator('.answer p', { hasText: 'Answer.' }).waitFor();
    assert.equal(await page.locator('details.reasoning').getAttribute('open'), '');
    await panel.send({ type: 'turnEnded', turnId: 't1', reason: 'return', reasoningSummary: 'Thought for 1.0 s, 4 tokens' });
    await summary.filter({ hasText: 'Thought for 1.0 s, 4 tokens' }).waitFor();
    assert.equal(await page.locator('details.reasoning').getAttribute('open'), '');
  });

  it('shows HTML written by the model as text: nothing of it is parsed, so nothing trips the CSP', async () => {
    const { page } = panel;
    await panel.send({ type: 'turnStarted', turnId: 't1' });
    for (const piece of HOSTILE_ANSWER.match(/[\s\S]{1,16}/g)) await panel.send({ type: 'turnDelta', turnId: 't1', part: 'answer', text: piece });
    await panel.send({ type: 'turnEnded', turnId: 't1', reason: 'return' });
    const answer = page.locator('.message.assistant[data-stop-reason="return"] .answer');
    await answer.waitFor();
    assert.match(await answer.textContent(), /<img src=x onerror="document\.body\.dataset\.pwned=1">/);
    assert.match(await answer.textContent(), /<script>document\.body\.dataset\.pwned=2<\/script>/);
    assert.equal(await answer.locator('img, script, iframe, [onerror], [onclick]').count(), 0);
    assert.equal(await answer.locator('table td').count(), 8);
    await panel.send({ type: 'restore', entries: [{ kind: 'assistant', reasoning: '', answer: 'a<br>b | c\n\n| x |\n|---|\n| 1<br/>2 |', stopReason: 'return' }] });
    await page.locator('.answer td br').waitFor({ state: 'attached' });
    // A markdown link to javascript: keeps its text and loses its target.
    await panel.send({ type: 'restore', entries: [{ kind: 'assistant', reasoning: '', answer: '[clickme](javascript:document.body.dataset.pwned=3)', stopReason: 'return' }] });
    const link = page.locator('.answer a', { hasText: 'clickme' });
    await link.waitFor();
    assert.equal(await link.getAttribute('href'), null);
    await link.click();
    assert.deepEqual(await posted('openLink'), []);
    assert.equal(await page.evaluate(() => document.body.dataset.pwned ?? null), null);
    assert.deepEqual(panel.problems, [], 'no console error or CSP report');
  });

  it('keeps at most 60 transcript items in the DOM and brings earlier ones back on request', async () => {
    const { page } = panel;
    const entries = [];
    for (let i = 0; i < 100; i++) {
      entries.push({ kind: 'user', text: `question ${i}` }, { kind: 'assistant', reasoning: '', answer: `answer **${i}**`, stopReason: 'return' });
    }
    await panel.send({ type: 'restore', entries });
    const items = page.locator('#transcript > .message');
    await page.locator('.message.user', { hasText: 'question 99' }).waitFor();
    assert.equal(await items.count(), 60);
    assert.equal(await items.first().textContent(), 'question 70');
    const earlier = page.locator('.show-earlier');
    assert.equal(await earlier.textContent(), '140 earlier messages hidden. Show them');

    // Streaming more keeps the bound: the oldest leave the DOM as new ones arrive.
    await panel.send({ type: 'appendMessage', role: 'user', text: 'question 100' }, { type: 'turnStarted', turnId: 't1' }, { type: 'turnDelta', turnId: 't1', part: 'answer', text: 'streaming' });
    await panel.send({ type: 'turnEnded', turnId: 't1', reason: 'return' });
    await page.locator('.message.assistant[data-stop-reason="return"] .answer', { hasText: 'streaming' }).waitFor();
    assert.equal(await items.count(), 60);
    assert.equal(await earlier.textContent(), '142 earlier messages hidden. Show them');

    await earlier.click();
    assert.equal(await items.count(), 120);
    assert.equal(await items.first().textContent(), 'question 41');
    assert.equal(await page.locator('.message.assistant .answer strong', { hasText: /^41$/ }).count(), 1, 'rebuilt from the kept data');
    await earlier.click();
    await earlier.click();
    assert.equal(await earlier.count(), 0, 'no row once everything is shown');
    assert.equal(await items.count(), 202);
    assert.equal(await items.first().textContent(), 'question 0');
  });

  it('renders a long streamed answer incrementally, the same as at once', async () => {
    const { page } = panel;
    const answer = [
      '# Title', '', 'Intro paragraph with `code`.', '', '1. one', '', '2. two', '', '   continued item', '', '```js', 'let a = 1;', '', 'let b = 2;', '```', '',
      '| a | b |', '|---|---|', '| 1 | 2 |', '', '> quote', '', 'Last line.',
    ].join('\n');
    await panel.send({ type: 'turnStarted', turnId: 't1' });
    let heading;
    for (const piece of answer.match(/[\s\S]{1,3}/g)) {
      await panel.send({ type: 'turnDelta', turnId: 't1', part: 'answer', text: piece });
      // Once a later block shows, the heading is in the stable part.
      heading ??= await page.evaluateHandle(() => (document.querySelector('.answer ol') ? document.querySelector('.answer h1') : undefined)).then((handle) => handle.asElement() ?? undefined);
    }
    await panel.send({ type: 'turnEnded', turnId: 't1', reason: 'return' });
    // The finished heading was drawn once and kept while the rest streamed in.
    assert.ok(heading, 'the heading was drawn while the list streamed');
    assert.ok(await heading.evaluate((node) => node.isConnected), 'the heading node was not rebuilt');
    await page.locator('.message.assistant[data-stop-reason="return"]').waitFor();
    const streamed = await page.locator('.message.assistant .answer').innerHTML();
    await panel.send({ type: 'restore', entries: [{ kind: 'assistant', reasoning: '', answer, stopReason: 'return' }] });
    const atOnce = await page.locator('.message.assistant .answer').innerHTML();
    assert.equal(streamed.replace(/\n/g, ''), atOnce.replace(/\n/g, ''));
  });
});
