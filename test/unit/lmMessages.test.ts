// vscode.lm requests in the chat format's terms: text, an assistant's tool calls, their results
// matched by call id (one without its call read as user text, which the 4.0 template requires),
// system text first; a caller's tool as a function spec; a message's text for counting.
import * as assert from 'node:assert/strict';
import { renderChat } from '../../src/core/harmony';
import { lmChatMessages, lmMessageText, lmToolSpec } from '../../src/core/lm/lmMessages';

describe('language-model messages', () => {
  it('map text, tool calls and tool results to the chat format, results after their calls', () => {
    const messages = lmChatMessages([
      { role: 'system', parts: [{ kind: 'text', text: 'Be brief.' }] },
      { role: 'user', parts: [{ kind: 'text', text: 'READMEを読んで' }] },
      { role: 'assistant', parts: [{ kind: 'toolCall', callId: 'c1', name: 'read_file', input: { path: 'README.md' } }] },
      { role: 'user', parts: [{ kind: 'toolResult', callId: 'c1', text: '# README' }, { kind: 'toolResult', callId: 'unknown', text: 'orphan' }, { kind: 'text', text: 'それで？' }] },
    ]);
    assert.deepEqual(messages, [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'READMEを読んで' },
      { role: 'assistant', tool_calls: [{ id: 'c1', type: 'function', function: { name: 'read_file', arguments: { path: 'README.md' } } }] },
      { role: 'tool', tool_call_id: 'c1', name: 'read_file', content: '# README' },
      { role: 'user', content: 'orphan\n\nそれで？' },
    ]);
    // The 4.0 format renders them: the call, then its result under the tool's name.
    const rendered = renderChat(undefined, messages, { dialect: 'llm-jp-4.0', currentDate: '2026-12-01' });
    assert.match(rendered, /<\|start\|>assistant to=functions\.read_file<\|channel\|>commentary json<\|message\|>\{"path": "README\.md"\}<\|call\|>/);
    assert.match(rendered, /<\|start\|>functions\.read_file to=assistant<\|channel\|>commentary<\|message\|>"# README"<\|end\|>/);
  });

  it('offer a caller\'s tool as a function (an empty object schema when it gives none), and count a message by its text', () => {
    assert.deepEqual(lmToolSpec({ name: 'search', description: 'Search', inputSchema: { type: 'object', properties: { q: { type: 'string' } } } }), {
      type: 'function', function: { name: 'search', description: 'Search', parameters: { type: 'object', properties: { q: { type: 'string' } } } },
    });
    assert.deepEqual(lmToolSpec({ name: 'now', description: 'The time' }).function.parameters, { type: 'object', properties: {} });
    assert.equal(lmMessageText({ role: 'assistant', parts: [{ kind: 'text', text: 'a' }, { kind: 'toolCall', callId: 'x', name: 'f', input: { k: 1 } }] }), 'a\nf {"k":1}');
  });
});
