import * as assert from 'node:assert/strict';
import type { EngineEvent, GenerateRequest } from '../../src/core/generation/types';
import { attachContext } from '../../src/core/generation/fitPrompt';
import { chatCompletionBody } from '../../src/core/remote/chatRequest';
import { ChatStreamTranslator } from '../../src/core/remote/chatStream';
import { serverEndpoints } from '../../src/core/remote/endpoints';
import { httpError, networkError, retryDelayMs, serverErrorMessage } from '../../src/core/remote/serverErrors';
import { exchangeMessages } from '../../src/core/chat/chatMessages';

const SERVER = 'http://127.0.0.1:9';

function translate(chunks: readonly (Record<string, unknown> | string)[], end = true): EngineEvent[] {
  let t = 0;
  const translator = new ChatStreamTranslator({ now: () => (t += 10), startedAt: 0 });
  const events: EngineEvent[] = [];
  for (const chunk of chunks) events.push(...translator.push(typeof chunk === 'string' ? chunk : JSON.stringify(chunk)));
  if (end) events.push(...translator.finish(SERVER));
  return events;
}

const delta = (d: Record<string, unknown>, finish: string | null = null) => ({ choices: [{ index: 0, delta: d, finish_reason: finish }] });
const text = (events: readonly EngineEvent[], type: 'reasoning' | 'answer'): string =>
  events.filter((e): e is Extract<EngineEvent, { type: typeof type }> => e.type === type).map((e) => e.text).join('');
const calls = (events: readonly EngineEvent[]) => events.filter((e) => e.type === 'toolCall');
const lastEvent = (events: readonly EngineEvent[]) => events[events.length - 1];

describe('chatCompletionBody', () => {
  const request: GenerateRequest = {
    messages: [
      { role: 'system', content: 'Answer in Japanese.' },
      { role: 'user', content: 'What does this do?' },
      ...exchangeMessages({ callId: 'call_1', name: 'read_file', arguments: '{"path":"a.ts"}', result: 'export {}', reasoning: 'I should read it.' }),
      { role: 'assistant', content: 'It exports nothing.', thinking: 'private' },
      { role: 'user', content: 'And this?' },
    ],
    context: [{ label: 'Selection (b.ts)', text: 'const b = 1;' }],
    tools: [{ type: 'function', function: { name: 'read_file', parameters: { type: 'object' } } }],
    reasoningEffort: 'high',
    maxTokens: 77,
    sampling: { temperature: 0, seed: 5 },
  };
  const body = chatCompletionBody(request, 'llm-jp-4');

  it('streams with usage, bounded, with tools and the reasoning effort', () => {
    assert.equal(body.model, 'llm-jp-4');
    assert.equal(body.stream, true);
    assert.deepEqual(body.stream_options, { include_usage: true });
    assert.equal(body.max_tokens, 77);
    assert.equal(body.temperature, 0);
    assert.equal(body.top_p, 0.9);
    assert.equal(body.seed, 5);
    assert.equal(body.tool_choice, 'auto');
    assert.deepEqual(body.tools, request.tools);
    assert.equal(body.reasoning_effort, 'high');
    assert.deepEqual(body.chat_template_kwargs, { reasoning_effort: 'high' });
  });

  it('appends the attachments to the last user message as the local engine does', () => {
    const local = attachContext(request.messages, request.context!);
    assert.equal(body.messages[body.messages.length - 1].content, local[local.length - 1].content);
    assert.match(body.messages[body.messages.length - 1].content!, /^And this\?\n\nSelection \(b\.ts\)\n```+\nconst b = 1;\n```+$/);
  });

  it('sends tool calls with string arguments and their results, and never the reasoning', () => {
    const call = body.messages[2];
    assert.equal(call.role, 'assistant');
    assert.deepEqual(call.tool_calls, [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: '{"path":"a.ts"}' } }]);
    assert.deepEqual(body.messages[3], { role: 'tool', content: 'export {}', tool_call_id: 'call_1', name: 'read_file' });
    assert.doesNotMatch(JSON.stringify(body), /thinking|private|I should read it/);
  });

  it('leaves out tools and reasoning effort when the request has none', () => {
    const plain = chatCompletionBody({ messages: [{ role: 'user', content: 'hi' }] }, 'm');
    assert.equal('tools' in plain, false);
    assert.equal('tool_choice' in plain, false);
    assert.equal('reasoning_effort' in plain, false);
    assert.equal(plain.max_tokens, 4096);
  });
});

describe('ChatStreamTranslator', () => {
  it('reads reasoning from reasoning_content and reasoning deltas, apart from the answer', () => {
    const events = translate([
      delta({ role: 'assistant', content: null }),
      delta({ reasoning_content: '考え' }),
      delta({ reasoning: 'ます' }),
      delta({ content: 'こんにちは' }),
      delta({}, 'stop'),
      { choices: [], usage: { prompt_tokens: 12, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 4 } } },
      '[DONE]',
    ]);
    assert.equal(text(events, 'reasoning'), '考えます');
    assert.equal(text(events, 'answer'), 'こんにちは');
    const usage = events.find((e) => e.type === 'usage');
    assert.ok(usage?.type === 'usage');
    assert.deepEqual({ ...usage.usage, timeToFirstTokenMs: 0, tokensPerSecond: 0 }, {
      promptTokens: 12, reusedTokens: 4, evaluatedTokens: 8, generatedTokens: 5, timeToFirstTokenMs: 0, tokensPerSecond: 0,
    });
    assert.deepEqual(lastEvent(events), { type: 'done', reason: 'return' });
  });

  it('reads reasoning sent under both names at once (vLLM between the rename) once', () => {
    const events = translate([delta({ reasoning: '一度だけ', reasoning_content: '一度だけ' }), delta({ content: '答え' }, 'stop'), '[DONE]']);
    assert.equal(text(events, 'reasoning'), '一度だけ');
  });

  it('reads raw Harmony content, exact and in llama.cpp\'s spaced form, cut anywhere', () => {
    const exact = '<|channel|>analysis<|message|>考えます<|end|><|start|>assistant<|channel|>final<|message|>答えです<|return|>';
    const spaced = '<|channel|> analysis<|message|> 考えます<|end|><|start|> assistant<|channel|> final<|message|> 答えです<|return|>';
    for (const raw of [exact, spaced]) {
      for (let cut = 1; cut < raw.length; cut += 3) {
        const events = translate([delta({ content: raw.slice(0, cut) }), delta({ content: raw.slice(cut) }), delta({}, 'stop'), '[DONE]']);
        assert.equal(text(events, 'reasoning'), '考えます', `cut ${cut}`);
        assert.equal(text(events, 'answer'), '答えです', `cut ${cut}`);
        assert.deepEqual(lastEvent(events), { type: 'done', reason: 'return' });
      }
    }
  });

  it('reads a Harmony tool call in the content as a toolCall, with its arguments checked', () => {
    const raw = '<|channel|>analysis<|message|>読みます<|end|><|start|>assistant to=functions.read_file<|channel|>commentary json<|message|>{"path":"README.md"}<|call|>';
    const events = translate([delta({ content: raw }), delta({}, 'stop'), '[DONE]']);
    assert.deepEqual(calls(events), [{ type: 'toolCall', name: 'read_file', arguments: '{"path":"README.md"}', parsed: { path: 'README.md' } }]);
    assert.equal(text(events, 'answer'), '');
    assert.deepEqual(lastEvent(events), { type: 'done', reason: 'call' });
  });

  it('joins tool_calls deltas split across chunks, parallel calls by index, in index order', () => {
    const events = translate([
      delta({ tool_calls: [{ index: 1, id: 'b', type: 'function', function: { name: 'list_files', arguments: '' } }] }),
      delta({ tool_calls: [{ index: 0, id: 'a', type: 'function', function: { name: 'read_', arguments: '{"pa' } }] }),
      delta({ tool_calls: [{ index: 0, function: { name: 'file', arguments: 'th":"日' } }, { index: 1, function: { arguments: '{"glob":"*.ts"}' } }] }),
      delta({ tool_calls: [{ index: 0, function: { arguments: '本.md"}' } }] }),
      delta({}, 'tool_calls'),
      '[DONE]',
    ]);
    assert.deepEqual(calls(events), [
      { type: 'toolCall', name: 'read_file', arguments: '{"path":"日本.md"}', parsed: { path: '日本.md' } },
      { type: 'toolCall', name: 'list_files', arguments: '{"glob":"*.ts"}', parsed: { glob: '*.ts' } },
    ]);
    assert.deepEqual(lastEvent(events), { type: 'done', reason: 'call' });
  });

  it('marks invalid JSON arguments and says so in a notice, never passing them on silently', () => {
    const events = translate([delta({ tool_calls: [{ index: 0, function: { name: 'read_file', arguments: '{"path": README' } }] }, 'tool_calls'), '[DONE]']);
    const [call] = calls(events);
    assert.ok(call?.type === 'toolCall');
    assert.equal(call.parsed, undefined);
    assert.ok(call.parseError);
    const notice = events.find((e) => e.type === 'notice');
    assert.ok(notice?.type === 'notice');
    assert.equal(notice.code, 'tool-arguments-invalid');
    assert.match(notice.message.en, /read_file.*not valid JSON/);
    assert.match(notice.message.ja, /JSON ではありません/);
  });

  it('refuses arguments that are JSON but not an object', () => {
    const [call] = calls(translate([delta({ tool_calls: [{ index: 0, function: { name: 'f', arguments: '[1]' } }] }, 'tool_calls'), '[DONE]']));
    assert.ok(call?.type === 'toolCall');
    assert.equal(call.parseError, 'the arguments are not a JSON object');
  });

  it('maps finish reasons: length, and stop without [DONE]', () => {
    assert.deepEqual(lastEvent(translate([delta({ content: 'abc' }, 'length')])), { type: 'done', reason: 'length' });
    assert.deepEqual(lastEvent(translate([delta({ content: 'abc' }, 'stop')])), { type: 'done', reason: 'return' });
  });

  it('reports a stream cut mid-answer (no finish_reason, no [DONE]) as an error', () => {
    const events = translate([delta({ content: '途中で' })]);
    assert.equal(text(events, 'answer'), '途中で');
    const last = lastEvent(events);
    assert.ok(last.type === 'error');
    assert.equal(last.error.code, 'server-stream-interrupted');
    assert.match(last.error.message.en, /127\.0\.0\.1:9/);
  });

  it('reports data that is not JSON as malformed, and an error inside the stream with its message', () => {
    const bad = translate(['{"choices": [ oops'], false);
    assert.ok(bad[0].type === 'error' && bad[0].error.code === 'server-malformed');
    const failed = translate([delta({ content: 'a' }), { error: { message: 'Context size has been exceeded', code: 500 } }], false);
    const last = lastEvent(failed);
    assert.ok(last.type === 'error' && last.error.code === 'server-error');
    assert.match(last.error.message.en, /Context size has been exceeded/);
  });

  it('reads llama-server --skip-chat-parsing output: one delta per special token, spaced, the stop token left out', () => {
    // As llama-server (node-llama-cpp's release) streamed it for the scripted LLM-jp-4 model.
    const pieces = ['<|channel|>', ' analysis', '<|message|>', ' READMEを読んで確認します。', '<|end|>', '<|start|>', ' assistant', ' to=functions.read_file',
      '<|channel|>', ' commentary', ' json', '<|message|>', ' {"path":"README.md"}'];
    const events = translate([delta({ role: 'assistant', content: null }), ...pieces.map((content) => delta({ content })), delta({}, 'stop'), '[DONE]']);
    assert.equal(text(events, 'reasoning'), 'READMEを読んで確認します。');
    assert.deepEqual(calls(events), [{ type: 'toolCall', name: 'read_file', arguments: '{"path":"README.md"}', parsed: { path: 'README.md' } }]);
    assert.equal(events.some((e) => e.type === 'notice'), false);
    assert.deepEqual(lastEvent(events), { type: 'done', reason: 'call' });
  });

  it('says to use --skip-chat-parsing when llama-server\'s chat parser fails in the stream', () => {
    const events = translate([delta({ role: 'assistant', content: null }),
      { error: { code: 500, message: 'The model produced output that does not match the expected peg-native format', type: 'server_error' } }], false);
    const last = lastEvent(events);
    assert.ok(last.type === 'error' && last.error.code === 'server-cannot-parse');
    assert.match(last.error.message.en, /peg-native.*--skip-chat-parsing/);
    assert.match(last.error.message.ja, /--skip-chat-parsing/);
  });

  it('passes plain text that mentions a control string through as the answer', () => {
    const events = translate([delta({ content: 'The format uses ' }), delta({ content: '<|channel|> tags.' }), delta({}, 'stop'), '[DONE]']);
    assert.equal(text(events, 'answer'), 'The format uses <|channel|> tags.');
  });

  it('answers in text when tools were offered but the server ignored them', () => {
    const events = translate([delta({ content: 'ツールなしで答えます。' }), delta({}, 'stop'), '[DONE]']);
    assert.equal(calls(events).length, 0);
    assert.equal(text(events, 'answer'), 'ツールなしで答えます。');
    assert.deepEqual(lastEvent(events), { type: 'done', reason: 'return' });
  });
});

describe('server errors', () => {
  const base = { server: SERVER, model: 'llm-jp-4-8b' };
  it('maps statuses to messages in English and Japanese', () => {
    assert.equal(httpError({ ...base, status: 401, body: '' }).code, 'server-unauthorized');
    assert.equal(httpError({ ...base, status: 403, body: '{"error":"no access"}' }).code, 'server-forbidden');
    const notFound = httpError({ ...base, status: 404, body: '{"error":{"message":"The model `x` does not exist."}}' });
    assert.equal(notFound.code, 'server-model-not-found');
    assert.match(notFound.message.en, /"llm-jp-4-8b".*does not exist/);
    assert.match(notFound.message.ja, /モデル「llm-jp-4-8b」/);
    const failed = httpError({ ...base, status: 500, body: '{"error":{"code":500,"message":"llama_decode failed","type":"server_error"}}' });
    assert.equal(failed.code, 'server-error');
    assert.match(failed.message.en, /\(500\): llama_decode failed/);
    assert.equal(httpError({ ...base, status: 502, body: '<html>Bad gateway</html>' }).message.en, 'The server failed (502).');
    // Older llama-server releases word a chat-parser failure so, as a plain 500.
    assert.equal(httpError({ ...base, status: 500, body: '{"error":{"code":500,"message":"Failed to parse input at pos 12: <|channel|> analysis"}}' }).code, 'server-cannot-parse');
    assert.match(httpError({ ...base, status: 400, body: '{"detail":"too long"}' }).message.en, /rejected the request \(400\): too long/);
  });

  it('maps network failures: refused, unknown host, TLS', () => {
    assert.match(networkError('ECONNREFUSED', 'connect ECONNREFUSED', SERVER).message.en, /cannot be reached \(connection refused\)/);
    assert.equal(networkError('ENOTFOUND', 'getaddrinfo', SERVER).code, 'server-unreachable');
    const tls = networkError('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', SERVER);
    assert.equal(tls.code, 'server-tls');
    assert.match(tls.message.en, /CA file/);
  });

  it('reads error messages from the usual body shapes', () => {
    assert.equal(serverErrorMessage('{"error":{"message":"x"}}'), 'x');
    assert.equal(serverErrorMessage('{"error":"y"}'), 'y');
    assert.equal(serverErrorMessage('{"detail":[{"msg":"bad"}]}'), '[{"msg":"bad"}]');
    assert.equal(serverErrorMessage('not json'), undefined);
  });

  it('waits Retry-After seconds or an HTTP date, else backs off exponentially, within the cap', () => {
    const options = { baseMs: 1000, maxMs: 30_000, now: Date.parse('2026-01-01T00:00:00Z') };
    assert.equal(retryDelayMs('2', 1, options), 2000);
    assert.equal(retryDelayMs('Thu, 01 Jan 2026 00:00:05 GMT', 1, options), 5000);
    assert.equal(retryDelayMs(undefined, 3, options), 4000);
    assert.equal(retryDelayMs('3600', 1, options), 30_000);
  });
});

describe('serverEndpoints', () => {
  it('finds /v1 with or without it in the base URL, and drops credentials', () => {
    assert.equal(serverEndpoints('http://host:8000').chatCompletions.href, 'http://host:8000/v1/chat/completions');
    assert.equal(serverEndpoints('http://host:8000/v1/').models.href, 'http://host:8000/v1/models');
    assert.equal(serverEndpoints('https://gw.example/llm/v1').chatCompletions.href, 'https://gw.example/llm/v1/chat/completions');
    assert.equal(serverEndpoints('https://gw.example/llm/v1').tokenize.href, 'https://gw.example/llm/tokenize');
    assert.equal(serverEndpoints('http://host:8000').tokenize.href, 'http://host:8000/tokenize');
    const withUser = serverEndpoints('http://user:secret@host:1/');
    assert.equal(withUser.display, 'http://host:1');
    assert.doesNotMatch(withUser.chatCompletions.href, /secret/);
    assert.throws(() => serverEndpoints('file:///etc/passwd'), TypeError);
  });
});
