// The model's workspace tools (src/vscode/tools) in a real VS Code: search_text on the ripgrep
// code-server ships, and get_diagnostics, find_references and rename_symbol answered by the
// built-in TypeScript extension, on a small project written into the workspace.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { checkedDiagnostics, diagnosticsText, findReferences, renameEdit } from '../../../src/vscode/tools/languageTools';
import { findRipgrep, searchText } from '../../../src/vscode/tools/ripgrep';
import { ToolFailure } from '../../../src/vscode/tools/toolFailure';
import { until, workspaceRoot } from './support';

const MARK = 'LANGTOOLS_MARK';
const GREET = `export function greetUser(name: string): string {\n  return \`Hello, \${name}! ${MARK}\`;\n}\n`;
const MAIN =
  "import { greetUser } from './greet';\n\n" +
  `const message: string = greetUser('world'); // ${MARK}\n` +
  "export const count: number = 'not a number';\n" +
  'console.log(message, count);\n';
const FILES: Record<string, string> = {
  'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, target: 'ES2022', module: 'commonjs', noEmit: true }, files: ['greet.ts', 'main.ts'] }, null, 2),
  'greet.ts': GREET,
  'main.ts': MAIN,
  '.gitignore': 'ignored.ts\n',
  'ignored.ts': `// ${MARK} in a file .gitignore names\n`,
  'searchExcluded/a.ts': `// ${MARK} in a folder search.exclude names\n`,
  'filesExcluded/a.ts': `// ${MARK} in a folder files.exclude names\n`,
  '.git/marker.txt': `${MARK} inside .git\n`,
};

async function rejectsWith(promise: Promise<unknown>, pattern: RegExp): Promise<ToolFailure> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof ToolFailure, `a ToolFailure, not ${String(error)}`);
    assert.match(error.text.en, pattern);
    assert.ok(error.text.ja.length > 0, 'a Japanese text too');
    return error;
  }
  assert.fail(`expected a ToolFailure matching ${pattern}`);
}

/** A document's text with the edit's changes to it, without applying anything. */
function applied(document: vscode.TextDocument, edits: readonly vscode.TextEdit[]): string {
  let text = document.getText();
  const ordered = [...edits].sort((a, b) => document.offsetAt(b.range.start) - document.offsetAt(a.range.start));
  for (const edit of ordered) {
    text = text.slice(0, document.offsetAt(edit.range.start)) + edit.newText + text.slice(document.offsetAt(edit.range.end));
  }
  return text;
}

describe('model tools: search, problems, references, rename', function () {
  this.timeout(240_000);
  let root: string;
  const uri = (name: string) => vscode.Uri.file(path.join(root, name));
  const settings: [string, string, unknown][] = [
    ['search', 'exclude', { '**/searchExcluded': true }],
    ['files', 'exclude', { '**/.git': true, '**/filesExcluded': true }],
    // Renaming an imported name from its declaration renames the imports too, without aliases.
    ['typescript', 'preferences.useAliasesForRenames', false],
  ];
  const excludes = settings.slice(0, 2);

  before(async () => {
    root = path.join(workspaceRoot(), 'langtools');
    for (const [name, text] of Object.entries(FILES)) {
      await fs.mkdir(path.dirname(path.join(root, name)), { recursive: true });
      await fs.writeFile(path.join(root, name), text);
    }
    const [section, key, value] = settings[2];
    await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
  });

  after(async () => {
    for (const [section, key] of settings) await vscode.workspace.getConfiguration(section).update(key, undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await fs.rm(root, { recursive: true, force: true });
  });

  it('find the ripgrep code-server ships', async () => {
    const rg = await findRipgrep();
    assert.ok(rg, `no rg under ${vscode.env.appRoot}`);
    assert.ok(rg.startsWith(vscode.env.appRoot), rg);
    assert.match(rg, /node_modules[\\/]@vscode[\\/]ripgrep-universal[\\/]bin[\\/]linux-x64[\\/]rg$/);
    assert.equal(await findRipgrep(path.join(root, 'no-such-app')), undefined);
  });

  it('search both files, honouring .gitignore, search.exclude and files.exclude, never .git', async () => {
    const before = await searchText({ query: MARK, regex: false, caseSensitive: true });
    assert.match(before, /langtools\/searchExcluded\/a\.ts:1:/, 'without the setting the folder is searched');
    assert.match(before, /langtools\/filesExcluded\/a\.ts:1:/);
    assert.doesNotMatch(before, /ignored\.ts|\.git\//);

    for (const [section, key, value] of excludes) await vscode.workspace.getConfiguration(section).update(key, value, vscode.ConfigurationTarget.Global);
    const after = await searchText({ query: MARK, regex: false, caseSensitive: true });
    assert.equal(
      after,
      [`langtools/greet.ts:2: return \`Hello, \${name}! ${MARK}\`;`, `langtools/main.ts:3: const message: string = greetUser('world'); // ${MARK}`].join('\n'),
    );
    // A glob narrows the search and still leaves .gitignored files out.
    assert.equal(await searchText({ query: MARK, regex: false, caseSensitive: true, glob: '*.ts' }), after);
    assert.equal(
      await searchText({ query: MARK, regex: false, caseSensitive: true, glob: 'langtools/main.*' }),
      `langtools/main.ts:3: const message: string = greetUser('world'); // ${MARK}`,
    );
    assert.match(await searchText({ query: MARK, regex: false, caseSensitive: true, glob: '*.md' }), /^No matches for "LANGTOOLS_MARK" in files matching \*\.md/);
  });

  it('search a regular expression or a literal, with or without case', async () => {
    const regex = await searchText({ query: 'greet[A-Z]\\w+\\(', regex: true, caseSensitive: true, glob: 'langtools/**' });
    assert.equal(regex, ['langtools/greet.ts:1: export function greetUser(name: string): string {', `langtools/main.ts:3: const message: string = greetUser('world'); // ${MARK}`].join('\n'));
    assert.match(await searchText({ query: 'greet[A-Z]\\w+\\(', regex: false, caseSensitive: true }), /^No matches for "greet\[A-Z\]\\w\+\\\(" in the workspace/);
    assert.match(await searchText({ query: 'greetuser(', regex: false, caseSensitive: false, glob: 'langtools/**' }), /^langtools\/greet\.ts:1: export function greetUser\(/);
    assert.match(await searchText({ query: 'greetuser(', regex: false, caseSensitive: true, glob: 'langtools/**' }), /^No matches/);
    // Look-around needs PCRE2, which rg picks by itself.
    assert.match(await searchText({ query: 'greet(?=User\\(name)', regex: true, caseSensitive: true }), /^langtools\/greet\.ts:1:/);
    await rejectsWith(searchText({ query: 'greet(', regex: true, caseSensitive: true }), /regular expression is not valid[^]*unclosed group/);
  });

  it('find the references in both files, waiting for the TypeScript server to start', async () => {
    const text = await findReferences(uri('greet.ts'), 1, 'greetUser', { waitMs: 60_000 });
    assert.equal(
      text,
      [
        '3 references to "greetUser" in 2 files:',
        'langtools/greet.ts:1: export function greetUser(name: string): string {',
        "langtools/main.ts:1: import { greetUser } from './greet';",
        `langtools/main.ts:3: const message: string = greetUser('world'); // ${MARK}`,
      ].join('\n'),
    );
    // The model miscounted by two lines: the symbol is still found.
    assert.equal(await findReferences(uri('main.ts'), 5, 'greetUser', { waitMs: 60_000 }), text);
    await rejectsWith(findReferences(uri('main.ts'), 3, 'farewell'), /^"farewell" is not on line 3 of langtools\/main\.ts, nor within 3 lines of it\.$/);
    await rejectsWith(findReferences(uri('main.ts'), 40, 'greetUser'), /^langtools\/main\.ts has 6 lines; there is no line 40\.$/);
    await rejectsWith(findReferences(vscode.Uri.file(path.join(path.dirname(workspaceRoot()), 'elsewhere.ts')), 1, 'x'), /not a file inside the open workspace folders/);
  });

  it('compute the rename of the function and its caller in two files, applying nothing', async () => {
    const { edit, files } = await renameEdit(uri('greet.ts'), 1, 'greetUser', 'welcomeUser', { waitMs: 60_000 });
    assert.deepEqual(
      files.map((f) => [path.relative(root, f.uri.fsPath), f.edits]),
      [
        ['greet.ts', 1],
        ['main.ts', 2],
      ],
    );
    const results: Record<string, string> = {};
    for (const [file, edits] of edit.entries()) results[path.relative(root, file.fsPath)] = applied(await vscode.workspace.openTextDocument(file), edits);
    assert.deepEqual(results, {
      'greet.ts': GREET.replace('greetUser', 'welcomeUser'),
      'main.ts': MAIN.replaceAll('greetUser', 'welcomeUser'),
    });
    // Nothing was applied: neither the documents nor the files changed.
    for (const name of ['greet.ts', 'main.ts']) {
      const document = await vscode.workspace.openTextDocument(uri(name));
      assert.equal(document.isDirty, false, name);
      assert.equal(document.getText(), FILES[name]);
      assert.equal(await fs.readFile(uri(name).fsPath, 'utf8'), FILES[name]);
    }
    await rejectsWith(renameEdit(uri('greet.ts'), 1, 'greetUser', 'two words'), /one word/);
    await rejectsWith(renameEdit(uri('greet.ts'), 1, 'greetUser', 'greetUser'), /already has that name/);
  });

  it('show the type error TypeScript reports', async () => {
    const main = uri('main.ts');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(main));
    await until(() => vscode.languages.getDiagnostics(main).some((d) => String(typeof d.code === 'object' ? d.code.value : d.code) === '2322'), 'the type error from TypeScript', 150_000);
    const expected = /^1 error in langtools\/main\.ts:\nlangtools\/main\.ts:4:14 error Type 'string' is not assignable to type 'number'\. \(ts 2322\)$/;
    assert.match(diagnosticsText(main), expected);
    assert.match(await checkedDiagnostics(main), expected);
    assert.match(diagnosticsText(), /langtools\/main\.ts:4:14 error Type 'string' is not assignable to type 'number'\. \(ts 2322\)/);
    assert.equal(diagnosticsText(uri('greet.ts')), 'No problems are reported for langtools/greet.ts.');
    assert.throws(() => diagnosticsText(vscode.Uri.file('/etc/hosts')), ToolFailure);
  });
});
