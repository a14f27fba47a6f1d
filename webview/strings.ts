// The panel's strings. The extension localizes them and sends them all in `init`; the English
// defaults only cover the moment before `init` arrives (a turn could start drawing).
import type { PanelStrings } from '../src/core/protocol';

const DEFAULTS: PanelStrings = {
  inputPlaceholder: 'Ask LLM-jp…',
  send: 'Send',
  emptyTranscript: '',
  stop: 'Stop',
  thinking: 'Thinking…',
  reasoning: 'Reasoning',
  copy: 'Copy',
  copied: 'Copied',
  insertAtCursor: 'Insert at Cursor',
  applyToFile: 'Apply to File',
  regenerate: 'Regenerate',
  newChat: 'New Chat',
  attachSelection: 'Attach Selection',
  attachFile: 'Attach Current File',
  attachProblems: 'Attach Problems',
  removeContext: 'Remove',
  model: 'Model',
  chooseModel: 'Choose Model…',
  reasoningEffort: 'Reasoning Effort',
  effortLow: 'Low',
  effortMedium: 'Medium',
  effortHigh: 'High',
  answerLanguage: 'Answer Language',
  languageAuto: 'Follow VS Code',
  languageJa: '日本語',
  languageEn: 'English',
  toolRunning: 'Running',
  toolDone: 'Done',
  toolFailed: 'Failed',
  toolUnavailable: 'Unavailable',
  toolArguments: 'Arguments',
  toolResult: 'Result',
  showEarlier: '{0} earlier messages hidden. Show them',
};

let current: PanelStrings = DEFAULTS;
let received = false;

export function setStrings(strings: PanelStrings): void {
  current = { ...DEFAULTS, ...strings };
  received = true;
}

export function strings(): PanelStrings {
  return current;
}

/** Whether `init` has arrived (the empty-transcript hint waits for it). */
export function stringsReceived(): boolean {
  return received;
}

/** Fills `{0}`, `{1}`… like vscode.l10n.t does on the extension side. */
export function format(template: string, ...args: readonly (string | number)[]): string {
  return template.replace(/\{(\d+)\}/g, (match, index: string) => (args[Number(index)] ?? match).toString());
}
