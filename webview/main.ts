// Browser side of the chat panel. Everything shown comes from the extension as validated
// messages and is inserted as text, never as HTML.
import { parseExtensionMessage, type ExtensionToPanel, type PanelToExtension } from '../src/core/protocol';

interface VsCodeApi {
  postMessage(message: PanelToExtension): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const transcript = document.getElementById('transcript') as HTMLElement;
const form = document.getElementById('composer') as HTMLFormElement;
const input = document.getElementById('input') as HTMLTextAreaElement;
const sendButton = document.getElementById('send') as HTMLButtonElement;

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
    case 'ping':
      vscode.postMessage({ type: 'pong', id: message.id, text: message.text });
      return;
  }
}

function send(): void {
  const text = input.value;
  if (text.trim() === '') return;
  vscode.postMessage({ type: 'send', text });
  input.value = '';
}

window.addEventListener('message', (event: MessageEvent) => {
  const message = parseExtensionMessage(event.data);
  if (message) handle(message);
});

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
