// Inline chat in a real VS Code with the scripted inline model: "Ask LLM-jp here" opens a comment
// thread at the selection; a question and a follow-up are answered in it (earlier answers, never
// reasoning, reach the next prompt); Apply as edit stages a diff that, accepted, changes only the
// thread's lines; an explanation offers no Apply; Close leaves the document as it was, the user's
// unsaved edits included; Stop aborts the answer. The thread's buttons are driven through the
// very commands the comment menus run.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { InlineThreadView } from '../../../src/vscode/inline/inlineThread';
import { CPU_SETTINGS, e2eModel, resetSettings, setSettings, until, workspaceRoot } from './support';
import { INLINE_CODE_ANSWER, INLINE_EXPLAIN, INLINE_FILE, INLINE_FOLLOW_UP, INLINE_REASONING, INLINE_WORDS } from '../scriptTexts';

const extensionId = 'llm-jp-vscode.llm-jp-vscode';

/** INLINE_FILE with lines 2-4 replaced by the answer's code. */
const INLINE_RESULT = 'export function total(items: number[]): number {\n  return items.reduce((sum, item) => sum + item, 0);\n}\n';

const CHANGE_QUESTION = `${INLINE_WORDS.change} この部分を短くして`;
const FOLLOW_UP_QUESTION = `${INLINE_WORDS.followUp} reduceの動きを教えて`;

function bodies(view: InlineThreadView): string[] {
  return view.thread.comments.map((c) => (typeof c.body === 'string' ? c.body : c.body.value));
}

function stagedDiffOpen(): boolean {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'llmjp-staged');
}

function lines(view: InlineThreadView): [number, number] {
  const range = view.thread.range;
  assert.ok(range, 'the thread has a range');
  return [range.start.line, range.end.line];
}

describe('inline chat', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  const config = () => vscode.workspace.getConfiguration('llmJp');
  const file = () => path.join(workspaceRoot(), 'inline.ts');

  async function editor(): Promise<vscode.TextEditor> {
    await fs.writeFile(file(), INLINE_FILE);
    const document = await vscode.workspace.openTextDocument(file());
    if (document.getText() !== INLINE_FILE) await vscode.commands.executeCommand('workbench.action.files.revert', document.uri);
    return vscode.window.showTextDocument(document);
  }

  /** Selects `selection` and runs Ask LLM-jp Here, as the palette and the editor menu do. */
  async function openThread(textEditor: vscode.TextEditor, selection: vscode.Selection): Promise<InlineThreadView> {
    textEditor.selection = selection;
    const before = new Set(api.inline.threads());
    await vscode.commands.executeCommand('llmJp.inline.ask');
    const view = api.inline.threads().find((t) => !before.has(t));
    assert.ok(view, 'a thread opened');
    return view;
  }

  /** What the reply box's button (or Ctrl+Enter) does; resolves when the answer has ended. */
  async function submit(view: InlineThreadView, text: string): Promise<void> {
    await vscode.commands.executeCommand('llmJp.inline.submit', { thread: view.thread, text } satisfies vscode.CommentReply);
    await view.whenIdle();
  }

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(extensionId)!.activate();
    await setSettings({ ...CPU_SETTINGS, modelPath: e2eModel('inline'), answerLanguage: 'ja' });
  });

  after(async () => {
    for (const view of api.inline.threads()) await vscode.commands.executeCommand('llmJp.inline.close', view.thread);
    await resetSettings(['modelPath', 'contextSize', 'threads', 'gpu', 'answerLanguage', 'maxTokens']);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fs.rm(file(), { force: true });
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('answers a question and a follow-up in a thread at the selection; the follow-up reads the first answer, not its reasoning', async () => {
    const view = await openThread(await editor(), new vscode.Selection(1, 0, 4, 0));
    assert.deepEqual(lines(view), [1, 3], 'the thread sits at the selected lines');
    assert.equal(view.thread.canReply, true);
    assert.equal(view.thread.collapsibleState, vscode.CommentThreadCollapsibleState.Expanded);
    assert.deepEqual(bodies(view), [], 'an empty thread: VS Code shows and focuses its reply box');

    await submit(view, CHANGE_QUESTION);
    assert.deepEqual(bodies(view), [CHANGE_QUESTION, INLINE_CODE_ANSWER]);
    const first = view.entries.at(-1);
    assert.equal(first?.kind === 'assistant' && first.reasoning, INLINE_REASONING, 'the model reasoned first (not shown in the thread)');
    assert.deepEqual(view.lastRequest?.context, [{ label: 'Selected code from inline.ts:2-4 (typescript):', text: '  let sum = 0;\n  for (const item of items) sum += item;\n  return sum;\n' }]);
    assert.match(view.lastRequest?.messages[0].content ?? '', /コードブロック 1 つ/, 'the inline instructions lead the prompt');
    assert.equal(view.thread.contextValue, 'llmJpInline ready answered canApply');
    // Apply, then Reject from the thread: the diff goes, the file is untouched.
    const rejected = await vscode.commands.executeCommand<string | undefined>('llmJp.inline.apply', view.thread);
    assert.ok(rejected && stagedDiffOpen());
    await vscode.commands.executeCommand('llmJp.inline.rejectEdit', view.thread);
    assert.equal(api.staging.get(rejected)?.state, 'rejected');
    assert.equal(view.thread.contextValue, 'llmJpInline ready answered canApply', 'Apply is offered again');
    await until(() => !stagedDiffOpen(), 'the diff to close');
    assert.equal(await fs.readFile(file(), 'utf8'), INLINE_FILE);

    await submit(view, FOLLOW_UP_QUESTION);
    assert.deepEqual(bodies(view), [CHANGE_QUESTION, INLINE_CODE_ANSWER, FOLLOW_UP_QUESTION, INLINE_FOLLOW_UP]);
    const messages = view.lastRequest?.messages ?? [];
    assert.ok(messages.some((m) => m.role === 'assistant' && m.content === INLINE_CODE_ANSWER), 'the first answer is in the follow-up\'s prompt');
    assert.ok(!JSON.stringify(messages).includes(INLINE_REASONING), 'its reasoning is not');
    assert.ok(messages.some((m) => m.role === 'user' && m.content?.includes('let sum = 0;')), 'the selection is replayed with the first question');
    assert.equal(view.thread.contextValue, 'llmJpInline ready answered', 'the explanation that ends the thread offers no Apply');

    // Open in panel: the same conversation continues in the side-bar chat, with no new request.
    const requests = view.lastRequest;
    await vscode.commands.executeCommand('llmJp.inline.openInPanel', view.thread);
    assert.equal(api.chat.conversationId, view.conversationId);
    assert.deepEqual(api.chat.entries, view.entries);
    assert.equal(view.lastRequest, requests);
    assert.ok(!api.inline.threads().includes(view), 'the thread handed its conversation over and closed');
  });

  it('Apply as edit stages a diff of the thread\'s lines; accepting it changes only those lines, and the thread follows edits', async () => {
    const textEditor = await editor();
    const view = await openThread(textEditor, new vscode.Selection(1, 2, 3, 13));
    await submit(view, CHANGE_QUESTION);
    const id = await vscode.commands.executeCommand<string | undefined>('llmJp.inline.apply', view.thread);
    assert.ok(id, 'a proposal was staged');
    assert.ok(stagedDiffOpen(), 'the proposal is shown in a diff editor (llmjp-staged)');
    assert.equal(api.staging.get(id)?.proposed, INLINE_RESULT);
    assert.equal(view.thread.contextValue, 'llmJpInline ready answered proposed', 'Accept and Reject in the thread while the edit waits');
    assert.equal(await fs.readFile(file(), 'utf8'), INLINE_FILE, 'nothing is written before Accept');

    const outcome = await api.staging.accept([id]);
    assert.equal(outcome.applied.length, 1, JSON.stringify(outcome));
    assert.equal(await fs.readFile(file(), 'utf8'), INLINE_RESULT, 'only the thread\'s lines changed');
    assert.deepEqual(lines(view), [1, 1], 'the thread now covers the replacement');
    assert.equal(view.thread.contextValue, 'llmJpInline ready answered canApply');
    await until(() => !stagedDiffOpen(), 'the diff to close');

    const edit = new vscode.WorkspaceEdit();
    edit.insert(textEditor.document.uri, new vscode.Position(0, 0), '// 1\n// 2\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.deepEqual(lines(view), [3, 3], 'two lines inserted above move the thread down by two');
    await vscode.commands.executeCommand('workbench.action.files.revert', textEditor.document.uri);
    await vscode.commands.executeCommand('llmJp.inline.close', view.thread);
  });

  it('offers no Apply for an explanation, and Close leaves the document and the user\'s unsaved edits as they were', async () => {
    const textEditor = await editor();
    const view = await openThread(textEditor, new vscode.Selection(1, 2, 1, 14));
    assert.deepEqual(lines(view), [1, 1]);
    await submit(view, 'この行は何をしていますか');
    assert.deepEqual(bodies(view), ['この行は何をしていますか', INLINE_EXPLAIN]);
    assert.equal(view.thread.contextValue, 'llmJpInline ready answered', 'no canApply: the Apply button is not shown');
    assert.equal(await vscode.commands.executeCommand('llmJp.inline.apply', view.thread), undefined);
    assert.ok(!stagedDiffOpen() && api.staging.pendingFor(textEditor.document.uri) === undefined, 'nothing was staged');

    // The user's own edit, unsaved, inside the thread's line.
    assert.ok(await textEditor.edit((b) => b.insert(new vscode.Position(1, 14), ' // 自分のメモ')));
    const text = textEditor.document.getText();
    await vscode.commands.executeCommand('llmJp.inline.close', view.thread);
    assert.ok(!api.inline.threads().includes(view), 'the thread is gone');
    assert.equal(textEditor.document.getText(), text, 'the document is as the user left it');
    assert.equal(textEditor.document.isDirty, true, 'their edit is still there, unsaved');
    assert.deepEqual(await fs.readFile(file()), Buffer.from(INLINE_FILE), 'the file on disk is byte-identical');
    await vscode.commands.executeCommand('workbench.action.files.revert', textEditor.document.uri);
  });

  it('Stop aborts a streaming answer; the thread keeps what came and takes questions again', async () => {
    await config().update('modelPath', e2eModel('tame'), vscode.ConfigurationTarget.Global);
    await config().update('maxTokens', 6000, vscode.ConfigurationTarget.Global);
    try {
      const view = await openThread(await editor(), new vscode.Selection(0, 0, 5, 0));
      const running = submit(view, '話して');
      await until(() => view.busy && view.thread.contextValue === 'llmJpInline streaming' && view.thread.canReply === false && 'streaming', 'the answer to start', 60_000);
      await until(() => bodies(view).length === 2 && !bodies(view)[1].startsWith('*'), 'answer text to stream into the thread', 60_000);
      await vscode.commands.executeCommand('llmJp.inline.stop', view.thread);
      await running;
      const last = view.entries.at(-1);
      assert.equal(last?.kind === 'assistant' && last.stopReason, 'cancelled', JSON.stringify(last?.kind === 'assistant' ? { ...last, answer: last.answer.length } : last));
      assert.equal(view.busy, false);
      assert.equal(view.thread.canReply, true, 'the reply box is back');
      assert.match(view.thread.contextValue ?? '', /\bready\b/);
      assert.equal(view.thread.comments.at(-1)?.label, 'Stopped');
      await vscode.commands.executeCommand('llmJp.inline.close', view.thread);
    } finally {
      await config().update('modelPath', e2eModel('inline'), vscode.ConfigurationTarget.Global);
      await config().update('maxTokens', undefined, vscode.ConfigurationTarget.Global);
    }
  });
});
