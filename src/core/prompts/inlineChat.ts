// The standing instructions of an inline chat thread: the chat's own (answer language, fenced
// code), and that the question is about the attached lines, whose replacement, when the model
// proposes one, must come whole in one code block (Apply as edit puts that block in their place).
import { chatInstructions, type ResolvedLanguage } from './chat';

const INLINE: Record<ResolvedLanguage, string> = {
  ja: '質問は添付された選択範囲のコードについてです。変更を提案するときは、選択範囲の行全体を置き換える完全なコードをコードブロック 1 つで示してください。',
  en: 'The question is about the attached selected code. When you propose a change, give the complete replacement for the selected lines in a single code block.',
};

export function inlineInstructions(language: ResolvedLanguage): string {
  return `${chatInstructions(language)}\n${INLINE[language]}`;
}
