// Every string the user sees exists in English and Japanese: the manifest's %keys% in both
// package.nls files, and every vscode.l10n.t() text of the extension in the Japanese bundle.
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');

function readJson(file: string): Record<string, string> {
  return JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, string>;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .map((file) => path.join(root, dir, file));
}

/** The literal first arguments of vscode.l10n.t(...) calls, unescaped as JavaScript reads them. */
function l10nTexts(source: string): string[] {
  const texts: string[] = [];
  for (const match of source.matchAll(/l10n\.t\(\s*('(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")/g)) {
    texts.push(new Function(`return ${match[1]};`)() as string);
  }
  // l10n.t({ message, comment }): the bundle's key is "message/comment".
  for (const match of source.matchAll(/l10n\.t\(\{\s*message:\s*('(?:\\.|[^'\\])*'),\s*comment:\s*\[('(?:\\.|[^'\\])*')\]\s*\}/g)) {
    texts.push(`${new Function(`return ${match[1]};`)() as string}/${new Function(`return ${match[2]};`)() as string}`);
  }
  return texts;
}

describe('localization', () => {
  it('has every manifest string in package.nls.json and package.nls.ja.json, and no stale ones', () => {
    const manifest = readFileSync(path.join(root, 'package.json'), 'utf8');
    const keys = new Set([...manifest.matchAll(/"%([\w.-]+)%"/g)].map((m) => m[1]));
    assert.ok(keys.size > 20, `only ${keys.size} manifest keys found`);
    for (const file of ['package.nls.json', 'package.nls.ja.json']) {
      const strings = readJson(file);
      assert.deepEqual([...keys].filter((key) => !(key in strings)), [], `missing in ${file}`);
      assert.deepEqual(Object.keys(strings).filter((key) => !keys.has(key)), [], `unused in ${file}`);
      for (const [key, text] of Object.entries(strings)) assert.ok(text.trim() !== '', `${file}: ${key} is empty`);
    }
  });

  it('translates every vscode.l10n.t text of the extension into Japanese, and keeps no stale ones', () => {
    const bundle = readJson('l10n/bundle.l10n.ja.json');
    const used = new Set(sourceFiles('src').flatMap((file) => l10nTexts(readFileSync(file, 'utf8'))));
    assert.ok(used.size > 50, `only ${used.size} l10n texts found`);
    assert.deepEqual([...used].filter((text) => !(text in bundle)), [], 'texts without a Japanese translation');
    assert.deepEqual(Object.keys(bundle).filter((text) => !used.has(text)), [], 'translations no code uses');
  });

  it('keeps placeholders the same in both languages', () => {
    const bundle = readJson('l10n/bundle.l10n.ja.json');
    const placeholders = (text: string): string[] => [...text.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
    for (const [english, japanese] of Object.entries(bundle)) {
      assert.deepEqual(placeholders(japanese), placeholders(english), `placeholders differ: ${english}`);
    }
  });
});
