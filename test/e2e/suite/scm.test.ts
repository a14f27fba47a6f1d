// Commit messages and commit summaries in a real VS Code, on real git repositories made in the
// workspace with the git CLI, through VS Code's own Git extension, with the scripted commit
// model: a word in the diff picks its answer (test/e2e/models.mjs).
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../../src/extension';
import type { GitApi, GitRepository } from '../../../src/vscode/scm/gitApi';
import type { CommitMessageResult } from '../../../src/vscode/scm/commitMessage';
import { CPU_SETTINGS, e2eModel, resetSettings, setSettings, until, workspaceRoot } from './support';
import { COMMIT_DEFAULT, COMMIT_EN, COMMIT_JA, COMMIT_WORDS } from '../scriptTexts';

const extensionId = 'llm-jp-vscode.llm-jp-vscode';

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

/** A new repository under the workspace with one commit of `files`. */
function makeRepository(name: string, files: Record<string, string>): string {
  const root = path.join(workspaceRoot(), 'repositories', name);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  git(root, 'init', '-q', '-b', 'main');
  git(root, 'config', 'user.name', 'テスト太郎');
  git(root, 'config', 'user.email', 'taro@example.com');
  write(root, files);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'Initial commit');
  return root;
}

function write(root: string, files: Record<string, string>): void {
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
}

const taxFile = (word: string): string => `// ${word} 税率\nexport const RATE = 1.1;\nexport const withTax = (price: number): number => Math.round(price * RATE);\n`;

describe('commit messages and summaries', function () {
  this.timeout(180_000);
  let api: ExtensionApi;
  let gitApi: GitApi;
  const config = (section = 'llmJp') => vscode.workspace.getConfiguration(section);

  async function openRepository(root: string): Promise<GitRepository> {
    const uri = vscode.Uri.file(root);
    await gitApi.openRepository?.(uri);
    return until(() => gitApi.getRepository(uri) ?? undefined, `the Git extension to open ${root}`);
  }

  /** The last question and its answer (a notice, such as a shortened attachment, may come between). */
  function lastTurn() {
    const entries = api.chat.entries;
    const at = entries.map((e) => e.kind).lastIndexOf('user');
    return { question: entries[at], answer: entries.at(-1) };
  }

  function writeMessage(repository: GitRepository): Thenable<CommitMessageResult> {
    return vscode.commands.executeCommand<CommitMessageResult>('llmJp.writeCommitMessage', repository.rootUri);
  }

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(extensionId)!.activate();
    const gitExtension = vscode.extensions.getExtension<{ getAPI(version: 1): GitApi }>('vscode.git');
    assert.ok(gitExtension, "code-server ships VS Code's Git extension");
    gitApi = (await gitExtension.activate()).getAPI(1);
    await setSettings({ ...CPU_SETTINGS, modelPath: e2eModel('commit') });
  });

  after(async () => {
    await resetSettings(['modelPath', 'contextSize', 'threads', 'gpu']);
    await config('llmJp.commitMessage').update('language', undefined, vscode.ConfigurationTarget.Global);
  });

  let japanese: GitRepository;
  let english: GitRepository;

  it('writes a Japanese message from the staged changes: no reasoning, preamble or fence, and the typed hint replaced', async () => {
    await config('llmJp.commitMessage').update('language', 'ja', vscode.ConfigurationTarget.Global);
    const root = makeRepository('ja', { 'src/tax.ts': 'export const withTax = (price: number): number => price;\n', 'README.md': '# 税\n' });
    write(root, { 'src/tax.ts': taxFile(COMMIT_WORDS.ja), 'notes.txt': 'ステージしていないメモ\n' });
    git(root, 'add', 'src/tax.ts');
    japanese = await openRepository(root);
    japanese.inputBox.value = 'RATE の件';
    const result = await writeMessage(japanese);
    assert.equal(result.outcome, 'written', JSON.stringify(result));
    assert.equal(result.source, 'staged');
    assert.deepEqual(result.leftOut, []);
    assert.equal(japanese.inputBox.value, COMMIT_JA);
  });

  it('writes an English message', async () => {
    await config('llmJp.commitMessage').update('language', 'en', vscode.ConfigurationTarget.Global);
    const root = makeRepository('en', { 'src/tax.ts': 'export const withTax = (price: number): number => price;\n' });
    write(root, { 'src/tax.ts': taxFile(COMMIT_WORDS.en) });
    git(root, 'add', '-A');
    english = await openRepository(root);
    const result = await writeMessage(english);
    assert.equal(result.outcome, 'written', JSON.stringify(result));
    assert.equal(english.inputBox.value, COMMIT_EN);
  });

  it('gives two repositories of one workspace each their own message, written at the same time', async () => {
    japanese.inputBox.value = '';
    english.inputBox.value = '';
    const [ja, en] = await Promise.all([writeMessage(japanese), writeMessage(english)]);
    assert.equal(ja.outcome, 'written');
    assert.equal(en.outcome, 'written');
    assert.equal(japanese.inputBox.value, COMMIT_JA);
    assert.equal(english.inputBox.value, COMMIT_EN);
  });

  it('with nothing staged, describes all changes including untracked files, and says so', async () => {
    const root = makeRepository('unstaged', { 'app.ts': 'console.log(1);\n' });
    write(root, { 'app.ts': 'console.log(2);\n', 'src/new-helper.ts': taxFile(COMMIT_WORDS.en), 'logo.png': '\u0089PNG\r\n\u001a\n\u0000\u0000\u0000' });
    const repository = await openRepository(root);
    const result = await writeMessage(repository);
    assert.equal(result.outcome, 'written', JSON.stringify(result));
    assert.equal(result.source, 'all');
    // The untracked file's word picked the English answer: its text reached the model.
    assert.equal(repository.inputBox.value, COMMIT_EN);
    assert.deepEqual(result.leftOut, [{ path: 'logo.png', reason: 'binary' }]);
  });

  it('Stop in the middle of the stream puts back exactly what the user had typed', async () => {
    await config().update('modelPath', e2eModel('tame'), vscode.ConfigurationTarget.Global);
    try {
      const hint = 'WIP: 途中のメモ\n\n  末尾の空白も残す  ';
      japanese.inputBox.value = hint;
      const running = writeMessage(japanese);
      await until(() => japanese.inputBox.value !== hint, 'the message to start streaming into the box', 60_000);
      await vscode.commands.executeCommand('llmJp.stopCommitMessage', japanese.rootUri);
      const result = await running;
      assert.equal(result.outcome, 'cancelled', JSON.stringify(result));
      assert.equal(japanese.inputBox.value, hint);
    } finally {
      await config().update('modelPath', e2eModel('commit'), vscode.ConfigurationTarget.Global);
    }
  });

  it('writes a message for a 20,000-line diff with a lockfile: pieces summarized, the lockfile named', async () => {
    const root = makeRepository('large', { 'README.md': '# large\n' });
    // 18,000 lines of lockfile (left out) and 2,000 short lines of code, more than one prompt holds:
    // the scripted model's small vocabulary spends about one token per character.
    const lock = { name: 'large', lockfileVersion: 3, packages: Object.fromEntries(Array.from({ length: 4_500 }, (_, i) => [`node_modules/pkg-${i}`, { version: `1.0.${i}`, integrity: `sha512-${i}` }])) };
    const files: Record<string, string> = { 'package-lock.json': JSON.stringify(lock, null, 2) + '\n' };
    for (let f = 0; f < 4; f++) files[`src/m${f}.ts`] = Array.from({ length: 500 }, (_, i) => `x${i} = ${f};`).join('\n') + '\n';
    write(root, files);
    git(root, 'add', '-A');
    const added = git(root, 'diff', '--cached', '--numstat').trim().split('\n').reduce((sum, line) => sum + Number(line.split('\t')[0]), 0);
    assert.ok(added >= 20_000, `the staged diff adds ${added} lines`);
    const repository = await openRepository(root);
    const result = await writeMessage(repository);
    assert.equal(result.outcome, 'written', JSON.stringify(result));
    assert.equal(result.summarized, true, 'the code does not fit one prompt of an 8,192-token context');
    assert.deepEqual(result.leftOut, [{ path: 'package-lock.json', reason: 'lockfile' }]);
    assert.equal(repository.inputBox.value, COMMIT_DEFAULT);
  });

  it('summarizes the last commits as release notes in the chat panel', async () => {
    const root = japanese.rootUri.fsPath;
    git(root, 'commit', '-q', '-m', 'feat: 税込み価格の計算を追加');
    await vscode.commands.executeCommand('llmJp.summarizeCommits', japanese.rootUri, { last: 2 });
    const { question, answer } = lastTurn();
    assert.equal(question?.kind, 'user');
    const attachments = question?.kind === 'user' ? (question.attachments ?? []) : [];
    const text = attachments.map((a) => a.content).join('\n');
    assert.match(text, /feat: 税込み価格の計算を追加/);
    assert.match(text, /Initial commit/);
    assert.match(text, new RegExp(COMMIT_WORDS.ja), 'the patch is attached');
    assert.ok(answer?.kind === 'assistant' && answer.answer.includes(COMMIT_JA), 'the model answered in the panel');
  });

  it('explains one commit in the chat panel', async () => {
    const root = english.rootUri.fsPath;
    git(root, 'commit', '-q', '-m', 'Add a tax helper');
    const hash = git(root, 'rev-parse', 'HEAD').trim();
    await vscode.commands.executeCommand('llmJp.explainCommit', english.rootUri, hash);
    const { question, answer } = lastTurn();
    const attachments = question?.kind === 'user' ? (question.attachments ?? []) : [];
    assert.match(attachments.map((a) => a.content).join('\n'), /Add a tax helper[\s\S]*コミット英語テスト/);
    assert.ok(answer?.kind === 'assistant' && answer.answer === COMMIT_EN, `answer: ${answer?.kind === 'assistant' ? answer.answer : '-'}`);
  });
});
