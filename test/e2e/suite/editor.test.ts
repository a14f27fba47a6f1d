// The editor's jobs in a real VS Code with the scripted editor model: explanations become chat
// turns in the panel (in Japanese or English), the lightbulb offers them, doc comments and
// comment translations are diffs applied only when accepted, and a "translation" that changes
// code is refused with the file untouched.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionToPanel } from '../../../src/core/protocol';
import type { ExtensionApi } from '../../../src/extension';
import { CPU_SETTINGS, e2eModel, resetSettings, setSettings, until, workspaceRoot } from './support';
import { BREAKS_TARGET, DOC_RESULT, DOC_TARGET, GREETING_ANSWER, TRANSLATE_RESULT, TRANSLATE_TARGET } from '../scriptTexts';

const extensionId = 'llm-jp-vscode.llm-jp-vscode';

const editorModel = (): string => e2eModel('editor');

async function openWith(name: string, text: string): Promise<vscode.TextEditor> {
  const file = vscode.Uri.file(path.join(workspaceRoot(), name));
  await fs.writeFile(file.fsPath, text);
  const document = await vscode.workspace.openTextDocument(file);
  if (document.getText() !== text) await vscode.commands.executeCommand('workbench.action.files.revert', file);
  return vscode.window.showTextDocument(document);
}

/** The open diff of a proposal, once the model has written it. */
function proposalTab(): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((g) => g.tabs)
    .find((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'llmjp-proposal');
}

describe('editor commands', function () {
  this.timeout(120_000);
  let api: ExtensionApi;

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(extensionId)!.activate();
    await setSettings({ ...CPU_SETTINGS, modelPath: editorModel() });
  });

  after(async () => {
    await resetSettings(['modelPath', 'contextSize', 'threads', 'gpu', 'answerLanguage']);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('explain the selection in Japanese and in English as chat turns', async () => {
    const editor = await openWith('explain.ts', DOC_TARGET.replace('文書化テスト', 'note'));
    editor.selection = new vscode.Selection(0, 0, 3, 0);
    for (const [command, language] of [['llmJp.explainInJapanese', 'ja'], ['llmJp.explainInEnglish', 'en']] as const) {
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand(command);
      const question = api.chat.entries.at(-2);
      const answer = api.chat.entries.at(-1);
      assert.equal(question?.kind, 'user');
      assert.equal(answer?.kind === 'assistant' && answer.answer, GREETING_ANSWER, 'the answer streamed into the panel');
      const text = question?.kind === 'user' ? question.text : '';
      assert.match(text, language === 'ja' ? /^選択したコードを日本語で説明してください。/ : /^Explain the selected code in English/);
      assert.deepEqual(question?.kind === 'user' && question.attachments?.map((a) => [a.kind, a.label, a.content]), [
        ['selection', 'explain.ts:1-3', DOC_TARGET.replace('文書化テスト', 'note').trimEnd()],
      ]);
      assert.deepEqual(api.chat.lastRequest?.context?.map((c) => c.label), ['Selected code from explain.ts:1-3 (typescript):']);
    }
  });

  it('offer the selection as a chip in the chat, and send no chip the user dropped', async () => {
    const posted: ExtensionToPanel[] = [];
    const subscription = api.chat.onDidPost((message) => posted.push(message));
    const offered = () => posted.flatMap((m) => (m.type === 'context' ? [m.chips] : [])).at(-1)?.find((c) => c.implicit);
    try {
      const editor = await openWith('offered.ts', 'const offered = 1;\nconst other = 2;\n');
      editor.selection = new vscode.Selection(0, 0, 0, 18);
      const chip = await until(() => offered()?.label === 'offered.ts:1' && offered(), 'the selection offered as a chip');
      assert.equal(chip.kind, 'selection');
      await api.chat.receive({ type: 'send', text: 'これは何？' });
      assert.deepEqual(api.chat.lastRequest?.context?.map((c) => c.text), ['const offered = 1;']);
      assert.equal(offered(), undefined, 'a sent selection is not offered again');

      editor.selection = new vscode.Selection(1, 0, 1, 16);
      const second = await until(() => offered()?.label === 'offered.ts:2' && offered(), 'the new selection offered');
      await api.chat.receive({ type: 'detach', id: second.id });
      assert.equal(offered(), undefined, 'the dropped chip is gone');
      await api.chat.receive({ type: 'send', text: 'それは？' });
      assert.deepEqual(api.chat.lastRequest?.context, []);
    } finally {
      subscription.dispose();
    }
  });

  it('explain step by step with more reasoning', async () => {
    const editor = await openWith('explain.ts', DOC_TARGET.replace('文書化テスト', 'note'));
    editor.selection = new vscode.Selection(0, 0, 2, 1);
    await vscode.commands.executeCommand('llmJp.explainStepByStep');
    assert.equal(api.chat.lastRequest?.reasoningEffort, 'high');
  });

  it('offer Explain, Write Doc Comment and Translate Comments on a selection, and Explain This Problem on a diagnostic', async () => {
    const editor = await openWith('actions.ts', DOC_TARGET.replace('文書化テスト', 'note'));
    const range = new vscode.Range(0, 0, 2, 1);
    editor.selection = new vscode.Selection(range.start, range.end);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, range);
    const titles = actions.map((a) => a.title);
    for (const title of ['LLM-jp: Explain', 'LLM-jp: Write Doc Comment', 'LLM-jp: Translate Comments']) assert.ok(titles.includes(title), titles.join(', '));
    const explain = actions.find((a) => a.title === 'LLM-jp: Explain')!;
    await vscode.commands.executeCommand(explain.command!.command, ...(explain.command!.arguments ?? []));
    assert.equal(api.chat.entries.at(-1)?.kind, 'assistant');

    const diagnostics = vscode.languages.createDiagnosticCollection('llmjp-editor-test');
    try {
      const problem = new vscode.Diagnostic(new vscode.Range(1, 9, 1, 19), "Cannot find name 'Mathh'.", vscode.DiagnosticSeverity.Error);
      problem.source = 'ts';
      diagnostics.set(editor.document.uri, [problem]);
      const fixes = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', editor.document.uri, problem.range);
      const action = fixes.find((a) => a.title === 'LLM-jp: Explain This Problem');
      assert.ok(action, fixes.map((a) => a.title).join(', '));
      await vscode.commands.executeCommand(action.command!.command, ...(action.command!.arguments ?? []));
      const question = api.chat.entries.at(-2);
      assert.ok(question?.kind === 'user' && question.text.includes("Cannot find name 'Mathh'."), JSON.stringify(question));
      assert.ok(api.chat.lastRequest?.context?.some((c) => c.text.includes("actions.ts:2:10 error Cannot find name 'Mathh'. (ts)")));
    } finally {
      diagnostics.dispose();
    }
  });

  it('write a doc comment above the function when accepted, and change nothing when rejected', async () => {
    for (const choice of ['llmJp.discardProposal', 'llmJp.applyProposal']) {
      const editor = await openWith('docTarget.ts', DOC_TARGET);
      editor.selection = new vscode.Selection(0, 0, 3, 0);
      const running = vscode.commands.executeCommand('llmJp.writeDocComment');
      await until(proposalTab, 'the proposed change as a diff', 60_000);
      await vscode.commands.executeCommand(choice);
      assert.equal(await running, choice === 'llmJp.applyProposal' ? 'applied' : 'discarded');
      assert.equal(editor.document.getText(), choice === 'llmJp.applyProposal' ? DOC_RESULT : DOC_TARGET);
      if (choice === 'llmJp.applyProposal') {
        // One undo step takes it back.
        await vscode.window.showTextDocument(editor.document);
        await vscode.commands.executeCommand('undo');
        assert.equal(editor.document.getText(), DOC_TARGET);
      }
    }
  });

  it('translate only the comments, and refuse a translation that changes code', async () => {
    const editor = await openWith('comments.ts', TRANSLATE_TARGET);
    editor.selection = new vscode.Selection(0, 0, 0, 0); // no selection: the whole file
    const running = vscode.commands.executeCommand('llmJp.translateComments');
    await until(proposalTab, 'the translated comments as a diff', 60_000);
    await vscode.commands.executeCommand('llmJp.applyProposal');
    assert.equal(await running, 'applied');
    assert.equal(editor.document.getText(), TRANSLATE_RESULT);

    const broken = await openWith('breaks.ts', BREAKS_TARGET);
    broken.selection = new vscode.Selection(0, 0, 0, 0);
    assert.equal(await vscode.commands.executeCommand('llmJp.translateComments'), 'refused');
    assert.equal(proposalTab(), undefined, 'no diff was offered');
    assert.equal(broken.document.getText(), BREAKS_TARGET);
    assert.equal(await fs.readFile(broken.document.uri.fsPath, 'utf8'), BREAKS_TARGET);
  });
});
