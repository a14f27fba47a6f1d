// What each case of the panel benchmark posts: the extension's init and settings messages, and
// the turns and the transcript, built once so that every repeat streams the same tokens.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { longTranscript, streamedTurn } from './content.mjs';

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
  };
}
