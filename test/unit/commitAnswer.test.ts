import * as assert from 'node:assert/strict';
import { cleanCommitMessage, streamingCommitMessage } from '../../src/core/commit/commitAnswer';

const MESSAGE = 'feat(chat): add commit message generation\n\n- read the staged diff\n- skip lockfiles';

/** Every prefix of `answer`, as a stream would deliver it character by character. */
function prefixes(answer: string): string[] {
  return Array.from({ length: answer.length + 1 }, (_, i) => answer.slice(0, i));
}

function assertGrows(answer: string): string[] {
  const shown = prefixes(answer).map(streamingCommitMessage);
  for (let i = 1; i < shown.length; i++) {
    assert.ok(shown[i].startsWith(shown[i - 1]), `shown text shrank at ${i}: ${JSON.stringify(shown[i - 1])} -> ${JSON.stringify(shown[i])}`);
  }
  return shown;
}

const WRAPPED: [string, string][] = [
  ['plain', MESSAGE],
  ['fence', '```\n' + MESSAGE + '\n```'],
  ['fence with language and commentary', '```text\n' + MESSAGE + '\n```\n\nThis message follows Conventional Commits.'],
  ['English preamble', 'Here is the commit message:\n\n' + MESSAGE],
  ['English preamble and fence', "Sure! Here's a commit message for your changes:\n```\n" + MESSAGE + '\n```\nLet me know if you want changes.'],
  ['Japanese preamble', '以下はコミットメッセージです。\n\n' + MESSAGE],
  ['Japanese label', 'コミットメッセージ:\n' + MESSAGE],
  ['Japanese label and fence', 'はい、以下がコミットメッセージの案です：\n\n```\n' + MESSAGE + '\n```'],
  ['think block', '<think>The user staged a diff. I should write feat.</think>\n' + MESSAGE],
  ['think block and fence', '<think>\nhmm\n</think>\n\n```git\n' + MESSAGE + '\n```'],
  ['bold label', '**Commit message:**\n\n' + MESSAGE],
  ['CRLF', MESSAGE.replace(/\n/g, '\r\n')],
];

describe('commit answer cleaning', () => {
  for (const [name, answer] of WRAPPED) {
    it(`finds the message: ${name}`, () => {
      assert.equal(cleanCommitMessage(answer), MESSAGE);
    });
  }

  it('removes surrounding quotes, trailing spaces, extra blank lines, and adds the blank line after the subject', () => {
    assert.equal(cleanCommitMessage('"fix: handle empty input"'), 'fix: handle empty input');
    assert.equal(cleanCommitMessage('「ログイン処理のタイムアウトを修正」'), 'ログイン処理のタイムアウトを修正');
    assert.equal(cleanCommitMessage('fix: a  \nbody one   \n\n\n\nbody two\n\n'), 'fix: a\n\nbody one\n\nbody two');
    assert.equal(cleanCommitMessage('Commit message: fix: trim input'), 'fix: trim input');
    assert.equal(cleanCommitMessage('"Fix" button label is wrong'), '"Fix" button label is wrong');
  });

  it('keeps subjects that merely start like a preamble', () => {
    for (const subject of ['OK button no longer closes the dialog', 'Here-doc parsing handles tabs', '次のページへの遷移を修正', 'Generated docs are now linted']) {
      assert.equal(cleanCommitMessage(subject), subject);
    }
  });

  it('gives nothing for an answer that is only thinking', () => {
    assert.equal(cleanCommitMessage('<think>still thinking'), '');
    assert.equal(cleanCommitMessage(''), '');
  });
});

describe('streaming commit answer', () => {
  for (const [name, answer] of WRAPPED) {
    it(`only grows, never shows a fence, a preamble or thinking, and ends at the message: ${name}`, () => {
      const shown = assertGrows(answer);
      for (const text of shown) {
        assert.ok(!text.includes('```'), JSON.stringify(text));
        assert.ok(!/Here|以下|コミットメッセージ|Commit message|<think|<th|hmm/.test(text), JSON.stringify(text));
        assert.ok(MESSAGE.startsWith(text), JSON.stringify(text));
      }
      assert.equal(shown[shown.length - 1], MESSAGE);
    });
  }

  it('shows a plain message as it comes, holding back only what could still change', () => {
    assert.equal(streamingCommitMessage('fix: trim'), 'fix: trim');
    assert.equal(streamingCommitMessage('fix: trim input\nbody'), 'fix: trim input\n\nbody');
    assert.equal(streamingCommitMessage('He'), '');
    assert.equal(streamingCommitMessage('Here is the commit'), '');
    assert.equal(streamingCommitMessage('`'), '');
    assert.equal(streamingCommitMessage('```\nfix: a\n`'), 'fix: a');
    assert.equal(streamingCommitMessage('```\nfix: a\n```\nextra'), 'fix: a');
    assert.equal(streamingCommitMessage('<think>abc'), '');
    assert.equal(streamingCommitMessage('Commit message: fix: tr'), 'fix: tr');
  });

  it('drops surrounding quotes while streaming', () => {
    const shown = assertGrows('"fix: handle empty input"');
    assert.equal(shown[shown.length - 1], 'fix: handle empty input');
  });
});
