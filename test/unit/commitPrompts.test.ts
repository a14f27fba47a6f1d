import * as assert from 'node:assert/strict';
import { parseLog, type CommitInfo } from '../../src/core/commit/gitLog';
import {
  commitMessagePrompt,
  mergeSummariesPrompt,
  pieceSummaryPrompt,
  type CommitLanguage,
  type CommitPromptInput,
  type CommitStyle,
} from '../../src/core/prompts/commitMessage';
import { explainCommitPrompt, releaseNotesPrompt } from '../../src/core/prompts/commitSummary';

const JAPANESE = /[\u3040-\u30ff\u4e00-\u9fff]/;

function style(overrides: Partial<CommitStyle> = {}): CommitStyle {
  return { language: 'en', conventional: false, subjectLimit: 72, recentSubjects: [], ownSubjects: [], extraInstructions: '', ...overrides };
}

function input(overrides: Partial<CommitPromptInput> = {}): CommitPromptInput {
  return {
    style: style(),
    hint: '',
    source: 'staged',
    files: [{ path: 'src/a.ts', change: 'modified', added: 3, removed: 1 }, { path: 'src/b.ts', oldPath: 'src/old.ts', change: 'renamed', added: 0, removed: 0 }],
    skipped: [{ path: 'package-lock.json', reason: 'lockfile' }],
    ...overrides,
  };
}

const DIFF = 'diff --git a/src/a.ts b/src/a.ts\n@@ -1 +1 @@\n-a\n+b\n';

function texts(prompt: { messages: readonly { content?: string }[] }): { system: string; user: string } {
  return { system: prompt.messages[0].content ?? '', user: prompt.messages[prompt.messages.length - 1].content ?? '' };
}

describe('commit message prompts', () => {
  const rules: Record<CommitLanguage, RegExp> = {
    ja: /言語: 件名も本文も日本語で書いてください/,
    en: /Language: write the subject and the body in English\./,
    'ja-subject-en-body': /言語: 件名は日本語で、本文は英語で書いてください。/,
    'en-subject-ja-body': /Language: write the subject in English and the body in Japanese/,
  };

  it('write instructions in the subject language and state the language rule last', () => {
    for (const language of Object.keys(rules) as CommitLanguage[]) {
      const { system, user } = texts(commitMessagePrompt(input({ style: style({ language }) }), { diff: DIFF }));
      const japanese = language.startsWith('ja');
      assert.equal(JAPANESE.test(system.split('\n')[0]), japanese, `${language}: ${system}`);
      const systemLines = system.split('\n');
      const userParts = user.split('\n\n');
      assert.match(systemLines[systemLines.length - 1], rules[language]);
      assert.match(userParts[userParts.length - 1], rules[language]);
    }
  });

  it('ask for the message only, within the subject limit, imperative or 体言止め', () => {
    const en = texts(commitMessagePrompt(input({ style: style({ subjectLimit: 50 }) }), { diff: DIFF })).system;
    assert.match(en, /commit message only: no preamble/);
    assert.match(en, /no code fence/);
    assert.match(en, /at most 50 characters/);
    assert.match(en, /imperative mood/);
    const ja = texts(commitMessagePrompt(input({ style: style({ language: 'ja', subjectLimit: 60 }) }), { diff: DIFF })).system;
    assert.match(ja, /60 文字以内/);
    assert.match(ja, /体言止め/);
    assert.match(ja, /前置き/);
  });

  it('ask for Conventional Commits only when on', () => {
    for (const language of ['ja', 'en'] as const) {
      const on = texts(commitMessagePrompt(input({ style: style({ language, conventional: true }) }), { diff: DIFF })).system;
      const off = texts(commitMessagePrompt(input({ style: style({ language, conventional: false }) }), { diff: DIFF })).system;
      assert.match(on, /Conventional Commits/);
      assert.match(on, /type\(scope\)/);
      assert.doesNotMatch(off, /Conventional Commits/);
    }
  });

  it('show recent subjects as style examples, extra instructions verbatim, and the hint as the user\'s words', () => {
    const prompt = commitMessagePrompt(
      input({
        style: style({ recentSubjects: ['Panel: draw runaway blocks in pieces', 'Bench: add cases'], ownSubjects: ['e2e: activate at startup'], extraInstructions: 'Mention the ticket as [JIRA-1].\nNo emoji.' }),
        hint: 'fixes #42',
        branch: 'feature/commit',
      }),
      { diff: DIFF },
    );
    const { system, user } = texts(prompt);
    assert.match(user, /Recent subjects in this repository \(follow their style; never copy their content\):\n- Panel: draw runaway blocks in pieces\n- Bench: add cases/);
    assert.match(user, /Subjects this user wrote recently[^\n]*\n- e2e: activate at startup/);
    assert.ok(user.includes('Mention the ticket as [JIRA-1].\nNo emoji.'));
    assert.match(user, /in their own words[^\n]*keep any issue references[^\n]*\nfixes #42/);
    assert.match(user, /Branch: feature\/commit/);
    assert.ok(!system.includes('fixes #42') && !system.includes('Panel: draw'));
    const bare = texts(commitMessagePrompt(input(), { diff: DIFF })).user;
    assert.doesNotMatch(bare, /Recent subjects|Additional instructions|commit box|Branch/);
  });

  it('list the files and name what was skipped, and put the diff in the context only', () => {
    const prompt = commitMessagePrompt(input(), { diff: DIFF });
    const { system, user } = texts(prompt);
    assert.match(user, /- src\/a\.ts \(modified, \+3 -1\)/);
    assert.match(user, /- src\/b\.ts \(renamed, from src\/old\.ts\)/);
    assert.match(user, /Files not read[^\n]*\n- package-lock\.json \(lockfile\)/);
    assert.deepEqual(prompt.context, [{ label: 'Staged changes (diff)', text: DIFF }]);
    assert.ok(!system.includes(DIFF) && !user.includes(DIFF));
    const ja = commitMessagePrompt(input({ style: style({ language: 'ja' }), source: 'all' }), { diff: DIFF });
    assert.equal(ja.context[0].label, 'すべての変更（diff）');
    assert.match(texts(ja).user, /未追跡のファイルを含む/);
    assert.match(texts(ja).user, /package-lock\.json（ロックファイル）/);
  });

  it('write from summaries, or from the file list alone when nothing could be read', () => {
    const fromSummaries = commitMessagePrompt(input(), { summaries: ['- one', '- two'] });
    assert.deepEqual(fromSummaries.context, [{ label: 'Summaries of the changes, part by part', text: '- one\n\n- two' }]);
    assert.match(texts(fromSummaries).user, /summaries of its parts \(2\)/);
    const onlyLock = commitMessagePrompt(input({ files: [] }), { diff: '' });
    assert.deepEqual(onlyLock.context, []);
    assert.match(texts(onlyLock).user, /no diff to read/);
  });

  it('summarize pieces and merge summaries in the body language', () => {
    const piece = { paths: ['src/big.ts'], text: DIFF, tokens: 10, part: { index: 2, of: 3 } };
    const en = pieceSummaryPrompt(piece, style({ language: 'ja-subject-en-body' }), 'refs #7');
    assert.doesNotMatch(texts(en).system, JAPANESE);
    assert.match(texts(en).user, /part 2 of 3/);
    assert.match(texts(en).user, /refs #7/);
    assert.deepEqual(en.context.map((c) => c.text), [DIFF]);
    const ja = pieceSummaryPrompt({ paths: ['a.ts', 'b.ts'], text: DIFF, tokens: 10 }, style({ language: 'en-subject-ja-body' }), '');
    assert.match(texts(ja).system, /言語: 日本語で書いてください。$/);
    assert.match(ja.context[0].label, /a\.ts, b\.ts/);
    const merge = mergeSummariesPrompt(['- a', '- b', '- c'], style({ language: 'ja' }));
    assert.match(texts(merge).user, /3 件の要約/);
    assert.equal(merge.context[0].text, '- a\n\n- b\n\n- c');
  });
});

const COMMIT: CommitInfo = {
  hash: 'a'.repeat(40), shortHash: 'aaaaaaa', author: '山田 太郎', email: 'taro@example.com', date: '2025-01-02T03:04:05+09:00',
  subject: 'feat: add release notes', body: 'Longer text.\n\nRefs #3',
};

describe('git log', () => {
  it('reads hashes, authors, dates, subjects and bodies with blank lines and punctuation', () => {
    const record = (c: CommitInfo): string => `\x1e${c.hash}\x00${c.shortHash}\x00${c.author}\x00${c.email}\x00${c.date}\x00${c.subject}\x00${c.body}\n`;
    const second: CommitInfo = { ...COMMIT, hash: 'b'.repeat(40), shortHash: 'bbbbbbb', subject: 'fix: a | b ; "c"', body: '' };
    assert.deepEqual(parseLog(record(COMMIT) + '\n' + record(second)), [COMMIT, second]);
    assert.deepEqual(parseLog(''), []);
  });
});

describe('commit summaries for the chat', () => {
  it('ask for grouped, user-facing release notes in the language, with the commits and patches attached', () => {
    for (const language of ['ja', 'en'] as const) {
      const prompt = releaseNotesPrompt({ language, label: 'main..HEAD', commits: [COMMIT, COMMIT], patches: 'diff --git a/x b/x\n', skipped: [{ path: 'yarn.lock', reason: 'lockfile' }] });
      assert.equal(JAPANESE.test(prompt.question), language === 'ja');
      assert.match(prompt.question, language === 'ja' ? /新機能.*修正.*その他/ : /"Features", "Fixes" and "Other"/);
      assert.match(prompt.question, /main\.\.HEAD/);
      assert.match(prompt.question, /yarn\.lock/);
      assert.equal(prompt.attachments.length, 2);
      assert.match(prompt.attachments[0].content, /feat: add release notes/);
      assert.equal(prompt.attachments[1].languageId, 'diff');
    }
  });

  it('explain one commit from its message and diff', () => {
    const prompt = explainCommitPrompt({ language: 'en', commit: COMMIT, patch: 'diff --git a/x b/x\n', skipped: [] });
    assert.match(prompt.question, /what commit aaaaaaa \("feat: add release notes"\) changed and why/);
    assert.match(prompt.attachments[0].content, /Refs #3/);
    assert.equal(prompt.attachments[1].content, 'diff --git a/x b/x\n');
    assert.equal(explainCommitPrompt({ language: 'ja', commit: COMMIT, patch: '', skipped: [] }).attachments.length, 1);
  });
});
