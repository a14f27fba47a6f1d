// The one error the model tools of src/vscode/tools throw: a sentence in English and in Japanese
// that the tool runner hands to the model (English) and shows on the tool card (the UI language).
// No `vscode` import, so the pure helpers beside it can throw it in plain Node tests too.
import type { LocalizedText } from '../../core/generation/types';

export class ToolFailure extends Error {
  constructor(readonly text: LocalizedText) {
    super(text.en);
    this.name = 'ToolFailure';
  }
}

export function toolFailure(en: string, ja: string): ToolFailure {
  return new ToolFailure({ en, ja });
}
