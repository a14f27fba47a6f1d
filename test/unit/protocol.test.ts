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
    const strings = { inputPlaceholder: '質問…', send: '送信', emptyTranscript: '', stop: '停止', thinking: '考え中…', reasoning: '推論', copy: 'コピー', copied: 'コピーしました', insertAtCursor: 'カーソル位置に挿入' };
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
    assert.deepEqual(parseExtensionMessage({ type: 'turnStarted', turnId: 't1' }), { type: 'turnStarted', turnId: 't1' });
    for (const part of ['reasoning', 'answer'] as const) {
      assert.deepEqual(parseExtensionMessage({ type: 'turnDelta', turnId: 't1', part, text: '考え' }), {
        type: 'turnDelta',
        turnId: 't1',
        part,
        text: '考え',
      });
    }
    assert.deepEqual(parseExtensionMessage({ type: 'turnEnded', turnId: 't1', reason: 'return' }), {
      type: 'turnEnded',
      turnId: 't1',
      reason: 'return',
    });
    assert.deepEqual(parseExtensionMessage({ type: 'turnEnded', turnId: 't1', reason: 'error', error: '停止しました' }), {
      type: 'turnEnded',
      turnId: 't1',
      reason: 'error',
      error: '停止しました',
    });
    assert.deepEqual(parsePanelMessage({ type: 'stop' }), { type: 'stop' });
    assert.deepEqual(parsePanelMessage({ type: 'newChat', x: 1 }), { type: 'newChat' });
    assert.deepEqual(
      parseExtensionMessage({ type: 'turnEnded', turnId: 't', reason: 'return', reasoningSummary: '4.2 秒考えました', stats: '41 tokens/s' }),
      { type: 'turnEnded', turnId: 't', reason: 'return', reasoningSummary: '4.2 秒考えました', stats: '41 tokens/s' },
    );
    const entries = [
      { kind: 'user', text: '質問' },
      { kind: 'assistant', reasoning: '考え', answer: '答え', stopReason: 'return' },
      { kind: 'notice', text: 'お知らせ' },
    ];
    assert.deepEqual(parseExtensionMessage({ type: 'restore', entries }), { type: 'restore', entries });
    assert.deepEqual(parsePanelMessage({ type: 'copyCode', text: 'npm test' }), { type: 'copyCode', text: 'npm test' });
    assert.deepEqual(parsePanelMessage({ type: 'insertCode', text: 'x', extra: 1 }), { type: 'insertCode', text: 'x' });
    assert.deepEqual(parsePanelMessage({ type: 'openLink', href: 'https://llm-jp.nii.ac.jp/' }), {
      type: 'openLink',
      href: 'https://llm-jp.nii.ac.jp/',
    });
    assert.equal(parsePanelMessage({ type: 'copyCode' }), undefined);
    assert.equal(parsePanelMessage({ type: 'openLink', href: 'x'.repeat(9000) }), undefined);
  });

  it('rejects malformed extension messages', () => {
    for (const bad of [
      undefined,
      { type: 'init', language: 'ja' },
      { type: 'init', language: 'ja', strings: { send: 'x' } },
      { type: 'appendMessage', role: 'system', text: 'x' },
      { type: 'appendMessage', role: 'user' },
      { type: 'ping', id: '../x', text: '' },
      { type: 'turnDelta', turnId: 't1', part: 'analysis', text: 'x' },
      { type: 'turnDelta', turnId: 't1', part: 'answer' },
      { type: 'turnEnded', turnId: 't1' },
      { type: 'turnEnded', turnId: 't1', reason: 'error', error: 5 },
      { type: 'turnEnded', turnId: 't1', reason: 'return', stats: {} },
      { type: 'restore', entries: [{ kind: 'user' }] },
      { type: 'restore', entries: 'x' },
    ]) {
      assert.equal(parseExtensionMessage(bad), undefined, JSON.stringify(bad));
    }
  });
});
