// Browser side of the chat panel. Everything shown comes from the extension as validated
// messages; user text is inserted as text, model answers as sanitized markdown (markdown.ts).
import './elements';
import type { TranscriptEntry } from '../src/core/chat/conversation';
import { parseExtensionMessage, type ExtensionToPanel } from '../src/core/protocol';
import { handleCodeAction } from './codeBlocks';
import { warmUpHighlighter } from './markdown';
import { Composer } from './composer';
import { Controls } from './controls';
import { setStrings, strings } from './strings';
import { Transcript, type ItemData } from './transcript';
import { LiveTurn } from './turn';
import { handleProposalAction, updateProposalState } from './toolCards';
import { post } from './vscodeApi';

/** Transcript items kept in the DOM; older ones are rebuilt from their data on request. */
const DOM_ITEM_LIMIT = 60;

const transcriptRoot = document.getElementById('transcript') as HTMLElement;
let collapseReasoning = true;
const composer = new Composer();
const controls = new Controls();
const transcript = new Transcript(transcriptRoot, DOM_ITEM_LIMIT, () => collapseReasoning, () => post({ type: 'regenerate' }));
const turns = new Map<string, LiveTurn>();

function setGenerating(generating: boolean): void {
  composer.setGenerating(generating);
  transcript.updateRegenerate(generating);
}

function itemOf(entry: TranscriptEntry): ItemData {
  switch (entry.kind) {
    case 'user':
      return { kind: 'message', role: 'user', text: entry.text, chips: entry.attachments };
    case 'notice':
      return { kind: 'message', role: 'notice', text: entry.text };
    case 'assistant':
      return {
        kind: 'assistant',
        data: {
          reasoning: entry.reasoning,
          answer: entry.answer,
          stopReason: entry.stopReason,
          error: entry.error,
          reasoningSummary: entry.reasoningSummary,
          stats: entry.stats,
          tools: [...(entry.tools ?? [])],
        },
      };
  }
}

function restore(entries: readonly TranscriptEntry[]): void {
  for (const turn of turns.values()) turn.cancel();
  turns.clear();
  transcript.reset(entries.map(itemOf));
  composer.history.reset(transcript.questions());
  setGenerating(false);
}

function startTurn(turnId: string): void {
  const turn = new LiveTurn(
    () => collapseReasoning,
    () => transcript.follow(),
  );
  turns.set(turnId, turn);
  transcript.add({ kind: 'assistant', data: turn.data }, turn.element);
  setGenerating(true);
}

function endTurn(message: Extract<ExtensionToPanel, { type: 'turnEnded' }>): void {
  const turn = turns.get(message.turnId);
  if (turn) {
    turn.end(message);
    turns.delete(message.turnId);
    transcript.settle(turn.element);
  }
  setGenerating(turns.size > 0);
}

function handle(message: ExtensionToPanel): void {
  switch (message.type) {
    case 'init':
      setStrings(message.strings);
      document.documentElement.lang = message.language;
      composer.applyStrings(strings());
      controls.applyStrings(strings());
      transcript.showEmpty();
      return;
    case 'settings':
      collapseReasoning = message.settings.collapseReasoning;
      controls.applySettings(message.settings);
      return;
    case 'context':
      composer.setPendingChips(message.chips);
      return;
    case 'restore':
      restore(message.entries);
      return;
    case 'appendMessage':
      transcript.add({ kind: 'message', role: message.role, text: message.text, chips: message.chips });
      if (message.role === 'user') composer.history.reset(transcript.questions());
      return;
    case 'turnStarted':
      startTurn(message.turnId);
      return;
    case 'turnDelta':
      turns.get(message.turnId)?.delta(message.part, message.text);
      return;
    case 'toolCard':
      turns.get(message.turnId)?.tool(message.card);
      return;
    case 'proposalState':
      updateProposalState(transcriptRoot, message.id, message.state);
      return;
    case 'turnEnded':
      endTurn(message);
      return;
    case 'ping':
      post({ type: 'pong', id: message.id, text: message.text });
      return;
  }
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = parseExtensionMessage(event.data);
  if (message) handle(message);
});

transcriptRoot.addEventListener('click', (event) => {
  const target = event.target as Element;
  if (handleCodeAction(target)) return;
  if (handleProposalAction(target)) return;
  // Links never navigate the panel; the extension checks and opens them.
  const link = target.closest<HTMLAnchorElement>('a');
  if (link) {
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href) post({ type: 'openLink', href });
  }
});

post({ type: 'ready' });
warmUpHighlighter();
