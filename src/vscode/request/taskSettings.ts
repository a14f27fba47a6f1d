// The user's settings every task reads: which language answers are in, how hard the model thinks.
import * as vscode from 'vscode';
import type { ReasoningEffort } from '../../core/harmony/types';
import { resolveAnswerLanguage, type ResolvedLanguage } from '../../core/prompts/chat';
import type { AnswerLanguage } from '../../core/protocol';

const SECTION = 'llmJp';

export function answerLanguageSetting(): AnswerLanguage {
  const value = vscode.workspace.getConfiguration(SECTION).get<string>('answerLanguage', 'auto');
  return value === 'ja' || value === 'en' ? value : 'auto';
}

/** The language answers are asked in now. */
export function answerLanguage(): ResolvedLanguage {
  return resolveAnswerLanguage(answerLanguageSetting(), vscode.env.language);
}

export function reasoningEffortSetting(): ReasoningEffort {
  const value = vscode.workspace.getConfiguration(SECTION).get<string>('reasoningEffort', 'medium');
  return value === 'low' || value === 'high' ? value : 'medium';
}
