// A chat conversation as the panel shows it and as it is saved per workspace. What the model
// reads back is derived from it: questions and answers, never the reasoning.
import type { ChatMessage } from '../harmony/types';

export type TranscriptEntry =
  | { readonly kind: 'user'; readonly text: string }
  | {
      readonly kind: 'assistant';
      readonly reasoning: string;
      readonly answer: string;
      readonly stopReason: string;
      readonly error?: string;
      /** Seconds spent reasoning, for the trace's heading. */
      /** "Thought for 4.2 s, 180 tokens", localized when the turn ended. */
      readonly reasoningSummary?: string;
      /** "41.8 tokens/s · 1,234 of 4,096 tokens", localized when the turn ended. */
      readonly stats?: string;
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

/** The messages the model reads: each question and each answer; reasoning is never fed back. */
export function toChatMessages(entries: readonly TranscriptEntry[]): ChatMessage[] {
  const messages: ChatMessage[] = [];
  for (const entry of entries) {
    if (entry.kind === 'user') messages.push({ role: 'user', content: entry.text });
    else if (entry.kind === 'assistant' && entry.answer !== '') messages.push({ role: 'assistant', content: entry.answer });
  }
  return messages;
}

/** Keeps the newest `limit` conversations, newest first. */
export function upsertConversation(list: readonly Conversation[], conversation: Conversation, limit: number): Conversation[] {
  return [conversation, ...list.filter((c) => c.id !== conversation.id)]
    .sort((a, b) => b.updatedAt - a.updatedAt)
    .slice(0, limit);
}

function isEntry(value: unknown): value is TranscriptEntry {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  switch (entry.kind) {
    case 'user':
    case 'notice':
      return typeof entry.text === 'string';
    case 'assistant':
      return typeof entry.reasoning === 'string' && typeof entry.answer === 'string' && typeof entry.stopReason === 'string';
    default:
      return false;
  }
}

/** A transcript from an untrusted source (the webview, storage), or undefined if malformed. */
export function parseTranscript(value: unknown): TranscriptEntry[] | undefined {
  return Array.isArray(value) && value.every(isEntry) ? (value as TranscriptEntry[]) : undefined;
}

/** Conversations read back from storage; anything malformed (an older format, a bad write) is dropped. */
export function parseConversations(value: unknown): Conversation[] {
  if (!Array.isArray(value)) return [];
  return value.filter(
    (c): c is Conversation =>
      typeof c === 'object' &&
      c !== null &&
      typeof c.id === 'string' &&
      typeof c.title === 'string' &&
      typeof c.updatedAt === 'number' &&
      parseTranscript(c.entries) !== undefined,
  );
}
