// What each case of the panel benchmark posts: the extension's init and settings messages, and
// the turns and the transcript, built once so that every repeat streams the same tokens.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { longTranscript, runawayTurn, seededRandom, streamedTurn, tokenize } from './content.mjs';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The strings the extension sends in `init` to a Japanese VS Code: the panel's English strings
 * (src/core/panelStringsEn.ts, compiled to out/) through the Japanese l10n bundle.
 */
export function panelStrings() {
  const { PANEL_STRINGS_EN } = createRequire(import.meta.url)(path.join(repoRoot, 'out', 'src', 'core', 'panelStringsEn.js'));
  const ja = JSON.parse(readFileSync(path.join(repoRoot, 'l10n', 'bundle.l10n.ja.json'), 'utf8'));
  return Object.fromEntries(Object.entries(PANEL_STRINGS_EN).map(([key, english]) => [key, ja[english] ?? english]));
}

export function setupMessages() {
  return [
    { type: 'init', language: 'ja', strings: panelStrings() },
    {
      type: 'settings',
      settings: {
        models: [{ id: '/models/llm-jp-4-8b-instruct-Q4_K_M.gguf', label: 'LLM-jp-4 8B Q4_K_M' }],
        modelId: '/models/llm-jp-4-8b-instruct-Q4_K_M.gguf',
        reasoningEffort: 'medium',
        answerLanguage: 'auto',
        collapseReasoning: true,
      },
    },
  ];
}

export const deltasOf = (turn) => [...turn.reasoning.map((t) => ['reasoning', t]), ...turn.answer.map((t) => ['answer', t])];

/** The scenarios: what each posts, built once so every repeat streams the same tokens. */
export function scenarios() {
  const long = streamedTurn({ seed: 6, answerTokens: 10_000, reasoningTokens: 500, sentinel: '以上で説明を終わります。最後の一文です (flood-10k).' });
  const short = streamedTurn({ seed: 7, answerTokens: 500, reasoningTokens: 100, sentinel: '以上です (paced-short).' });
  const chat = longTranscript({ seed: 8, exchanges: 200, sentinel: '会話の最後の回答です (restore-end).' });
  const next = streamedTurn({ seed: 9, answerTokens: 2_000, reasoningTokens: 200, sentinel: '長い会話の続きの回答です (long-chat-next).' });
  const paced = streamedTurn({ seed: 10, answerTokens: 300, reasoningTokens: 0, sentinel: '長い会話の最後の回答です (long-chat-paced).' });
  const question = 'LLM-jp-4 をローカルで動かす方法を、コード例つきで詳しく説明してください。';
  return {
    long,
    chat,
    flood: { turnId: 'flood10k', question, deltas: deltasOf(long), sentinel: '(flood-10k).' },
    pacedShort: { turnId: 'pacedShort', question, deltas: deltasOf(short), rate: 100, sentinel: '(paced-short).' },
    tail: { turnId: 'tail', question, deltas: deltasOf(long), measureFrom: deltasOf(long).length - 500, rate: 100, sentinel: '(flood-10k).' },
    restore: { entries: chat, sentinel: '(restore-end).' },
    chatNext: { turnId: 'chatNext', question, deltas: deltasOf(next), sentinel: '(long-chat-next).' },
    chatPaced: { turnId: 'chatPaced', question: '続けてください。', deltas: deltasOf(paced), rate: 100, sentinel: '(long-chat-paced).' },
    ...runawayScenarios(),
  };
}

/**
 * Runaway blocks (issue 11, part 4): a 2,000-row table, a 30,000-line fenced code block and a
 * 2 MB line with no newline, each the middle of one answer, in two cases each:
 * - tail: the answer up to its last 300 tokens arrives unmeasured (in 16 KB deltas), the panel
 *   settles, then those 300 tokens stream at 100 tokens/s and the turn ends: the frames near the
 *   end of a huge block, which the panel drew whole on every frame;
 * - max rate: the whole answer, 8 tokens per delta, at up to 15,000 deltas/s.
 * Stop is clicked every 500 ms while a case is measured. `capMs` ends a run that has not finished
 * by then (the panel before the fix does not finish some of them).
 */
export function runawayScenarios() {
  const question = '大きな結果をそのまま出力してください。';
  const blocks = [
    ['table', { rows: 2_000 }],
    ['code', { lines: 30_000 }],
    ['line', { chars: 2_000_000 }],
  ];
  const scenarios = {};
  for (const [kind, options] of blocks) {
    const sentinel = `以上です (runaway-${kind}).`;
    const { answerText, tokens } = runawayTurn({ kind, seed: 11, sentinel, ...options });
    const common = { question, answerText, sentinel: `(runaway-${kind}).`, capMs: 120_000, stopEveryMs: 500, runaway: kind };
    const bulk = tokens.slice(0, -300).join('');
    const bulkDeltas = Array.from({ length: Math.ceil(bulk.length / 16_384) }, (_, i) => ['answer', bulk.slice(i * 16_384, (i + 1) * 16_384)]);
    scenarios[`${kind}Tail`] = { ...common, turnId: `${kind}Tail`, deltas: [...bulkDeltas, ...tokens.slice(-300).map((t) => ['answer', t])], measureFrom: bulkDeltas.length, settle: 'quiet', rate: 100 };
    const grouped = Array.from({ length: Math.ceil(tokens.length / 8) }, (_, i) => ['answer', tokens.slice(i * 8, (i + 1) * 8).join('')]);
    scenarios[`${kind}Flood`] = { ...common, turnId: `${kind}Flood`, deltas: grouped, rate: 15_000 };
  }
  return scenarios;
}

/**
 * Answers that end inside a long block, whose last line a split table or code block holds back
 * until the end: a table ending in the middle of its last row, a code block never closed. Only
 * their rendering is checked (streamed against stored), not timed.
 */
export function unfinishedBlocks() {
  const question = '続けてください。';
  return [
    ['table', runawayTurn({ kind: 'table', seed: 12, rows: 300, sentinel: '' }).answerText.replace(/\n\n$/, '').replace(/ \|$/, ' (unfinished-table).')],
    ['code', runawayTurn({ kind: 'code', seed: 12, lines: 600, sentinel: '' }).answerText.replace(/\n```\n\n$/, '\n  // (unfinished-code).')],
  ].map(([kind, answerText]) => {
    const tokens = tokenize(answerText, seededRandom(13));
    const deltas = Array.from({ length: Math.ceil(tokens.length / 8) }, (_, i) => ['answer', tokens.slice(i * 8, (i + 1) * 8).join('')]);
    return { kind, turnId: `unfinished-${kind}`, question, answerText, deltas, sentinel: `(unfinished-${kind}).` };
  });
}
