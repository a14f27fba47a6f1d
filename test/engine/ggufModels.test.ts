// Generated GGUF models (test/fixtures/gguf) through the real node-llama-cpp: they load with
// the intended metadata, are byte-reproducible, tame ones emit only normal pieces, and the
// scripted one emits its script exactly for prompts rendered by the LLM-jp-4 template.
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { Llama, LlamaContext, LlamaModel, Token } from 'node-llama-cpp';
import { renderChat, type ChatMessage } from '../../src/core/harmony';
import {
  FIRST_NORMAL_ID,
  promptIds,
  scriptTokenizer,
  writeRealVocabModel,
  writeScriptedModel,
  writeTameModel,
  sharedTokenizerFiles,
  type ScriptedModelInfo,
} from '../fixtures/gguf';
import { sharedTemplate } from '../fixtures/chat/reference';
import { READ_FILE, TOOL_CALL_TURN } from './models';

const REPO_ROOT = path.resolve(__dirname, '../../..');
const OUT_DIR = path.join(REPO_ROOT, 'test-output', 'gguf-tests');

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

async function loadLlama(): Promise<Llama> {
  const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
  // llama.cpp's retyping warnings are expected here (the tests assert the behaviour itself).
  return getLlama({ gpu: false, build: 'never', progressLogs: false, logLevel: LlamaLogLevel.error });
}

async function generate(context: LlamaContext, prompt: readonly number[], max: number, temperature = 0, seed?: number): Promise<number[]> {
  const sequence = context.getSequence();
  try {
    const out: number[] = [];
    for await (const token of sequence.evaluate(prompt as Token[], { temperature, seed, yieldEogToken: true })) {
      out.push(token);
      if (out.length >= max) break;
    }
    return out;
  } finally {
    sequence.dispose();
  }
}

const ANSWER_TURN =
  '<|channel|>final<|message|>READMEによると、テストは次のコマンドで実行します。\n```sh\nnpm test\n```\n以上です。<|return|>';

describe('generated GGUF models', function () {
  this.timeout(120_000);
  let llama: Llama;

  before(async () => {
    mkdirSync(OUT_DIR, { recursive: true });
    llama = await loadLlama();
  });

  after(async () => {
    await llama?.dispose();
    rmSync(OUT_DIR, { recursive: true, force: true });
  });

  it('are byte-reproducible: same inputs, same bytes; another seed, other bytes', () => {
    const a = path.join(OUT_DIR, 'repro-a.gguf');
    const b = path.join(OUT_DIR, 'repro-b.gguf');
    const c = path.join(OUT_DIR, 'repro-c.gguf');
    writeTameModel(a, { seed: 7 });
    writeTameModel(b, { seed: 7 });
    writeTameModel(c, { seed: 8 });
    assert.equal(sha256(a), sha256(b));
    assert.notEqual(sha256(a), sha256(c));
    writeScriptedModel(a, { turns: [TOOL_CALL_TURN, ANSWER_TURN] });
    writeScriptedModel(b, { turns: [TOOL_CALL_TURN, ANSWER_TURN] });
    assert.equal(sha256(a), sha256(b));
  });

  describe('tame llama (tiny 8B shape)', () => {
    let model: LlamaModel;
    let context: LlamaContext;
    const file = path.join(OUT_DIR, 'tame-llama.gguf');

    before(async () => {
      writeTameModel(file, { chatTemplate: sharedTemplate('chat_template-4.0.jinja') });
      model = await llama.loadModel({ modelPath: file });
      context = await model.createContext({ contextSize: 512, threads: 1, sequences: 1 });
    });

    after(async () => {
      await context?.dispose();
      await model?.dispose();
    });

    it('loads as llama with the intended metadata', () => {
      const m = model.fileInfo.metadata as unknown as Record<string, Record<string, unknown>>;
      assert.equal(model.fileInfo.version, 3);
      assert.equal(m.general.architecture, 'llama');
      assert.equal(m.general.alignment, 32);
      const arch = m.llama as Record<string, unknown>;
      assert.equal(arch.block_count, 2);
      assert.equal(arch.context_length, 65536);
      const attention = arch.attention as Record<string, unknown>;
      assert.equal(attention.head_count, 4);
      assert.equal(attention.head_count_kv, 2);
      assert.equal(attention.key_length, 16);
      assert.equal((arch.rope as Record<string, unknown>).freq_base, 500000);
      assert.equal((arch.rope as Record<string, unknown>).dimension_count, 16);
      assert.equal(model.tokens.bos, 1);
      assert.equal(model.tokens.eos, 2);
      assert.equal(model.tokens.eot, 2);
      assert.equal(model.detokenize([10] as Token[], true), '<|start|>');
      assert.equal(model.detokenize([352 + 0x41] as Token[], true), 'A');
      const tensor = model.fileInfo.tensorInfo?.find((t) => t.name === 'output.weight');
      assert.ok(tensor, 'output.weight present');
    });

    it('emits only normal pieces, greedy and sampled', async () => {
      const prompt = [1, 10, ...model.tokenize('user'), 12, ...model.tokenize('東京の天気は？'), 11, 10, ...model.tokenize('assistant')];
      const greedy = await generate(context, prompt, 40);
      const sampled = await generate(context, prompt, 60, 1, 42);
      assert.equal(greedy.length, 40);
      assert.equal(sampled.length, 60);
      for (const id of [...greedy, ...sampled]) assert.ok(id >= FIRST_NORMAL_ID, `id ${id} is a control or byte token`);
    });
  });

  it('tame qwen3moe (tiny 32B-A3B shape) loads and generates', async () => {
    const file = path.join(OUT_DIR, 'tame-moe.gguf');
    writeTameModel(file, { shape: 'tiny-moe' });
    const model = await llama.loadModel({ modelPath: file });
    try {
      const m = model.fileInfo.metadata as unknown as Record<string, Record<string, unknown>>;
      assert.equal(m.general.architecture, 'qwen3moe');
      assert.equal(m.qwen3moe.expert_count, 8);
      assert.equal(m.qwen3moe.expert_used_count, 2);
      assert.equal(m.qwen3moe.expert_feed_forward_length, 32);
      const names = new Set(model.fileInfo.tensorInfo?.map((t) => t.name));
      for (const n of ['ffn_gate_inp', 'ffn_gate_exps', 'ffn_up_exps', 'ffn_down_exps', 'attn_q_norm', 'attn_k_norm']) {
        assert.ok(names.has(`blk.1.${n}.weight`), n);
      }
      const context = await model.createContext({ contextSize: 256, threads: 1 });
      try {
        const out = await generate(context, [1, 10, 700, 701, 702], 20);
        assert.equal(out.length, 20);
        for (const id of out) assert.ok(id >= FIRST_NORMAL_ID, `id ${id}`);
      } finally {
        await context.dispose();
      }
    } finally {
      await model.dispose();
    }
  });

  describe('scripted model', () => {
    const template = sharedTemplate('chat_template-4.0.jinja');
    const file = path.join(OUT_DIR, 'scripted.gguf');
    let info: ScriptedModelInfo;
    let model: LlamaModel;
    let context: LlamaContext;

    before(async function () {
      if (template === undefined) this.skip(); // the prompts come from the 4.0 template in ../shared
      info = writeScriptedModel(file, { turns: [TOOL_CALL_TURN, ANSWER_TURN], chatTemplate: template });
      model = await llama.loadModel({ modelPath: file });
      context = await model.createContext({ contextSize: 4096, threads: 1 });
    });

    after(async () => {
      await context?.dispose();
      await model?.dispose();
    });

    function prompts(question: string): [number[], number[]] {
      const tokenizer = scriptTokenizer(info);
      const options = { tools: [READ_FILE], addGenerationPrompt: true, currentDate: '2026-11-23' };
      const first: ChatMessage[] = [{ role: 'user', content: question }];
      const second: ChatMessage[] = [
        ...first,
        {
          role: 'assistant',
          thinking: 'READMEを読んで確認します。',
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'read_file', arguments: { path: 'README.md' } } }],
        },
        { role: 'tool', tool_call_id: 'call_1', name: 'read_file', content: '# Demo\n\n```sh\nnpm test\n```\n' },
      ];
      return [promptIds(tokenizer, renderChat(template, first, options)), promptIds(tokenizer, renderChat(template, second, options))];
    }

    it('tokenizes each script to the pieces it emits', () => {
      const tokenizer = scriptTokenizer(info);
      assert.deepEqual(tokenizer.encodePrompt(TOOL_CALL_TURN), info.turnIds[0]);
      assert.deepEqual(tokenizer.encodePrompt(ANSWER_TURN), info.turnIds[1]);
      assert.equal(tokenizer.decode(info.turnIds[1]).includes('npm test'), true);
    });

    for (const question of ['READMEを読んで、テストの実行方法を教えて。', 'How do I run the tests? '.repeat(30) + '詳しく説明してください。']) {
      it(`emits the tool call, then the answer, for ${JSON.stringify(question.slice(0, 24))}…`, async () => {
        const [first, second] = prompts(question);
        const turn1 = await generate(context, first, info.turnIds[0].length);
        assert.deepEqual(turn1, info.turnIds[0]);
        const turn2 = await generate(context, second, info.turnIds[1].length);
        assert.deepEqual(turn2, info.turnIds[1]);
      });
    }

    it('scripts a plain answer with reasoning and a 4.1-style constrained call', async () => {
      const plain = path.join(OUT_DIR, 'scripted-plain.gguf');
      const plainInfo = writeScriptedModel(plain, {
        turns: [
          '<|channel|>analysis<|message|>挨拶に答える。<|end|><|start|>assistant<|channel|>final<|message|>こんにちは！<|return|>',
          {
            text: '<|channel|>commentary to=functions.read_file <|constrain|> json<|message|>{"path":"a.txt"}<|call|>',
            after: 'next turn please',
          },
        ],
      });
      const tokenizer = scriptTokenizer(plainInfo);
      const m = await llama.loadModel({ modelPath: plain });
      try {
        const ctx = await m.createContext({ contextSize: 1024, threads: 1 });
        try {
          const rendered = renderChat(undefined, [{ role: 'user', content: 'こんにちは' }], { addGenerationPrompt: true, currentDate: '2026-11-23' });
          assert.deepEqual(await generate(ctx, promptIds(tokenizer, rendered), plainInfo.turnIds[0].length), plainInfo.turnIds[0]);
          const withTrigger = rendered.replace('<|start|>assistant', '<|start|>user<|message|>next turn please<|end|><|start|>assistant');
          assert.deepEqual(await generate(ctx, promptIds(tokenizer, withTrigger), plainInfo.turnIds[1].length), plainInfo.turnIds[1]);
        } finally {
          await ctx.dispose();
        }
      } finally {
        await m.dispose();
      }
    });
  });

  describe('tame llama over the real LLM-jp-4 vocabulary', () => {
    const file = path.join(OUT_DIR, 'real-vocab.gguf');
    let model: LlamaModel;

    before(async function () {
      if (!sharedTokenizerFiles(REPO_ROOT)) {
        console.log(`    (skipped: ${path.resolve(REPO_ROOT, '..', 'shared', 'llm-jp-4')} is absent)`);
        this.skip();
      }
      writeRealVocabModel(file, REPO_ROOT, { chatTemplate: sharedTemplate('chat_template-4.0.jinja') });
      model = await llama.loadModel({ modelPath: file });
    });

    after(async () => {
      await model?.dispose();
    });

    it('has 196,608 tokens named as in tokenizer_config; <|return|>, <|call|> and <|endoftext|> end generation', () => {
      const tokens = (model.fileInfo.metadata as unknown as { tokenizer: { ggml: { tokens: string[] } } }).tokenizer.ggml.tokens;
      assert.equal(tokens.length, 196_608);
      assert.equal(model.detokenize([10, 9, 12, 13] as Token[], true), '<|start|><|channel|><|message|><|call|>');
      assert.equal(model.detokenize([196_607] as Token[], true).length > 0, true);
      const eog = Array.from({ length: 14 }, (_, id) => id).filter((id) => model.isEogToken(id as Token));
      // llama.cpp drops <|end|> from its end-of-generation set when <|return|> and <|call|> exist.
      assert.deepEqual(eog, [2, 4, 13]);
    });

    it("shows llama.cpp's retyping: <|start|> is matched even when special tokens are off", () => {
      // Observed with node-llama-cpp 3.22.1: llama.cpp logs retyping <|channel|>, <|message|>,
      // <|start|> and <|constrain|> to user-defined (its gpt-oss rule), which its tokenizer matches
      // in any text; <|end|> is matched in plain text too. <|call|>, <|return|>, <|startoftext|> and
      // the reserved ids stay control: only parse_special turns them into ids.
      for (const special of ['<|start|>', '<|channel|>', '<|message|>', '<|constrain|>', '<|end|>']) {
        const id = model.tokenize(special, true);
        assert.equal(id.length, 1, special);
        assert.deepEqual(model.tokenize(special, false), id, `${special} as plain text`);
      }
      for (const special of ['<|call|>', '<|return|>', '<|startoftext|>', '<|reserved_006|>']) {
        assert.equal(model.tokenize(special, true).length, 1, special);
        assert.ok(model.tokenize(special, false).length > 1, `${special} as plain text is split`);
      }
    });

    it('generates only normal pieces', async () => {
      const context = await model.createContext({ contextSize: 256, threads: 1 });
      try {
        const out = await generate(context, [1, 10, 609, 12, 41147, 11, 10], 20);
        for (const id of out) assert.ok(id >= FIRST_NORMAL_ID, `id ${id}`);
      } finally {
        await context.dispose();
      }
    });
  });
});
