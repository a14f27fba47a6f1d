// Pure pieces of the chat panel (webview/): where a streaming answer can be cut, and input history.
import * as assert from 'node:assert/strict';
import { InputHistory } from '../../webview/inputHistory';
import { stableMarkdownEnd } from '../../webview/markdownBlocks';

/** The cut points found while `text` streams in one character at a time. */
function cutsWhileStreaming(text: string): number[] {
  const cuts: number[] = [];
  let end = 0;
  for (let length = 1; length <= text.length; length++) {
    const next = stableMarkdownEnd(text.slice(0, length), end);
    assert.ok(next >= end, 'a cut never moves back');
    if (next > end) cuts.push(next);
    end = next;
  }
  return cuts;
}

describe('streaming markdown cuts', () => {
  it('cut after a blank line before a line at column 0, once that line is complete', () => {
    const text = 'First paragraph.\n\nSecond paragraph.\n';
    assert.equal(stableMarkdownEnd('First paragraph.\n\nSecond', 0), 0, 'the line after the blank is not complete yet');
    assert.equal(stableMarkdownEnd(text, 0), text.indexOf('Second'));
    assert.deepEqual(cutsWhileStreaming(text), [text.indexOf('Second')]);
  });

  it('never cut inside a code fence, even at blank lines', () => {
    const text = 'Intro\n\n```js\nlet a = 1;\n\nlet b = 2;\n```\n\nAfter\n';
    assert.deepEqual(cutsWhileStreaming(text), [text.indexOf('```js'), text.indexOf('After')]);
    const tilde = '~~~\n\nx\n```\n\ny\n~~~\n\nz\n';
    assert.deepEqual(cutsWhileStreaming(tilde), [tilde.indexOf('z')], 'a ``` line does not close a ~~~ fence');
  });

  it('keep indented continuations and loose list items with the block above', () => {
    const list = '1. one\n\n2. two\n\n   more of two\n\n- bullet\n\nEnd\n';
    assert.deepEqual(cutsWhileStreaming(list), [list.indexOf('End')]);
    const indentedCode = 'Text\n\n    code\n\n    more\n';
    assert.deepEqual(cutsWhileStreaming(indentedCode), []);
  });

  it('resume from the previous cut', () => {
    const text = 'a\n\nb\n\nc\n';
    assert.equal(stableMarkdownEnd(text, 0), text.indexOf('c'));
    assert.equal(stableMarkdownEnd(text, text.indexOf('c')), text.indexOf('c'));
  });
});

describe('input history', () => {
  it('walks back through questions with older() and forward to the draft with newer()', () => {
    const history = new InputHistory();
    history.reset(['q1', 'q2']);
    assert.equal(history.newer(), undefined, 'not browsing yet');
    assert.equal(history.older('draft'), 'q2');
    assert.equal(history.older('q2'), 'q1');
    assert.equal(history.older('q1'), undefined, 'at the oldest');
    assert.equal(history.newer(), 'q2');
    assert.equal(history.newer(), 'draft');
    assert.equal(history.newer(), undefined);
  });

  it('keep questions sent in this session across a new or restored conversation, each once', () => {
    const history = new InputHistory();
    history.reset(['old']);
    history.add('mine');
    history.reset([]);
    assert.equal(history.older(''), 'mine');
    assert.equal(history.older('mine'), undefined);
    history.reset(['a', 'mine', 'b']);
    assert.deepEqual([history.older(''), history.older(''), history.older(''), history.older('')], ['mine', 'b', 'a', undefined]);
  });
});
