import * as assert from 'node:assert/strict';
import {
  attachmentHeading,
  cutNote,
  cutToBytes,
  formatProblems,
  inlineAttachments,
  selectionLabel,
  utf8Length,
  type Problem,
} from '../../src/core/chat/attachments';
import { panelEntries, parseConversations, type TranscriptEntry } from '../../src/core/chat/conversation';

describe('chat attachments', () => {
  it('label a selection by file and 1-based lines', () => {
    assert.equal(selectionLabel('app.ts', 10, 24), 'app.ts:10-24');
    assert.equal(selectionLabel('app.ts', 7, 7), 'app.ts:7');
  });

  it('tell the model where each attachment comes from and in which language', () => {
    assert.equal(
      attachmentHeading({ id: 'a', kind: 'selection', label: 'app.ts:1-2', detail: 'src/app.ts:1-2', content: '', languageId: 'typescript' }),
      'Selected code from src/app.ts:1-2 (typescript):',
    );
    assert.equal(attachmentHeading({ id: 'a', kind: 'file', label: 'app.ts', content: '' }), 'File app.ts:');
    assert.equal(
      attachmentHeading({ id: 'a', kind: 'problems', label: '問題 (2)', detail: 'src/app.ts', content: '' }),
      'Problems VS Code reports (path:line:column severity message):',
    );
  });

  it('write attachments under the question in fences no backtick run inside can close', () => {
    assert.equal(inlineAttachments('質問', undefined), '質問');
    assert.equal(inlineAttachments('質問', []), '質問');
    const text = inlineAttachments('これは？', [{ id: 'a', kind: 'file', label: 'x.md', content: 'a\n````\nb', languageId: 'markdown' }]);
    assert.equal(text, 'これは？\n\nFile x.md (markdown):\n`````\na\n````\nb\n`````');
  });

  it('list problems one a line as path:line:col severity message, errors first', () => {
    const problems: Problem[] = [
      { path: 'src/b.ts', line: 4, character: 0, severity: 'warning', message: "'x' is declared but never used.", source: 'ts', code: '6133' },
      { path: 'src/a.ts', line: 11, character: 4, severity: 'error', message: "Cannot find name 'y'.\n  Did you mean 'x'?", source: 'ts', code: '2304' },
      { path: 'src/a.ts', line: 2, character: 9, severity: 'error', message: '型が一致しません。' },
    ];
    assert.equal(
      formatProblems(problems),
      [
        'src/a.ts:3:10 error 型が一致しません。',
        "src/a.ts:12:5 error Cannot find name 'y'. Did you mean 'x'? (ts 2304)",
        "src/b.ts:5:1 warning 'x' is declared but never used. (ts 6133)",
      ].join('\n'),
    );
    assert.equal(formatProblems(problems, 1).split('\n').at(-1), '… 2 more');
  });

  it('cut a large file within a byte budget, at a line end, never inside a character', () => {
    assert.deepEqual(cutToBytes('short', 100), { text: 'short', cut: false });
    assert.equal(utf8Length('日本語'), 9);
    assert.equal(utf8Length('😀a'), 5);
    // 10 bytes: three Japanese characters (9 bytes) fit, the fourth does not.
    assert.deepEqual(cutToBytes('日本語です', 10), { text: '日本語', cut: true });
    assert.deepEqual(cutToBytes('😀😀', 5), { text: '😀', cut: true });
    const lines = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(3, '0')}`).join('\n');
    const { text, cut } = cutToBytes(lines, 500);
    assert.ok(cut);
    assert.ok(text.endsWith('\n') && utf8Length(text) <= 500 && utf8Length(text) > 450, JSON.stringify(text.slice(-20)));
    assert.equal(cutNote(2000, 500), '\n[… cut: the file has 2000 bytes; the first 500 are shown]');
  });

  it('go to the panel as chips only, and come back from storage whole', () => {
    const entries: TranscriptEntry[] = [
      { kind: 'user', text: 'q', attachments: [{ id: 'a', kind: 'file', label: 'x.ts', detail: 'src/x.ts', content: 'secret text', languageId: 'typescript' }] },
      {
        kind: 'assistant',
        reasoning: '',
        answer: 'a',
        stopReason: 'return',
        tools: [{ callId: 'k', name: 'read_file', arguments: '{}', status: 'done', result: 'sho…' }],
        toolCalls: [{ callId: 'k', name: 'read_file', arguments: '{}', result: 'short and full' }],
      },
    ];
    assert.deepEqual(panelEntries(entries), [
      { kind: 'user', text: 'q', attachments: [{ id: 'a', kind: 'file', label: 'x.ts', detail: 'src/x.ts', content: '' }] },
      { kind: 'assistant', reasoning: '', answer: 'a', stopReason: 'return', tools: [{ callId: 'k', name: 'read_file', arguments: '{}', status: 'done', result: 'sho…' }] },
    ]);
    const stored = JSON.parse(JSON.stringify([{ id: 'c', title: 'q', updatedAt: 1, entries }]));
    assert.deepEqual(parseConversations(stored), [{ id: 'c', title: 'q', updatedAt: 1, entries }]);
  });
});
