// The remote backend against a 127.0.0.1 server that misbehaves on purpose, for the failures a
// real llama-server cannot be made to show: auth and model errors, 429s, a 500 with a JSON
// error, a stream cut mid-answer, malformed SSE, a character split across network chunks,
// tool_calls deltas in pieces, invalid arguments, a server that never answers, TLS.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EngineEvent } from '../../src/core/generation/types';
import { RemoteBackend, type RemoteBackendOptions } from '../../src/engine/remote';
import { freePort } from './llamaServer';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, body: string) => void | Promise<void>;

const QUESTION = { messages: [{ role: 'user' as const, content: '質問' }], maxTokens: 32 };

function sse(res: http.ServerResponse, status = 200): void {
  res.writeHead(status, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache' });
}
const chunk = (delta: Record<string, unknown>, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'x', object: 'chat.completion.chunk', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function collect(backend: RemoteBackend, signal?: AbortSignal): Promise<EngineEvent[]> {
  const events: EngineEvent[] = [];
  for await (const event of backend.generate({ ...QUESTION, tools: [{ type: 'function', function: { name: 'read_file' } }] }, signal)) events.push(event);
  return events;
}

function text(events: readonly EngineEvent[], type: 'answer' | 'reasoning'): string {
  return events.map((e) => (e.type === type ? e.text : '')).join('');
}

function finalError(events: readonly EngineEvent[]) {
  const last = events[events.length - 1];
  assert.ok(last?.type === 'error', `expected an error, got ${JSON.stringify(events).slice(0, 600)}`);
  assert.ok(last.error.message.en.length > 0 && last.error.message.ja.length > 0);
  return last.error;
}

describe('remote backend: a server that misbehaves on purpose', function () {
  let server: http.Server;
  let handler: Handler;
  let requests: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  let baseUrl: string;

  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        requests.push({ headers: req.headers, body });
        void handler(req, res, body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => {
    requests = [];
  });

  const backend = (extra: Partial<RemoteBackendOptions> = {}) => new RemoteBackend({ baseUrl, model: 'llm-jp-4-8b-thinking', apiKey: 'sk-secret-key', ...extra });

  it('401: says the key was refused, sends it as Bearer and never shows it', async () => {
    handler = (_req, res) => {
      res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":{"message":"Invalid API Key","type":"authentication_error"}}');
    };
    const error = finalError(await collect(backend()));
    assert.equal(error.code, 'server-unauthorized');
    assert.equal(requests[0].headers.authorization, 'Bearer sk-secret-key');
    assert.doesNotMatch(JSON.stringify(error), /sk-secret-key/);
  });

  it('403: says the key may not use the server, with the server\'s reason', async () => {
    handler = (_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' }).end('{"error":"quota group llm-jp only"}');
    };
    const error = finalError(await collect(backend()));
    assert.equal(error.code, 'server-forbidden');
    assert.match(error.message.en, /\(403\): quota group llm-jp only/);
  });

  it('404: names the model the server does not have', async () => {
    handler = (_req, res) => {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"object":"error","message":"The model `llm-jp-4-8b-thinking` does not exist.","type":"NotFoundError","code":404}');
    };
    const error = finalError(await collect(backend()));
    assert.equal(error.code, 'server-model-not-found');
    assert.match(error.message.en, /no model "llm-jp-4-8b-thinking"/);
    assert.match(error.message.ja, /モデル「llm-jp-4-8b-thinking」がありません/);
  });

  it('429 with Retry-After: waits as told, says so in a notice, then streams the answer', async () => {
    let calls = 0;
    const times: number[] = [];
    handler = (_req, res) => {
      times.push(Date.now());
      if (++calls === 1) {
        res.writeHead(429, { 'Retry-After': '1', 'Content-Type': 'application/json' }).end('{"error":{"message":"rate limited"}}');
        return;
      }
      sse(res);
      res.end(chunk({ content: 'どうぞ' }) + chunk({}, 'stop') + 'data: [DONE]\n\n');
    };
    const events = await collect(backend());
    assert.equal(calls, 2);
    assert.ok(times[1] - times[0] >= 950, `retried after ${times[1] - times[0]} ms`);
    const notice = events.find((e) => e.type === 'notice');
    assert.ok(notice?.type === 'notice' && notice.code === 'retrying', JSON.stringify(events));
    assert.match(notice.message.en, /429.*trying again in 1 s \(attempt 2 of 4\)/);
    assert.match(notice.message.ja, /1 秒後に再試行します/);
    assert.equal(text(events, 'answer'), 'どうぞ');
    assert.deepEqual(events[events.length - 1], { type: 'done', reason: 'return' });
  });

  it('429 every time: gives up after the retries with a clear error', async () => {
    handler = (_req, res) => {
      res.writeHead(429).end();
    };
    const events = await collect(backend({ maxRetries: 2, retryBaseMs: 20 }));
    assert.equal(requests.length, 3);
    assert.equal(events.filter((e) => e.type === 'notice').length, 2);
    const error = finalError(events);
    assert.equal(error.code, 'server-rate-limited');
    assert.match(error.message.en, /after 3 attempts/);
  });

  it('500 with a JSON error: quotes the server\'s message', async () => {
    handler = (_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' }).end('{"error":{"code":500,"message":"Context size has been exceeded","type":"server_error"}}');
    };
    const error = finalError(await collect(backend()));
    assert.equal(error.code, 'server-error');
    assert.match(error.message.en, /The server failed \(500\): Context size has been exceeded/);
  });

  it('a stream cut mid-answer (the connection dropped): the text so far, then an error', async () => {
    handler = async (_req, res) => {
      sse(res);
      res.write(chunk({ reasoning_content: '考え中' }));
      res.write(chunk({ content: '答えの途中' }));
      await pause(50);
      res.socket?.destroy();
    };
    const events = await collect(backend());
    assert.equal(text(events, 'answer'), '答えの途中');
    assert.equal(finalError(events).code, 'server-stream-interrupted');
  });

  it('a stream that ends cleanly but without finish_reason or [DONE] is incomplete too', async () => {
    handler = (_req, res) => {
      sse(res);
      res.end(chunk({ content: '途中' }));
    };
    assert.equal(finalError(await collect(backend())).code, 'server-stream-interrupted');
  });

  it('a server that keeps the connection open after [DONE]: the answer ends at [DONE]', async () => {
    handler = (_req, res) => {
      sse(res);
      res.write(chunk({ content: 'おわり' }) + chunk({}, 'stop') + 'data: [DONE]\n\n');
    };
    const events = await collect(backend({ requestTimeoutMs: 10_000 }));
    assert.equal(text(events, 'answer'), 'おわり');
    assert.deepEqual(events[events.length - 1], { type: 'done', reason: 'return' });
  });

  it('malformed SSE (data that is not JSON): an error saying the reply could not be read', async () => {
    handler = (_req, res) => {
      sse(res);
      res.end(chunk({ content: 'a' }) + 'data: {"choices":[{"delta":{"content": oops}}]}\n\n');
    };
    const error = finalError(await collect(backend()));
    assert.equal(error.code, 'server-malformed');
    assert.match(error.message.en, /not JSON/);
  });

  it('a 3-byte character split across two network chunks arrives whole', async () => {
    const bytes = Buffer.from(chunk({ content: '日本語' }) + chunk({}, 'stop') + 'data: [DONE]\n\n');
    const split = bytes.indexOf(Buffer.from('本')) + 1; // after the first of 本's three bytes
    handler = async (_req, res) => {
      sse(res);
      res.write(bytes.subarray(0, split));
      await pause(100); // two separate TCP reads on the client
      res.end(bytes.subarray(split));
    };
    const events = await collect(backend());
    assert.equal(text(events, 'answer'), '日本語');
    assert.doesNotMatch(JSON.stringify(events), /\uFFFD/);
  });

  it('tool_calls deltas in pieces, two parallel calls by index, become two toolCall events', async () => {
    handler = async (_req, res) => {
      sse(res);
      res.write(chunk({ role: 'assistant', content: null, tool_calls: [{ index: 0, id: 'call_a', type: 'function', function: { name: 'read_file', arguments: '' } }] }));
      res.write(chunk({ tool_calls: [{ index: 1, id: 'call_b', type: 'function', function: { name: 'read_file', arguments: '{"path":' } }] }));
      await pause(20);
      res.write(chunk({ tool_calls: [{ index: 0, function: { arguments: '{"path":"README' } }] }));
      res.write(chunk({ tool_calls: [{ index: 1, function: { arguments: '"src/a.ts"}' } }] }));
      res.write(chunk({ tool_calls: [{ index: 0, function: { arguments: '.md"}' } }] }));
      res.end(chunk({}, 'tool_calls') + 'data: [DONE]\n\n');
    };
    const events = await collect(backend());
    assert.deepEqual(events.filter((e) => e.type === 'toolCall'), [
      { type: 'toolCall', name: 'read_file', arguments: '{"path":"README.md"}', parsed: { path: 'README.md' } },
      { type: 'toolCall', name: 'read_file', arguments: '{"path":"src/a.ts"}', parsed: { path: 'src/a.ts' } },
    ]);
    assert.deepEqual(events[events.length - 1], { type: 'done', reason: 'call' });
    const sent = JSON.parse(requests[0].body) as Record<string, unknown>;
    assert.equal(sent.stream, true);
    assert.deepEqual(sent.stream_options, { include_usage: true });
    assert.equal(sent.tool_choice, 'auto');
  });

  it('invalid JSON arguments (passed through by the server): marked and announced, not passed on silently', async () => {
    handler = (_req, res) => {
      sse(res);
      res.end(chunk({ tool_calls: [{ index: 0, id: 'c', type: 'function', function: { name: 'read_file', arguments: '{"path": README.md}' } }] }, 'tool_calls') + 'data: [DONE]\n\n');
    };
    const events = await collect(backend());
    const call = events.find((e) => e.type === 'toolCall');
    assert.ok(call?.type === 'toolCall');
    assert.equal(call.parsed, undefined);
    assert.ok(call.parseError);
    assert.ok(events.some((e) => e.type === 'notice' && e.code === 'tool-arguments-invalid'));
    assert.deepEqual(events[events.length - 1], { type: 'done', reason: 'call' });
  });

  it('a server that accepts the connection and never answers: a timeout error', async () => {
    handler = () => undefined;
    const started = Date.now();
    const error = finalError(await collect(backend({ requestTimeoutMs: 300 })));
    assert.equal(error.code, 'server-timeout');
    assert.ok(Date.now() - started < 5000);
  });

  it('cancel while the server streams: done cancelled, and the server sees the connection close', async () => {
    let closed: Promise<void> = Promise.resolve();
    handler = (_req, res) => {
      sse(res);
      closed = new Promise((resolve) => res.once('close', () => resolve()));
      res.write(chunk({ content: 'ずっと' }));
      const timer = setInterval(() => res.write(chunk({ content: '続く' })), 20);
      res.once('close', () => clearInterval(timer));
    };
    const controller = new AbortController();
    const events: EngineEvent[] = [];
    for await (const event of backend().generate(QUESTION, controller.signal)) {
      events.push(event);
      if (event.type === 'answer' && text(events, 'answer').length >= 6) controller.abort();
    }
    assert.deepEqual(events[events.length - 1], { type: 'done', reason: 'cancelled' });
    await closed;
  });

  it('unreachable: a closed port and an unknown host give a clear message', async () => {
    const port = await freePort();
    const refused = finalError(await collect(new RemoteBackend({ baseUrl: `http://127.0.0.1:${port}`, model: 'm' })));
    assert.equal(refused.code, 'server-unreachable');
    assert.match(refused.message.en, new RegExp(`127\\.0\\.0\\.1:${port} cannot be reached \\(connection refused\\)`));
    const unknown = finalError(await collect(new RemoteBackend({ baseUrl: 'http://llm-jp-server.invalid:8000/v1', model: 'm' })));
    assert.equal(unknown.code, 'server-unreachable');
  });

  it('health and models: the listed models, and whether the configured one is among them', async () => {
    handler = (req, res) => {
      assert.equal(req.url, '/v1/models');
      res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"object":"list","data":[{"id":"llm-jp-4-8b-thinking","object":"model","max_model_len":65536},{"id":"other"}]}');
    };
    assert.deepEqual(await backend().models(), ['llm-jp-4-8b-thinking', 'other']);
    assert.deepEqual(await backend({ model: 'absent' }).health(), { ok: true, models: ['llm-jp-4-8b-thinking', 'other'], modelListed: false });
    assert.deepEqual(await backend().health(), { ok: true, models: ['llm-jp-4-8b-thinking', 'other'], modelListed: true, contextLength: 65536 });
    handler = (_req, res) => {
      res.writeHead(401).end();
    };
    const health = await backend().health();
    assert.ok(!health.ok && health.error.code === 'server-unauthorized');
  });

  it('count: token counts from /tokenize in vLLM\'s shape, undefined where the server has none', async () => {
    handler = (req, res, body) => {
      assert.equal(req.url, '/tokenize');
      const sent = JSON.parse(body) as { prompt: string; content: string; model: string };
      assert.equal(sent.prompt, sent.content);
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ count: [...sent.prompt].length, max_model_len: 8192, tokens: [] }));
    };
    assert.deepEqual(await backend().count(['', 'abc', '日本語です']), [0, 3, 5]);
    handler = (_req, res) => {
      res.writeHead(404, { 'Content-Type': 'application/json' }).end('{"error":"not found"}');
    };
    assert.equal(await backend().count(['abc']), undefined);
  });

  describe('TLS', function () {
    let dir: string;
    let tls: https.Server | undefined;
    let tlsUrl: string;
    before(async function () {
      dir = mkdtempSync(path.join(os.tmpdir(), 'llmjp-tls-'));
      const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=127.0.0.1',
        '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
      if (made.status !== 0) return this.skip(); // no openssl to make a certificate
      tls = https.createServer({ key: readFileSync(path.join(dir, 'key.pem')), cert: readFileSync(path.join(dir, 'cert.pem')) }, (_req, res) => {
        sse(res);
        res.end(chunk({ content: 'secure' }) + chunk({}, 'stop') + 'data: [DONE]\n\n');
      });
      await new Promise<void>((resolve) => tls!.listen(0, '127.0.0.1', resolve));
      tlsUrl = `https://127.0.0.1:${(tls.address() as AddressInfo).port}`;
    });
    after(() => {
      tls?.closeAllConnections();
      tls?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('verifies certificates by default: a self-signed server is refused, and accepted with its CA file', async () => {
      const refused = finalError(await collect(new RemoteBackend({ baseUrl: tlsUrl, model: 'm' })));
      assert.equal(refused.code, 'server-tls');
      const trusted = await collect(new RemoteBackend({ baseUrl: tlsUrl, model: 'm', caFile: path.join(dir, 'cert.pem') }));
      assert.equal(text(trusted, 'answer'), 'secure');
      assert.deepEqual(trusted[trusted.length - 1], { type: 'done', reason: 'return' });
    });
  });
});
