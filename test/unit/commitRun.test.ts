import * as assert from 'node:assert/strict';
import { writeCommitMessage, type CommitModel, type CommitRunEvent, type CommitRunOutcome, type CompletionOutcome } from '../../src/core/commit/commitRun';
import type { CommitPrompt } from '../../src/core/prompts/commitMessage';

const tokens = (text: string): number => Math.ceil(text.length / 4);

type Kind = 'summary' | 'merge' | 'message';

function kindOf(prompt: CommitPrompt): Kind {
  const system = prompt.messages[0].content ?? '';
  if (system.startsWith('You summarize one part')) return 'summary';
  if (system.startsWith('You merge summaries')) return 'merge';
  return 'message';
}

interface Script {
  /** The answer for the n-th request of its kind, in chunks, and how it ends. */
  answer(kind: Kind, n: number): { readonly chunks: readonly string[]; readonly outcome?: Partial<CompletionOutcome> };
}

function scripted(budget: number, script: Script): CommitModel & { readonly prompts: { kind: Kind; prompt: CommitPrompt; maxTokens: number }[] } {
  const prompts: { kind: Kind; prompt: CommitPrompt; maxTokens: number }[] = [];
  const seen: Record<Kind, number> = { summary: 0, merge: 0, message: 0 };
  return {
    budget,
    prompts,
    count: async (texts) => texts.map(tokens),
    async *complete(prompt, options, signal) {
      const kind = kindOf(prompt);
      prompts.push({ kind, prompt, maxTokens: options.maxTokens });
      const { chunks, outcome } = script.answer(kind, seen[kind]++);
      let answer = '';
      for (const chunk of chunks) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        if (signal.aborted) return { answer, stopReason: 'cancelled' };
        answer += chunk;
        yield chunk;
      }
      return { answer, stopReason: 'stop', ...outcome };
    },
  };
}

async function run(
  diff: string,
  model: CommitModel,
  controller = new AbortController(),
  onEvent: (event: CommitRunEvent) => void = () => undefined,
): Promise<{ events: CommitRunEvent[]; outcome: CommitRunOutcome }> {
  const events: CommitRunEvent[] = [];
  const generator = writeCommitMessage({ diff, prompt: { style: { language: 'en', conventional: true, subjectLimit: 72, recentSubjects: [], ownSubjects: [], extraInstructions: '' }, hint: '', source: 'staged' } }, model, controller.signal);
  for (;;) {
    const next = await generator.next();
    if (next.done) return { events, outcome: next.value };
    events.push(next.value);
    onEvent(next.value);
  }
}

function fileDiff(path: string, lines: number, tag = path): string {
  const body = Array.from({ length: lines }, (_, i) => `+${tag} line ${i} with some text`);
  return [`diff --git a/${path} b/${path}`, 'index 1111111..2222222 100644', `--- a/${path}`, `+++ b/${path}`, `@@ -1,0 +1,${lines} @@`, ...body, ''].join('\n');
}

const MESSAGE = 'feat: add commit messages\n\n- read the staged diff';

function materialTokens(prompt: CommitPrompt): number {
  return prompt.context.reduce((sum, c) => sum + tokens(c.text), 0) + Math.max(0, prompt.context.length - 1);
}

describe('commit run', () => {
  it('writes the message from the whole diff when it fits, streaming it cleaned', async () => {
    const model = scripted(10_000, { answer: () => ({ chunks: ['Here is the commit message:\n', '```\n', 'feat: add commit', ' messages\n', '- read the staged diff\n', '```\n', 'Hope this helps!'] }) });
    const { events, outcome } = await run(fileDiff('src/a.ts', 5), model);
    assert.equal(events[0].type, 'planned');
    assert.deepEqual(model.prompts.map((p) => p.kind), ['message']);
    assert.ok(model.prompts[0].prompt.context[0].text.includes('+src/a.ts line 4'));
    const shown = events.flatMap((e) => (e.type === 'message' ? [e.text] : []));
    assert.deepEqual(shown, ['feat: add commit', 'feat: add commit messages', MESSAGE]);
    assert.deepEqual({ ...outcome, plan: undefined }, { stopReason: 'stop', message: MESSAGE, plan: undefined, summarized: false });
  });

  it('summarizes a 20,000-line diff piece by piece, merges the summaries, and names the skipped lockfile', async () => {
    const parts = [fileDiff('package-lock.json', 3000, 'lock')];
    for (let f = 0; f < 34; f++) parts.push(fileDiff(`src/m${f}.ts`, 500));
    const diff = parts.join('');
    assert.ok(diff.split('\n').length > 20_000);
    const budget = 4000;
    const model = scripted(budget, {
      answer: (kind, n) =>
        kind === 'summary'
          ? { chunks: [`- piece ${n}: ${'changes the module so that it does more things; '.repeat(12)}`] }
          : kind === 'merge'
            ? { chunks: [`- merged ${n}: ${'several modules changed; '.repeat(6)}`] }
            : { chunks: ['feat: rework ', 'all modules'] },
    });
    const start = performance.now();
    const { events, outcome } = await run(diff, model);
    assert.ok(performance.now() - start < 5000);
    assert.equal(outcome.stopReason, 'stop');
    assert.equal(outcome.message, 'feat: rework all modules');
    assert.equal(outcome.summarized, true);
    assert.deepEqual(outcome.plan.skipped, [{ path: 'package-lock.json', reason: 'lockfile' }]);
    const kinds = model.prompts.map((p) => p.kind);
    const summaries = kinds.filter((k) => k === 'summary').length;
    assert.equal(summaries, outcome.plan.pieces.length);
    assert.ok(summaries > 10, `${summaries} pieces`);
    assert.ok(kinds.includes('merge'));
    assert.equal(kinds[kinds.length - 1], 'message');
    for (const { prompt } of model.prompts) assert.ok(materialTokens(prompt) <= budget, `${materialTokens(prompt)} > ${budget}`);
    for (const { prompt } of model.prompts) assert.ok(!prompt.context.some((c) => c.text.includes('+lock line')));
    const final = model.prompts[model.prompts.length - 1].prompt;
    assert.match(final.messages[1].content ?? '', /package-lock\.json \(lockfile\)/);
    assert.match(final.context[0].label, /Summaries/);
    const progress = events.flatMap((e) => (e.type === 'summarizing' ? [e] : []));
    assert.ok(progress.every((p, i) => i === 0 || p.done >= progress[i - 1].done));
    assert.equal(progress[progress.length - 1].done, progress[progress.length - 1].of);
    assert.equal(events.filter((e) => e.type === 'planned').length, 1);
  });

  it('stops when cancelled while the message streams, with no message', async () => {
    const controller = new AbortController();
    const model = scripted(10_000, { answer: () => ({ chunks: ['feat: a', 'dd x\n', '- one\n', '- two\n', '- three\n'] }) });
    const { events, outcome } = await run(fileDiff('src/a.ts', 5), model, controller, (e) => {
      if (e.type === 'message') controller.abort();
    });
    assert.equal(outcome.stopReason, 'cancelled');
    assert.equal(outcome.message, '');
    assert.equal(events.filter((e) => e.type === 'message').length, 1);
  });

  it('ends with the error of a failed summary and sends no further request', async () => {
    const diff = Array.from({ length: 6 }, (_, i) => fileDiff(`src/f${i}.ts`, 100)).join('');
    const model = scripted(1000, {
      answer: (kind, n) => (kind === 'summary' && n === 1 ? { chunks: ['- half'], outcome: { stopReason: 'error', error: 'worker crashed' } } : { chunks: ['- ok'] }),
    });
    const { outcome } = await run(diff, model);
    assert.deepEqual([outcome.stopReason, outcome.error, outcome.message], ['error', 'worker crashed', '']);
    assert.deepEqual(model.prompts.map((p) => p.kind), ['summary', 'summary']);
  });

  it('writes a message from the file list when only a lockfile changed, and is empty without files', async () => {
    const model = scripted(10_000, { answer: () => ({ chunks: ['chore: update lockfile'] }) });
    const { outcome } = await run(fileDiff('yarn.lock', 200), model);
    assert.deepEqual([outcome.stopReason, outcome.message], ['stop', 'chore: update lockfile']);
    assert.deepEqual(model.prompts[0].prompt.context, []);
    assert.match(model.prompts[0].prompt.messages[1].content ?? '', /yarn\.lock \(lockfile\)/);
    const none = scripted(10_000, { answer: () => ({ chunks: ['x'] }) });
    const empty = await run('', none);
    assert.equal(empty.outcome.stopReason, 'empty');
    assert.equal(none.prompts.length, 0);
  });

  it('reports a failing token counter as an error', async () => {
    const model = { ...scripted(10, { answer: () => ({ chunks: ['x'] }) }), count: async (): Promise<readonly number[]> => { throw new Error('no model'); } };
    const { outcome } = await run(fileDiff('src/a.ts', 5), model);
    assert.deepEqual([outcome.stopReason, outcome.error], ['error', 'no model']);
  });
});
