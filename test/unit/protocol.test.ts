import * as assert from 'node:assert/strict';
import { MAX_MESSAGE_TEXT, parseExtensionMessage, parsePanelMessage } from '../../src/core/protocol';

describe('panel protocol', () => {
  it('accepts each well-formed panel message and copies only known fields', () => {
    assert.deepEqual(parsePanelMessage({ type: 'ready', extra: 1 }), { type: 'ready' });
    assert.deepEqual(parsePanelMessage({ type: 'send', text: '東京の天気は？', html: '<b>' }), {
      type: 'send',
      text: '東京の天気は？',
    });
    assert.deepEqual(parsePanelMessage({ type: 'pong', id: 'a-1_B', text: 'こんにちは' }), {
      type: 'pong',
      id: 'a-1_B',
      text: 'こんにちは',
    });
  });

  it('rejects malformed panel messages', () => {
    for (const bad of [
      null,
      'ready',
      [],
      {},
      { type: 'unknown' },
      { type: 'send' },
      { type: 'send', text: 42 },
      { type: 'send', text: '   \n' },
      { type: 'send', text: 'x'.repeat(MAX_MESSAGE_TEXT + 1) },
      { type: 'pong', id: 'has space', text: '' },
      { type: 'pong', id: '', text: '' },
      { type: 'pong', id: 'x'.repeat(65), text: '' },
    ]) {
      assert.equal(parsePanelMessage(bad), undefined, JSON.stringify(bad)?.slice(0, 80));
    }
  });

  it('accepts each well-formed extension message', () => {
    const strings = { inputPlaceholder: '質問…', send: '送信', emptyTranscript: '' };
    assert.deepEqual(parseExtensionMessage({ type: 'init', language: 'ja', strings }), {
      type: 'init',
      language: 'ja',
      strings,
    });
    for (const role of ['user', 'assistant', 'notice'] as const) {
      assert.deepEqual(parseExtensionMessage({ type: 'appendMessage', role, text: 'テキスト' }), {
        type: 'appendMessage',
        role,
        text: 'テキスト',
      });
    }
    assert.deepEqual(parseExtensionMessage({ type: 'ping', id: 'x', text: '' }), { type: 'ping', id: 'x', text: '' });
  });

  it('rejects malformed extension messages', () => {
    for (const bad of [
      undefined,
      { type: 'init', language: 'ja' },
      { type: 'init', language: 'ja', strings: { send: 'x' } },
      { type: 'appendMessage', role: 'system', text: 'x' },
      { type: 'appendMessage', role: 'user' },
      { type: 'ping', id: '../x', text: '' },
    ]) {
      assert.equal(parseExtensionMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
