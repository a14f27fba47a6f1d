// The input area: the question box, Send / Stop, the context chips and the attach buttons.
//
// The box is vscode-elements' <vscode-textarea>. Its inner <textarea> lives in a shadow root, but
// keyboard and composition events are composed, so they reach our listener on the host with
// `isComposing` intact, and the component only writes its value back when it differs, which
// leaves an IME composition undisturbed (the e2e test types through a composition to check).
import type { AttachmentKind, ContextChip, PanelStrings } from '../src/core/protocol';
import { renderChip } from './chips';
import { setButtonLabel } from './dom';
import type { VscodeTextarea } from './elements';
import { InputHistory } from './inputHistory';
import { post } from './vscodeApi';

export class Composer {
  readonly history = new InputHistory();
  private readonly input = document.getElementById('input') as VscodeTextarea;
  private readonly sendButton = document.getElementById('send') as HTMLElement;
  private readonly stopButton = document.getElementById('stop') as HTMLElement;
  private readonly chips = document.getElementById('chips') as HTMLElement;
  private readonly attachButtons = [...document.querySelectorAll<HTMLElement>('.attach-actions [data-kind]')];
  private generating = false;

  constructor() {
    this.input.addEventListener('keydown', (event) => this.onKeyDown(event));
    this.sendButton.addEventListener('click', () => this.send());
    this.stopButton.addEventListener('click', () => post({ type: 'stop' }));
    for (const button of this.attachButtons) {
      button.addEventListener('click', () => post({ type: 'attach', kind: button.dataset.kind as AttachmentKind }));
    }
  }

  applyStrings(s: PanelStrings): void {
    this.input.setAttribute('placeholder', s.inputPlaceholder);
    this.input.label = s.inputPlaceholder;
    this.sendButton.textContent = s.send;
    this.stopButton.textContent = s.stop;
    const labels: Record<string, string> = { selection: s.attachSelection, file: s.attachFile, problems: s.attachProblems };
    for (const button of this.attachButtons) setButtonLabel(button, labels[button.dataset.kind ?? ''] ?? '');
  }

  setGenerating(generating: boolean): void {
    this.generating = generating;
    this.sendButton.hidden = generating;
    this.stopButton.hidden = !generating;
  }

  /** The chips waiting to go with the next question. */
  setPendingChips(chips: readonly ContextChip[]): void {
    this.chips.replaceChildren(...chips.map((chip) => renderChip(chip, (id) => post({ type: 'detach', id }))));
    this.chips.hidden = chips.length === 0;
  }

  focus(): void {
    this.input.focus();
  }

  private send(): void {
    const text = this.input.value;
    if (text.trim() === '' || this.generating) return;
    post({ type: 'send', text });
    this.history.add(text);
    this.input.value = '';
  }

  private onKeyDown(event: KeyboardEvent): void {
    // A key that confirms or moves inside a Japanese IME conversion belongs to the IME (keyCode 229
    // covers browsers that report the composition's last key without isComposing).
    if (event.isComposing || event.keyCode === 229) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    if (event.key === 'Enter' && !event.shiftKey) {
      event.preventDefault();
      this.send();
    } else if ((event.key === 'ArrowUp' || event.key === 'ArrowDown') && !event.shiftKey) {
      this.recall(event);
    }
  }

  /** Up on the first line recalls older questions, Down on the last line newer ones, then the draft. */
  private recall(event: KeyboardEvent): void {
    const box = this.input.wrappedElement;
    const value = box.value;
    const caret = box.selectionStart;
    if (box.selectionEnd !== caret) return;
    const up = event.key === 'ArrowUp';
    const onEdgeLine = up ? !value.slice(0, caret).includes('\n') : !value.slice(caret).includes('\n');
    if (!onEdgeLine) return;
    const recalled = up ? this.history.older(value) : this.history.newer();
    if (recalled === undefined) return;
    event.preventDefault();
    this.input.value = recalled;
    // Up leaves the caret at the start (another Up goes further back), Down at the end.
    void this.input.updateComplete.then(() => {
      const at = up ? 0 : recalled.length;
      box.setSelectionRange(at, at);
    });
  }
}
