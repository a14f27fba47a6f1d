// Tokens/s inside grammar-constrained tool arguments against free generation, on the bench model
// (issue 14: target grammar / free >= 0.8).
//
// The engine constrains a tool call's arguments with llama.cpp's grammar sampler once the Harmony
// parser has read `<|start|>assistant<|channel|>commentary to=functions.NAME <|constrain|>json
// <|message|>` (src/engine/generate.ts). The bench models have random weights and the LLM-jp-3
// template: they never write that header, and the engine has no way to start a turn inside a tool
// call. So this section drives the engine's decode loop (src/engine/decodeLoop.ts, out/src) directly,
// as src/engine/generate.ts does and with nothing else in between: the same sampling (temperature
// 0.7, top-p 0.9, the loop's top-k 40; and greedy), the grammar passed as a function of the state
// as the engine passes it, and exactly the GBNF that
// src/core/tools/jsonSchemaGrammar.ts writes for the tool's schema (out/src, compiled), loaded
// with llama.createGrammar as src/engine/worker.ts loads it.
//
// A random model closes a JSON object whenever the grammar lets an end token through, so a
// constrained run is made of segments: each starts from the same prompt with a fresh grammar
// state and ends at the end token the complete grammar allows (counted, as the engine counts
// `<|call|>`), until TOKENS tokens are generated. Every timed token pays one decode: the prompt's
// last token is evaluated inside the timed call, the rest of it before.
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './build-llama-tools.mjs';
import { rawLlama } from './raw-llama.mjs';

const require = createRequire(import.meta.url);

export const TOKENS = 128;
export const TARGET = 0.8;
const MAX_SEGMENTS = 400;
const ANY_TEXT = 'any-text';
/** Tokens of a constrained segment's opening (`{"path":"` and the like) in the profile's split. */
const OPENING = 6;

/** A replace-in-file tool as an editing chat would offer it (the chat has only read-only tools yet). */
export const REPLACE_IN_FILE = {
  type: 'function',
  function: {
    name: 'replace_in_file',
    description: 'Replace exact passages of a text file of the workspace.',
    parameters: {
      type: 'object',
      properties: {
        path: { type: 'string', description: 'Relative to the workspace folder, e.g. src/app.ts' },
        edits: {
          type: 'array',
          minItems: 1,
          items: {
            type: 'object',
            properties: {
              old_text: { type: 'string', description: 'The exact text to replace' },
              new_text: { type: 'string', description: 'Its replacement' },
            },
            required: ['old_text', 'new_text'],
            additionalProperties: false,
          },
        },
      },
      required: ['path', 'edits'],
      additionalProperties: false,
    },
  },
};

function tools() {
  const core = path.join(repoRoot, 'out', 'src', 'core', 'tools');
  const { CHAT_TOOLS, READ_FILE } = require(path.join(core, 'chatTools.js'));
  const { jsonSchemaToGrammar } = require(path.join(core, 'jsonSchemaGrammar.js'));
  const readFile = CHAT_TOOLS.find((tool) => tool.function.name === READ_FILE);
  return { jsonSchemaToGrammar, list: [readFile, REPLACE_IN_FILE] };
}

/** A Harmony prompt that ends where the engine switches the grammar on (hand-written, the tools listed). */
function harmonyPrompt(tool, all) {
  const listed = all.map((t) => `// ${t.function.description}\ntype ${t.function.name} = (_: ${JSON.stringify(t.function.parameters)}) => any;`).join('\n\n');
  return '<|start|>system<|message|>You are a helpful assistant.\nReasoning: low\n# Valid channels: analysis, commentary, final.<|end|>' +
    `<|start|>developer<|message|># Tools\n\n## functions\n\nnamespace functions {\n\n${listed}\n\n} // namespace functions<|end|>` +
    '<|start|>user<|message|>src/engine/generate.ts を読んで、PROMPT_SLICE を PROMPT_CHUNK に置き換えてください。<|end|>' +
    `<|start|>assistant<|channel|>commentary to=functions.${tool.function.name} <|constrain|>json<|message|>`;
}

/**
 * Opens the model once and returns a measurer: `run(kind, sampling, seed)` generates TOKENS tokens
 * free ('free') or under a tool's grammar (the tool's name), from that tool's prompt.
 */
async function openBench(modelPath, { gpu, threads, contextSize = 4096 }) {
  const { LlamaGrammarEvaluationState } = await import('node-llama-cpp');
  const llama = await rawLlama(gpu);
  const model = await llama.loadModel({ modelPath, gpuLayers: gpu ? 'max' : 0 });
  const context = await model.createContext({ contextSize, threads, sequences: 1 });
  const sequence = context.getSequence();
  const { DecodeLoop } = await import('../out/src/engine/decodeLoop.js');
  const loop = new DecodeLoop(context);
  const signal = new AbortController().signal;
  const { jsonSchemaToGrammar, list } = tools();
  const grammars = new Map();
  for (const tool of list) {
    const text = jsonSchemaToGrammar(tool.function.parameters);
    grammars.set(tool.function.name, { text, grammar: await llama.createGrammar({ grammar: text }) });
  }
  // For the profile only: a grammar that lets every text through, so its whole-vocabulary pass
  // costs what the pass itself costs, whatever the JSON grammar's shape.
  grammars.set(ANY_TEXT, { text: 'root ::= [^\\x00]*\n', grammar: await llama.createGrammar({ grammar: 'root ::= [^\\x00]*\n' }) });
  const prompts = new Map(list.map((tool) => [tool.function.name, model.tokenize(harmonyPrompt(tool, list), true)]));
  prompts.set(ANY_TEXT, prompts.get(list[0].function.name));
  let loadedPrompt;

  /** Evaluates all of `prompt` but its last token, reusing what the sequence already holds. */
  async function preparePrompt(prompt) {
    const head = prompt.slice(0, -1);
    if (loadedPrompt === prompt && sequence.nextTokenIndex >= head.length) {
      await sequence.eraseContextTokenRanges([{ start: head.length, end: sequence.nextTokenIndex }]);
    } else {
      await sequence.clearHistory();
      await sequence.evaluateWithoutGeneratingNewTokens(head);
      loadedPrompt = prompt;
    }
    return prompt.at(-1);
  }

  /**
   * From the prompt's last token (the rest stays in the KV cache): tokens until an end token,
   * `limit` or the grammar's end. Through the decode loop; with `metadata`, through
   * node-llama-cpp's evaluateWithMetadata (the profile's whole-vocabulary path).
   */
  async function segment(prompt, options, limit, grammarName, metadata) {
    const grammar = grammarName ? grammars.get(grammarName).grammar : undefined;
    const state = grammar ? new LlamaGrammarEvaluationState({ model, grammar }) : undefined;
    const ids = [];
    const times = [];
    let eog = false;
    let started;
    let at;
    const take = (token) => {
      const now = performance.now();
      times.push(now - at);
      at = now;
      ids.push(token);
      eog = model.isEogToken(token);
      return !eog && ids.length < limit;
    };
    if (metadata) {
      const last = await preparePrompt(prompt);
      started = at = performance.now();
      const stream = sequence.evaluateWithMetadata([last], metadata, { ...options, grammarEvaluationState: state ? () => state : undefined, yieldEogToken: true });
      for await (const item of stream) if (!take(item.token)) break;
    } else {
      if (loadedPrompt !== prompt) {
        // The prompt's head decoded before the timed part, as preparePrompt does for evaluate().
        await preparePrompt(prompt);
      }
      started = at = performance.now();
      await loop.run({ sequence, prompt, sampling: { topP: 1, ...options }, grammar: state ? () => state : undefined, signal, onToken: take });
    }
    return { ids, times, eog, ms: performance.now() - started };
  }

  return {
    grammars,
    prompts,
    vocabSize: model.fileInfo.metadata.tokenizer.ggml.tokens.length,
    /**
     * TOKENS tokens, free or under `grammarName`'s grammar; `metadata` ({ confidence: true }) makes
     * node-llama-cpp apply the grammar to the whole vocabulary at every token (its forced path).
     */
    async run({ grammarName, promptOf, sampling, seed, metadata }) {
      const prompt = prompts.get(promptOf ?? grammarName);
      let tokens = 0;
      let ms = 0;
      let segments = 0;
      let complete = 0;
      let valid = 0;
      let sample;
      const times = [];
      while (tokens < TOKENS && segments < MAX_SEGMENTS) {
        const part = await segment(prompt, { ...sampling, seed: seed + segments }, TOKENS - tokens, grammarName, metadata);
        segments++;
        tokens += part.ids.length;
        ms += part.ms;
        if (segments === 1) times.push(...part.times);
        const text = model.detokenize(part.ids.filter((id) => !model.isEogToken(id)));
        sample ??= text;
        if (grammarName && part.eog) {
          complete++;
          try {
            JSON.parse(text);
            valid++;
          } catch {
            // counted below: complete but not JSON would mean the grammar let something through
          }
        }
        if (!grammarName) break; // free generation is one segment
      }
      return { tokens, ms, tps: (tokens * 1000) / ms, segments, complete, valid, sample, times };
    },
    async dispose() {
      await context.dispose();
      await model.dispose();
    },
  };
}

const fmt = (n, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');
const median = (xs) => {
  const s = xs.filter(Number.isFinite).sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const spread = (xs) => `${fmt(Math.min(...xs), 3)} / ${fmt(median(xs), 3)} / ${fmt(Math.max(...xs), 3)}`;
const short = (text, n = 60) => JSON.stringify(text.length > n ? `${text.slice(0, n)}…` : text);

/**
 * The grammar section: per repeat, free and constrained generation alternate (the order flips
 * each repeat), sampled and greedy, for read_file and replace_in_file; ratios per repeat.
 */
export async function grammarBench(modelPath, { gpu, threads, reps }, { out, table }) {
  const bench = await openBench(modelPath, { gpu, threads });
  try {
    const names = [...bench.grammars.keys()].filter((name) => name !== ANY_TEXT);
    out(`measured with the engine's decode loop directly (bench/grammar.mjs), not through the worker: the random model never writes a tool call's header, ` +
      `and the engine cannot start inside one. Same loop, sampling and grammar (jsonSchemaToGrammar's GBNF, llama.createGrammar) as src/engine/generate.ts.`);
    out(`vocabulary ${bench.vocabSize} tokens; ${TOKENS} tokens per measurement, each paying one decode; constrained runs restart from the prompt with a fresh grammar state ` +
      `when the JSON is complete (its end token counted), until ${TOKENS} tokens; ${reps} repeats, free and constrained alternating, the order flipped each repeat.`);
    for (const name of names) {
      out(`${name}: prompt ${bench.prompts.get(name).length} tokens; grammar (${bench.grammars.get(name).text.trim().split('\n').length} rules):`);
      for (const line of bench.grammars.get(name).text.trim().split('\n')) out(`    ${line}`);
    }
    const SAMPLED = { temperature: 0.7, topP: 0.9 };
    const GREEDY = { temperature: 0 };
    // Warm-up: both paths once, not counted.
    await bench.run({ promptOf: names[0], sampling: SAMPLED, seed: 1 });
    await bench.run({ grammarName: names[0], sampling: SAMPLED, seed: 1 });

    const reps_ = [];
    for (let i = 0; i < reps; i++) {
      const seed = 1000 * (i + 1);
      const row = {};
      const cases = [];
      for (const name of names) {
        cases.push([`free-${name}`, { promptOf: name, sampling: SAMPLED, seed }]);
        cases.push([`grammar-${name}`, { grammarName: name, sampling: SAMPLED, seed }]);
        cases.push([`free-greedy-${name}`, { promptOf: name, sampling: GREEDY, seed }]);
        cases.push([`grammar-greedy-${name}`, { grammarName: name, sampling: GREEDY, seed }]);
      }
      // Pairs (free, grammar) stay adjacent; which one goes first flips with the repeat.
      const ordered = [];
      for (let c = 0; c < cases.length; c += 2) ordered.push(...(i % 2 === 0 ? [cases[c], cases[c + 1]] : [cases[c + 1], cases[c]]));
      for (const [key, spec] of ordered) row[key] = await bench.run(spec);
      reps_.push(row);
    }

    out();
    const rows = [];
    for (const name of names) {
      for (const [label, free, constrained] of [['sampled 0.7 / 0.9', `free-${name}`, `grammar-${name}`], ['greedy', `free-greedy-${name}`, `grammar-greedy-${name}`]]) {
        reps_.forEach((r, i) => {
          const g = r[constrained];
          rows.push([name, label, i + 1, fmt(r[free].tps), fmt(g.tps), fmt(g.tps / r[free].tps, 3), `${g.segments} (${g.complete} complete, ${g.valid} JSON)`]);
        });
      }
    }
    table(['tool', 'sampling', 'rep', 'free t/s', 'grammar t/s', 'grammar / free', 'segments'], rows);
    out();
    const verdicts = [];
    for (const name of names) {
      const sampled = reps_.map((r) => r[`grammar-${name}`].tps / r[`free-${name}`].tps);
      const greedy = reps_.map((r) => r[`grammar-greedy-${name}`].tps / r[`free-greedy-${name}`].tps);
      const pass = median(sampled) >= TARGET;
      verdicts.push({ name, sampled, greedy, pass });
      out(`${name}: grammar / free, sampled (min / median / max) ${spread(sampled)}, target >= ${TARGET}: ${pass ? 'pass' : 'BELOW'}; greedy ${spread(greedy)}`);
      out(`  first constrained segment of rep 1: ${short(reps_[0][`grammar-${name}`].sample)}`);
    }

    // Profile: node-llama-cpp samples first and checks only the chosen token against the grammar;
    // when the grammar rejects it, it applies the grammar to all the vocabulary and samples again.
    // With `confidence` requested it takes that whole-vocabulary path at every token: the
    // difference per token is what one full grammar pass over the vocabulary costs.
    out();
    out(`profile: the whole-vocabulary grammar pass (node-llama-cpp's forced path: { confidence: true } applies the grammar to all ${bench.vocabSize} tokens before sampling)`);
    const profile = [];
    const mean = (xs) => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
    for (const name of [...names, ANY_TEXT]) {
      const plain = await bench.run({ promptOf: name, sampling: SAMPLED, seed: 7 });
      const fast = await bench.run({ grammarName: name, sampling: SAMPLED, seed: 7 });
      const free = await bench.run({ promptOf: name, sampling: SAMPLED, seed: 7, metadata: { confidence: true } });
      const forced = await bench.run({ grammarName: name, sampling: SAMPLED, seed: 7, metadata: { confidence: true } });
      const perToken = (r) => r.ms / r.tokens;
      const full = perToken(forced) - perToken(free);
      profile.push([
        name === ANY_TEXT ? `${ANY_TEXT} (root ::= [^\\x00]*)` : name,
        fmt(perToken(plain), 2), fmt(perToken(fast), 2),
        `${fmt(mean(fast.times.slice(0, OPENING)), 1)} / ${fmt(mean(fast.times.slice(OPENING)), 1)}`,
        fmt(perToken(free), 2), fmt(perToken(forced), 2), fmt(full, 1),
      ]);
    }
    table(['grammar', 'free ms/token', 'grammar ms/token', `grammar ms/token: first ${OPENING} / the rest`, 'free ms/token, forced path', 'grammar ms/token, forced path', 'one full pass ms'], profile);
    return { verdicts, reps: reps_, profile };
  } finally {
    await bench.dispose();
  }
}
