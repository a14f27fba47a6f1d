// Messages between the extension and the chat panel webview: one discriminated union per
// direction, validated on arrival on both sides (a webview is another process and its
// messages are untrusted input).

export type MessageRole = 'user' | 'assistant' | 'notice';

/** Localized strings the panel shows; the extension owns localization (vscode.l10n). */
export interface PanelStrings {
  readonly inputPlaceholder: string;
  readonly send: string;
  readonly emptyTranscript: string;
  readonly stop: string;
  /** Heading of a reasoning trace while the model is still thinking. */
  readonly thinking: string;
  /** Heading of a finished reasoning trace. */
  readonly reasoning: string;
  readonly copy: string;
  readonly copied: string;
  readonly insertAtCursor: string;
}

import { parseTranscript, type TranscriptEntry } from './chat/conversation';

export type TurnPart = 'reasoning' | 'answer';

export type ExtensionToPanel =
  | { readonly type: 'init'; readonly language: string; readonly strings: PanelStrings }
  | { readonly type: 'appendMessage'; readonly role: MessageRole; readonly text: string }
  /** An assistant turn begins; its text streams in turnDelta messages until turnEnded. */
  | { readonly type: 'turnStarted'; readonly turnId: string }
  | { readonly type: 'turnDelta'; readonly turnId: string; readonly part: TurnPart; readonly text: string }
  | {
      readonly type: 'turnEnded';
      readonly turnId: string;
      readonly reason: string;
      readonly error?: string;
      readonly reasoningSummary?: string;
      readonly stats?: string;
    }
  /** Replaces the whole transcript (a restored or a new conversation). */
  | { readonly type: 'restore'; readonly entries: readonly TranscriptEntry[] }
  | { readonly type: 'ping'; readonly id: string; readonly text: string };

export type PanelToExtension =
  | { readonly type: 'ready' }
  | { readonly type: 'send'; readonly text: string }
  /** Stop the assistant turn being generated. */
  | { readonly type: 'stop' }
  | { readonly type: 'newChat' }
  | { readonly type: 'copyCode'; readonly text: string }
  | { readonly type: 'insertCode'; readonly text: string }
  /** A link in an answer was clicked; the extension decides whether and how to open it. */
  | { readonly type: 'openLink'; readonly href: string }
  | { readonly type: 'pong'; readonly id: string; readonly text: string };

/** Longest text accepted in one message; guards the extension against a runaway webview. */
export const MAX_MESSAGE_TEXT = 1_000_000;

const ROLES: ReadonlySet<string> = new Set<MessageRole>(['user', 'assistant', 'notice']);
const PARTS: ReadonlySet<string> = new Set<TurnPart>(['reasoning', 'answer']);

type Fields = Record<string, unknown>;

function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.length <= MAX_MESSAGE_TEXT;
}

function isId(value: unknown): value is string {
  return typeof value === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(value);
}

function isStrings(value: unknown): value is PanelStrings {
  return (
    isRecord(value) &&
    isText(value.inputPlaceholder) &&
    isText(value.send) &&
    isText(value.emptyTranscript) &&
    isText(value.stop) &&
    isText(value.thinking) &&
    isText(value.reasoning) &&
    isText(value.copy) &&
    isText(value.copied) &&
    isText(value.insertAtCursor)
  );
}

/** Returns the message if it is a well-formed PanelToExtension, otherwise undefined. */
export function parsePanelMessage(value: unknown): PanelToExtension | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'ready':
      return { type: 'ready' };
    case 'stop':
    case 'newChat':
      return { type: value.type };
    case 'copyCode':
    case 'insertCode':
      return isText(value.text) ? { type: value.type, text: value.text } : undefined;
    case 'openLink':
      return typeof value.href === 'string' && value.href.length <= 8192 ? { type: 'openLink', href: value.href } : undefined;
    case 'send':
      return isText(value.text) && value.text.trim() !== '' ? { type: 'send', text: value.text } : undefined;
    case 'pong':
      return isId(value.id) && isText(value.text) ? { type: 'pong', id: value.id, text: value.text } : undefined;
    default:
      return undefined;
  }
}

/** Returns the message if it is a well-formed ExtensionToPanel, otherwise undefined. */
export function parseExtensionMessage(value: unknown): ExtensionToPanel | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'init':
      return typeof value.language === 'string' && isStrings(value.strings)
        ? { type: 'init', language: value.language, strings: value.strings }
        : undefined;
    case 'appendMessage':
      return typeof value.role === 'string' && ROLES.has(value.role) && isText(value.text)
        ? { type: 'appendMessage', role: value.role as MessageRole, text: value.text }
        : undefined;
    case 'turnStarted':
      return isId(value.turnId) ? { type: 'turnStarted', turnId: value.turnId } : undefined;
    case 'turnDelta':
      return isId(value.turnId) && typeof value.part === 'string' && PARTS.has(value.part) && isText(value.text)
        ? { type: 'turnDelta', turnId: value.turnId, part: value.part as TurnPart, text: value.text }
        : undefined;
    case 'turnEnded': {
      if (!isId(value.turnId) || typeof value.reason !== 'string') return undefined;
      const optional = ['error', 'reasoningSummary', 'stats'] as const;
      if (optional.some((key) => value[key] !== undefined && !isText(value[key]))) return undefined;
      const message: { -readonly [K in keyof Extract<ExtensionToPanel, { type: 'turnEnded' }>]: Extract<ExtensionToPanel, { type: 'turnEnded' }>[K] } = {
        type: 'turnEnded',
        turnId: value.turnId,
        reason: value.reason,
      };
      for (const key of optional) if (value[key] !== undefined) message[key] = value[key] as string;
      return message;
    }
    case 'restore': {
      const entries = parseTranscript(value.entries);
      return entries ? { type: 'restore', entries } : undefined;
    }
    case 'ping':
      return isId(value.id) && isText(value.text) ? { type: 'ping', id: value.id, text: value.text } : undefined;
    default:
      return undefined;
  }
}
