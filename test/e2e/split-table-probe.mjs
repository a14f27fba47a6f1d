// Runs in Chromium, bundled by markdown.test.mjs with the panel's own webview/streamingMarkdown.ts:
// streams a long table as the panel does (a render per animation frame) and draws the same answer
// as a stored turn, for the test to check the pieces' DOM, layout, selection and safety.
import { renderAnswer, StreamingMarkdown } from '../../webview/streamingMarkdown.ts';

const frame = () => new Promise((resolve) => window.requestAnimationFrame(resolve));

/** Streams `text` into a new `.answer` in `deltas` characters per delta, `perFrame` deltas a frame. */
async function stream(text, { delta = 40, perFrame = 4 } = {}) {
  const answer = document.createElement('div');
  answer.className = 'answer';
  document.getElementById('answers').append(answer);
  const markdown = new StreamingMarkdown(answer);
  for (let at = 0; at < text.length; ) {
    for (let i = 0; i < perFrame && at < text.length; i++, at += delta) markdown.append(text.slice(at, at + delta));
    markdown.render();
    await frame();
  }
  while (!markdown.render(true)) await frame();
  await frame();
  return answer;
}

/** Draws `text` as a stored turn: rendered before it is in the page, then added. */
async function stored(text) {
  const answer = document.createElement('div');
  answer.className = 'answer';
  renderAnswer(answer, text);
  document.getElementById('answers').append(answer);
  await frame();
  await frame();
  return answer;
}

window.splitTableProbe = { stream, stored };
