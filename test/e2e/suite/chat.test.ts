// The chat's extension side in a real VS Code: the scripted chat model answers, the panel's
// messages go through the same validation and handling as clicks in the panel would.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { chatInstructions } from '../../../src/core/prompts/chat';
import type { ExtensionToPanel } from '../../../src/core/protocol';
import type { ExtensionApi } from '../../../src/extension';
import { CPU_SETTINGS, e2eModel, resetSettings, setSettings, until, workspaceRoot } from './support';
import { ChatTools } from '../../../src/vscode/chat/chatTools';
import { ATTACHMENT_ANSWER, ATTACHMENT_WORD, GREETING_ANSWER, README, README_ANSWER, README_QUESTION } from '../scriptTexts';

const extensionId = 'llm-jp-vscode.llm-jp-vscode';

const chatModel = (): string => e2eModel('chat');

describe('the chat panel\'s extension side', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  const posted: ExtensionToPanel[] = [];
  let subscription: vscode.Disposable;
  const config = () => vscode.workspace.getConfiguration('llmJp');
  const last = <T extends ExtensionToPanel['type']>(type: T): Extract<ExtensionToPanel, { type: T }> | undefined =>
    posted.filter((m): m is Extract<ExtensionToPanel, { type: T }> => m.type === type).at(-1);

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(extensionId)!.activate();
    subscription = api.chat.onDidPost((message) => posted.push(message));
    await setSettings({ ...CPU_SETTINGS, modelPath: chatModel() });
    await vscode.commands.executeCommand('llmJp.openChat');
    await api.chat.whenReady();
  });

  after(async () => {
    subscription.dispose();
    await resetSettings(['modelPath', 'contextSize', 'threads', 'gpu', 'answerLanguage', 'reasoningEffort', 'modelsFolder']);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('tells the panel the settings and changes them when the panel asks', async () => {
    const folder = await fs.mkdtemp(path.join(tmpdir(), 'llmjp-models-'));
    const other = path.join(folder, 'other-model.gguf');
    await fs.copyFile(chatModel(), other);
    await config().update('modelsFolder', folder, vscode.ConfigurationTarget.Global);
    const settings = await until(() => {
      const s = last('settings')?.settings;
      return s?.models.some((m) => m.id === other) ? s : undefined;
    }, 'settings listing the models folder');
    assert.equal(settings.modelId, chatModel());
    assert.deepEqual(settings.models.map((m) => m.label), [path.basename(chatModel(), '.gguf'), 'other-model']);
    assert.match(settings.models[1].detail ?? '', /MB|GB/);
    assert.equal(settings.collapseReasoning, true);

    await api.chat.receive({ type: 'setAnswerLanguage', language: 'en' });
    assert.equal(config().get('answerLanguage'), 'en');
    await until(() => last('settings')?.settings.answerLanguage === 'en', 'settings with the new language');
    await api.chat.receive({ type: 'setReasoningEffort', effort: 'high' });
    assert.equal(config().get('reasoningEffort'), 'high');
    await until(() => last('settings')?.settings.reasoningEffort === 'high', 'settings with the new effort');

    // Only a model the panel was offered can be chosen from it.
    await api.chat.receive({ type: 'setModel', id: '/somewhere/else.gguf' });
    assert.equal(config().get('modelPath'), chatModel());
    await api.chat.receive({ type: 'setModel', id: other });
    assert.equal(config().get('modelPath'), other);
    await until(() => last('settings')?.settings.modelId === other, 'settings with the new model');

    // The answer language reaches the model as its instructions.
    await api.chat.receive({ type: 'newChat' });
    await api.chat.receive({ type: 'send', text: 'こんにちは' });
    assert.deepEqual(api.chat.lastRequest?.messages[0], { role: 'system', content: chatInstructions('en') });
    assert.equal(api.chat.lastRequest?.reasoningEffort, 'high');

    await config().update('modelPath', chatModel(), vscode.ConfigurationTarget.Global);
    await resetSettings(['modelsFolder', 'answerLanguage', 'reasoningEffort']);
    await fs.rm(folder, { recursive: true, force: true });
  });

  it('sends attached context with the question, keeps it in later turns, and the model reads it', async () => {
    const file = vscode.Uri.file(path.join(workspaceRoot(), 'secret.ts'));
    await fs.writeFile(file.fsPath, `const secret = 1; // ${ATTACHMENT_WORD}\nexport {};\n`);
    const editor = await vscode.window.showTextDocument(file);
    editor.selection = new vscode.Selection(0, 0, 1, 0);

    await api.chat.receive({ type: 'newChat' });
    await api.chat.receive({ type: 'attach', kind: 'selection' });
    await api.chat.receive({ type: 'attach', kind: 'file' });
    const chips = last('context')?.chips ?? [];
    assert.deepEqual(chips.map((c) => [c.kind, c.label, c.detail]), [
      ['selection', 'secret.ts:1', 'secret.ts:1'],
      ['file', 'secret.ts', 'secret.ts'],
    ]);
    await api.chat.receive({ type: 'detach', id: chips[1].id });
    assert.deepEqual(last('context')?.chips.map((c) => c.kind), ['selection']);

    await api.chat.receive({ type: 'send', text: 'このコードは？' });
    const [question, answer] = api.chat.entries;
    assert.equal(question.kind === 'user' && question.attachments?.[0].content, `const secret = 1; // ${ATTACHMENT_WORD}\n`);
    assert.deepEqual(api.chat.lastRequest?.context, [{ label: 'Selected code from secret.ts:1 (typescript):', text: `const secret = 1; // ${ATTACHMENT_WORD}\n` }]);
    assert.equal(answer.kind === 'assistant' && answer.answer, ATTACHMENT_ANSWER, 'the model answered from the attached word');
    const sent = posted.filter((m) => m.type === 'appendMessage' && m.role === 'user').at(-1);
    assert.deepEqual(sent?.type === 'appendMessage' && sent.chips?.map((c) => c.label), ['secret.ts:1']);
    assert.deepEqual(last('context')?.chips, []);

    // The next question goes without chips; the earlier attachment stays in its question.
    await api.chat.receive({ type: 'send', text: 'ありがとう' });
    assert.deepEqual(api.chat.lastRequest?.context, []);
    const firstQuestion = api.chat.lastRequest?.messages.find((m) => m.role === 'user');
    assert.ok(firstQuestion?.content?.startsWith('このコードは？\n\nSelected code from secret.ts:1 (typescript):\n```\nconst secret'), firstQuestion?.content);
  });

  it('attaches the problems of the active file', async () => {
    const file = vscode.Uri.file(path.join(workspaceRoot(), 'secret.ts'));
    await vscode.window.showTextDocument(file);
    const diagnostics = vscode.languages.createDiagnosticCollection('llmjp-test');
    try {
      diagnostics.set(file, [new vscode.Diagnostic(new vscode.Range(0, 6, 0, 12), "'secret' is declared but never used.", vscode.DiagnosticSeverity.Warning)]);
      await api.chat.receive({ type: 'newChat' });
      await api.chat.receive({ type: 'attach', kind: 'problems' });
      const chip = last('context')?.chips[0];
      assert.equal(chip?.kind, 'problems');
      assert.match(chip?.label ?? '', /\(1\)/, JSON.stringify(vscode.languages.getDiagnostics(file)));
      await api.chat.receive({ type: 'send', text: '直して' });
      assert.deepEqual(api.chat.lastRequest?.context, [
        { label: 'Problems VS Code reports (path:line:column severity message):', text: "secret.ts:1:7 warning 'secret' is declared but never used." },
      ]);
    } finally {
      diagnostics.dispose();
    }
  });

  it('runs the model\'s read_file call, shows it as a card and answers from the result', async () => {
    await fs.writeFile(path.join(workspaceRoot(), 'README.md'), README);
    await api.chat.receive({ type: 'newChat' });
    const from = posted.length;
    await api.chat.receive({ type: 'send', text: README_QUESTION });
    const cards = posted.slice(from).flatMap((m) => (m.type === 'toolCard' ? [m.card] : []));
    assert.deepEqual(cards.map((c) => [c.name, c.status, c.arguments]), [
      ['read_file', 'running', '{"path":"README.md"}'],
      ['read_file', 'done', '{"path":"README.md"}'],
    ]);
    assert.equal(cards[1].result?.split('\n')[0], '# テスト用ワークスペース');
    const answer = api.chat.entries[1];
    assert.equal(answer.kind, 'assistant');
    if (answer.kind !== 'assistant') return;
    assert.equal(answer.answer, README_ANSWER);
    assert.equal(answer.stopReason, 'return');
    assert.equal(answer.reasoning, 'READMEを読んで確認します。');
    assert.deepEqual(answer.tools?.map((c) => c.status), ['done']);
    assert.equal(answer.toolCalls?.[0].result, README);
    // The second request carried the call and its result.
    assert.deepEqual(api.chat.lastRequest?.messages.slice(-2).map((m) => m.role), ['assistant', 'tool']);
    assert.deepEqual(api.chat.lastRequest?.tools?.map((t) => t.function.name), [
      'read_file',
      'list_files',
      'search_text',
      'get_diagnostics',
      'find_references',
      'rename_symbol',
      'replace_in_file',
      'create_file',
    ]);
  });

  it('keeps tools inside the workspace, links included', async () => {
    const root = workspaceRoot();
    const outside = await fs.mkdtemp(path.join(tmpdir(), 'llmjp-outside-'));
    await fs.writeFile(path.join(outside, 'secret.txt'), 'outside');
    await fs.rm(path.join(root, 'link'), { force: true });
    await fs.symlink(outside, path.join(root, 'link'));
    await fs.mkdir(path.join(root, '.git'), { recursive: true });
    await fs.writeFile(path.join(root, '.git', 'config'), '[core]');
    await fs.writeFile(path.join(root, 'image.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
    const tools = new ChatTools(api.staging);
    const runChatTool = (name: string, args: string, maxReadBytes: number) => tools.run(name, args, { maxReadBytes });
    try {
      const read = (p: string) => runChatTool('read_file', JSON.stringify({ path: p }), 64 * 1024);
      assert.deepEqual(await read('README.md'), { status: 'done', result: README, summary: README });
      for (const [p, expected] of [
        ['link/secret.txt', /outside the workspace through a link/],
        ['../secret.txt', /outside the workspace/],
        [path.join(outside, 'secret.txt'), /absolute path/],
        ['.git/config', /\.git/],
        ['missing.md', /does not exist/],
        ['image.bin', /binary/],
      ] as const) {
        const outcome = await read(p);
        assert.equal(outcome.status, 'failed', p);
        assert.match(outcome.result, expected, p);
      }
      const listed = await runChatTool('list_files', '{}', 1024);
      assert.equal(listed.status, 'done');
      const names = listed.result.split('\n');
      assert.ok(names.includes('README.md') && names.includes('link/'), listed.result);
      assert.ok(!names.includes('.git/'), 'the listing skips .git');
      assert.equal((await runChatTool('list_files', '{"path":"link"}', 1024)).status, 'failed');
      assert.equal((await runChatTool('write_file', '{"path":"x"}', 1024)).status, 'unavailable');
      // A read is cut at the limit, and says so.
      // Ten bytes end inside the third Japanese character: it is left out whole.
      const cut = await runChatTool('read_file', '{"path":"README.md"}', 10);
      assert.equal(cut.result, `# テス\n[… cut: the file has ${Buffer.byteLength(README)} bytes; the first 8 are shown]`);
    } finally {
      await fs.rm(path.join(root, 'link'), { force: true });
      await fs.rm(path.join(root, '.git'), { recursive: true, force: true });
      await fs.rm(path.join(root, 'image.bin'), { force: true });
      await fs.rm(outside, { recursive: true, force: true });
    }
  });

  it('regenerates the last answer in place', async () => {
    await api.chat.receive({ type: 'newChat' });
    await api.chat.receive({ type: 'send', text: 'こんにちは' });
    const id = api.chat.conversationId;
    assert.equal(api.chat.entries.length, 2);
    const from = posted.length;
    await api.chat.receive({ type: 'regenerate' });
    const restore = posted.slice(from).find((m) => m.type === 'restore');
    assert.deepEqual(restore?.type === 'restore' && restore.entries, [{ kind: 'user', text: 'こんにちは' }]);
    assert.deepEqual(posted.slice(from).map((m) => m.type).filter((t) => t !== 'turnDelta'), ['restore', 'turnStarted', 'turnEnded']);
    assert.deepEqual(api.chat.entries.map((e) => e.kind), ['user', 'assistant']);
    const answer = api.chat.entries[1];
    assert.equal(answer.kind === 'assistant' && answer.answer, GREETING_ANSWER);
    assert.equal(api.chat.conversationId, id, 'the same conversation goes on');
  });

  it('applies a code block to the selection through a diff, as one undoable edit', async () => {
    const file = vscode.Uri.file(path.join(workspaceRoot(), 'apply-target.ts'));
    const original = 'const a = 1;\nconst b = 2;\nconst c = 3;\n';
    const changed = 'const a = 1;\nconst b = 20;\nconst c = 3;\n';
    await fs.writeFile(file.fsPath, original);
    const document = await vscode.workspace.openTextDocument(file);
    /** Shows the file (the diff tab hides it) and selects `selection` in it. */
    const select = async (selection: vscode.Selection): Promise<void> => {
      const editor = await vscode.window.showTextDocument(document);
      editor.selection = selection;
    };
    const proposalTab = () =>
      vscode.window.tabGroups.all
        .flatMap((g) => g.tabs)
        .find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'llmjp-proposal');

    // Discarded: nothing changes.
    await select(new vscode.Selection(1, 0, 1, 12));
    const discarded = api.chat.receive({ type: 'applyCode', text: 'const b = 20;', language: 'ts' });
    const diff = await until(proposalTab, 'the diff of the proposal');
    const proposal = (diff.input as vscode.TabInputTextDiff).modified;
    assert.equal((await vscode.workspace.openTextDocument(proposal)).getText(), changed);
    await vscode.commands.executeCommand('llmJp.discardProposal');
    await discarded;
    assert.equal(document.getText(), original);
    await until(() => !proposalTab(), 'the diff to close');

    // Applied: the selection is replaced in one edit.
    await select(new vscode.Selection(1, 0, 1, 12));
    const applied = api.chat.receive({ type: 'applyCode', text: 'const b = 20;' });
    await until(proposalTab, 'the diff of the second proposal');
    await vscode.commands.executeCommand('llmJp.applyProposal');
    await applied;
    assert.equal(document.getText(), changed);
    await until(() => !proposalTab(), 'the diff to close');
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), original, 'one undo restores the file');

    // Nothing selected: the whole file is replaced.
    await select(new vscode.Selection(0, 0, 0, 0));
    const whole = api.chat.receive({ type: 'applyCode', text: 'export const all = true;\n' });
    await until(proposalTab, 'the diff of the third proposal');
    await vscode.commands.executeCommand('llmJp.applyProposal');
    await whole;
    assert.equal(document.getText(), 'export const all = true;\n');
    await document.save();
  });

  it('opens the chat in an editor tab that takes over the view\'s conversation', async () => {
    await api.chat.receive({ type: 'newChat' });
    await api.chat.receive({ type: 'send', text: 'こんにちは' });
    const moved = api.chat.conversationId;
    await vscode.commands.executeCommand('llmJp.openChatInEditor');
    const [tab] = api.chatTabs();
    assert.ok(tab, 'a chat tab is open');
    await tab.whenReady();
    assert.equal(await tab.ping('エディターのタブ'), 'エディターのタブ');
    assert.equal(tab.conversationId, moved);
    assert.deepEqual(tab.entries.map((e) => e.kind), ['user', 'assistant']);
    assert.notEqual(api.chat.conversationId, moved, 'the view starts a new chat');
    assert.equal(api.chat.entries.length, 0);

    await tab.receive({ type: 'send', text: 'こんにちは' });
    assert.equal(tab.entries.length, 4);
    const webviewTab = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .find((t) => t.input instanceof vscode.TabInputWebview && t.input.viewType.endsWith('llmJp.chatEditor'));
    assert.ok(webviewTab, 'the chat is an editor tab');
    await vscode.window.tabGroups.close(webviewTab);
    await until(() => api.chatTabs().length === 0, 'the tab to close');
  });
});
