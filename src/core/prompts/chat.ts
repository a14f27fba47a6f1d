// The chat's standing instructions: which language to answer in, and how to show code. They go
// where the chat template expects instructions: a first `system` message, which LLM-jp-4's
// template writes as the developer message's "# Instructions" (it treats a leading system and
// developer message alike) and LLM-jp-3's as its fixed instruction sentence. The text is fixed
// per language, never built from user input, so it stays byte-identical turn after turn.
import type { AnswerLanguage } from '../protocol';

export type ResolvedLanguage = 'ja' | 'en';

/** `auto` follows VS Code's display language: Japanese for `ja*`, English otherwise. */
export function resolveAnswerLanguage(setting: AnswerLanguage, displayLanguage: string): ResolvedLanguage {
  if (setting !== 'auto') return setting;
  return displayLanguage.toLowerCase().startsWith('ja') ? 'ja' : 'en';
}

const INSTRUCTIONS: Record<ResolvedLanguage, string> = {
  ja: 'あなたは VS Code の中で働くプログラミング支援アシスタントです。日本語で回答してください。コードは言語名を付けたコードブロックで示してください。',
  en: 'You are a programming assistant inside VS Code. Answer in English. Show code in fenced code blocks that name the language.',
};

export function chatInstructions(language: ResolvedLanguage): string {
  return INSTRUCTIONS[language];
}

