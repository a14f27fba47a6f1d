// The panel's strings. The extension localizes them and sends them all in `init`; the English
// defaults only cover the moment before `init` arrives (a turn could start drawing).
import type { PanelStrings } from '../src/core/protocol';
import { PANEL_STRINGS_EN } from '../src/core/panelStringsEn';

let current: PanelStrings = PANEL_STRINGS_EN;
let received = false;

export function setStrings(strings: PanelStrings): void {
  current = { ...PANEL_STRINGS_EN, ...strings };
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
