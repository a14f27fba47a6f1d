// The remote backend against a real llama-server, built from the llama.cpp release that
// node-llama-cpp binds and run with --jinja on generated models: a scripted LLM-jp-4 model
// (its greedy output is exactly its script) and a tame random one for a long stream to cancel.
//
// What this llama-server does with LLM-jp-4 (the 4.0 template): it picks its "peg-native" chat
// parser, which cannot read the model's output in llama.cpp's detokenized form
// (`<|channel|> analysis<|message|> …`, SentencePiece's space after every special token), and
// ends the stream with an in-stream HTTP 500 error right after the role chunk. Started with
// --skip-chat-parsing it streams the raw Harmony text as `content` (the stop tokens <|return|>
// and <|call|> left out), which the backend reads with src/core/harmony's text parser.
import * as assert from 'node:assert/strict';
import type { EngineEvent, GenerateRequest } from '../../src/core/generation/types';
import { exchangeMessages } from '../../src/core/chat/chatMessages';
import { RemoteBackend } from '../../src/engine/remote';
import { sharedTemplate } from '../fixtures/chat/reference';
import { LlamaServer, freePort, llamaServerBinary } from './llamaServer';
import { READ_FILE, TOOL_CALL_TURN, llamaCppScriptedModel, tamePlainModel } from './models';

const ANSWER_TURN =
  '<|channel|>analysis<|message|>READMEに使い方があります。<|end|><|start|>assistant<|channel|>final<|message|>使い方: npm install を実行します。<|return|>';
const QUESTION = { role: 'user' as const, content: 'このプロジェクトの使い方は？' };
const GREEDY = { temperature: 0, seed: 1 };

async function collect(backend: RemoteBackend, request: GenerateRequest, signal?: AbortSignal): Promise<EngineEvent[]> {
  const events: EngineEvent[] = [];
  for await (const event of backend.generate(request, signal)) events.push(event);
  return events;
}

function text(events: readonly EngineEvent[], type: 'answer' | 'reasoning'): string {
  return events.map((e) => (e.type === type ? e.text : '')).join('');
}

function lastEvent(events: readonly EngineEvent[]): EngineEvent {
  return events[events.length - 1];
}

describe('remote backend: a real llama-server', function () {
  let binary: string;

  before(async function () {
    // The first run builds llama-server (minutes on 2 cores); later runs find it in bench/.cache.
    this.timeout(60 * 60_000);
    if (sharedTemplate('chat_template-4.0.jinja') === undefined) {
      console.log('    skipped: ../shared/llm-jp-4/chat_template-4.0.jinja is absent (the scripted models need it)');
      return this.skip();
    }
    const found = await llamaServerBinary((line) => console.log(`    ${line}`));
    if ('skip' in found) {
      console.log(`    skipped: ${found.skip}`);
      return this.skip();
    }
    binary = found.binary;
  });

  const scripted = () => llamaCppScriptedModel('remote-scripted-tool', [TOOL_CALL_TURN, ANSWER_TURN]);

  it('with its own chat parser: a clear error saying to start it with --skip-chat-parsing', async function () {
    this.timeout(120_000);
    const server = new LlamaServer(binary, scripted(), await freePort());
    await server.start();
    try {
      const backend = new RemoteBackend({ baseUrl: server.baseUrl, model: 'scripted' });
      const events = await collect(backend, { messages: [QUESTION], tools: [READ_FILE], sampling: GREEDY, maxTokens: 64 });
      const error = lastEvent(events);
      assert.ok(error.type === 'error', JSON.stringify(events));
      assert.equal(error.error.code, 'server-cannot-parse');
      assert.match(error.error.message.en, /--skip-chat-parsing/);
      // The server's own account (its log reaches this process a moment after the error).
      await server.waitForLog(/unparsed peg-native output: <\|channel\|> analysis<\|message\|>/, 10_000);
    } finally {
      await server.kill();
    }
  });

  describe('with --skip-chat-parsing, on a scripted LLM-jp-4 model', function () {
    let server: LlamaServer;
    let backend: RemoteBackend;

    before(async function () {
      this.timeout(120_000);
      server = new LlamaServer(binary, scripted(), await freePort(), ['--skip-chat-parsing']);
      await server.start();
      backend = new RemoteBackend({ baseUrl: server.baseUrl, model: 'scripted', requestTimeoutMs: 30_000 });
    });
    after(async () => {
      await server?.kill();
    });

    it('lists its model and answers the health check', async () => {
      const health = await backend.health();
      assert.ok(health.ok, JSON.stringify(health));
      assert.equal(health.models.length, 1);
      assert.equal(health.contextLength, 2048, 'the context llama-server runs with (-c 2048)');
    });

    it('counts tokens with the server\'s own tokenizer', async () => {
      const [empty, one, two] = (await backend.count(['', 'README', 'README README'])) ?? [];
      assert.equal(empty, 0);
      assert.ok(one > 0 && two > one, `counts ${one}, ${two}`);
    });

    it('streams a tool call as a toolCall event with valid arguments, its reasoning apart', async () => {
      const events = await collect(backend, { messages: [QUESTION], tools: [READ_FILE], sampling: GREEDY, maxTokens: 64 });
      const calls = events.filter((e) => e.type === 'toolCall');
      assert.deepEqual(calls, [{ type: 'toolCall', name: 'read_file', arguments: '{"path":"README.md"}', parsed: { path: 'README.md' } }], JSON.stringify(events));
      assert.equal(text(events, 'reasoning'), 'READMEを読んで確認します。');
      assert.equal(text(events, 'answer'), '');
      assert.deepEqual(lastEvent(events), { type: 'done', reason: 'call' });
    });

    it('streams the answer after the tool result, the reasoning never in the answer', async () => {
      const messages = [
        QUESTION,
        ...exchangeMessages({ callId: 'call_1', name: 'read_file', arguments: '{"path":"README.md"}', reasoning: 'READMEを読んで確認します。', result: '# demo\nnpm install' }),
      ];
      const events = await collect(backend, { messages, tools: [READ_FILE], sampling: GREEDY, maxTokens: 64 });
      assert.equal(text(events, 'reasoning'), 'READMEに使い方があります。', JSON.stringify(events));
      assert.equal(text(events, 'answer'), '使い方: npm install を実行します。');
      assert.ok(events.filter((e) => e.type === 'answer').length > 1, 'the answer arrives in several deltas');
      const usage = events.find((e) => e.type === 'usage');
      assert.ok(usage?.type === 'usage' && usage.usage.promptTokens > 0 && usage.usage.generatedTokens > 0, JSON.stringify(usage));
      assert.deepEqual(lastEvent(events), { type: 'done', reason: 'return' });
    });

    it('survives the server being killed: unreachable while it is down, answers again after a restart', async function () {
      this.timeout(120_000);
      await server.kill();
      const down = await collect(backend, { messages: [QUESTION], tools: [READ_FILE], sampling: GREEDY, maxTokens: 64 });
      const error = lastEvent(down);
      assert.ok(error.type === 'error', JSON.stringify(down));
      assert.equal(error.error.code, 'server-unreachable');
      assert.match(error.error.message.en, new RegExp(`127\\.0\\.0\\.1:${server.port} cannot be reached`));
      await server.start();
      const up = await collect(backend, { messages: [QUESTION], tools: [READ_FILE], sampling: GREEDY, maxTokens: 64 });
      assert.deepEqual(up.filter((e) => e.type === 'toolCall').map((e) => e.type === 'toolCall' && e.parsed), [{ path: 'README.md' }]);
      assert.deepEqual(lastEvent(up), { type: 'done', reason: 'call' });
    });
  });

  describe('on a tame random model (a long stream)', function () {
    let server: LlamaServer;

    before(async function () {
      this.timeout(120_000);
      server = new LlamaServer(binary, tamePlainModel(), await freePort());
      await server.start();
    });
    after(async () => {
      await server?.kill();
    });

    it('cancel mid-stream closes the HTTP stream, and the server stops the task early', async function () {
      this.timeout(120_000);
      const backend = new RemoteBackend({ baseUrl: server.baseUrl, model: 'tame' });
      const maxTokens = 1800;
      const controller = new AbortController();
      const events: EngineEvent[] = [];
      let answers = 0;
      for await (const event of backend.generate({ messages: [{ role: 'user', content: '長い話をして' }], sampling: { temperature: 0.8, seed: 3 }, maxTokens }, controller.signal)) {
        events.push(event);
        if (event.type === 'answer' && ++answers === 5) controller.abort();
      }
      assert.deepEqual(lastEvent(events), { type: 'done', reason: 'cancelled' });
      // The server's own account: the task was cancelled and its slot released long before the limit.
      await server.waitForLog(/cancel task, id_task = \d+/, 10_000);
      const [, tokens] = await server.waitForLog(/stop processing: n_tokens = (\d+)/, 10_000);
      assert.ok(Number(tokens) < maxTokens / 2, `the slot held ${tokens} tokens when it stopped`);
    });
  });
});
