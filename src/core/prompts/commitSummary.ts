// Questions about commits for the chat panel: release notes for a range, and an explanation of
// one commit. Like the editor tasks, each is a question the chat shows as the turn's label and
// the model reads as the request, with the commits and their diffs as attachments.
import { formatCommit, type CommitInfo } from '../commit/gitLog';
import type { SkipReason } from '../commit/skipRules';
import type { ResolvedLanguage } from './chat';
import type { AttachmentDraft } from './editorTasks';
import { skippedNames } from './skippedFiles';

type Skipped = readonly { readonly path: string; readonly reason: SkipReason }[];

function skippedNote(skipped: Skipped, language: ResolvedLanguage): string {
  if (skipped.length === 0) return '';
  return language === 'ja' ? `\n（次のファイルの diff は省いています: ${skippedNames(skipped, language)}）` : `\n(The diffs of these files are left out: ${skippedNames(skipped, language)}.)`;
}

function commitsAttachment(label: string, commits: readonly CommitInfo[]): AttachmentDraft {
  return {
    kind: 'file',
    label: commits.length === 1 ? `commit ${commits[0].shortHash}` : `${commits.length} commits`,
    detail: `git log ${label}`,
    content: commits.map(formatCommit).join('\n\n'),
  };
}

function patchAttachment(label: string, detail: string, patch: string): AttachmentDraft {
  return { kind: 'file', label: `${label}.diff`, detail, content: patch, languageId: 'diff' };
}

export function releaseNotesPrompt(input: {
  readonly language: ResolvedLanguage;
  /** "main..HEAD", "the last 5 commits", a short hash. */
  readonly label: string;
  readonly commits: readonly CommitInfo[];
  /** Diffs, possibly already shortened. */
  readonly patches: string;
  readonly skipped: Skipped;
}): { question: string; attachments: AttachmentDraft[] } {
  const { language, label, commits } = input;
  const question =
    language === 'ja'
      ? `${label} の ${commits.length} 件のコミットからリリースノートを日本語で書いてください。利用者に向けた言葉で、「新機能」「修正」「その他」の見出しごとに箇条書きにし、該当のない見出しは省いてください。内部的なリファクタリングやテストだけの変更は「その他」に短くまとめてください。コミットメッセージと diff から分かることだけを書いてください。`
      : `Write release notes in English for the ${commits.length} commits in ${label}. Use wording for users, with bullet points under the headings "Features", "Fixes" and "Other" (leave out a heading with nothing under it). Keep internal refactoring and test-only changes short under "Other". Write only what the commit messages and diffs show.`;
  const attachments = [commitsAttachment(label, commits)];
  if (input.patches.trim() !== '') attachments.push(patchAttachment(label, `git log -p ${label}`, input.patches));
  return { question: question + skippedNote(input.skipped, language), attachments };
}

export function explainCommitPrompt(input: {
  readonly language: ResolvedLanguage;
  readonly commit: CommitInfo;
  readonly patch: string;
  readonly skipped: Skipped;
}): { question: string; attachments: AttachmentDraft[] } {
  const { language, commit } = input;
  const question =
    language === 'ja'
      ? `コミット ${commit.shortHash}「${commit.subject}」が何を変えたのか、なぜ変えたのかを、コミットメッセージと diff から日本語で説明してください。主な変更点をファイルごとに挙げ、影響や注意点があれば述べてください。`
      : `Explain in English what commit ${commit.shortHash} ("${commit.subject}") changed and why, from its message and its diff. List the main changes by file, and note any impact or anything to watch out for.`;
  const attachments = [commitsAttachment(commit.shortHash, [commit])];
  if (input.patch.trim() !== '') attachments.push(patchAttachment(commit.shortHash, `git show ${commit.shortHash}`, input.patch));
  return { question: question + skippedNote(input.skipped, language), attachments };
}
