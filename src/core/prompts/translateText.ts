// "@llmjp /translate": a text the user typed or selected, into the other language (Japanese ⇄
// English, decided by the text as Translate Comments decides it). The text is the question's
// attachment, never part of the instructions; the answer is the translation alone.
import type { ResolvedLanguage } from './chat';
import { translationTarget } from './editorTasks';

const INSTRUCTIONS: Record<ResolvedLanguage, string> = {
  ja: 'あなたは技術文書の翻訳者です。添付されたテキストを自然な日本語に翻訳してください。コード、識別子、URL、Markdown の記法はそのまま残し、訳文だけを出力してください。',
  en: 'You translate technical text. Translate the attached text into natural English. Keep code, identifiers, URLs and Markdown syntax as they are, and reply with the translation only.',
};

const QUESTION: Record<ResolvedLanguage, string> = {
  ja: '次のテキストを日本語に翻訳してください。',
  en: 'Translate this text into English.',
};

export interface TranslateTextPrompt {
  readonly target: ResolvedLanguage;
  readonly instructions: string;
  readonly question: string;
}

export function translateTextPrompt(text: string): TranslateTextPrompt {
  const target = translationTarget(text);
  return { target, instructions: INSTRUCTIONS[target], question: QUESTION[target] };
}
