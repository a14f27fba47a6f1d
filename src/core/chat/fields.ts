// Checks for the fields that chat messages and stored conversations share (chips, tool cards).
// Both come from untrusted places (a webview, workspace storage): each parser copies only the
// fields it knows, bounded in length, and answers undefined for anything malformed.
import type { AttachmentKind, ContextChip, ProposalCard, ProposalState, ToolCard, ToolStatus } from '../protocol';

/** Longest text accepted in one field; guards either side against a runaway peer. */
export const MAX_MESSAGE_TEXT = 1_000_000;
/** Longest chip label or model name shown in the panel. */
export const MAX_LABEL = 512;
/** Longest tooltip, path or tool result summary. */
export const MAX_DETAIL = 8192;
/** Most chips on one question, models in one picker. */
export const MAX_ITEMS = 200;

export type Fields = Record<string, unknown>;

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isText(value: unknown, max = MAX_MESSAGE_TEXT): value is string {
  return typeof value === 'string' && value.length <= max;
}

/** Ids the extension makes (UUIDs, call ids): safe in attributes and as map keys. */
export function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value);
}

/** A function name as a tool-call header can carry it (`functions.NAME`). */
export function isToolName(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(value);
}

export function isOneOf<T extends string>(values: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (values as readonly string[]).includes(value);
}

export const ATTACHMENT_KINDS: readonly AttachmentKind[] = ['selection', 'file', 'problems'];
export const TOOL_STATUSES: readonly ToolStatus[] = ['running', 'done', 'failed', 'unavailable'];

/** A list where every item parses; undefined if any does not or there are too many. */
export function parseList<T>(value: unknown, parse: (item: unknown) => T | undefined, max = MAX_ITEMS): T[] | undefined {
  if (!Array.isArray(value) || value.length > max) return undefined;
  const items: T[] = [];
  for (const raw of value) {
    const item = parse(raw);
    if (item === undefined) return undefined;
    items.push(item);
  }
  return items;
}

export function parseChip(value: unknown): ContextChip | undefined {
  if (!isRecord(value)) return undefined;
  const { id, kind, label, detail, implicit } = value;
  if (!isId(id) || !isOneOf(ATTACHMENT_KINDS, kind) || !isText(label, MAX_LABEL)) return undefined;
  if (detail !== undefined && !isText(detail, MAX_DETAIL)) return undefined;
  if (implicit !== undefined && implicit !== true) return undefined;
  return { id, kind, label, ...(detail !== undefined ? { detail } : {}), ...(implicit ? { implicit } : {}) };
}

export const PROPOSAL_STATES: readonly ProposalState[] = ['pending', 'accepted', 'rejected', 'stale', 'failed', 'expired'];
/** Files one call may propose changes to (a rename touches many). */
export const MAX_PROPOSALS = 200;

const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 10_000_000;

export function parseProposalCard(value: unknown): ProposalCard | undefined {
  if (!isRecord(value)) return undefined;
  const { id, path, added, removed, created, state } = value;
  if (!isId(id) || !isText(path, MAX_LABEL) || path === '' || !isCount(added) || !isCount(removed) || typeof created !== 'boolean' || !isOneOf(PROPOSAL_STATES, state)) return undefined;
  return { id, path, added, removed, created, state };
}

export function parseToolCard(value: unknown): ToolCard | undefined {
  if (!isRecord(value)) return undefined;
  const { callId, name, arguments: args, status, result, proposals } = value;
  if (!isId(callId) || !isToolName(name) || !isText(args, MAX_DETAIL) || !isOneOf(TOOL_STATUSES, status)) return undefined;
  if (result !== undefined && !isText(result, MAX_DETAIL)) return undefined;
  let parsedProposals: ProposalCard[] | undefined;
  if (proposals !== undefined) {
    if (!Array.isArray(proposals) || proposals.length > MAX_PROPOSALS) return undefined;
    parsedProposals = [];
    for (const item of proposals) {
      const proposal = parseProposalCard(item);
      if (!proposal) return undefined;
      parsedProposals.push(proposal);
    }
  }
  return {
    callId,
    name,
    arguments: args,
    status,
    ...(result !== undefined ? { result } : {}),
    ...(parsedProposals !== undefined ? { proposals: parsedProposals } : {}),
  };
}
