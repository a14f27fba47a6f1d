import * as assert from 'node:assert/strict';
import { parseConversations, titleOf, toChatMessages, upsertConversation, type Conversation, type TranscriptEntry } from '../../src/core/chat/conversation';

const entries: TranscriptEntry[] = [
  { kind: 'user', text: '  この関数は\n何をしますか？ ' },
  { kind: 'assistant', reasoning: '関数を読む。', answer: '配列を並べ替えます。', stopReason: 'return' },
  { kind: 'notice', text: '古いメッセージを省きました。' },
  { kind: 'user', text: 'もっと詳しく' },
  { kind: 'assistant', reasoning: '', answer: '', stopReason: 'cancelled' },
];

describe('conversations', () => {
  it('feed questions and answers back to the model, never reasoning, notices or empty answers', () => {
    assert.deepEqual(toChatMessages(entries), [
      { role: 'user', content: '  この関数は\n何をしますか？ ' },
      { role: 'assistant', content: '配列を並べ替えます。' },
      { role: 'user', content: 'もっと詳しく' },
    ]);
  });

  it('are titled by their first question, on one line and shortened', () => {
    assert.equal(titleOf(entries), 'この関数は 何をしますか？');
    const long = titleOf([{ kind: 'user', text: '日本語'.repeat(40) }]);
    assert.equal([...long].length, 60);
    assert.ok(long.endsWith('…'));
    assert.equal(titleOf([]), '');
  });

  it('keep the newest first within a limit, replacing an updated one', () => {
    const make = (id: string, updatedAt: number): Conversation => ({ id, title: id, updatedAt, entries: [] });
    let list: Conversation[] = [];
    for (let i = 0; i < 5; i++) list = upsertConversation(list, make(`c${i}`, i), 3);
    assert.deepEqual(list.map((c) => c.id), ['c4', 'c3', 'c2']);
    list = upsertConversation(list, make('c2', 10), 3);
    assert.deepEqual(list.map((c) => c.id), ['c2', 'c4', 'c3']);
  });

  it('read back from storage dropping anything malformed', () => {
    const good: Conversation = { id: 'a', title: 't', updatedAt: 1, entries };
    assert.deepEqual(parseConversations([good, { id: 'b' }, null, { ...good, id: 'c', entries: [{ kind: 'tool' }] }]), [good]);
    assert.deepEqual(parseConversations(undefined), []);
    assert.deepEqual(parseConversations({ a: 1 }), []);
  });
});
