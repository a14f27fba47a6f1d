// Code blocks in answers: each gets Copy, Insert at Cursor and Apply to File. The buttons are
// native buttons with a codicon, not web components: a streaming answer's tail is rendered again
// every frame, and three custom elements per block (each with a shadow root and an icon element)
// more than doubled the panel's CPU time per streamed answer (bench/RESULTS.md, panel render).
import { codicon, element, setButtonLabel } from './dom';
import { strings } from './strings';
import { post } from './vscodeApi';

type CodeAction = 'copy' | 'insert' | 'apply';

/** Wraps every `pre` under `root` in a block with its action bar. */
export function addCodeActions(root: ParentNode): void {
  for (const pre of root.querySelectorAll('pre')) {
    if (pre.parentElement?.classList.contains('code-block')) continue;
    const block = element('div', 'code-block');
    pre.replaceWith(block);
    const bar = element('div', 'code-actions');
    const language = pre.querySelector('code')?.getAttribute('data-language')?.replace(/^language-/, '');
    if (language) bar.append(element('span', 'code-language', language));
    const actions: [CodeAction, string, string][] = [
      ['copy', 'copy', strings().copy],
      ['insert', 'insert', strings().insertAtCursor],
      ['apply', 'git-compare', strings().applyToFile],
    ];
    for (const [action, icon, label] of actions) {
      const button = element('button', 'code-action');
      button.type = 'button';
      button.append(codicon(icon));
      setButtonLabel(button, label);
      button.setAttribute('aria-label', label);
      button.dataset.action = action;
      bar.append(button);
    }
    block.append(bar, pre);
  }
}

/** Handles a click inside an answer; true when it was a code action. */
export function handleCodeAction(target: Element): boolean {
  const button = target.closest<HTMLElement>('.code-actions [data-action]');
  if (!button) return false;
  const code = button.closest('.code-block')?.querySelector('pre code');
  const text = code?.textContent ?? '';
  switch (button.dataset.action as CodeAction) {
    case 'copy':
      post({ type: 'copyCode', text });
      button.replaceChildren(codicon('check'));
      setButtonLabel(button, strings().copied);
      button.setAttribute('aria-label', strings().copied);
      return true;
    case 'insert':
      post({ type: 'insertCode', text });
      return true;
    case 'apply': {
      const language = code?.getAttribute('data-language')?.replace(/^language-/, '');
      post(language ? { type: 'applyCode', text, language } : { type: 'applyCode', text });
      return true;
    }
  }
  return false;
}
