// Tool-driven edits in a real VS Code with scripted models: the model reads a file and proposes a
// replacement; the proposal is a diff and a card; Accept writes it (one undo step, CRLF kept),
// Reject leaves the file byte-identical; a path outside the workspace is refused on its card; a
// rename goes through the TypeScript language server into two files. (This file runs after the
// chat suite, files running in name order: the TypeScript server it starts would add problems of
// its own to the chat suite's files.)
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { TranscriptEntry } from '../../../src/core/chat/conversation';
import type { ProposalCard, ToolCard } from '../../../src/core/protocol';
import type { ExtensionApi } from '../../../src/extension';
import { CPU_SETTINGS, e2eModel, resetSettings, setSettings, until, workspaceRoot } from './support';
import { AGENT_ANSWER, AGENT_FILE, AGENT_RESULT, OUTSIDE_ANSWER, RENAME_ANSWER } from '../scriptTexts';

const extensionId = 'llm-jp-vscode.llm-jp-vscode';

type Assistant = Extract<TranscriptEntry, { kind: 'assistant' }>;

function lastAnswer(api: ExtensionApi): Assistant {
  const entry = api.chat.entries.at(-1);
  assert.equal(entry?.kind, 'assistant');
  return entry as Assistant;
}

function card(entry: Assistant, name: string): ToolCard {
  const found = entry.tools?.find((c) => c.name === name);
  assert.ok(found, `no ${name} card in ${JSON.stringify(entry.tools)}`);
  return found;
}

function stagedDiffOpen(): boolean {
  return vscode.window.tabGroups.all.flatMap((g) => g.tabs).some((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'llmjp-staged');
}

describe('tool-driven edits', function () {
  this.timeout(120_000);
  let api: ExtensionApi;
  const config = () => vscode.workspace.getConfiguration('llmJp');
  const file = () => path.join(workspaceRoot(), 'calc.ts');

  async function ask(model: string, question: string): Promise<Assistant> {
    await config().update('modelPath', e2eModel(model), vscode.ConfigurationTarget.Global);
    await api.chat.receive({ type: 'newChat' });
    await api.chat.receive({ type: 'send', text: question });
    return lastAnswer(api);
  }

  before(async () => {
    api = await vscode.extensions.getExtension<ExtensionApi>(extensionId)!.activate();
    await setSettings({ ...CPU_SETTINGS });
  });

  after(async () => {
    await resetSettings(['modelPath', 'contextSize', 'threads', 'gpu']);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    // The suites after this one see the workspace as it was.
    await fs.rm(file(), { force: true });
    await fs.rm(path.join(workspaceRoot(), 'agent'), { recursive: true, force: true });
  });

  beforeEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fs.writeFile(file(), AGENT_FILE);
  });

  it('reads, proposes a replacement as a diff, and writes it on Accept: one undo step, CRLF kept', async () => {
    const answer = await ask('agentEdit', 'divide にゼロ除算の確認を追加して');
    assert.equal(answer.answer, AGENT_ANSWER, JSON.stringify(answer));
    assert.equal(card(answer, 'read_file').status, 'done');
    const replace = card(answer, 'replace_in_file');
    assert.equal(replace.status, 'done', replace.result);
    const [proposal] = replace.proposals ?? [];
    assert.deepEqual({ ...proposal, id: undefined }, { id: undefined, path: 'calc.ts', added: 1, removed: 0, created: false, state: 'pending' } satisfies Omit<ProposalCard, 'id'> & { id: undefined });
    assert.ok(stagedDiffOpen(), 'the proposal is shown in a diff editor');
    assert.equal(await fs.readFile(file(), 'utf8'), AGENT_FILE, 'nothing is written before Accept');

    await api.chat.receive({ type: 'decideProposal', id: proposal.id, decision: 'accept' });
    assert.equal(await fs.readFile(file(), 'utf8'), AGENT_RESULT);
    await until(() => !stagedDiffOpen(), 'the diff to close');
    const accepted = card(lastAnswer(api), 'replace_in_file').proposals?.[0];
    assert.equal(accepted?.state, 'accepted', 'the card says so');

    const document = await vscode.workspace.openTextDocument(file());
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('undo');
    assert.equal(document.getText(), AGENT_FILE, 'one undo takes the whole change back');
    await document.save();
  });

  it('leaves the file byte-identical on Reject', async () => {
    const before = await fs.readFile(file());
    const answer = await ask('agentEdit', 'divide にゼロ除算の確認を追加して');
    const [proposal] = card(answer, 'replace_in_file').proposals ?? [];
    assert.ok(proposal);
    await api.chat.receive({ type: 'decideProposal', id: proposal.id, decision: 'reject' });
    assert.deepEqual(await fs.readFile(file()), before);
    await until(() => !stagedDiffOpen(), 'the diff to close');
    assert.equal(card(lastAnswer(api), 'replace_in_file').proposals?.[0].state, 'rejected');
    assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.fsPath === file() && d.isDirty), 'no unsaved change is left behind');
  });

  it('refuses a change to a file that changed after the model proposed it', async () => {
    const answer = await ask('agentEdit', 'divide にゼロ除算の確認を追加して');
    const [proposal] = card(answer, 'replace_in_file').proposals ?? [];
    const edited = AGENT_FILE.replace('divide', 'divideNumbers');
    const document = await vscode.workspace.openTextDocument(file());
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(0, 0, document.lineCount, 0), edited);
    await vscode.workspace.applyEdit(edit);
    await document.save();
    await api.chat.receive({ type: 'decideProposal', id: proposal.id, decision: 'accept' });
    assert.equal(await fs.readFile(file(), 'utf8'), edited, 'the user\'s change stays, the proposal is not applied');
    assert.equal(card(lastAnswer(api), 'replace_in_file').proposals?.[0].state, 'stale');
  });

  it('creates a new file, in a new folder, only on Accept', async () => {
    const created = path.join(workspaceRoot(), 'notes', 'new.md');
    await fs.rm(path.dirname(created), { recursive: true, force: true });
    const answer = await ask('agentCreate', 'メモのファイルを作って');
    const create = card(answer, 'create_file');
    assert.equal(create.status, 'done', create.result);
    const [proposal] = create.proposals ?? [];
    assert.equal(proposal?.created, true);
    assert.equal(await fs.stat(created).then(() => true, () => false), false, 'nothing exists before Accept');
    await api.chat.receive({ type: 'decideProposal', id: proposal.id, decision: 'accept' });
    assert.equal(await fs.readFile(created, 'utf8'), '# メモ\n\n新しいファイルです。\n');
    await fs.rm(path.dirname(created), { recursive: true, force: true });
  });

  it('refuses a path outside the workspace and shows the refusal on the card', async () => {
    const answer = await ask('agentOutside', '/etc/passwd を読んで');
    const read = card(answer, 'read_file');
    assert.equal(read.status, 'failed');
    assert.match(read.result ?? '', /outside the workspace|ワークスペースの外/);
    assert.equal(answer.answer, OUTSIDE_ANSWER);
  });

  it('renames a TypeScript function and its caller in two files through the language server, after Accept All', async () => {
    const root = path.join(workspaceRoot(), 'agent');
    await fs.mkdir(root, { recursive: true });
    const math = path.join(root, 'math.ts');
    const shop = path.join(root, 'shop.ts');
    await fs.writeFile(path.join(root, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, module: 'commonjs', target: 'es2022' }, include: ['*.ts'] }));
    await fs.writeFile(math, 'export function addTax(price: number): number {\n  return price * 1.1;\n}\n');
    await fs.writeFile(shop, "import { addTax } from './math';\n\nexport const total = addTax(100);\n");
    // The TypeScript server starts with the first open file: wait until it answers renames.
    const document = await vscode.workspace.openTextDocument(math);
    await vscode.window.showTextDocument(document);
    await vscode.workspace.openTextDocument(shop);
    await until(async () => {
      const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit | undefined>('vscode.executeDocumentRenameProvider', document.uri, new vscode.Position(0, 17), 'probe');
      return (edit?.entries().length ?? 0) >= 2;
    }, 'the TypeScript server to answer a rename across both files', 60_000);

    const answer = await ask('agentRename', 'addTax を withTax に改名して');
    const rename = card(answer, 'rename_symbol');
    assert.equal(rename.status, 'done', rename.result);
    assert.deepEqual(rename.proposals?.map((p) => p.path).sort(), ['agent/math.ts', 'agent/shop.ts']);
    assert.equal(answer.answer, RENAME_ANSWER);
    await api.chat.receive({ type: 'decideAllProposals', decision: 'accept' });
    assert.equal(await fs.readFile(math, 'utf8'), 'export function withTax(price: number): number {\n  return price * 1.1;\n}\n');
    assert.equal(await fs.readFile(shop, 'utf8'), "import { withTax } from './math';\n\nexport const total = withTax(100);\n");
  });
});
