// Small DOM builders; every text goes in through textContent, never as HTML.

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** A codicon glyph in the light DOM (codicon.css is loaded by the page). */
export function codicon(name: string, extraClass?: string): HTMLElement {
  const icon = element('span', `codicon codicon-${name}${extraClass ? ` ${extraClass}` : ''}`);
  icon.setAttribute('aria-hidden', 'true');
  return icon;
}

/** An icon-only toolbar button (vscode-elements) with its label as tooltip and accessible name. */
export function iconButton(icon: string, label: string, className?: string): HTMLElement {
  const button = element('vscode-toolbar-button', className);
  button.setAttribute('icon', icon);
  setButtonLabel(button, label);
  return button;
}

export function setButtonLabel(button: HTMLElement, label: string): void {
  button.setAttribute('label', label);
  button.title = label;
}
