// Browser side of the chat panel. Everything shown comes from the extension as validated
// messages; user text is inserted as text, model answers as sanitized markdown (markdown.ts).
import type { TranscriptEntry } from '../src/core/chat/conversation';
import { parseExtensionMessage, type ExtensionToPanel, type PanelStrings, type PanelToExtension, type TurnPart } from '../src/core/protocol';
import { renderMarkdown } from './markdown';

interface VsCodeApi {
  postMessage(message: PanelToExtension): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const transcript = document.getElementById('transcript') as HTMLElement;
const form = document.getElementById('composer') as HTMLFormElement;
const input = document.getElementById('input') as HTMLTextAreaElement;
const sendButton = document.getElementById('send') as HTMLButtonElement;
const stopButton = document.getElementById('stop') as HTMLButtonElement;

let strings: PanelStrings | undefined;

/** A streaming assistant turn: text arrives in deltas and is drawn at most once per frame. */
interface Turn {
  readonly element: HTMLElement;
  readonly reasoning: HTMLDetailsElement;
  readonly reasoningText: HTMLElement;
  readonly answer: HTMLElement;
  answerMarkdown: string;
  pendingReasoning: string;
  answerDirty: boolean;
  frame: number | undefined;
}
const turns = new Map<string, Turn>();

function setGenerating(generating: boolean): void {
  sendButton.hidden = generating;
  stopButton.hidden = !generating;
}

function scrollToEnd(): void {
  transcript.scrollTop = transcript.scrollHeight;
}

function appendMessage(role: string, text: string): void {
  transcript.querySelector('.empty')?.remove();
  const item = document.createElement('div');
  item.className = `message ${role}`;
  item.textContent = text;
  transcript.append(item);
  scrollToEnd();
}

function createTurnElement(): Pick<Turn, 'element' | 'reasoning' | 'reasoningText' | 'answer'> {
  const element = document.createElement('div');
  element.className = 'message assistant';
  const reasoning = document.createElement('details');
  reasoning.className = 'reasoning';
  reasoning.hidden = true;
  reasoning.open = true;
  const summary = document.createElement('summary');
  summary.textContent = strings?.thinking ?? '';
  const reasoningText = document.createElement('div');
  reasoningText.className = 'reasoning-text';
  reasoning.append(summary, reasoningText);
  const answer = document.createElement('div');
  answer.className = 'answer';
  element.append(reasoning, answer);
  transcript.querySelector('.empty')?.remove();
  transcript.append(element);
  return { element, reasoning, reasoningText, answer };
}

function startTurn(turnId: string): void {
  turns.set(turnId, { ...createTurnElement(), answerMarkdown: '', pendingReasoning: '', answerDirty: false, frame: undefined });
  setGenerating(true);
}

function finishTurn(
  turn: Pick<Turn, 'element' | 'reasoning' | 'answer'>,
  ended: { reason: string; error?: string; reasoningSummary?: string; stats?: string },
): void {
  foldReasoning(turn, ended.reasoningSummary);
  turn.element.setAttribute('data-stop-reason', ended.reason);
  for (const [className, text] of [
    ['error', ended.error],
    ['stats', ended.stats],
  ] as const) {
    if (text === undefined) continue;
    const line = document.createElement('div');
    line.className = className;
    line.textContent = text;
    turn.element.append(line);
  }
}

/** A stored conversation, drawn at once. */
function restore(entries: readonly TranscriptEntry[]): void {
  for (const turn of turns.values()) if (turn.frame !== undefined) cancelAnimationFrame(turn.frame);
  turns.clear();
  transcript.replaceChildren();
  setGenerating(false);
  for (const entry of entries) {
    if (entry.kind !== 'assistant') {
      appendMessage(entry.kind, entry.text);
      continue;
    }
    const turn = createTurnElement();
    if (entry.reasoning !== '') {
      turn.reasoning.hidden = false;
      turn.reasoningText.textContent = entry.reasoning;
    }
    turn.answer.replaceChildren(renderMarkdown(entry.answer));
    addCodeActions(turn.answer);
    finishTurn(turn, { reason: entry.stopReason, error: entry.error, reasoningSummary: entry.reasoningSummary, stats: entry.stats });
  }
  if (entries.length === 0) showEmpty();
  scrollToEnd();
}

function showEmpty(): void {
  if (!strings || transcript.hasChildNodes()) return;
  const empty = document.createElement('p');
  empty.className = 'empty';
  empty.textContent = strings.emptyTranscript;
  transcript.append(empty);
}

/** Draws what arrived since the last frame: reasoning appended as text, the answer re-rendered. */
function draw(turn: Turn): void {
  turn.frame = undefined;
  if (turn.pendingReasoning !== '') {
    turn.reasoning.hidden = false;
    turn.reasoningText.append(turn.pendingReasoning);
    turn.pendingReasoning = '';
  }
  if (turn.answerDirty) {
    turn.answerDirty = false;
    // The answer has begun: the reasoning trace folds away, still one click from view.
    if (!turn.reasoning.hidden && turn.reasoning.open && turn.answer.childNodes.length === 0) foldReasoning(turn);
    // Only this turn's answer is rendered again, never the whole transcript.
    turn.answer.replaceChildren(renderMarkdown(turn.answerMarkdown));
    addCodeActions(turn.answer);
  }
  scrollToEnd();
}

function appendToTurn(turnId: string, part: TurnPart, text: string): void {
  const turn = turns.get(turnId);
  if (!turn) return;
  if (part === 'reasoning') turn.pendingReasoning += text;
  else {
    turn.answerMarkdown += text;
    turn.answerDirty = true;
  }
  turn.frame ??= requestAnimationFrame(() => draw(turn));
}

function foldReasoning(turn: Pick<Turn, 'reasoning'>, summaryText?: string): void {
  turn.reasoning.open = false;
  const summary = turn.reasoning.querySelector('summary');
  if (summary) summary.textContent = summaryText ?? strings?.reasoning ?? '';
}

function endTurn(message: Extract<ExtensionToPanel, { type: 'turnEnded' }>): void {
  const turn = turns.get(message.turnId);
  if (turn) {
    if (turn.frame !== undefined) cancelAnimationFrame(turn.frame);
    draw(turn);
    finishTurn(turn, message);
    turns.delete(message.turnId);
  }
  setGenerating(false);
}

function addCodeActions(answer: HTMLElement): void {
  for (const pre of answer.querySelectorAll('pre')) {
    const block = document.createElement('div');
    block.className = 'code-block';
    pre.replaceWith(block);
    const bar = document.createElement('div');
    bar.className = 'code-actions';
    for (const [action, label] of [
      ['copy', strings?.copy ?? 'Copy'],
      ['insert', strings?.insertAtCursor ?? 'Insert'],
    ]) {
      const button = document.createElement('button');
      button.type = 'button';
      button.dataset.action = action;
      button.textContent = label;
      bar.append(button);
    }
    block.append(bar, pre);
  }
}

function handle(message: ExtensionToPanel): void {
  switch (message.type) {
    case 'init': {
      strings = message.strings;
      stopButton.textContent = message.strings.stop;
      document.documentElement.lang = message.language;
      input.placeholder = message.strings.inputPlaceholder;
      sendButton.textContent = message.strings.send;
      showEmpty();
      return;
    }
    case 'restore':
      restore(message.entries);
      return;
    case 'appendMessage':
      appendMessage(message.role, message.text);
      return;
    case 'turnStarted':
      startTurn(message.turnId);
      return;
    case 'turnDelta':
      appendToTurn(message.turnId, message.part, message.text);
      return;
    case 'turnEnded':
      endTurn(message);
      return;
    case 'ping':
      vscode.postMessage({ type: 'pong', id: message.id, text: message.text });
      return;
  }
}

function send(): void {
  const text = input.value;
  if (text.trim() === '' || !stopButton.hidden) return;
  vscode.postMessage({ type: 'send', text });
  input.value = '';
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = parseExtensionMessage(event.data);
  if (message) handle(message);
});

transcript.addEventListener('click', (event) => {
  const target = event.target as HTMLElement;
  const button = target.closest<HTMLButtonElement>('.code-actions button');
  if (button) {
    const code = button.closest('.code-block')?.querySelector('pre code')?.textContent ?? '';
    if (button.dataset.action === 'copy') {
      vscode.postMessage({ type: 'copyCode', text: code });
      button.textContent = strings?.copied ?? button.textContent;
    } else {
      vscode.postMessage({ type: 'insertCode', text: code });
    }
    return;
  }
  // Links never navigate the panel; the extension checks and opens them.
  const link = target.closest<HTMLAnchorElement>('a');
  if (link) {
    event.preventDefault();
    const href = link.getAttribute('href');
    if (href) vscode.postMessage({ type: 'openLink', href });
  }
});

stopButton.addEventListener('click', () => vscode.postMessage({ type: 'stop' }));

form.addEventListener('submit', (event) => {
  event.preventDefault();
  send();
});

input.addEventListener('keydown', (event: KeyboardEvent) => {
  // Enter that confirms a Japanese IME conversion must not send (keyCode 229 covers browsers
  // that report the composition's last key without isComposing).
  if (event.key !== 'Enter' || event.shiftKey || event.isComposing || event.keyCode === 229) return;
  event.preventDefault();
  send();
});

vscode.postMessage({ type: 'ready' });
