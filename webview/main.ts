// Browser side of the chat panel. Everything shown comes from the extension as validated
// messages and is inserted as text, never as HTML.
import { parseExtensionMessage, type ExtensionToPanel, type PanelStrings, type PanelToExtension } from '../src/core/protocol';

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

interface Turn {
  readonly reasoning: HTMLDetailsElement;
  readonly reasoningText: HTMLElement;
  readonly answer: HTMLElement;
}
const turns = new Map<string, Turn>();

function setGenerating(generating: boolean): void {
  sendButton.hidden = generating;
  stopButton.hidden = !generating;
}

function startTurn(turnId: string): void {
  const item = document.createElement('div');
  item.className = 'message assistant';
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
  item.append(reasoning, answer);
  transcript.append(item);
  turns.set(turnId, { reasoning, reasoningText, answer });
  setGenerating(true);
}

function appendToTurn(turnId: string, part: 'reasoning' | 'answer', text: string): void {
  const turn = turns.get(turnId);
  if (!turn) return;
  if (part === 'reasoning') {
    turn.reasoning.hidden = false;
    turn.reasoningText.append(text);
  } else {
    // The answer has begun: the reasoning trace folds away, still one click from view.
    if (turn.answer.childNodes.length === 0 && !turn.reasoning.hidden) finishReasoning(turn);
    turn.answer.append(text);
  }
  turn.answer.parentElement?.scrollIntoView({ block: 'end' });
}

function finishReasoning(turn: Turn): void {
  turn.reasoning.open = false;
  const summary = turn.reasoning.querySelector('summary');
  if (summary) summary.textContent = strings?.reasoning ?? '';
}

function endTurn(turnId: string, reason: string, error: string | undefined): void {
  const turn = turns.get(turnId);
  if (turn) {
    finishReasoning(turn);
    turn.answer.parentElement?.setAttribute('data-stop-reason', reason);
    if (error !== undefined) {
      const failure = document.createElement('div');
      failure.className = 'error';
      failure.textContent = error;
      turn.answer.after(failure);
    }
    turns.delete(turnId);
  }
  setGenerating(false);
}

function appendMessage(role: string, text: string): void {
  transcript.querySelector('.empty')?.remove();
  const item = document.createElement('div');
  item.className = `message ${role}`;
  item.textContent = text;
  transcript.append(item);
  item.scrollIntoView({ block: 'end' });
}

function handle(message: ExtensionToPanel): void {
  switch (message.type) {
    case 'init': {
      strings = message.strings;
      stopButton.textContent = message.strings.stop;
      document.documentElement.lang = message.language;
      input.placeholder = message.strings.inputPlaceholder;
      sendButton.textContent = message.strings.send;
      if (!transcript.hasChildNodes()) {
        const empty = document.createElement('p');
        empty.className = 'empty';
        empty.textContent = message.strings.emptyTranscript;
        transcript.append(empty);
      }
      return;
    }
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
      endTurn(message.turnId, message.reason, message.error);
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
