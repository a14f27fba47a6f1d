// Context chips: the selection, a file or the problems attached to a question.
import type { AttachmentKind, ContextChip } from '../src/core/protocol';
import { codicon, element } from './dom';
import { strings } from './strings';

const ICONS: Record<AttachmentKind, string> = { selection: 'selection', file: 'file', problems: 'warning' };

/** A chip; with `onRemove` it carries a remove button (pending chips), without it is read-only. */
export function renderChip(chip: ContextChip, onRemove?: (id: string) => void): HTMLElement {
  const node = element('span', 'chip');
  node.dataset.kind = chip.kind;
  node.dataset.id = chip.id;
  if (chip.implicit) node.classList.add('implicit');
  if (chip.detail) node.title = chip.implicit ? `${chip.detail} — ${strings().implicitContext}` : chip.detail;
  node.append(codicon(ICONS[chip.kind] ?? 'file'), element('span', 'chip-label', chip.label));
  if (onRemove) {
    const remove = element('button', 'chip-remove');
    remove.type = 'button';
    remove.title = strings().removeContext;
    remove.setAttribute('aria-label', `${strings().removeContext}: ${chip.label}`);
    remove.append(codicon('close'));
    remove.addEventListener('click', () => onRemove(chip.id));
    node.append(remove);
  }
  return node;
}

export function renderChipRow(chips: readonly ContextChip[]): HTMLElement {
  const row = element('div', 'chips');
  for (const chip of chips) row.append(renderChip(chip));
  return row;
}
