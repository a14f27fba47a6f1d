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
  readonly applyToFile: string;
  readonly regenerate: string;
  readonly newChat: string;
  readonly attachSelection: string;
  readonly attachFile: string;
  readonly attachProblems: string;
  /** Tooltip of a chip's remove button. */
  readonly removeContext: string;
  /** Tooltip addition of the offered selection chip. */
  readonly implicitContext: string;
  readonly model: string;
  /** Last entry of the model picker: opens the Choose Model quick pick. */
  readonly chooseModel: string;
  readonly reasoningEffort: string;
  readonly effortLow: string;
  readonly effortMedium: string;
  readonly effortHigh: string;
  readonly answerLanguage: string;
  /** "Follow VS Code" */
  readonly languageAuto: string;
  readonly languageJa: string;
  readonly languageEn: string;
  readonly toolRunning: string;
  readonly toolDone: string;
  readonly toolFailed: string;
  readonly toolUnavailable: string;
  readonly toolArguments: string;
  readonly toolResult: string;
  readonly proposalOpen: string;
  readonly proposalAccept: string;
  readonly proposalReject: string;
  readonly proposalAcceptAll: string;
  readonly proposalRejectAll: string;
  readonly proposalPending: string;
  readonly proposalAccepted: string;
  readonly proposalRejected: string;
  /** The file changed after the model read it: nothing was applied. */
  readonly proposalStale: string;
  readonly proposalFailed: string;
  /** A proposal of an earlier session (the window reloaded): it can no longer be applied. */
  readonly proposalExpired: string;
  /** "{0} earlier messages hidden. Show them" (the panel keeps its DOM bounded). */
  readonly showEarlier: string;
}

export type AttachmentKind = 'selection' | 'file' | 'problems';

/** Context attached to a question, as the panel shows it (a chip); the text stays in the extension. */
export interface ContextChip {
  readonly id: string;
  readonly kind: AttachmentKind;
  /** "app.ts:10-24", "app.ts", "Problems (3)" */
  readonly label: string;
  /** Tooltip: the full path or a summary. */
  readonly detail?: string;
  /**
   * Offered, not attached by the user: the editor's current selection, which goes with the next
   * question unless the user drops it (as Copilot Chat treats the selection).
   */
  readonly implicit?: boolean;
}

export type AnswerLanguage = 'auto' | 'ja' | 'en';

export interface ModelChoice {
  /** The model's path (what `llmJp.modelPath` holds). */
  readonly id: string;
  readonly label: string;
  readonly detail?: string;
}

/** What the panel's pickers show; sent on init and whenever a setting or the model changes. */
export interface PanelSettings {
  readonly models: readonly ModelChoice[];
  /** The model in use, one of `models` (absent when none is set). */
  readonly modelId?: string;
  readonly reasoningEffort: ReasoningEffort;
  readonly answerLanguage: AnswerLanguage;
  /** Fold the reasoning trace when the answer starts (`llmJp.collapseReasoning`). */
  readonly collapseReasoning: boolean;
}

export type ToolStatus = 'running' | 'done' | 'failed' | 'unavailable';

export type ProposalState = 'pending' | 'accepted' | 'rejected' | 'stale' | 'failed' | 'expired';

/** A change a tool call proposed to one file: nothing is written until the user accepts it. */
export interface ProposalCard {
  readonly id: string;
  /** Workspace-relative. */
  readonly path: string;
  readonly added: number;
  readonly removed: number;
  readonly created: boolean;
  readonly state: ProposalState;
}

/** A tool call the model made in a turn, shown as a compact card. */
export interface ToolCard {
  readonly callId: string;
  readonly name: string;
  /** The arguments as the model wrote them (JSON text). */
  readonly arguments: string;
  readonly status: ToolStatus;
  /** The tool's result or error, shortened for display. */
  readonly result?: string;
  /** The file changes the call proposed (replace_in_file, create_file, rename_symbol). */
  readonly proposals?: readonly ProposalCard[];
}

import { parseTranscript, type TranscriptEntry } from './chat/conversation';
import {
  ATTACHMENT_KINDS,
  MAX_DETAIL,
  MAX_LABEL,
  isId,
  isOneOf,
  isRecord,
  isText,
  parseChip,
  parseList,
  parseToolCard,
  PROPOSAL_STATES,
} from './chat/fields';
import type { ReasoningEffort } from './harmony/types';

export type TurnPart = 'reasoning' | 'answer';

export type ExtensionToPanel =
  | { readonly type: 'init'; readonly language: string; readonly strings: PanelStrings }
  | { readonly type: 'appendMessage'; readonly role: MessageRole; readonly text: string; readonly chips?: readonly ContextChip[] }
  | { readonly type: 'settings'; readonly settings: PanelSettings }
  /** The chips waiting to go with the next question (replaces the previous list). */
  | { readonly type: 'context'; readonly chips: readonly ContextChip[] }
  /** A proposed file change decided (or found stale), in whichever turn it is. */
  | { readonly type: 'proposalState'; readonly id: string; readonly state: ProposalState }
  /** A tool card of a streaming turn, added or updated (by callId). */
  | { readonly type: 'toolCard'; readonly turnId: string; readonly card: ToolCard }
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
  | { readonly type: 'pong'; readonly id: string; readonly text: string }
  /** Generate the last answer again (the last assistant turn is replaced). */
  | { readonly type: 'regenerate' }
  | { readonly type: 'attach'; readonly kind: AttachmentKind }
  | { readonly type: 'detach'; readonly id: string }
  /** Apply a code block to the active editor's file, through a diff the user accepts. */
  | { readonly type: 'applyCode'; readonly text: string; readonly language?: string }
  | { readonly type: 'setModel'; readonly id: string }
  /** Open the Choose Model quick pick (download or pick a file). */
  | { readonly type: 'chooseModel' }
  | { readonly type: 'setReasoningEffort'; readonly effort: ReasoningEffort }
  | { readonly type: 'setAnswerLanguage'; readonly language: AnswerLanguage }
  /** Open the diff of a proposed file change, or accept or reject it. */
  | { readonly type: 'decideProposal'; readonly id: string; readonly decision: ProposalDecision }
  /** Accept or reject every pending proposal. */
  | { readonly type: 'decideAllProposals'; readonly decision: Exclude<ProposalDecision, 'open'> };

export type ProposalDecision = 'open' | 'accept' | 'reject';

export { MAX_MESSAGE_TEXT } from './chat/fields';

const ROLES: readonly MessageRole[] = ['user', 'assistant', 'notice'];
const PARTS: readonly TurnPart[] = ['reasoning', 'answer'];
const EFFORTS: readonly ReasoningEffort[] = ['low', 'medium', 'high'];
const LANGUAGES: readonly AnswerLanguage[] = ['auto', 'ja', 'en'];
const DECISIONS: readonly ProposalDecision[] = ['open', 'accept', 'reject'];
/** A model id is a file path: long, but bounded. */
const MAX_MODEL_ID = 4096;

/** Every key of PanelStrings: the extension must send them all, the panel reads no other. */
export const PANEL_STRING_KEYS = [
  'inputPlaceholder',
  'send',
  'emptyTranscript',
  'stop',
  'thinking',
  'reasoning',
  'copy',
  'copied',
  'insertAtCursor',
  'applyToFile',
  'regenerate',
  'newChat',
  'attachSelection',
  'attachFile',
  'attachProblems',
  'removeContext',
  'implicitContext',
  'model',
  'chooseModel',
  'reasoningEffort',
  'effortLow',
  'effortMedium',
  'effortHigh',
  'answerLanguage',
  'languageAuto',
  'languageJa',
  'languageEn',
  'toolRunning',
  'toolDone',
  'toolFailed',
  'toolUnavailable',
  'toolArguments',
  'toolResult',
  'proposalOpen',
  'proposalAccept',
  'proposalReject',
  'proposalAcceptAll',
  'proposalRejectAll',
  'proposalPending',
  'proposalAccepted',
  'proposalRejected',
  'proposalStale',
  'proposalFailed',
  'proposalExpired',
  'showEarlier',
] as const satisfies readonly (keyof PanelStrings)[];

// A key added to PanelStrings but not to the list above fails to compile here.
type MissingStringKeys = Exclude<keyof PanelStrings, (typeof PANEL_STRING_KEYS)[number]>;
const allStringKeysListed: MissingStringKeys extends never ? true : never = true;
void allStringKeysListed;

function parseStrings(value: unknown): PanelStrings | undefined {
  if (!isRecord(value)) return undefined;
  const strings: Partial<Record<keyof PanelStrings, string>> = {};
  for (const key of PANEL_STRING_KEYS) {
    const text = value[key];
    if (!isText(text, MAX_DETAIL)) return undefined;
    strings[key] = text;
  }
  return strings as PanelStrings;
}

function parseModelChoice(value: unknown): ModelChoice | undefined {
  if (!isRecord(value)) return undefined;
  const { id, label, detail } = value;
  if (!isText(id, MAX_MODEL_ID) || id === '' || !isText(label, MAX_LABEL)) return undefined;
  if (detail !== undefined && !isText(detail, MAX_DETAIL)) return undefined;
  return detail === undefined ? { id, label } : { id, label, detail };
}

function parseSettings(value: unknown): PanelSettings | undefined {
  if (!isRecord(value)) return undefined;
  const models = parseList(value.models, parseModelChoice);
  const { modelId, reasoningEffort, answerLanguage, collapseReasoning } = value;
  if (!models || !isOneOf(EFFORTS, reasoningEffort) || !isOneOf(LANGUAGES, answerLanguage) || typeof collapseReasoning !== 'boolean') {
    return undefined;
  }
  if (modelId !== undefined && !models.some((m) => m.id === modelId)) return undefined;
  const settings: PanelSettings = { models, reasoningEffort, answerLanguage, collapseReasoning };
  return typeof modelId === 'string' ? { ...settings, modelId } : settings;
}

/** Returns the message if it is a well-formed PanelToExtension, otherwise undefined. */
export function parsePanelMessage(value: unknown): PanelToExtension | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'ready':
    case 'stop':
    case 'newChat':
    case 'regenerate':
    case 'chooseModel':
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
    case 'attach':
      return isOneOf(ATTACHMENT_KINDS, value.kind) ? { type: 'attach', kind: value.kind } : undefined;
    case 'detach':
      return isId(value.id) ? { type: 'detach', id: value.id } : undefined;
    case 'applyCode': {
      const { text, language } = value;
      if (!isText(text) || text === '') return undefined;
      if (language === undefined) return { type: 'applyCode', text };
      return typeof language === 'string' && /^[\w#+.-]{0,64}$/.test(language) ? { type: 'applyCode', text, language } : undefined;
    }
    case 'setModel':
      return isText(value.id, MAX_MODEL_ID) && value.id !== '' ? { type: 'setModel', id: value.id } : undefined;
    case 'setReasoningEffort':
      return isOneOf(EFFORTS, value.effort) ? { type: 'setReasoningEffort', effort: value.effort } : undefined;
    case 'setAnswerLanguage':
      return isOneOf(LANGUAGES, value.language) ? { type: 'setAnswerLanguage', language: value.language } : undefined;
    case 'decideProposal':
      return isId(value.id) && isOneOf(DECISIONS, value.decision) ? { type: 'decideProposal', id: value.id, decision: value.decision } : undefined;
    case 'decideAllProposals':
      return value.decision === 'accept' || value.decision === 'reject' ? { type: 'decideAllProposals', decision: value.decision } : undefined;
    default:
      return undefined;
  }
}

/** Returns the message if it is a well-formed ExtensionToPanel, otherwise undefined. */
export function parseExtensionMessage(value: unknown): ExtensionToPanel | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.type) {
    case 'init': {
      const strings = parseStrings(value.strings);
      return isText(value.language, 64) && strings ? { type: 'init', language: value.language, strings } : undefined;
    }
    case 'appendMessage': {
      if (!isOneOf(ROLES, value.role) || !isText(value.text)) return undefined;
      if (value.chips === undefined) return { type: 'appendMessage', role: value.role, text: value.text };
      const chips = parseList(value.chips, parseChip);
      return chips ? { type: 'appendMessage', role: value.role, text: value.text, chips } : undefined;
    }
    case 'settings': {
      const settings = parseSettings(value.settings);
      return settings ? { type: 'settings', settings } : undefined;
    }
    case 'context': {
      const chips = parseList(value.chips, parseChip);
      return chips ? { type: 'context', chips } : undefined;
    }
    case 'proposalState':
      return isId(value.id) && isOneOf(PROPOSAL_STATES, value.state) ? { type: 'proposalState', id: value.id, state: value.state } : undefined;
    case 'toolCard': {
      const card = parseToolCard(value.card);
      return isId(value.turnId) && card ? { type: 'toolCard', turnId: value.turnId, card } : undefined;
    }
    case 'turnStarted':
      return isId(value.turnId) ? { type: 'turnStarted', turnId: value.turnId } : undefined;
    case 'turnDelta':
      return isId(value.turnId) && isOneOf(PARTS, value.part) && isText(value.text)
        ? { type: 'turnDelta', turnId: value.turnId, part: value.part, text: value.text }
        : undefined;
    case 'turnEnded': {
      if (!isId(value.turnId) || !isText(value.reason, 64)) return undefined;
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
