// The engine's decode loop (src/engine/decodeLoop.ts) against node-llama-cpp's own evaluate()
// on a generated model: the same tokens for the same seed, one shared decode a step for two
// sequences, the KV cache of an earlier turn reused (and cut back where the prompt differs),
// long prompts in slices, cancel, a full context and closing for an unload.
import * as assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { Llama, LlamaContext, LlamaContextSequence, LlamaModel, Token } from 'node-llama-cpp';
import { DecodeLoop, PROMPT_SLICE, type DecodeJob } from '../../src/engine/decodeLoop';
import { writeTameModel } from '../fixtures/gguf';
import { REPO_ROOT } from './models';

const OUT_DIR = path.join(REPO_ROOT, 'test-output', 'decode-loop');
const SAMPLED = { temperature: 0.7, topP: 0.9, topK: 40, seed: 42 };
const GREEDY = { temperature: 0, topP: 1, topK: 40, seed: 1 };

/** node-llama-cpp's evaluate(), every token fed back as the loop does. */
async function reference(sequence: LlamaContextSequence, prompt: readonly number[], count: number, sampling: typeof SAMPLED): Promise<number[]> {
  const out: number[] = [];
  for await (const token of sequence.evaluate(prompt as Token[], { ...sampling, yieldEogToken: true })) {
    out.push(token);
    if (out.length >= count) break;
  }
  return out;
}

function job(sequence: LlamaContextSequence, prompt: readonly number[], count: number, sampling = SAMPLED, signal = new AbortController().signal): DecodeJob & { out: number[] } {
  const out: number[] = [];
  return {
    out,
    sequence,
    prompt: prompt as Token[],
    sampling,
    signal,
    onToken: (token) => {
      out.push(token);
      return out.length < count;
    },
  };
}

describe('decode loop (node-llama-cpp native context, generated model)', function () {
  this.timeout(120_000);
  let llama: Llama;
  let model: LlamaModel;
  /** Counts node-llama-cpp's native decodes of the context made in `context()`. */
  let decodes = 0;
  let onDecode: (() => void) | undefined;
  const contexts: LlamaContext[] = [];
  /** `n` normal (text) token ids of the model's vocabulary, varied by `salt`. */
  let ids: (n: number, salt?: number) => number[];

  async function context(contextSize: number, sequences = 1): Promise<{ context: LlamaContext; loop: DecodeLoop }> {
    const created = await model.createContext({ contextSize, threads: 1, sequences });
    contexts.push(created);
    // Internal on purpose: the number of decodes is what the loop's batching is for.
    const internal = created as unknown as { _ctx: Record<string | symbol, unknown> };
    const native = internal._ctx;
    internal._ctx = new Proxy(native, {
      get(target, key) {
        const value = target[key];
        if (typeof value !== 'function') return value;
        const bound = (value as (...a: unknown[]) => unknown).bind(target);
        return key === 'decodeBatch'
          ? (...args: unknown[]) => {
              decodes++;
              onDecode?.();
              return bound(...args);
            }
          : bound;
      },
    });
    return { context: created, loop: new DecodeLoop(created) };
  }

  before(async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    const file = path.join(OUT_DIR, 'tame.gguf');
    writeTameModel(file);
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    llama = await getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: LlamaLogLevel.error });
    model = await llama.loadModel({ modelPath: file });
    const normal = model.fileInfo.metadata.tokenizer.ggml.tokens.length - 608;
    ids = (n, salt = 0) => Array.from({ length: n }, (_, i) => 608 + ((i * 37 + salt) % normal));
  });

  beforeEach(() => {
    decodes = 0;
    onDecode = undefined;
  });

  after(async () => {
    for (const created of contexts) await created.dispose();
    await model?.dispose();
    await llama?.dispose();
    rmSync(OUT_DIR, { recursive: true, force: true });
  });

  it('samples exactly the tokens node-llama-cpp evaluate() samples, for the same seed and settings', async () => {
    const { context: created, loop } = await context(512);
    const sequence = created.getSequence();
    const prompt = [1, ...ids(3)];
    for (const sampling of [SAMPLED, GREEDY]) {
      await sequence.clearHistory();
      const expected = await reference(sequence, prompt, 40, sampling);
      await sequence.clearHistory();
      const run = job(sequence, prompt, 40, sampling);
      assert.deepEqual(await loop.run(run), { end: 'stopped', reused: 0 });
      assert.deepEqual(run.out, expected, `temperature ${sampling.temperature}`);
    }
    sequence.dispose();
  });

  it('reuses the KV cache of an earlier turn, and a later turn goes on exactly', async () => {
    const { context: created, loop } = await context(512);
    const sequence = created.getSequence();
    const prompt = [1, ...ids(2, 5)];
    const whole = await reference(sequence, prompt, 20, GREEDY);
    await sequence.clearHistory();

    const first = job(sequence, prompt, 10, GREEDY);
    await loop.run(first);
    // The last sampled token is handed over, not decoded: the cache holds the prompt and nine.
    assert.deepEqual(sequence.contextTokens, [...prompt, ...first.out.slice(0, 9)]);
    assert.equal(sequence.nextTokenIndex, prompt.length + 9);

    decodes = 0;
    const second = job(sequence, [...prompt, ...first.out], 10, GREEDY);
    assert.deepEqual(await loop.run(second), { end: 'stopped', reused: prompt.length + 9 });
    assert.equal(decodes, 10, 'only the new token is decoded, then one decode a token');
    assert.deepEqual([...first.out, ...second.out], whole);
    sequence.dispose();
  });

  it('cuts the KV cache back to where a new prompt differs, and generates as from scratch', async () => {
    const { context: created, loop } = await context(512);
    const sequence = created.getSequence();
    const earlier = [1, ...ids(40, 1)];
    const edited = [...earlier.slice(0, 25), ...ids(30, 2)];
    const expected = await reference(sequence, edited, 8, GREEDY);
    await sequence.clearHistory();
    await loop.run(job(sequence, earlier, 3, GREEDY));
    decodes = 0;
    const run = job(sequence, edited, 8, GREEDY);
    assert.deepEqual(await loop.run(run), { end: 'stopped', reused: 25 });
    assert.equal(decodes, 8, 'the 30 new prompt tokens in one decode, then one a token');
    assert.deepEqual(run.out, expected);
    assert.deepEqual(sequence.contextTokens, [...edited, ...run.out.slice(0, 7)]);
    sequence.dispose();
  });

  it('decodes two sequences in one batch a step; one alone decodes once a token, with no wait', async () => {
    const { context: created, loop } = await context(256, 2);
    const [a, b] = [created.getSequence(), created.getSequence()];
    const [ja, jb] = [job(a, [1], 40), job(b, [1, ids(1, 9)[0]], 40, { ...SAMPLED, seed: 7 })];
    const ends = await Promise.all([loop.run(ja), loop.run(jb)]);
    assert.deepEqual(ends.map((result) => result.end), ['stopped', 'stopped']);
    assert.equal(ja.out.length + jb.out.length, 80);
    assert.equal(decodes, 40, `${decodes} decodes for two requests of 40 tokens: each step should decode both`);
    a.dispose();

    // What b's request alone would have sampled (its own seed): sharing batches changes nothing.
    await b.clearHistory();
    decodes = 0;
    const alone = job(b, [1, ids(1, 9)[0]], 40, { ...SAMPLED, seed: 7 });
    await loop.run(alone);
    assert.equal(decodes, 40);
    assert.deepEqual(alone.out, jb.out);
    b.dispose();
  });

  it('decodes a long prompt in slices and then generates what evaluate() generates', async () => {
    const { context: created, loop } = await context(1024);
    const sequence = created.getSequence();
    const prompt = [1, ...ids(599)];
    const expected = await reference(sequence, prompt, 5, GREEDY);
    await sequence.clearHistory();
    decodes = 0;
    const run = job(sequence, prompt, 5, GREEDY);
    await loop.run(run);
    assert.equal(decodes, Math.ceil(prompt.length / PROMPT_SLICE) + 4);
    assert.deepEqual(run.out, expected);
    sequence.dispose();
  });

  it('stops at a cancel between prompt slices, before sampling anything', async () => {
    const { context: created, loop } = await context(1024);
    const sequence = created.getSequence();
    const controller = new AbortController();
    onDecode = () => controller.abort();
    const run = job(sequence, [1, ...ids(700, 3)], 5, SAMPLED, controller.signal);
    assert.equal((await loop.run(run)).end, 'cancelled');
    assert.equal(decodes, 1);
    assert.deepEqual(run.out, []);
    assert.equal(sequence.nextTokenIndex, PROMPT_SLICE, 'the slice decoded is kept for the next turn');
    sequence.dispose();
  });

  it('ends with context-full when the context has no room for another token', async () => {
    const { context: created, loop } = await context(256);
    const sequence = created.getSequence();
    const size = created.contextSize;
    const run = job(sequence, [1, ...ids(size - 11, 4)], 1000);
    assert.equal((await loop.run(run)).end, 'context-full');
    // node-llama-cpp keeps one cell free, as its own evaluate() does.
    assert.equal(sequence.nextTokenIndex, size - 1);
    assert.equal(run.out.length, 10);
    sequence.dispose();
  });

  it('rejects a job on a disposed context with a clear error', async () => {
    const { context: created, loop } = await context(256);
    const sequence = created.getSequence();
    await created.dispose();
    await assert.rejects(loop.run(job(sequence, [1], 3)), /unloaded|disposed/i);
  });

  it('closes for an unload after the step in flight: its jobs end as cancelled, later ones are refused', async () => {
    const { context: created, loop } = await context(256);
    const sequence = created.getSequence();
    const run = job(sequence, [1], 1000);
    let closed: Promise<void> | undefined;
    onDecode = () => {
      if (decodes === 3) closed = loop.close();
    };
    assert.equal((await loop.run(run)).end, 'cancelled');
    await closed;
    assert.equal(decodes, 3, 'no decode after the close');
    assert.equal(run.out.length, 3);
    await created.dispose();
    await assert.rejects(loop.run(job(sequence, [1], 3)), /unloaded/);
  });
});
