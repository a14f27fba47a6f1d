// Pure pieces of the chat panel (webview/): where a streaming answer can be cut, and input history.
// Long blocks in a streaming answer: panelRunaway.test.ts.
import * as assert from 'node:assert/strict';
import { InputHistory } from '../../webview/inputHistory';
import { AnswerPlanner, CUTS_ONLY } from '../../webview/markdownBlocks';

/** The cut points found while `text` streams in one character at a time (no long-block splitting). */
function cutsWhileStreaming(text: string): number[] {
  const planner = new AnswerPlanner(CUTS_ONLY);
  const cuts: number[] = [];
  for (let length = 1; length <= text.length; length++) {
    const frame = planner.update(text.slice(0, length));
    for (const piece of frame.done) {
      assert.equal(piece.kind, 'markdown');
      cuts.push(piece.to);
    }
  }
  return cuts;
}

/** Where the first cut is taken when `text` is all that arrived so far (undefined: none yet). */
function firstCut(text: string): number | undefined {
  return new AnswerPlanner(CUTS_ONLY).update(text).done[0]?.to;
}

describe('streaming markdown cuts', () => {
  it('cut after a blank line before a line at column 0, once its first characters show it is no list item', () => {
    const text = 'First paragraph.\n\nSecond paragraph.\n';
    assert.equal(firstCut('First paragraph.\n\n'), undefined, 'the next line has not begun');
    assert.equal(firstCut('First paragraph.\n\nS'), text.indexOf('Second'));
    assert.equal(firstCut('1. one\n\n2'), undefined, 'it may still become "2. two"');
    assert.equal(firstCut('1. one\n\n2.'), undefined);
    assert.equal(firstCut('1. one\n\n2. two'), undefined, 'a loose list stays one list');
    assert.equal(firstCut('1. one\n\n2.5 GB'), '1. one\n\n'.length);
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

  it('cut the same way whether the text arrives at once or a character at a time', () => {
    const text = 'a\n\nb\n\n- c\n\nd\n```\n\ne\n```\n\nf';
    const atOnce = new AnswerPlanner(CUTS_ONLY).update(text, true).done.map((piece) => piece.to);
    assert.deepEqual(atOnce.slice(0, -1), cutsWhileStreaming(text));
    assert.equal(atOnce.at(-1), text.length, 'the final piece runs to the end');
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
