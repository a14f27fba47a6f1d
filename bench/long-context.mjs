// Long context: time to first token and generation speed with 1k, 16k and 60k tokens in the
// context, the engine against llama-server and against `llama-bench -d` at the same depths, and
// whether a follow-up turn after a 16k-token file evaluates only its new tokens.
import path from 'node:path';
import { clientTokensPerSecond, engineModules, newClient, timedRequest } from './engine.mjs';
import { runLlamaBench } from './llama-bench.mjs';
import { SERVER_SAMPLING, startLlamaServer, streamChat, streamTokensPerSecond } from './llama-server.mjs';
import { mixedText } from './texts.mjs';

export const DEPTHS = [1024, 16384, 60000];
const GENERATE = 128;

/** The prompt text of about `tokens` tokens for this model (characters per token measured once). */
export async function promptOf(client, tokens, seed) {
  const probe = mixedText(4000, 77);
  const [counted] = await client.count([probe]);
  return mixedText(Math.round((tokens * probe.length) / counted), seed);
}

export async function longContextBench(modelPath, reference, options, { out, table, fmt, batch }) {
  const contextSize = Math.min(65536, Math.max(...options.depths) + 2048);
  const { client } = newClient();
  const rows = [];
  let followUp;
  try {
    await client.load({ modelPath, gpu: options.gpu ? 'auto' : false, threads: options.threads, contextSize });
    await timedRequest(client, { messages: [{ role: 'user', content: 'warm-up' }], maxTokens: 8 }); // as llama-server warms up at start
    out(`engine and llama-server with a ${contextSize}-token context; llama-bench -p D -n 0 (TTFT) and -d D -p 0 -n ${GENERATE} (tg at depth D)`);
    const server = reference.server
      ? await startLlamaServer(reference.server, { model: modelPath, threads: options.threads, batch, contextSize, gpu: options.gpu }, { cwd: reference.cwd })
      : { failure: reference.failure ?? 'not built' };
    try {
      for (const depth of options.depths) {
        const text = await promptOf(client, depth, depth);
        const engine = await timedRequest(client, { conversation: `depth-${depth}`, messages: [{ role: 'user', content: text }], maxTokens: GENERATE });
        const engineTtft = engine.firstTextAt - engine.sentAt;
        let served = { ttft: NaN, tps: NaN, prompt: NaN };
        if (!server.failure) {
          const result = await streamChat(server.baseUrl, { messages: [{ role: 'user', content: text }], max_tokens: GENERATE, ignore_eos: true, cache_prompt: false, ...SERVER_SAMPLING });
          served = { ttft: result.firstTextAt - result.sentAt, tps: streamTokensPerSecond(result), prompt: result.timings?.prompt_n };
        }
        const bench = { model: modelPath, threads: options.threads, batch, gpu: options.gpu };
        const pp = reference.bench ? runLlamaBench(reference.bench, { ...bench, prompt: engine.usage.evaluatedTokens, generate: 0 }, { cwd: reference.cwd, timeoutMs: 3_600_000 }) : { failure: 'no llama-bench' };
        const tg = reference.bench ? runLlamaBench(reference.bench, { ...bench, prompt: 0, generate: GENERATE, depth: engine.usage.promptTokens }, { cwd: reference.cwd, timeoutMs: 3_600_000 }) : { failure: 'no llama-bench' };
        const benchTtft = pp.failure ? NaN : (engine.usage.evaluatedTokens * 1000) / pp.pp;
        const engineTg = clientTokensPerSecond(engine);
        rows.push([
          depth, `${engine.usage.promptTokens} / ${served.prompt ?? '-'}`,
          fmt(engineTtft, 0), fmt(served.ttft, 0), pp.failure ?? fmt(benchTtft, 0), fmt(engineTtft / benchTtft, 3),
          fmt(engineTg), fmt(served.tps), tg.failure ?? fmt(tg.tg), fmt(engineTg / tg.tg, 3), fmt(engineTg / served.tps, 3),
        ]);
        if (depth >= 16384 && !followUp) followUp = await followUpTurn(client, depth);
      }
    } finally {
      await server.stop?.();
    }
  } finally {
    client.dispose();
  }
  table(['depth', 'prompt tokens engine / server', 'TTFT engine ms', 'TTFT llama-server ms', 'TTFT llama-bench ms (pp)', 'TTFT engine / llama-bench',
    'tg engine t/s', 'tg llama-server t/s', 'tg llama-bench -d t/s', 'tg engine / llama-bench', 'tg engine / llama-server'], rows);
  if (followUp) {
    out(`follow-up after a ${followUp.fileTokens}-token file: prompt ${followUp.usage.promptTokens} tokens, reused ${followUp.usage.reusedTokens}, ` +
      `evaluated ${followUp.usage.evaluatedTokens} (the new question and the answer before it), TTFT ${fmt(followUp.ttft, 0)} ms against ${fmt(followUp.coldTtft, 0)} ms cold: ` +
      `${followUp.onlyNew ? 'only the new tokens were evaluated' : 'NOT only the new tokens'}`);
  }
  return { rows, followUp };
}

/** A file of about `tokens` tokens attached to a question, then a follow-up in the same conversation. */
async function followUpTurn(client, tokens) {
  const { attachContext } = engineModules();
  const file = { label: path.join('src', 'big.ts'), text: await promptOf(client, tokens - 64, 4242) };
  const question = { role: 'user', content: 'このファイルを説明してください' };
  const conversation = `follow-up-${Date.now()}`;
  const cold = await timedRequest(client, { conversation, messages: [question], context: [file], maxTokens: 16 });
  const history = [...attachContext([question], [file]), { role: 'assistant', content: cold.text }];
  const warm = await timedRequest(client, { conversation, messages: [...history, { role: 'user', content: '要点を三つにまとめてください' }], maxTokens: 16 });
  return {
    fileTokens: cold.usage.promptTokens,
    usage: warm.usage,
    ttft: warm.firstTextAt - warm.sentAt,
    coldTtft: cold.firstTextAt - cold.sentAt,
    onlyNew: warm.usage.reusedTokens >= cold.usage.promptTokens && warm.usage.evaluatedTokens < 64,
  };
}
