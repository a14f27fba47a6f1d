// The engine as the extension uses it: EngineClient forks the real worker (out/src/engine/worker.js),
// which runs the real node-llama-cpp on generated models. One thread: this runs on 2-core machines.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ChatMessage, ToolSpec } from '../../src/core/harmony';
import type { EngineEvent, GenerateRequest } from '../../src/core/generation/types';
import { formatByteSize } from '../../src/core/models';
import { EngineClient, EngineRequestError } from '../../src/engine/client';
import type { LoadOptions } from '../../src/engine/protocol';
import { tameModelSize, tameVocab, writeTameModel } from '../fixtures/gguf';
import { CRAFTED_HEADERS } from '../fixtures/gguf/craftedHeader';
import { basePieces } from '../fixtures/gguf/vocab';
import { sharedTemplate } from '../fixtures/chat/reference';
import { LLM_JP_3_TEMPLATE, MODEL_DIR, READ_FILE, REPO_ROOT, TOOL_CALL_TURN, WORKER, notGgufFile, scriptedModel, tameMoeModel, tamePlainModel } from './models';

const ANSWER_TURN =
  '<|channel|>final<|message|>READMEによると、使い方は次のとおりです。\n```sh\nnpm install\n```\n以上です。<|return|>';

function newClient(): EngineClient {
  return new EngineClient({ workerPath: WORKER });
}

function load(client: EngineClient, modelPath: string, extra: Partial<LoadOptions> = {}) {
  return client.load({ modelPath, gpu: false, threads: 1, contextSize: 4096, ...extra });
}

async function collect(client: EngineClient, request: GenerateRequest, signal?: AbortSignal): Promise<EngineEvent[]> {
  const events: EngineEvent[] = [];
  for await (const event of client.generate(request, signal)) events.push(event);
  return events;
}

function text(events: readonly EngineEvent[], type: 'answer' | 'reasoning'): string {
  return events.map((e) => (e.type === type ? e.text : '')).join('');
}

function last<T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T): Extract<EngineEvent, { type: T }> {
  const found = events.filter((e) => e.type === type);
  assert.ok(found.length > 0, `no ${type} event in ${JSON.stringify(events).slice(0, 500)}`);
  return found[found.length - 1] as Extract<EngineEvent, { type: T }>;
}

async function loadFailure(client: EngineClient, modelPath: string): Promise<EngineRequestError['error']> {
  try {
    await load(client, modelPath);
  } catch (error) {
    assert.ok(error instanceof EngineRequestError, String(error));
    assert.ok(error.error.message.en.length > 0 && error.error.message.ja.length > 0);
    return error.error;
  }
  assert.fail('the model loaded');
}

async function loadError(client: EngineClient, modelPath: string): Promise<string> {
  return (await loadFailure(client, modelPath)).code;
}

describe('engine: worker process on generated models', function () {
  this.timeout(120_000);
  let client: EngineClient;

  beforeEach(() => {
    client = newClient();
  });
  afterEach(() => client.dispose());

  it('streams reasoning and answer separately (scripted LLM-jp-4 model)', async () => {
    const model = scriptedModel('scripted-answer', {
      turns: ['<|channel|>analysis<|message|>挨拶には挨拶で返します。<|end|><|start|>assistant<|channel|>final<|message|>こんにちは！ご用件は何でしょう？<|return|>'],
    });
    const info = await load(client, model);
    assert.equal(info.exactTokenizer, true);
    assert.equal(info.dialect, 'llm-jp-4.0');
    const events = await collect(client, { messages: [{ role: 'user', content: 'こんにちは' }], sampling: { temperature: 0 }, maxTokens: 64 });
    assert.equal(text(events, 'reasoning'), '挨拶には挨拶で返します。');
    assert.equal(text(events, 'answer'), 'こんにちは！ご用件は何でしょう？');
    // Reasoning streams before the answer and never inside it.
    const firstAnswer = events.findIndex((e) => e.type === 'answer');
    assert.ok(events.slice(firstAnswer).every((e) => e.type !== 'reasoning'));
    assert.equal(last(events, 'done').reason, 'return');
    const { usage } = last(events, 'usage');
    assert.ok(usage.generatedTokens > 5 && usage.promptTokens > 10, JSON.stringify(usage));
  });

  it('round-trips a tool call, then answers from its result, reusing the KV cache', async () => {
    const model = scriptedModel('scripted-tool', { turns: [TOOL_CALL_TURN, ANSWER_TURN] });
    await load(client, model);
    const question: ChatMessage = { role: 'user', content: 'このプロジェクトの使い方は？' };
    const first = await collect(client, { conversation: 'c', messages: [question], tools: [READ_FILE], sampling: { temperature: 0 }, maxTokens: 64 });
    assert.equal(text(first, 'reasoning'), 'READMEを読んで確認します。');
    assert.equal(text(first, 'answer'), '');
    const call = last(first, 'toolCall');
    assert.equal(call.name, 'read_file');
    assert.deepEqual(call.parsed, { path: 'README.md' });
    assert.equal(call.parseError, undefined);
    assert.equal(last(first, 'done').reason, 'call');

    const messages: ChatMessage[] = [
      question,
      { role: 'assistant', thinking: text(first, 'reasoning'), tool_calls: [{ type: 'function', function: { name: call.name, arguments: call.parsed as Record<string, unknown> } }] },
      { role: 'tool', name: 'read_file', content: '# Demo\n\nRun `npm install`.' },
    ];
    const second = await collect(client, { conversation: 'c', messages, tools: [READ_FILE], sampling: { temperature: 0 }, maxTokens: 64 });
    assert.equal(text(second, 'answer'), 'READMEによると、使い方は次のとおりです。\n```sh\nnpm install\n```\n以上です。');
    assert.equal(last(second, 'done').reason, 'return');
    const firstUsage = last(first, 'usage').usage;
    const { usage } = last(second, 'usage');
    // The second turn evaluates only what the cache lacks: the first prompt is reused whole.
    assert.ok(usage.reusedTokens >= firstUsage.promptTokens, `${JSON.stringify(firstUsage)} then ${JSON.stringify(usage)}`);
    assert.equal(usage.evaluatedTokens, usage.promptTokens - usage.reusedTokens);
    assert.ok(usage.evaluatedTokens < usage.promptTokens / 2);
  });

  it('forces tool-call arguments to match the tool schema with a grammar', async () => {
    // The script stops right after the call header: what follows is up to the grammar alone.
    const model = scriptedModel('scripted-open-call', {
      turns: ['<|channel|>commentary to=functions.open_file json<|message|>'],
    });
    await load(client, model);
    const tool: ToolSpec = {
      type: 'function',
      function: {
        name: 'open_file',
        description: 'Open a file at a line',
        parameters: {
          type: 'object',
          properties: { path: { type: 'string', enum: ['README.md', 'src/extension.ts'] }, line: { type: 'integer' } },
          required: ['path', 'line'],
        },
      },
    };
    const events = await collect(client, { messages: [{ role: 'user', content: '開いて' }], tools: [tool], sampling: { temperature: 0 }, maxTokens: 200 });
    const call = last(events, 'toolCall');
    assert.equal(call.name, 'open_file');
    assert.equal(call.parseError, undefined, `arguments ${JSON.stringify(call.arguments)}`);
    const parsed = call.parsed as { path: string; line: number };
    assert.ok(['README.md', 'src/extension.ts'].includes(parsed.path), call.arguments);
    assert.ok(Number.isInteger(parsed.line), call.arguments);
  });

  it('reuses the cache across turns of a plain-format (LLM-jp-3) conversation', async () => {
    await load(client, tamePlainModel());
    const turn1: GenerateRequest = { conversation: 'p', messages: [{ role: 'user', content: '東京の天気は？' }], sampling: { temperature: 0 }, maxTokens: 12 };
    const first = await collect(client, turn1);
    const answer = text(first, 'answer');
    assert.ok(answer.length > 0);
    assert.equal(first.filter((e) => e.type === 'reasoning').length, 0);
    assert.equal(last(first, 'done').reason, 'length');
    const second = await collect(client, {
      ...turn1,
      messages: [...turn1.messages, { role: 'assistant', content: answer }, { role: 'user', content: '明日は？' }],
    });
    const u1 = last(first, 'usage').usage;
    const u2 = last(second, 'usage').usage;
    assert.ok(u2.reusedTokens >= u1.promptTokens, `${JSON.stringify(u1)} then ${JSON.stringify(u2)}`);
    assert.equal(u2.evaluatedTokens, u2.promptTokens - u2.reusedTokens);
  });

  it('stops within 200 ms of a cancel and keeps what was generated', async () => {
    await load(client, tamePlainModel());
    const controller = new AbortController();
    let abortedAt = 0;
    const events: EngineEvent[] = [];
    for await (const event of client.generate({ messages: [{ role: 'user', content: '長い話をして' }], maxTokens: 100_000 }, controller.signal)) {
      events.push(event);
      if (event.type === 'answer' && events.filter((e) => e.type === 'answer').length === 5) {
        abortedAt = performance.now();
        controller.abort();
      }
      if (event.type === 'done') break;
    }
    const stoppedAfter = performance.now() - abortedAt;
    assert.equal(last(events, 'done').reason, 'cancelled');
    assert.ok(stoppedAfter < 200, `stopped ${stoppedAfter.toFixed(0)} ms after the cancel`);
    assert.ok(text(events, 'answer').length > 0);
    assert.ok(last(events, 'usage').usage.generatedTokens >= 5);
  });

  /** Two requests at once, and each alone first: what each produced concurrently. */
  async function concurrently(sequences: number): Promise<[EngineEvent[], EngineEvent[]]> {
    const info = await load(client, tamePlainModel(), { sequences });
    assert.equal(info.sequences, sequences, 'a small model has room for each sequence at the full context');
    assert.equal(info.contextSize, 4096);
    const request = (content: string, seed: number): GenerateRequest => ({ messages: [{ role: 'user', content }], sampling: { seed }, maxTokens: 24 });
    const soloA = text(await collect(client, request('質問A', 1)), 'answer');
    const soloB = text(await collect(client, request('質問B', 2)), 'answer');
    const [a, b] = await Promise.all([collect(client, request('質問A', 1)), collect(client, request('質問B', 2))]);
    // Neither stream holds a token of the other: each equals its solo run.
    assert.equal(text(a, 'answer'), soloA);
    assert.equal(text(b, 'answer'), soloB);
    return [a, b];
  }

  it('queues a second request with a visible position, without mixing tokens', async () => {
    const [, b] = await concurrently(1);
    const queued = b.filter((e) => e.type === 'notice' && e.code === 'queued');
    assert.equal(queued.length, 1, JSON.stringify(b.filter((e) => e.type === 'notice')));
    assert.match(JSON.stringify(queued[0]), /position 1/);
  });

  it('runs two requests at once on separate sequences, each as if alone', async () => {
    const [a, b] = await concurrently(2);
    assert.ok([...a, ...b].every((e) => e.type !== 'notice'));
  });

  it('samples each request that names no seed with its own seed (Regenerate does not repeat itself)', async () => {
    await load(client, tamePlainModel());
    const request: GenerateRequest = { messages: [{ role: 'user', content: '質問' }], maxTokens: 24 };
    // node-llama-cpp's own default seed is the current second: these run well within one.
    const started = Date.now();
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(text(await collect(client, request), 'answer'));
    assert.ok(Date.now() - started < 3000, 'the three requests ran within a few seconds');
    assert.equal(new Set(answers).size, 3, `three requests, three samples: ${JSON.stringify(answers)}`);
    const seeded = { ...request, sampling: { seed: 7 } };
    assert.equal(text(await collect(client, seeded), 'answer'), text(await collect(client, seeded), 'answer'), 'a named seed still repeats');
  });

  it('runs the Qwen3-MoE architecture (32B-A3B shape, tiny)', async () => {
    const info = await load(client, tameMoeModel());
    assert.equal(info.architecture, 'qwen3moe');
    const events = await collect(client, { messages: [{ role: 'user', content: 'こんにちは' }], sampling: { temperature: 0 }, maxTokens: 8 });
    assert.equal(last(events, 'usage').usage.generatedTokens, 8);
    assert.ok(text(events, 'answer').length > 0);
  });

  it('trims the oldest turns, then the largest attached context, to fit the context', async () => {
    await load(client, tamePlainModel(), { contextSize: 512 });
    const history: ChatMessage[] = [];
    for (let i = 0; i < 12; i++) {
      history.push({ role: 'user', content: `質問${i}: ${'東京の天気について教えてください。'.repeat(3)}` });
      history.push({ role: 'assistant', content: '晴れです。'.repeat(4) });
    }
    const events = await collect(client, {
      messages: [...history, { role: 'user', content: 'この関数は何をしますか？' }],
      context: [{ label: 'src/big.ts', text: 'const x = 1;\n'.repeat(400) }],
      sampling: { temperature: 0 },
      maxTokens: 8,
    });
    const notice = last(events, 'notice');
    assert.equal(notice.code, 'context-trimmed');
    assert.match(notice.message.en, /24 oldest messages/);
    assert.match(notice.message.en, /src\/big\.ts/);
    assert.match(notice.message.ja, /src\/big\.ts/);
    assert.equal(last(events, 'done').reason, 'length');
    assert.ok(last(events, 'usage').usage.promptTokens <= 512);
  });

  it('counts the tokens a text takes as message content, as the prompt spends them', async () => {
    const promptTokens = async (content: string): Promise<number> =>
      last(await collect(client, { messages: [{ role: 'user', content }], sampling: { temperature: 0 }, maxTokens: 1 }), 'usage').usage.promptTokens;
    const texts = ['diff --git a/税.ts b/税.ts\n+const RATE = 1.1; // 消費税\n', 'x'.repeat(3_000), '<|start|>system<|message|>あ'];
    // The exact LLM-jp-4 tokenizer: content sits between two control tokens, so the count is exact.
    await load(client, scriptedModel('scripted-answer', { turns: ['<|channel|>final<|message|>はい<|return|>'] }));
    const exact = await client.count(['', ...texts]);
    assert.equal(exact[0], 0);
    const empty = await promptTokens('');
    for (const [i, text] of texts.entries()) assert.equal(exact[i + 1], (await promptTokens(text)) - empty, `text ${i}`);
    // llama.cpp's tokenizer (LLM-jp-3's plain template joins content to the text around it).
    await load(client, tamePlainModel());
    const plain = await client.count(texts);
    const plainEmpty = await promptTokens('');
    for (const [i, text] of texts.entries()) {
      const spent = (await promptTokens(text)) - plainEmpty;
      assert.ok(Math.abs(plain[i] - spent) <= 2, `text ${i}: counted ${plain[i]}, the prompt spent ${spent}`);
    }
  });

  it('refuses a question that alone exceeds the context', async () => {
    await load(client, tamePlainModel(), { contextSize: 512 });
    const events = await collect(client, { messages: [{ role: 'user', content: 'あ'.repeat(3000) }], maxTokens: 8 });
    assert.equal(last(events, 'error').error.code, 'prompt-too-long');
  });

  it("reads a file's header without loading it, and names a bad file", async () => {
    const file = tamePlainModel();
    const { summary, fileBytes } = await client.inspect(file);
    assert.equal(summary.architecture, 'llama');
    assert.equal(summary.llmJp4Vocabulary, true);
    assert.equal(summary.dialect, 'llm-jp-3');
    assert.equal(summary.quantization, 'Q8_0');
    assert.equal(fileBytes, readFileSync(file).length);
    assert.equal(client.model, undefined, 'nothing was loaded');
    for (const [bad, code] of [
      [notGgufFile(), 'not-gguf'],
      [path.join(MODEL_DIR, 'does-not-exist.gguf'), 'model-not-found'],
    ] as const) {
      await assert.rejects(client.inspect(bad), (error: unknown) => error instanceof EngineRequestError && error.error.code === code);
    }
  });

  it('reports the memory the model process sees, with no GPU when the CPU is forced', async () => {
    const device = await client.device(false);
    assert.ok(device.ramTotalBytes > 0 && device.ramFreeBytes > 0 && device.ramFreeBytes <= device.ramTotalBytes, JSON.stringify(device));
    assert.equal(device.gpu, undefined);
  });

  describe('bad model files get a clear error', () => {
    it('a missing file', async () => {
      assert.equal(await loadError(client, path.join(MODEL_DIR, 'does-not-exist.gguf')), 'model-not-found');
    });

    it('a file that is not GGUF', async () => {
      assert.equal(await loadError(client, notGgufFile()), 'not-gguf');
    });

    it('a folder named like a model file: said to be a folder, and the next model loads', async () => {
      const folder = path.join(MODEL_DIR, 'folder.gguf');
      mkdirSync(folder, { recursive: true });
      await assert.rejects(client.inspect(folder), (error: unknown) => error instanceof EngineRequestError && error.error.code === 'model-is-folder');
      const message = await loadFailure(client, folder);
      assert.equal(message.code, 'model-is-folder');
      assert.match(message.message.en, /is a folder, not a model file/);
      assert.match(message.message.ja, /フォルダー/);
      assert.equal((await load(client, tamePlainModel())).name, 'tame-plain');
    });

    it('a named pipe: not a model file, and the check does not wait for a writer', async function () {
      this.timeout(20_000);
      const pipe = path.join(MODEL_DIR, 'pipe.gguf');
      rmSync(pipe, { force: true });
      if (spawnSync('mkfifo', [pipe]).status !== 0) return this.skip(); // no mkfifo (Windows)
      await assert.rejects(client.inspect(pipe), (error: unknown) => error instanceof EngineRequestError && error.error.code === 'not-gguf');
      assert.equal(await loadError(client, pipe), 'not-gguf');
      assert.equal((await load(client, tamePlainModel())).name, 'tame-plain');
    });

    it('a truncated GGUF (an interrupted download): incomplete, with the size it should have, in the header check and at load', async () => {
      const whole = readFileSync(tamePlainModel());
      const { headerBytes } = writeTameModel(path.join(MODEL_DIR, 'tame-plain-header.gguf'), { chatTemplate: LLM_JP_3_TEMPLATE, name: 'tame-plain', tensorLimit: 0 });
      // Cut inside the tensor data, just after the header, and inside the header itself.
      for (const length of [Math.floor(whole.length * 0.6), headerBytes + 1000, Math.floor(headerBytes / 2)]) {
        const file = path.join(MODEL_DIR, 'truncated.gguf');
        writeFileSync(file, whole.subarray(0, length));
        await assert.rejects(client.inspect(file), (error: unknown) => {
          assert.ok(error instanceof EngineRequestError, String(error));
          assert.equal(error.error.code, 'model-incomplete', `cut at ${length}: ${error.error.message.en}`);
          if (length < headerBytes) {
            assert.ok(error.error.message.en.includes(`it ends inside its header, after ${length.toLocaleString('en-US')} bytes`), error.error.message.en);
            assert.ok(error.error.message.ja.includes(`ヘッダーの途中、${length.toLocaleString('ja-JP')} バイト`), error.error.message.ja);
            return true;
          }
          // The last tensor's data ends at most one alignment (32 bytes) of padding before the file does.
          const [, should, is] = /at least ([\d,]+) bytes .* but is ([\d,]+) bytes/.exec(error.error.message.en) ?? [];
          const expected = Number(should?.replaceAll(',', ''));
          assert.ok(expected > whole.length - 32 && expected <= whole.length, error.error.message.en);
          assert.equal(is, length.toLocaleString('en-US'));
          assert.ok(error.error.message.ja.includes(`${should} バイト`) && error.error.message.ja.includes(`${is} バイト`), error.error.message.ja);
          return true;
        });
        assert.equal(await loadError(client, file), 'model-incomplete', `cut at ${length}`);
      }
    });

    it('a tiny crafted GGUF declaring 2^32 values, a 2^60-byte string, 2^40 pairs or 2^40 tensors: damaged, said at once, and the next model loads', async () => {
      // node-llama-cpp's reader follows these counts past the end of the file, reading zeros: the
      // 49-byte array file grew the worker's memory until V8 aborted, about a minute later.
      for (const [name, craft] of Object.entries(CRAFTED_HEADERS)) {
        const file = path.join(MODEL_DIR, `crafted-${name}.gguf`);
        writeFileSync(file, craft());
        await assert.rejects(client.inspect(file), (error: unknown) => {
          assert.ok(error instanceof EngineRequestError, String(error));
          assert.equal(error.error.code, 'model-corrupt', `${name}: ${error.error.message.en}`);
          const reason = /is declared as [\d,]+, more than a GGUF file can hold \(1,073,741,824\)/;
          assert.match(error.error.message.en, reason);
          assert.match(error.error.message.ja, reason);
          assert.ok(error.error.message.en.endsWith(file) && error.error.message.ja.endsWith(file));
          return true;
        });
        assert.equal(await loadError(client, file), 'model-corrupt', name);
      }
      assert.equal((await load(client, tamePlainModel())).name, 'tame-plain');
    });

    it('a model file, or one in a folder, that the user may not read: said to be a permission problem, in the check an unprivileged user runs', async function () {
      if (process.platform === 'win32') return this.skip(); // POSIX modes
      // Root reads a mode-000 file anyway, so as root the check runs in a child process as
      // nobody (uid and gid set by spawn, supplementary groups dropped), the same inspectModel the
      // worker runs; as any other user chmod alone denies it.
      let identity: { uid: number; gid: number } | undefined;
      if (process.getuid?.() === 0) {
        const uid = spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' });
        const gid = spawnSync('id', ['-g', 'nobody'], { encoding: 'utf8' });
        if (uid.status !== 0 || gid.status !== 0) return this.skip(); // no unprivileged user to run as
        identity = { uid: Number(uid.stdout), gid: Number(gid.stdout) };
      }
      const inspectAs = (file: string): { code: string; message?: { en: string; ja: string } } => {
        const script =
          'require(process.argv[1]).inspectModel(process.argv[2]).then(' +
          '(r) => console.log(JSON.stringify({ code: "ok", architecture: r.summary.architecture })),' +
          '(e) => console.log(JSON.stringify(e.error ?? { code: "thrown: " + e })))';
        const child = spawnSync(process.execPath, ['-e', script, path.join(REPO_ROOT, 'out', 'src', 'engine', 'loadModel.js'), file], {
          encoding: 'utf8',
          cwd: '/',
          timeout: 60_000,
          ...identity,
        });
        assert.equal(child.status, 0, child.stderr);
        return JSON.parse(child.stdout) as { code: string; message?: { en: string; ja: string } };
      };
      const folder = path.join(MODEL_DIR, 'permissions');
      rmSync(folder, { recursive: true, force: true });
      const locked = path.join(folder, 'locked');
      mkdirSync(locked, { recursive: true });
      const readable = path.join(folder, 'readable.gguf');
      const unreadable = path.join(folder, 'unreadable.gguf');
      const inLocked = path.join(locked, 'model.gguf');
      for (const file of [readable, unreadable, inLocked]) copyFileSync(tamePlainModel(), file);
      chmodSync(unreadable, 0o000);
      chmodSync(locked, 0o000);
      try {
        // The same user reads a readable copy: what fails below is the permission, nothing else.
        assert.deepEqual(inspectAs(readable), { code: 'ok', architecture: 'llama' });
        for (const file of [unreadable, inLocked]) {
          const error = inspectAs(file);
          assert.equal(error.code, 'model-permission-denied', JSON.stringify(error));
          assert.equal(error.message?.en, `You do not have permission to read this model file: ${file}`);
          assert.equal(error.message?.ja, `このモデルファイルを読み取る権限がありません: ${file}`);
        }
      } finally {
        chmodSync(locked, 0o755);
        chmodSync(unreadable, 0o644);
      }
    });

    it("the header check refuses the first megabyte of a valid GGUF (an 8B model's header and first tensor)", async () => {
      const file = path.join(MODEL_DIR, 'first-megabyte.gguf');
      writeTameModel(file, { shape: 'llm-jp-4-8b', tensorLimit: 1 });
      truncateSync(file, 1024 * 1024);
      const expected = tameModelSize({ shape: 'llm-jp-4-8b' });
      await assert.rejects(client.inspect(file), (error: unknown) => {
        assert.ok(error instanceof EngineRequestError, String(error));
        assert.equal(error.error.code, 'model-incomplete');
        assert.ok(error.error.message.en.includes(`at least ${expected.toLocaleString('en-US')} bytes (${formatByteSize(expected)}) but is 1,048,576 bytes (1.0 MB)`), error.error.message.en);
        return true;
      });
      assert.equal(await loadError(client, file), 'model-incomplete');
    });

    it('a GGUF of an architecture llama.cpp does not know: "not supported" when complete, "incomplete" when cut', async () => {
      const bytes = Buffer.from(readFileSync(tamePlainModel()));
      // Rename the architecture everywhere in the header (`general.architecture`, `llama.*` keys).
      const header = bytes.subarray(0, 64 * 1024);
      for (let i = header.indexOf('llama'); i >= 0; i = header.indexOf('llama', i + 5)) header.write('llamx', i, 'latin1');
      const file = path.join(MODEL_DIR, 'unknown-architecture.gguf');
      writeFileSync(file, bytes);
      // The header check cannot know what llama.cpp supports; it must not call the file broken.
      assert.equal((await client.inspect(file)).summary.architecture, 'llamx');
      const failure = await loadFailure(client, file);
      assert.equal(failure.code, 'unsupported-architecture');
      assert.match(failure.message.en, /Architecture "llamx" is not supported/);
      assert.match(failure.message.ja, /アーキテクチャ「llamx」は.*サポートされていません/);
      // Cut short, it is incomplete whatever its architecture: the size is known from the header alone.
      const cut = path.join(MODEL_DIR, 'unknown-architecture-cut.gguf');
      writeFileSync(cut, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
      assert.equal(await loadError(client, cut), 'model-incomplete');
    });

    it('a complete GGUF that llama.cpp cannot read says why, with no guess of an interrupted download', async () => {
      const bytes = Buffer.from(readFileSync(tamePlainModel()));
      const key = bytes.indexOf('tokenizer.ggml.model');
      bytes.write('llamx', bytes.indexOf('llama', key + 'tokenizer.ggml.model'.length), 'latin1');
      const file = path.join(MODEL_DIR, 'unknown-tokenizer.gguf');
      writeFileSync(file, bytes);
      const failure = await loadFailure(client, file);
      assert.equal(failure.code, 'model-corrupt');
      assert.match(failure.message.en, /unknown tokenizer: 'llamx'/);
      assert.doesNotMatch(failure.message.en, /interrupted|incomplete/);
      assert.doesNotMatch(failure.message.ja, /中断|不完全/);
      assert.equal((await load(client, tamePlainModel())).name, 'tame-plain');
    });

    it('a vocabulary that is not LLM-jp-4 loads, with the exact tokenizer off and the user told', async function () {
      const template = sharedTemplate('chat_template-4.0.jinja');
      if (template === undefined) return this.skip(); // ../shared/llm-jp-4 is absent
      // A Llama-2-style layout: <unk>, <s>, </s>, then the byte pieces from id 3.
      const bytes = basePieces().pieces.slice(352, 608);
      const normal = tameVocab().pieces.slice(608);
      const pieces = ['<unk>', '<s>', '</s>', ...bytes, ...normal];
      const types = [2, 3, 3, ...bytes.map(() => 6), ...normal.map(() => 1)];
      const scores = pieces.map((p, i) => (i < 259 ? 0 : -10 + [...p].length));
      const file = path.join(MODEL_DIR, 'foreign-vocab.gguf');
      writeTameModel(file, { vocab: { pieces, scores, types }, name: 'foreign', chatTemplate: template });
      const info = await load(client, file);
      assert.equal(info.exactTokenizer, false);
      assert.equal(info.dialect, 'llm-jp-4.0');
      assert.equal(info.notices.length, 1);
      assert.match(info.notices[0].en, /exact LLM-jp tokenizer is off/);
      const events = await collect(client, { messages: [{ role: 'user', content: 'hello' }], maxTokens: 4, sampling: { temperature: 0 } });
      assert.equal(last(events, 'usage').usage.generatedTokens, 4);
    });

    it('a model larger than the memory the process may use: out of memory, not a crash', async function () {
      // An 8B-shaped file (sparse: only the header is written) and a worker whose address space
      // is capped just above what it already uses, as on a machine without room for the model.
      if (spawnSync('prlimit', ['--version']).status !== 0) return this.skip(); // util-linux's prlimit is missing
      const file = path.join(MODEL_DIR, 'sparse-8b.gguf');
      writeTameModel(file, { shape: 'llm-jp-4-8b', tensorLimit: 1 });
      truncateSync(file, tameModelSize({ shape: 'llm-jp-4-8b' }));
      await load(client, tamePlainModel());
      const pid = client.workerPid!;
      const used = Number(/VmSize:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
      assert.equal(spawnSync('prlimit', ['--pid', String(pid), `--as=${used + 256 * 1024 * 1024}`]).status, 0);
      assert.equal(await loadError(client, file), 'out-of-memory');
      assert.equal(client.workerPid, pid, 'the worker survived');
    });

    it('a file that crashes llama.cpp while loading: the load fails, the next model loads', async () => {
      // Duplicate pieces make llama.cpp abort (GGML_ASSERT) inside the worker.
      const vocab = tameVocab();
      const pieces = [...vocab.pieces.slice(0, -1), vocab.pieces[700]];
      const file = path.join(MODEL_DIR, 'aborts-llama-cpp.gguf');
      writeTameModel(file, { vocab: { ...vocab, pieces }, name: 'aborts' });
      assert.equal(await loadError(client, file), 'worker-crashed');
      const info = await load(client, tamePlainModel());
      assert.equal(info.name, 'tame-plain');
    });
  });

  it('survives the worker being killed mid-stream: the request fails clearly, the next one works', async () => {
    await load(client, tamePlainModel());
    const crashes: string[] = [];
    client.onCrash((error) => crashes.push(error.code));
    const events: EngineEvent[] = [];
    for await (const event of client.generate({ messages: [{ role: 'user', content: '話して' }], maxTokens: 100_000 })) {
      events.push(event);
      if (event.type === 'answer' && events.length === 3) process.kill(client.workerPid!, 'SIGKILL');
    }
    const error = last(events, 'error').error;
    assert.equal(error.code, 'worker-crashed');
    assert.match(error.message.en, /SIGKILL/);
    assert.deepEqual(crashes, ['worker-crashed']);
    // The next request starts a fresh worker and reloads the same model.
    const again = await collect(client, { messages: [{ role: 'user', content: 'もう一度' }], maxTokens: 4, sampling: { temperature: 0 } });
    assert.equal(last(again, 'done').reason, 'length');
    assert.equal(crashes.length, 1);
  });
});
