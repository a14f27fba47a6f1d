// A chat conversation as the panel shows it and as it is saved per workspace. What the model
// reads back is derived from it (chatMessages.ts): questions with their attachments, answers,
// and the tool calls of each turn with their results; earlier reasoning only where the template
// replays it.
import type { ContextChip, ProposalState, ToolCard } from '../protocol';
import {
  MAX_DETAIL,
  isId,
  isRecord,
  isText,
  isToolName,
  parseChip,
  parseList,
  parseToolCard,
  type Fields,
} from './fields';

export { toChatMessages } from './chatMessages';

/** A chip's content: the text the model reads. */
export interface Attachment extends ContextChip {
  readonly content: string;
  /** The editor's language id, for the code fence. */
  readonly languageId?: string;
}

/**
 * One tool call of an assistant turn as the model needs it to continue: what it called, the
 * reasoning it wrote just before, and the full result it read (the card holds a shortened one).
 */
export interface ToolExchange {
  readonly callId: string;
  readonly name: string;
  /** The arguments as the model wrote them (JSON text). */
  readonly arguments: string;
  /** Reasoning the model wrote before this call (the 4.0 template replays it until the answer). */
  readonly reasoning?: string;
  readonly result: string;
}

export type TranscriptEntry =
  | {
      readonly kind: 'user';
      readonly text: string;
      /** Context sent with the question; it stays in later turns' prompts. */
      readonly attachments?: readonly Attachment[];
    }
  | {
      readonly kind: 'assistant';
      readonly reasoning: string;
      readonly answer: string;
      readonly stopReason: string;
      readonly error?: string;
      /** "Thought for 4.2 s, 180 tokens", localized when the turn ended. */
      readonly reasoningSummary?: string;
      /** "41.8 tokens/s · 1,234 of 4,096 tokens", localized when the turn ended. */
      readonly stats?: string;
      /** Tool calls made in this turn, in order, with their results. */
      readonly tools?: readonly ToolCard[];
      /** The same calls as the model reads them back (not sent to the panel). */
      readonly toolCalls?: readonly ToolExchange[];
    }
  | { readonly kind: 'notice'; readonly text: string };

export interface Conversation {
  readonly id: string;
  readonly title: string;
  readonly updatedAt: number;
  readonly entries: readonly TranscriptEntry[];
}

const TITLE_LENGTH = 60;

export function titleOf(entries: readonly TranscriptEntry[]): string {
  const first = entries.find((e) => e.kind === 'user');
  const text = first?.kind === 'user' ? first.text.replace(/\s+/g, ' ').trim() : '';
  return [...text].length > TITLE_LENGTH ? `${[...text].slice(0, TITLE_LENGTH - 1).join('')}…` : text;
}

/** Keeps the newest `limit` conversations, newest first. */
export function upsertConversation(list: readonly Conversation[], conversation: Conversation, limit: number): Conversation[] {
  return [conversation, ...list.filter((c) => c.id !== conversation.id)]
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .slice(0, limit);
}

/**
 * The transcript as the panel needs it: chips without their content, and no tool results in
 * full (the cards carry the shortened ones). Keeps restore messages small.
 */
export function panelEntries(entries: readonly TranscriptEntry[]): TranscriptEntry[] {
  return entries.map((entry) => {
    if (entry.kind === 'user' && entry.attachments !== undefined) {
      const attachments = entry.attachments.map(({ id, kind, label, detail }) => ({ id, kind, label, ...(detail !== undefined ? { detail } : {}), content: '' }));
      return { ...entry, attachments };
    }
    if (entry.kind === 'assistant' && entry.toolCalls !== undefined) {
      const rest: Record<string, unknown> = { ...entry };
      delete rest.toolCalls;
      return rest as TranscriptEntry;
    }
    return entry;
  });
}

/**
 * The entries with each proposed file change in the state `stateOf` says; a pending proposal it
 * does not know (made before the window reloaded) is expired. Unchanged entries are kept as they are.
 */
export function withProposalStates(entries: readonly TranscriptEntry[], stateOf: (id: string) => ProposalState | undefined): TranscriptEntry[] {
  return entries.map((entry) => {
    if (entry.kind !== 'assistant' || !entry.tools?.some((card) => card.proposals !== undefined)) return entry;
    let changed = false;
    const tools = entry.tools.map((card) => {
      if (!card.proposals) return card;
      const proposals = card.proposals.map((proposal) => {
        const state = stateOf(proposal.id) ?? (proposal.state === 'pending' ? 'expired' : proposal.state);
        if (state === proposal.state) return proposal;
        changed = true;
        return { ...proposal, state };
      });
      return { ...card, proposals };
    });
    return changed ? { ...entry, tools } : entry;
  });
}

function parseAttachment(value: unknown): Attachment | undefined {
  const chip = parseChip(value);
  if (!chip || !isRecord(value) || !isText(value.content)) return undefined;
  const { languageId } = value;
  if (languageId !== undefined && !isText(languageId, 64)) return undefined;
  return { ...chip, content: value.content, ...(languageId !== undefined ? { languageId } : {}) };
}

function parseExchange(value: unknown): ToolExchange | undefined {
  if (!isRecord(value)) return undefined;
  const { callId, name, arguments: args, reasoning, result } = value;
  if (!isId(callId) || !isToolName(name) || !isText(args) || !isText(result)) return undefined;
  if (reasoning !== undefined && !isText(reasoning)) return undefined;
  return { callId, name, arguments: args, result, ...(reasoning !== undefined ? { reasoning } : {}) };
}

/** Copies the optional fields that are present; false if one of them is malformed. */
function copyOptional(from: Fields, to: Fields, fields: Readonly<Record<string, (value: unknown) => unknown>>): boolean {
  for (const [key, parse] of Object.entries(fields)) {
    if (from[key] === undefined) continue;
    const parsed = parse(from[key]);
    if (parsed === undefined) return false;
    to[key] = parsed;
  }
  return true;
}

const text = (value: unknown): string | undefined => (isText(value) ? value : undefined);
const detail = (value: unknown): string | undefined => (isText(value, MAX_DETAIL) ? value : undefined);

function parseEntry(value: unknown): TranscriptEntry | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.kind) {
    case 'notice':
      return isText(value.text) ? { kind: 'notice', text: value.text } : undefined;
    case 'user': {
      if (!isText(value.text)) return undefined;
      const entry: Fields = { kind: 'user', text: value.text };
      const ok = copyOptional(value, entry, { attachments: (v) => parseList(v, parseAttachment) });
      return ok ? (entry as TranscriptEntry) : undefined;
    }
    case 'assistant': {
      if (!isText(value.reasoning) || !isText(value.answer) || !isText(value.stopReason, 64)) return undefined;
      const entry: Fields = { kind: 'assistant', reasoning: value.reasoning, answer: value.answer, stopReason: value.stopReason };
      const ok = copyOptional(value, entry, {
        error: text,
        reasoningSummary: detail,
        stats: detail,
        tools: (v) => parseList(v, parseToolCard),
        toolCalls: (v) => parseList(v, parseExchange),
      });
      return ok ? (entry as TranscriptEntry) : undefined;
    }
    default:
      return undefined;
  }
}

/** A transcript from an untrusted source (the webview, storage), or undefined if malformed. */
export function parseTranscript(value: unknown): TranscriptEntry[] | undefined {
  return parseList(value, parseEntry, Number.MAX_SAFE_INTEGER);
}

/** Conversations read back from storage; anything malformed (an older format, a bad write) is dropped. */
export function parseConversations(value: unknown): Conversation[] {
  if (!Array.isArray(value)) return [];
  const conversations: Conversation[] = [];
  for (const c of value) {
    if (!isRecord(c) || typeof c.id !== 'string' || typeof c.title !== 'string' || typeof c.updatedAt !== 'number') continue;
    const entries = parseTranscript(c.entries);
    if (entries) conversations.push({ id: c.id, title: c.title, updatedAt: c.updatedAt, entries });
  }
  return conversations;
}
