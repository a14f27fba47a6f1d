// Code review comments in a real VS Code: a staged change in a real git repository, reviewed by
// the scripted reviewer (test/e2e/models.mjs), which reports four findings: one on the right
// lines with a suggestion, one on the wrong lines (its quote is three lines below), one quoting
// code the file does not hold, one on a file outside the review. Only the first two become
// threads, each on the lines that hold its quote; Apply suggestion stages the change and Accept
// writes it; an edit above a thread moves it; Explain more answers in the thread; Dismiss ends it.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { GitApi, GitRepository } from '../../../src/vscode/scm/gitApi';
import type { ReviewOutcome } from '../../../src/vscode/review/reviewRun';
import type { OpenFinding } from '../../../src/vscode/review/reviewThreads';
import { CPU_SETTINGS, e2eModel, resetSettings, setSettings, until, workspaceRoot } from './support';
import { REVIEW_BEFORE, REVIEW_EXPLANATION, REVIEW_FILE, REVIEW_MESSAGES, REVIEW_REPLACEMENT, REVIEW_SUMMARY } from '../scriptTexts';

const extensionId = 'llm-jp-vscode.llm-jp-vscode';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8' });
}

/** A comment's markdown, the spaces that appendText writes as &nbsp; read back as spaces. */
function commentText(comment: vscode.Comment): string {
  return (typeof comment.body === 'string' ? comment.body : comment.body.value).replace(/&nbsp;/g, ' ');
}

describe('code review comments', function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let repository: GitRepository;
  const config = (section = 'llmJp') => vscode.workspace.getConfiguration(section);
  const root = () => path.join(workspaceRoot(), 'repositories', 'review');
  const file = () => path.join(root(), 'calc.ts');
  const finding = (message: string): OpenFinding => {
    const found = api.review.findings().find((f) => f.record.message === message);
    assert.ok(found, `no finding "${message}" among ${JSON.stringify(api.review.findings().map((f) => f.record.message))}`);
    return found;
  };
  const lineOf = (document: vscode.TextDocument, text: string): number => {
    for (let line = 0; line < document.lineCount; line++) if (document.lineAt(line).text === text) return line;
    assert.fail(`no line "${text}"`);
  };

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(extensionId)!.activate();
    await setSettings({ ...CPU_SETTINGS, modelPath: e2eModel('review') });
    await config('llmJp.review').update('language', 'ja', vscode.ConfigurationTarget.Global);
    rmSync(root(), { recursive: true, force: true });
    mkdirSync(root(), { recursive: true });
    git(root(), 'init', '-q', '-b', 'main');
    git(root(), 'config', 'user.name', 'テスト太郎');
    git(root(), 'config', 'user.email', 'taro@example.com');
    writeFileSync(file(), REVIEW_BEFORE);
    git(root(), 'add', '-A');
    git(root(), 'commit', '-q', '-m', 'Initial commit');
    writeFileSync(file(), REVIEW_FILE);
    git(root(), 'add', '-A');
    const gitApi = (await vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git')!.activate()).getAPI(1);
    const uri = vscode.Uri.file(root());
    await gitApi.openRepository?.(uri);
    repository = await until(() => gitApi.getRepository(uri) ?? undefined, 'the Git extension to open the repository');
  });

  after(async () => {
    await vscode.commands.executeCommand('llmJp.review.dismissAll');
    await resetSettings(['modelPath', 'contextSize', 'threads', 'gpu']);
    await config('llmJp.review').update('language', undefined, vscode.ConfigurationTarget.Global);
  });

  it('shows the findings of a staged change as Japanese threads on the lines that hold their quotes, and drops the rest', async () => {
    const outcome = await vscode.commands.executeCommand<ReviewOutcome>('llmJp.reviewStaged', repository.rootUri);
    assert.equal(outcome.findings, 2, JSON.stringify({ outcome, summary: api.chat.entries.at(-1) }));
    assert.equal(outcome.refused, 2, 'the finding quoting code the file lacks, and the one on a file outside the review');
    assert.equal(outcome.stopReason, 'return');
    const threads = api.review.findings();
    assert.deepEqual(threads.map((f) => f.record.message), [REVIEW_MESSAGES.zero, REVIEW_MESSAGES.empty]);
    const zero = finding(REVIEW_MESSAGES.zero);
    assert.equal(zero.thread.uri.fsPath, file());
    assert.deepEqual([zero.thread.range?.start.line, zero.thread.range?.end.line], [1, 1], 'the lines it named');
    assert.equal(zero.thread.label, 'Warning · 1 of 2');
    assert.match(commentText(zero.thread.comments[0]), /b が 0 のときに Infinity になります。/);
    assert.match(commentText(zero.thread.comments[0]), /throw new Error\('ゼロでは割れません'\)/, 'the suggestion is shown');
    assert.match(zero.thread.contextValue ?? '', /\bhasSuggestion\b/);
    const empty = finding(REVIEW_MESSAGES.empty);
    // It named line 6; its quote is on line 9: the thread is there, not where the model said.
    assert.deepEqual([empty.thread.range?.start.line, empty.thread.range?.end.line], [8, 8]);
    assert.equal(empty.thread.label, 'Suggestion · 2 of 2');
    assert.match(empty.thread.contextValue ?? '', /\bhasNoSuggestion\b/);
    assert.ok(!api.review.findings().some((f) => /掛け算|別のファイル/.test(f.record.message)), 'no thread for the dropped findings');
    // The summary is a chat conversation of its own.
    const last = api.chat.entries.at(-1);
    assert.equal(last?.kind, 'assistant');
    assert.ok(last?.kind === 'assistant' && last.answer.includes(REVIEW_SUMMARY), JSON.stringify(last));
    assert.ok(last?.kind === 'assistant' && last.answer.includes('2 findings'), 'the counts head the summary');
  });

  it('applies a suggestion only once its diff is accepted, and resolves its thread', async () => {
    const zero = finding(REVIEW_MESSAGES.zero);
    const id = await vscode.commands.executeCommand<string>('llmJp.review.applySuggestion', zero.thread);
    assert.ok(id, 'a proposal was staged');
    await until(
      () => vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'llmjp-staged'),
      'the diff of the suggestion',
    );
    assert.equal(readFileSync(file(), 'utf8'), REVIEW_FILE, 'nothing is written before Accept');
    const staged = api.staging.get(id);
    assert.ok(staged);
    const accepted = await vscode.commands.executeCommand<{ applied: unknown[] }>('llmJp.acceptStagedEdit', api.staging.virtualUri(staged));
    assert.equal(accepted?.applied.length, 1, JSON.stringify(accepted));
    assert.equal(readFileSync(file(), 'utf8'), REVIEW_FILE.replace('  const result = a / b;', REVIEW_REPLACEMENT));
    await until(() => api.review.findings().length === 1, 'the applied finding to be resolved');
    const empty = finding(REVIEW_MESSAGES.empty);
    assert.equal(empty.thread.label, 'Suggestion · 1 of 1');
    // The suggestion added a line above the other thread: it moved with its code.
    const document = await vscode.workspace.openTextDocument(file());
    assert.equal(empty.thread.range?.start.line, lineOf(document, '  return total / values.length;'));
  });

  it('moves a thread with an edit above it', async () => {
    const document = await vscode.workspace.openTextDocument(file());
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(0, 0), '// 追加した行 1\n// 追加した行 2\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const empty = finding(REVIEW_MESSAGES.empty);
    const expected = lineOf(document, '  return total / values.length;');
    await until(() => empty.thread.range?.start.line === expected, `the thread to move to line ${expected}`);
    assert.equal(empty.record.startLine, expected, 'the stored lines move too');
  });

  it('explains a finding in its thread', async () => {
    await config().update('modelPath', e2eModel('reviewExplain'), vscode.ConfigurationTarget.Global);
    const empty = finding(REVIEW_MESSAGES.empty);
    await vscode.commands.executeCommand('llmJp.review.explainMore', empty.thread);
    assert.equal(empty.thread.comments.length, 2);
    assert.equal(commentText(empty.thread.comments[1]), REVIEW_EXPLANATION);
    assert.ok(!commentText(empty.thread.comments[1]).includes('詳しく説明します'), 'no reasoning in the explanation');
    assert.match(empty.thread.contextValue ?? '', /\bidle\b/);
  });

  it('replaces the findings of a file reviewed again, drops a thread whose lines become other code, and dismisses', async () => {
    await config().update('modelPath', e2eModel('review'), vscode.ConfigurationTarget.Global);
    // The file as first reviewed, so that the scripted reviewer's reports are answered as before.
    const document = await vscode.workspace.openTextDocument(file());
    const reset = new vscode.WorkspaceEdit();
    reset.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), REVIEW_FILE);
    assert.ok(await vscode.workspace.applyEdit(reset));
    await document.save();
    const before = finding(REVIEW_MESSAGES.empty).record.id;
    const outcome = await vscode.commands.executeCommand<ReviewOutcome>('llmJp.reviewStaged', repository.rootUri);
    assert.equal(outcome.findings, 2);
    assert.deepEqual(api.review.findings().map((f) => f.record.message), [REVIEW_MESSAGES.zero, REVIEW_MESSAGES.empty], 'the earlier finding is replaced, not doubled');
    assert.notEqual(finding(REVIEW_MESSAGES.empty).record.id, before);
    // The empty-array line rewritten: the code the finding was about is gone, and so is its thread.
    const line = lineOf(document, '  return total / values.length;');
    const rewrite = new vscode.WorkspaceEdit();
    rewrite.replace(document.uri, new vscode.Range(line, 0, line + 1, 0), '  return values.length === 0 ? 0 : total / values.length;\n');
    assert.ok(await vscode.workspace.applyEdit(rewrite));
    await until(() => api.review.findings().length === 1, 'the rewritten finding to go');
    await vscode.commands.executeCommand('llmJp.review.dismiss', finding(REVIEW_MESSAGES.zero).thread);
    assert.equal(api.review.findings().length, 0);
    await document.save();
  });
});
