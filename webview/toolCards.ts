// Tool calls of a turn, each a compact card: tool, arguments, status, and the result folded away.
import type { PanelStrings, ProposalCard, ProposalDecision, ProposalState, ToolCard, ToolStatus } from '../src/core/protocol';
import { codicon, element } from './dom';
import { strings } from './strings';
import { post } from './vscodeApi';

const PROPOSAL_STATE: Record<ProposalState, (s: PanelStrings) => string> = {
  pending: (s) => s.proposalPending,
  accepted: (s) => s.proposalAccepted,
  rejected: (s) => s.proposalRejected,
  stale: (s) => s.proposalStale,
  failed: (s) => s.proposalFailed,
  expired: (s) => s.proposalExpired,
};

function proposalButton(decision: ProposalDecision, icon: string, label: string): HTMLButtonElement {
  const button = element('button', 'proposal-action');
  button.type = 'button';
  button.dataset.decision = decision;
  button.append(codicon(icon), element('span', undefined, label));
  return button;
}

/** One proposed file change: the path, its size, its state, and while pending Open Diff / Accept / Reject. */
function renderProposal(proposal: ProposalCard): HTMLElement {
  const s = strings();
  const row = element('div', 'proposal');
  row.dataset.proposalId = proposal.id;
  row.dataset.state = proposal.state;
  const counts = element('span', 'proposal-counts', `+${proposal.added} −${proposal.removed}`);
  row.append(codicon(proposal.created ? 'new-file' : 'diff'), element('span', 'proposal-path', proposal.path), counts, element('span', 'proposal-state', PROPOSAL_STATE[proposal.state](s)));
  if (proposal.state === 'pending') {
    const actions = element('div', 'proposal-actions');
    actions.append(proposalButton('open', 'diff-single', s.proposalOpen), proposalButton('accept', 'check', s.proposalAccept), proposalButton('reject', 'close', s.proposalReject));
    row.append(actions);
  }
  return row;
}

/** A proposal decided elsewhere (or found stale): its row shows the new state, without buttons. */
export function updateProposalState(root: ParentNode, id: string, state: ProposalState): void {
  for (const row of root.querySelectorAll<HTMLElement>('.proposal')) {
    if (row.dataset.proposalId !== id) continue;
    row.dataset.state = state;
    const label = row.querySelector('.proposal-state');
    if (label) label.textContent = PROPOSAL_STATE[state](strings());
    if (state !== 'pending') row.querySelector('.proposal-actions')?.remove();
  }
  updateAllBar(root);
}

/** With more than one pending proposal in the panel, the last card offers Accept All / Reject All. */
export function updateAllBar(root: ParentNode): void {
  for (const bar of root.querySelectorAll('.proposal-all')) bar.remove();
  const pending = root.querySelectorAll('.proposal[data-state="pending"]');
  if (pending.length < 2) return;
  const s = strings();
  const bar = element('div', 'proposal-all');
  bar.append(proposalButton('accept', 'check-all', s.proposalAcceptAll), proposalButton('reject', 'close-all', s.proposalRejectAll));
  bar.dataset.all = 'true';
  pending[pending.length - 1].closest('.tool-card')?.append(bar);
}

/** Handles a click on a proposal's button; true when it was one. */
export function handleProposalAction(target: Element): boolean {
  const button = target.closest<HTMLElement>('.proposal-action');
  if (!button) return false;
  const decision = button.dataset.decision as ProposalDecision;
  if (button.closest('.proposal-all')) {
    if (decision === 'accept' || decision === 'reject') post({ type: 'decideAllProposals', decision });
    return true;
  }
  const id = button.closest<HTMLElement>('.proposal')?.dataset.proposalId;
  if (id) post({ type: 'decideProposal', id, decision });
  return true;
}

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
  if (card.proposals && card.proposals.length > 0) {
    const list = element('div', 'proposals');
    list.append(...card.proposals.map(renderProposal));
    node.append(list);
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
  updateAllBar(container.ownerDocument);
}
