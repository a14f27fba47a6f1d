// A server backend plans long inputs with a token estimate (the OpenAI API cannot count): it
// must never fall short of what LLM-jp-4's own tokenizer counts, or a plan would overflow the
// server's context. Checked on this repository's own Japanese, English and code, whole and by line.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { estimateTokens } from '../../src/core/generation/tokenEstimate';
import { loadTokenizerFromModelFile } from '../../src/core/tokenizer/loadVocab';
import { SHARED_LLM_JP_4 } from '../fixtures/chat/reference';

const root = path.resolve(__dirname, '..', '..', '..');
const SAMPLES = ['README.md', 'l10n/bundle.l10n.ja.json', 'package.nls.ja.json', 'src/core/prompts/review.ts', 'src/core/harmony/render.ts', 'src/vscode/review/reviewThreads.ts'];

describe('token estimate for servers', () => {
  it('counts letters and spaces three to a token, and every other character one', () => {
    assert.equal(estimateTokens(''), 0);
    assert.equal(estimateTokens('abcd'), 2);
    assert.equal(estimateTokens('日本語'), 3);
    assert.equal(estimateTokens('x = 1;'), 1 + 3, 'x and two spaces, then = 1 ;');
    assert.equal(estimateTokens('😀'), 1, 'one character, whatever its UTF-16 length');
  });

  it("is never below LLM-jp-4's exact count, for whole files and for each line", function () {
    const modelFile = path.join(SHARED_LLM_JP_4, 'tokenizer-v4.0-alpha1.0.model');
    if (!existsSync(modelFile)) {
      console.log(`    (skipped: ${modelFile} is absent; ../shared holds LLM-jp-4's tokenizer, not in public clones)`);
      this.skip();
    }
    const tokenizer = loadTokenizerFromModelFile(modelFile);
    const exact = (text: string): number => tokenizer.encodeParts([{ kind: 'content', text }]).length;
    let lines = 0;
    for (const sample of SAMPLES) {
      const text = readFileSync(path.join(root, sample), 'utf8');
      assert.ok(estimateTokens(text) >= exact(text), `${sample}: estimate ${estimateTokens(text)} < exact ${exact(text)}`);
      for (const line of text.split('\n').filter((l) => l.trim() !== '')) {
        lines++;
        assert.ok(estimateTokens(line) >= exact(line), `${sample}: ${JSON.stringify(line)}: estimate ${estimateTokens(line)} < exact ${exact(line)}`);
      }
    }
    assert.ok(lines > 500, `${lines} lines checked`);
  });
});
