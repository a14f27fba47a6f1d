// The header: model, reasoning-effort and answer-language pickers, and New Chat. The pickers show
// what the extension's `settings` message says; a choice is posted and the extension answers with
// new settings, so the panel never keeps its own copy of a setting.
import type { AnswerLanguage, PanelSettings, PanelStrings } from '../src/core/protocol';
import type { ReasoningEffort } from '../src/core/harmony/types';
import { element, setButtonLabel } from './dom';
import type { VscodeSingleSelect } from './elements';
import { post } from './vscodeApi';

/** The model picker's last entry, which opens the Choose Model quick pick instead of selecting. */
const CHOOSE_MODEL = ':choose-model:';

const EFFORTS: readonly ReasoningEffort[] = ['low', 'medium', 'high'];
const LANGUAGES: readonly AnswerLanguage[] = ['auto', 'ja', 'en'];

function picker(id: string): VscodeSingleSelect {
  return document.getElementById(id) as VscodeSingleSelect;
}

function setOptions(select: VscodeSingleSelect, options: readonly { value: string; label: string; description?: string }[], value: string): void {
  select.replaceChildren(
    ...options.map(({ value: optionValue, label, description }) => {
      const option = element('vscode-option', undefined, label);
      option.value = optionValue;
      if (description) option.description = description;
      option.selected = optionValue === value;
      return option;
    }),
  );
  select.value = value;
}

export class Controls {
  private readonly model = picker('model-picker');
  private readonly effort = picker('effort-picker');
  private readonly language = picker('language-picker');
  private readonly newChat = document.getElementById('new-chat') as HTMLElement;
  private settings: PanelSettings | undefined;
  private strings: PanelStrings | undefined;

  constructor() {
    this.model.addEventListener('change', () => {
      if (this.model.value === CHOOSE_MODEL) {
        // Not a model: put the current one back and let the extension open its quick pick.
        this.model.value = this.settings?.modelId ?? '';
        post({ type: 'chooseModel' });
      } else if (this.model.value !== this.settings?.modelId) post({ type: 'setModel', id: this.model.value });
    });
    this.effort.addEventListener('change', () => {
      const effort = this.effort.value as ReasoningEffort;
      if (EFFORTS.includes(effort)) post({ type: 'setReasoningEffort', effort });
    });
    this.language.addEventListener('change', () => {
      const language = this.language.value as AnswerLanguage;
      if (LANGUAGES.includes(language)) post({ type: 'setAnswerLanguage', language });
    });
    this.newChat.addEventListener('click', () => post({ type: 'newChat' }));
  }

  applyStrings(strings: PanelStrings): void {
    this.strings = strings;
    setButtonLabel(this.newChat, strings.newChat);
    for (const [select, label] of [
      [this.model, strings.model],
      [this.effort, strings.reasoningEffort],
      [this.language, strings.answerLanguage],
    ] as const) {
      select.setAttribute('aria-label', label);
      if (select.parentElement) select.parentElement.title = label;
    }
    if (this.settings) this.applySettings(this.settings);
  }

  applySettings(settings: PanelSettings): void {
    this.settings = settings;
    const s = this.strings;
    if (!s) return;
    const models = settings.models.map((model) => ({ value: model.id, label: model.label, description: model.detail }));
    const current = settings.models.some((model) => model.id === settings.modelId) ? settings.modelId! : '';
    // With no model in use the picker says so rather than showing the first model as chosen.
    const none = current === '' && models.length > 0 ? [{ value: '', label: s.model }] : [];
    setOptions(this.model, [...none, ...models, { value: CHOOSE_MODEL, label: s.chooseModel }], current);
    setOptions(
      this.effort,
      EFFORTS.map((effort) => ({ value: effort, label: { low: s.effortLow, medium: s.effortMedium, high: s.effortHigh }[effort] })),
      settings.reasoningEffort,
    );
    setOptions(
      this.language,
      LANGUAGES.map((language) => ({ value: language, label: { auto: s.languageAuto, ja: s.languageJa, en: s.languageEn }[language] })),
      settings.answerLanguage,
    );
    for (const select of [this.model, this.effort, this.language]) select.parentElement!.hidden = false;
  }
}
