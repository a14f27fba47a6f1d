// A commit message for a 2,000-line diff, as the Source Control button writes it: the same
// orchestration (out/src/core/commit/commitRun.js: skip rules, pieces within the context,
// summaries, the final message) over the engine client. Reports the time to the first character
// the box would show and the total time; the bench models have random weights, so the words are
// noise and only the times mean something.
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from './build-llama-tools.mjs';

const require = createRequire(import.meta.url);

/** A deterministic staged diff of `lines` added and changed lines over several TypeScript files, plus a lockfile. */
export function benchDiff(lines = 2_000, files = 10) {
  const sections = [];
  const perFile = Math.ceil(lines / files);
  for (let f = 0; f < files; f++) {
    const body = [];
    for (let i = 0; i < perFile; i++) {
      body.push(i % 7 === 0 ? `+// 税込み価格を計算する補助関数 ${f}-${i}` : `+export function price${f}_${i}(value: number): number { return Math.round(value * ${1 + (i % 10) / 100}); }`);
    }
    sections.push(`diff --git a/src/pricing/module${f}.ts b/src/pricing/module${f}.ts\nnew file mode 100644\nindex 0000000..1111111\n--- /dev/null\n+++ b/src/pricing/module${f}.ts\n@@ -0,0 +1,${perFile} @@\n${body.join('\n')}\n`);
  }
  const lock = Array.from({ length: 400 }, (_, i) => `+    "node_modules/pkg-${i}": { "version": "1.0.${i}" },`);
  sections.push(`diff --git a/package-lock.json b/package-lock.json\nindex 2222222..3333333 100644\n--- a/package-lock.json\n+++ b/package-lock.json\n@@ -1,0 +1,${lock.length} @@\n${lock.join('\n')}\n`);
  return sections.join('');
}

const STYLE = { language: 'ja', conventional: false, subjectLimit: 72, recentSubjects: ['Fix the tokenizer cache', 'Add the commit message command'], ownSubjects: [], extraInstructions: '' };

/** Times one commit message of `benchDiff()` on the loaded model of `client`. */
export async function commitMessageBench(client, info, out) {
  const core = path.join(repoRoot, 'out', 'src', 'core');
  const { writeCommitMessage } = require(path.join(core, 'commit', 'commitRun.js'));
  const { commitMessagePrompt, pieceSummaryPrompt } = require(path.join(core, 'prompts', 'commitMessage.js'));
  const { instructionTexts, materialBudget } = require(path.join(core, 'commit', 'commitBudget.js'));
  const diff = benchDiff();
  const prompt = { style: STYLE, hint: '', source: 'staged' };
  const overhead = async (p) => (await client.count(instructionTexts(p))).reduce((a, b) => a + b, 0);
  const instructions = Math.max(
    await overhead(commitMessagePrompt({ ...prompt, files: [], skipped: [] }, { summaries: [] })),
    await overhead(pieceSummaryPrompt({ paths: [], text: '', tokens: 0 }, STYLE, '')),
  );
  let requests = 0;
  let promptTokens = 0;
  let generatedTokens = 0;
  const model = {
    budget: materialBudget(info.contextSize, instructions),
    count: (items) => client.count(items),
    async *complete(p, options, signal) {
      requests++;
      let answer = '';
      let stopReason = 'error';
      let error;
      const request = { messages: p.messages, context: p.context, reasoningEffort: 'low', maxTokens: options.maxTokens };
      for await (const event of client.generate(request, signal)) {
        if (event.type === 'answer') {
          answer += event.text;
          yield event.text;
        } else if (event.type === 'usage') {
          promptTokens += event.usage.promptTokens;
          generatedTokens += event.usage.generatedTokens;
        } else if (event.type === 'done') {
          stopReason = event.reason === 'cancelled' ? 'cancelled' : event.reason === 'length' ? 'length' : 'stop';
        } else if (event.type === 'error') {
          error = `${event.error.code}: ${event.error.message.en}`;
        }
      }
      return { answer, stopReason, ...(error ? { error } : {}) };
    },
  };
  const started = performance.now();
  let firstCharacterMs;
  let plan;
  const run = writeCommitMessage({ diff, prompt }, model, new AbortController().signal);
  let outcome;
  for (;;) {
    const next = await run.next();
    if (next.done) {
      outcome = next.value;
      break;
    }
    if (next.value.type === 'planned') plan = next.value.plan;
    if (next.value.type === 'message' && next.value.text !== '') firstCharacterMs ??= performance.now() - started;
  }
  const totalMs = performance.now() - started;
  const lines = diff.split('\n').length;
  out(`diff: ${lines} lines, ${plan?.included.length ?? 0} files included, skipped ${plan?.skipped.map((s) => `${s.path} (${s.reason})`).join(', ') || 'none'}; ` +
    `context ${info.contextSize}, material budget ${model.budget} tokens per prompt, ${plan?.pieces.length ?? 0} piece(s)${outcome.summarized ? ', summarized then combined' : ', one request'}`);
  out(`  time to first character in the box: ${firstCharacterMs === undefined ? '-' : `${(firstCharacterMs / 1000).toFixed(2)} s`}; ` +
    `total ${(totalMs / 1000).toFixed(2)} s; ${requests} requests, ${promptTokens} prompt tokens, ${generatedTokens} generated; ended ${outcome.stopReason}` +
    (outcome.error ? ` (${outcome.error})` : ''));
  return { firstCharacterMs, totalMs, requests, pieces: plan?.pieces.length ?? 0, stopReason: outcome.stopReason };
}
