import * as assert from 'node:assert/strict';
import { MAX_MESSAGE_TEXT, PANEL_STRING_KEYS, parseExtensionMessage, parsePanelMessage, type PanelStrings } from '../../src/core/protocol';

/** Every string the panel needs, each a distinct Japanese text. */
const STRINGS = Object.fromEntries(PANEL_STRING_KEYS.map((key, i) => [key, `文字列${i}`])) as unknown as PanelStrings;

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
    const strings = STRINGS;
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

  it('accepts the second-round panel messages, copying only known fields', () => {
    for (const type of ['regenerate', 'chooseModel'] as const) {
      assert.deepEqual(parsePanelMessage({ type, extra: true }), { type });
    }
    for (const kind of ['selection', 'file', 'problems'] as const) {
      assert.deepEqual(parsePanelMessage({ type: 'attach', kind, path: '/etc/passwd' }), { type: 'attach', kind });
    }
    assert.deepEqual(parsePanelMessage({ type: 'detach', id: 'chip-1' }), { type: 'detach', id: 'chip-1' });
    assert.deepEqual(parsePanelMessage({ type: 'applyCode', text: 'const x = 1;\n', language: 'typescript', file: 'x' }), {
      type: 'applyCode',
      text: 'const x = 1;\n',
      language: 'typescript',
    });
    assert.deepEqual(parsePanelMessage({ type: 'applyCode', text: 'x' }), { type: 'applyCode', text: 'x' });
    assert.deepEqual(parsePanelMessage({ type: 'applyCode', text: 'x', language: 'c++' }), { type: 'applyCode', text: 'x', language: 'c++' });
    assert.deepEqual(parsePanelMessage({ type: 'setModel', id: '/models/llm-jp-4-8b-thinking-Q4_K_M.gguf' }), {
      type: 'setModel',
      id: '/models/llm-jp-4-8b-thinking-Q4_K_M.gguf',
    });
    for (const effort of ['low', 'medium', 'high'] as const) {
      assert.deepEqual(parsePanelMessage({ type: 'setReasoningEffort', effort }), { type: 'setReasoningEffort', effort });
    }
    for (const language of ['auto', 'ja', 'en'] as const) {
      assert.deepEqual(parsePanelMessage({ type: 'setAnswerLanguage', language }), { type: 'setAnswerLanguage', language });
    }
  });

  it('rejects malformed second-round panel messages', () => {
    for (const bad of [
      { type: 'attach' },
      { type: 'attach', kind: 'terminal' },
      { type: 'detach', id: '../x' },
      { type: 'detach' },
      { type: 'applyCode', text: '' },
      { type: 'applyCode', text: 7 },
      { type: 'applyCode', text: 'x', language: '<script>' },
      { type: 'applyCode', text: 'x', language: 3 },
      { type: 'applyCode', text: 'x'.repeat(MAX_MESSAGE_TEXT + 1) },
      { type: 'setModel', id: '' },
      { type: 'setModel', id: 'x'.repeat(5000) },
      { type: 'setModel' },
      { type: 'setReasoningEffort', effort: 'extreme' },
      { type: 'setReasoningEffort' },
      { type: 'setAnswerLanguage', language: 'fr' },
    ]) {
      assert.equal(parsePanelMessage(bad), undefined, JSON.stringify(bad).slice(0, 80));
    }
  });

  it('accepts the second-round extension messages, copying only known fields', () => {
    const chip = { id: 'c1', kind: 'selection', label: 'app.ts:10-24', detail: 'src/app.ts:10-24' } as const;
    assert.deepEqual(parseExtensionMessage({ type: 'context', chips: [{ ...chip, content: 'secret' }] }), { type: 'context', chips: [chip] });
    assert.deepEqual(parseExtensionMessage({ type: 'context', chips: [] }), { type: 'context', chips: [] });
    assert.deepEqual(parseExtensionMessage({ type: 'appendMessage', role: 'user', text: '質問', chips: [chip] }), {
      type: 'appendMessage',
      role: 'user',
      text: '質問',
      chips: [chip],
    });
    const settings = {
      models: [
        { id: '/m/a.gguf', label: 'a.gguf', detail: '5.3 GB' },
        { id: '/m/b.gguf', label: 'b.gguf' },
      ],
      modelId: '/m/a.gguf',
      reasoningEffort: 'high',
      answerLanguage: 'ja',
      collapseReasoning: false,
    };
    assert.deepEqual(parseExtensionMessage({ type: 'settings', settings: { ...settings, secret: 1 } }), { type: 'settings', settings });
    const noModel = { reasoningEffort: 'high', answerLanguage: 'ja', collapseReasoning: false };
    assert.deepEqual(parseExtensionMessage({ type: 'settings', settings: { ...noModel, models: [] } }), {
      type: 'settings',
      settings: { ...noModel, models: [] },
    });
    const card = { callId: 'call-1', name: 'read_file', arguments: '{"path":"README.md"}', status: 'done', result: '# タイトル' };
    assert.deepEqual(parseExtensionMessage({ type: 'toolCard', turnId: 't1', card: { ...card, html: '<b>' } }), { type: 'toolCard', turnId: 't1', card });
    const running = { callId: 'call-2', name: 'list_files', arguments: '{}', status: 'running' };
    assert.deepEqual(parseExtensionMessage({ type: 'toolCard', turnId: 't1', card: running }), { type: 'toolCard', turnId: 't1', card: running });
  });

  it('rejects malformed second-round extension messages', () => {
    const chip = { id: 'c1', kind: 'file', label: 'app.ts' };
    const settings = { models: [{ id: '/m/a.gguf', label: 'a.gguf' }], reasoningEffort: 'low', answerLanguage: 'auto', collapseReasoning: true };
    const card = { callId: 'call-1', name: 'read_file', arguments: '{}', status: 'done' };
    for (const bad of [
      { type: 'init', language: 'ja', strings: { ...STRINGS, applyToFile: undefined } },
      { type: 'init', language: 'ja', strings: { ...STRINGS, regenerate: 5 } },
      { type: 'context' },
      { type: 'context', chips: [{ ...chip, id: 'has space' }] },
      { type: 'context', chips: [{ ...chip, kind: 'terminal' }] },
      { type: 'context', chips: [{ ...chip, label: 'x'.repeat(600) }] },
      { type: 'context', chips: [{ ...chip, detail: 3 }] },
      { type: 'context', chips: Array.from({ length: 201 }, (_, i) => ({ ...chip, id: `c${i}` })) },
      { type: 'appendMessage', role: 'user', text: 'x', chips: 'c1' },
      { type: 'settings' },
      { type: 'settings', settings: { ...settings, reasoningEffort: 'max' } },
      { type: 'settings', settings: { ...settings, answerLanguage: 'fr' } },
      { type: 'settings', settings: { ...settings, collapseReasoning: 'yes' } },
      { type: 'settings', settings: { ...settings, modelId: '/m/other.gguf' } },
      { type: 'settings', settings: { ...settings, models: [{ id: '', label: 'x' }] } },
      { type: 'settings', settings: { ...settings, models: [{ id: '/m/a.gguf' }] } },
      { type: 'toolCard', turnId: 't1' },
      { type: 'toolCard', turnId: 'bad id', card },
      { type: 'toolCard', turnId: 't1', card: { ...card, status: 'exploded' } },
      { type: 'toolCard', turnId: 't1', card: { ...card, name: 'read file' } },
      { type: 'toolCard', turnId: 't1', card: { ...card, callId: undefined } },
      { type: 'toolCard', turnId: 't1', card: { ...card, result: 'x'.repeat(10_000) } },
    ]) {
      assert.equal(parseExtensionMessage(bad), undefined, JSON.stringify(bad).slice(0, 120));
    }
  });

  it('restore carries chips and tool cards, and drops what it does not know', () => {
    const entries = [
      { kind: 'user', text: '説明して', attachments: [{ id: 'c1', kind: 'file', label: 'a.ts', content: 'const a = 1;', languageId: 'typescript', extra: 1 }] },
      {
        kind: 'assistant',
        reasoning: '',
        answer: '答え',
        stopReason: 'return',
        tools: [{ callId: 'k1', name: 'read_file', arguments: '{}', status: 'done', result: '…' }],
        toolCalls: [{ callId: 'k1', name: 'read_file', arguments: '{}', result: 'full', reasoning: '読む' }],
        html: '<img>',
      },
    ];
    const parsed = parseExtensionMessage({ type: 'restore', entries });
    assert.deepEqual(parsed, {
      type: 'restore',
      entries: [
        { kind: 'user', text: '説明して', attachments: [{ id: 'c1', kind: 'file', label: 'a.ts', content: 'const a = 1;', languageId: 'typescript' }] },
        {
          kind: 'assistant',
          reasoning: '',
          answer: '答え',
          stopReason: 'return',
          tools: [{ callId: 'k1', name: 'read_file', arguments: '{}', status: 'done', result: '…' }],
          toolCalls: [{ callId: 'k1', name: 'read_file', arguments: '{}', result: 'full', reasoning: '読む' }],
        },
      ],
    });
    for (const bad of [
      [{ kind: 'user', text: 'x', attachments: [{ id: 'c1', kind: 'file', label: 'a' }] }],
      [{ kind: 'user', text: 'x', attachments: 'a' }],
      [{ kind: 'assistant', reasoning: '', answer: '', stopReason: 'return', tools: [{ callId: 'k', name: 'x', arguments: '{}', status: 'odd' }] }],
      [{ kind: 'assistant', reasoning: '', answer: '', stopReason: 'return', toolCalls: [{ callId: 'k', name: 'x', arguments: '{}' }] }],
      [{ kind: 'assistant', reasoning: '', answer: '', stopReason: 'return', error: 1 }],
    ]) {
      assert.equal(parseExtensionMessage({ type: 'restore', entries: bad }), undefined, JSON.stringify(bad));
    }
  });
});
