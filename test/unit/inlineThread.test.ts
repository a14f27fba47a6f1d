// An inline chat thread's bookkeeping: the selection goes with the first question only and is
// replayed in later prompts; earlier answers, never their reasoning, reach the next prompt; the
// flags that decide which thread actions show; the lines Apply as edit replaces.
import * as assert from 'node:assert/strict';
import type { Attachment, TranscriptEntry } from '../../src/core/chat/conversation';
import { inlinePrompt, linesText, proposedCode, selectedLines, threadFlags, withQuestion } from '../../src/core/chat/inlineThread';
import { replaceLines } from '../../src/core/edits/replaceLines';
import { chatInstructions } from '../../src/core/prompts/chat';
import { inlineInstructions } from '../../src/core/prompts/inlineChat';

const selection: Attachment = {
  id: 'a1',
  kind: 'selection',
  label: 'calc.ts:2-3',
  detail: 'src/calc.ts:2-3',
  content: '  let sum = 0;\n  for (const x of xs) sum += x;\n',
  languageId: 'typescript',
};

function answered(entries: readonly TranscriptEntry[], answer: string, reasoning = '', stopReason = 'return'): TranscriptEntry[] {
  return [...entries, { kind: 'assistant', reasoning, answer, stopReason }];
}

describe('inline chat thread', () => {
  it('attaches the selection to the first question only', () => {
    const first = withQuestion([], 'これは何？', selection);
    assert.deepEqual(first, [{ kind: 'user', text: 'これは何？', attachments: [selection] }]);
    const next = withQuestion(answered(first, '合計です。'), 'もっと短く', selection);
    assert.deepEqual(next.at(-1), { kind: 'user', text: 'もっと短く' });
  });

  it('sends the selection as context first, then replays it and the answer, without reasoning', () => {
    const first = withQuestion([], 'これは何？', selection);
    const prompt = inlinePrompt(first, 'ja');
    assert.deepEqual(prompt.messages[0], { role: 'system', content: inlineInstructions('ja') });
    assert.deepEqual(prompt.context, [{ label: 'Selected code from src/calc.ts:2-3 (typescript):', text: selection.content }]);

    const follow = withQuestion(answered(first, '合計を求めています。', '秘密の推論'), 'もっと短く', selection);
    const next = inlinePrompt(follow, 'ja');
    assert.deepEqual(next.context, []);
    const text = JSON.stringify(next.messages);
    assert.ok(text.includes('合計を求めています。'), 'the earlier answer is in the prompt');
    assert.ok(text.includes('let sum = 0;'), 'the selection is replayed');
    assert.ok(!text.includes('秘密の推論'), 'reasoning is not');
    assert.deepEqual(next.messages.map((m) => m.role), ['system', 'user', 'assistant', 'user']);
  });

  it('tells the model, in both languages, to give the whole replacement in one block', () => {
    assert.ok(inlineInstructions('ja').startsWith(chatInstructions('ja')));
    assert.match(inlineInstructions('ja'), /コードブロック 1 つ/);
    assert.match(inlineInstructions('en'), /single code block/);
  });

  it('offers Apply only for a latest answer with a complete code block', () => {
    const asked = withQuestion([], 'q', selection);
    assert.equal(threadFlags(asked, false), 'llmJpInline ready');
    assert.equal(threadFlags(asked, true), 'llmJpInline streaming');
    const code = answered(asked, '短くします。\n\n```ts\nconst s = xs.reduce((a, b) => a + b, 0);\n```');
    assert.equal(proposedCode(code), 'const s = xs.reduce((a, b) => a + b, 0);');
    assert.equal(threadFlags(code, false), 'llmJpInline ready answered canApply');
    assert.equal(threadFlags(code, true), 'llmJpInline streaming', 'nothing to apply while it streams');
    assert.equal(threadFlags(code, false, true), 'llmJpInline ready answered proposed', 'its edit waits in a diff: Accept / Reject');
    // Stopped after the block: still applicable (vscode #228030); stopped inside it: not.
    assert.equal(proposedCode(answered(asked, '```ts\nx();\n```\nそして', '', 'cancelled')), 'x();');
    assert.equal(proposedCode(answered(asked, '```ts\nx();\n', '', 'cancelled')), undefined);
    const explained = answered(withQuestion(code, 'なぜ？', selection), '速いからです。');
    assert.equal(proposedCode(explained), undefined, 'an explanation proposes nothing (vscode #200580)');
    assert.equal(threadFlags(explained, false), 'llmJpInline ready answered');
    assert.equal(proposedCode(withQuestion(code, 'q2', selection)), undefined, 'a question without its answer yet');
  });

  it('reads a selection ending at a line start as the lines above it', () => {
    assert.deepEqual(selectedLines({ line: 1, character: 0 }, { line: 3, character: 0 }), { startLine: 1, endLine: 2 });
    assert.deepEqual(selectedLines({ line: 1, character: 2 }, { line: 1, character: 5 }), { startLine: 1, endLine: 1 });
    assert.deepEqual(selectedLines({ line: 2, character: 0 }, { line: 2, character: 0 }), { startLine: 2, endLine: 2 });
  });

  it('replaces whole lines and nothing else, in the file\'s own line endings', () => {
    const text = 'a\r\nb\r\nc\r\nd\r\n';
    assert.equal(linesText(text, { startLine: 1, endLine: 2 }), 'b\r\nc\r\n');
    assert.equal(replaceLines(text, 1, 2, 'x\ny'), 'a\r\nx\r\ny\r\nd\r\n');
    assert.equal(replaceLines(text, 1, 2, 'x\n'), 'a\r\nx\r\nd\r\n');
    // The last line without a line break stays without one.
    assert.equal(replaceLines('a\nb', 1, 1, 'z'), 'a\nz');
    assert.equal(replaceLines('a\nb\n', 0, 0, 'q\nr'), 'q\nr\nb\n');
  });
});
