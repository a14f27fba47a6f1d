// Tool calls of a turn, each a compact card: tool, arguments, status, and the result folded away.
import type { PanelStrings, ToolCard, ToolStatus } from '../src/core/protocol';
import { codicon, element } from './dom';
import { strings } from './strings';

const STATUS: Record<ToolStatus, { icon: string; spin?: boolean; label: (s: PanelStrings) => string }> = {
  running: { icon: 'loading', spin: true, label: (s) => s.toolRunning },
  done: { icon: 'pass', label: (s) => s.toolDone },
  failed: { icon: 'error', label: (s) => s.toolFailed },
  unavailable: { icon: 'circle-slash', label: (s) => s.toolUnavailable },
};

/** The arguments as indented JSON when they parse, otherwise as the model wrote them. */
function prettyArguments(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function renderToolCard(card: ToolCard): HTMLElement {
  const status = STATUS[card.status] ?? STATUS.unavailable;
  const node = element('div', 'tool-card');
  node.dataset.callId = card.callId;
  node.dataset.status = card.status;
  const header = element('div', 'tool-header');
  header.append(
    codicon(status.icon, status.spin ? 'codicon-modifier-spin tool-status-icon' : 'tool-status-icon'),
    element('span', 'tool-name', card.name),
    element('span', 'tool-status', status.label(strings())),
  );
  node.append(header);
  if (card.arguments.trim() !== '' && card.arguments.trim() !== '{}') {
    const args = element('pre', 'tool-arguments', prettyArguments(card.arguments));
    args.title = strings().toolArguments;
    node.append(args);
  }
  if (card.result !== undefined) {
    const result = element('details', 'tool-result');
    result.append(element('summary', undefined, strings().toolResult), element('pre', undefined, card.result));
    node.append(result);
  }
  return node;
}

/** Adds the card to `container`, or replaces the card with the same call id (keeping an opened result open). */
export function upsertToolCard(container: HTMLElement, card: ToolCard): void {
  const fresh = renderToolCard(card);
  const existing = [...container.querySelectorAll<HTMLElement>('.tool-card')].find((node) => node.dataset.callId === card.callId);
  if (existing) {
    const wasOpen = existing.querySelector<HTMLDetailsElement>('.tool-result')?.open ?? false;
    const result = fresh.querySelector<HTMLDetailsElement>('.tool-result');
    if (result) result.open = wasOpen;
    existing.replaceWith(fresh);
  } else container.append(fresh);
  container.hidden = false;
}
