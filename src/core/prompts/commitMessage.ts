// The prompts that write a commit message: one request from the whole diff when it fits, or a
// map-reduce over a large one (each piece summarized, the summaries merged until they fit, the
// message written from them). Instructions are in the language the message is to be written in
// (assistants given English instructions and asked for Japanese ignored it, and the other way
// round: vscode-copilot-release #8393), with the language rule stated explicitly and last. The
// diff and the summaries go in the request's context, never in the system message.
import type { DiffPiece } from '../commit/diffPlan';
import type { FileChange } from '../commit/diffFiles';
import type { SkipReason } from '../commit/skipRules';
import type { AttachedContext } from '../generation/types';
import type { ChatMessage } from '../harmony/types';
import type { ResolvedLanguage } from './chat';

export type CommitLanguage = 'ja' | 'en' | 'ja-subject-en-body' | 'en-subject-ja-body';

export interface CommitStyle {
  readonly language: CommitLanguage;
  /** Conventional Commits: type(scope): subject. */
  readonly conventional: boolean;
  /** Default 72. */
  readonly subjectLimit: number;
  /** The repository's last subjects ([] when the setting is off). */
  readonly recentSubjects: readonly string[];
  /** The user's own recent subjects. */
  readonly ownSubjects: readonly string[];
  /** '' for none. */
  readonly extraInstructions: string;
}

export const DEFAULT_SUBJECT_LIMIT = 72;

export interface FileStat {
  readonly path: string;
  /** The old path of a rename or copy. */
  readonly oldPath?: string;
  readonly change: FileChange;
  readonly added: number;
  readonly removed: number;
}

export interface CommitPromptInput {
  readonly style: CommitStyle;
  /** What the user had typed in the commit box ('' for none): guidance, issue references… */
  readonly hint: string;
  readonly source: 'staged' | 'all';
  /** The files the model reads. */
  readonly files: readonly FileStat[];
  readonly skipped: readonly { readonly path: string; readonly reason: SkipReason }[];
  readonly branch?: string;
}

export interface CommitPrompt {
  readonly messages: readonly ChatMessage[];
  readonly context: readonly AttachedContext[];
}

/** Files listed by name in a prompt; the rest are counted. */
export const MAX_LISTED_FILES = 60;
/** Subjects shown as style examples, from each of the repository and the user. */
export const MAX_EXAMPLE_SUBJECTS = 20;

/** The language of the subject, which the instructions are written in. */
export function subjectLanguage(language: CommitLanguage): ResolvedLanguage {
  return language === 'ja' || language === 'ja-subject-en-body' ? 'ja' : 'en';
}

/** The language of the body, which piece summaries are written in. */
export function bodyLanguage(language: CommitLanguage): ResolvedLanguage {
  return language === 'ja' || language === 'en-subject-ja-body' ? 'ja' : 'en';
}

const LANGUAGE_RULE: Record<CommitLanguage, string> = {
  ja: '言語: 件名も本文も日本語で書いてください（コード上の名前や識別子はそのままで構いません）。',
  en: 'Language: write the subject and the body in English.',
  'ja-subject-en-body': '言語: 件名は日本語で、本文は英語で書いてください。',
  'en-subject-ja-body': 'Language: write the subject in English and the body in Japanese (日本語).',
};

const SUMMARY_LANGUAGE_RULE: Record<ResolvedLanguage, string> = {
  ja: '言語: 日本語で書いてください。',
  en: 'Language: write in English.',
};

const CHANGE: Record<ResolvedLanguage, Record<FileChange, string>> = {
  ja: { added: '追加', deleted: '削除', modified: '変更', renamed: '名前の変更', copied: 'コピー' },
  en: { added: 'added', deleted: 'deleted', modified: 'modified', renamed: 'renamed', copied: 'copied' },
};

const REASON: Record<ResolvedLanguage, Record<SkipReason, string>> = {
  ja: { lockfile: 'ロックファイル', generated: '生成されたファイル', minified: '圧縮（minify）されたコード', binary: 'バイナリファイル' },
  en: { lockfile: 'lockfile', generated: 'generated file', minified: 'minified code', binary: 'binary file' },
};

function systemText(style: CommitStyle): string {
  const limit = Math.max(10, Math.round(style.subjectLimit || DEFAULT_SUBJECT_LIMIT));
  const subjectJa = subjectLanguage(style.language) === 'ja';
  const bodyJa = bodyLanguage(style.language) === 'ja';
  if (subjectJa) {
    return [
      'あなたは Git のコミットメッセージを書くアシスタントです。渡された変更（diff、または長い diff の要約）を読み、その変更のコミットメッセージを 1 つだけ書いてください。',
      '- 出力はコミットメッセージそのものだけにしてください。前置き（「以下は…です」など）、説明、コードブロック（```）、引用符は付けないでください。',
      `- 1 行目は件名です。${limit} 文字以内で、変更の内容を簡潔に体言止めで書いてください（例:「ログイン処理のタイムアウトを修正」）。末尾に句点は付けないでください。`,
      bodyJa
        ? '- 変更が複数あるときや理由の説明が要るときは、空行を 1 行入れてから本文を書き、何をなぜ変えたかを「- 」の箇条書きで簡潔に述べてください。小さな変更なら件名だけで構いません。'
        : '- 変更が複数あるときや理由の説明が要るときは、空行を 1 行入れてから本文を書き、何をなぜ変えたかを「- 」の箇条書きで簡潔に述べてください（本文は 72 文字で折り返す）。小さな変更なら件名だけで構いません。',
      '- 変更から読み取れないことを推測で書かないでください。',
      ...(style.conventional
        ? ['- Conventional Commits の形式にしてください: 「type(scope): 件名」。type は feat, fix, docs, style, refactor, perf, test, build, ci, chore, revert のいずれか、scope は省略できます。type と scope は英語のまま書き、件名の部分を指定の言語で書いてください。']
        : []),
      LANGUAGE_RULE[style.language],
    ].join('\n');
  }
  return [
    'You write Git commit messages. Read the changes given (a diff, or summaries of a long one) and write one commit message for them.',
    '- Reply with the commit message only: no preamble ("Here is…"), no explanation, no code fence (```), no quotes around it.',
    `- The first line is the subject: at most ${limit} characters, in the imperative mood ("Fix login timeout", not "Fixed" or "Fixes"), with no trailing period.`,
    bodyJa
      ? '- When the change has several parts or needs a reason, leave one blank line and write a body saying what changed and why, with "- " bullets where it helps. A small change needs only the subject.'
      : '- When the change has several parts or needs a reason, leave one blank line and write a body saying what changed and why, wrapped at 72 characters, with "- " bullets where it helps. A small change needs only the subject.',
    '- Do not invent anything the changes do not show.',
    ...(style.conventional
      ? ['- Use Conventional Commits: "type(scope): subject", where type is one of feat, fix, docs, style, refactor, perf, test, build, ci, chore, revert and the scope is optional.']
      : []),
    LANGUAGE_RULE[style.language],
  ].join('\n');
}

function fileLine(file: FileStat, language: ResolvedLanguage): string {
  const change = CHANGE[language][file.change];
  const moved = file.oldPath !== undefined && file.oldPath !== file.path ? (language === 'ja' ? `${file.oldPath} から` : `from ${file.oldPath}`) : '';
  const counts = file.added > 0 || file.removed > 0 ? `+${file.added} -${file.removed}` : '';
  const details = [change, moved, counts].filter((s) => s !== '').join(language === 'ja' ? '、' : ', ');
  return language === 'ja' ? `- ${file.path}（${details}）` : `- ${file.path} (${details})`;
}

function listed<T>(items: readonly T[], line: (item: T) => string, language: ResolvedLanguage): string[] {
  const lines = items.slice(0, MAX_LISTED_FILES).map(line);
  const more = items.length - MAX_LISTED_FILES;
  if (more > 0) lines.push(language === 'ja' ? `- …ほか ${more} 件` : `- … and ${more} more`);
  return lines;
}

function subjects(list: readonly string[]): string[] {
  return list
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s !== '')
    .slice(0, MAX_EXAMPLE_SUBJECTS)
    .map((s) => `- ${s}`);
}

function quoted(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}

type Material = { readonly diff: string } | { readonly summaries: readonly string[] };

function userText(input: CommitPromptInput, material: Material): string {
  const { style } = input;
  const ja = subjectLanguage(style.language) === 'ja';
  const language: ResolvedLanguage = ja ? 'ja' : 'en';
  const sections: string[] = [];
  sections.push(
    input.source === 'staged'
      ? ja ? 'ステージ済みの変更のコミットメッセージを書いてください。' : 'Write the commit message for the staged changes.'
      : ja
        ? 'ステージ済みの変更がないため、作業ツリーのすべての変更（未追跡のファイルを含む）のコミットメッセージを書いてください。'
        : 'Nothing is staged: write the commit message for all changes in the working tree, untracked files included.',
  );
  if (input.branch) sections.push(ja ? `ブランチ: ${input.branch}` : `Branch: ${input.branch}`);
  if (input.files.length > 0) {
    sections.push([ja ? `変更されたファイル（${input.files.length} 件）:` : `Changed files (${input.files.length}):`, ...listed(input.files, (f) => fileLine(f, language), language)].join('\n'));
  }
  if (input.skipped.length > 0) {
    const line = (s: { readonly path: string; readonly reason: SkipReason }): string =>
      ja ? `- ${s.path}（${REASON.ja[s.reason]}）` : `- ${s.path} (${REASON.en[s.reason]})`;
    sections.push([
      ja ? '内容を読まなかったファイル（diff に含めていません。名前から分かる範囲で触れてください）:' : 'Files not read (left out of the diff; mention them only as far as their names tell):',
      ...listed(input.skipped, line, language),
    ].join('\n'));
  }
  const recent = subjects(style.recentSubjects);
  if (recent.length > 0) {
    sections.push([ja ? 'このリポジトリの最近のコミットの件名（書き方の参考です。内容をまねないでください）:' : "Recent subjects in this repository (follow their style; never copy their content):", ...recent].join('\n'));
  }
  const own = subjects(style.ownSubjects);
  if (own.length > 0) {
    sections.push([ja ? 'このユーザーが最近書いた件名（書き方の参考です。内容をまねないでください）:' : 'Subjects this user wrote recently (follow their style; never copy their content):', ...own].join('\n'));
  }
  if (style.extraInstructions.trim() !== '') {
    sections.push([ja ? '追加の指示:' : 'Additional instructions:', quoted(style.extraInstructions)].join('\n'));
  }
  if (input.hint.trim() !== '') {
    sections.push([
      ja
        ? 'ユーザーがコミット欄に書いたこの変更についてのメモです。ユーザー自身の言葉として意図の手がかりにし、issue 番号などの参照はそのままメッセージに残してください:'
        : "What the user typed in the commit box about this change, in their own words: use it for intent, and keep any issue references it has:",
      quoted(input.hint),
    ].join('\n'));
  }
  if ('diff' in material) {
    sections.push(
      material.diff.trim() === ''
        ? ja ? '読める diff はありません。上のファイル一覧から書いてください。' : 'There is no diff to read: write it from the file list above.'
        : ja ? '変更の内容は下の diff のとおりです。' : 'The changes are in the diff below.',
    );
  } else {
    sections.push(
      ja
        ? `diff が長いため、部分ごとの要約（${material.summaries.length} 件）を下に示します。全体として 1 つのコミットメッセージにまとめてください。`
        : `The diff is long, so summaries of its parts (${material.summaries.length}) are below. Write one commit message for all of them together.`,
    );
  }
  sections.push(LANGUAGE_RULE[style.language]);
  return sections.join('\n\n');
}

function diffLabel(source: CommitPromptInput['source'], language: ResolvedLanguage): string {
  if (language === 'ja') return source === 'staged' ? 'ステージ済みの変更（diff）' : 'すべての変更（diff）';
  return source === 'staged' ? 'Staged changes (diff)' : 'All changes (diff)';
}

/** The final request: the message from the whole diff (diff) or from piece summaries (summaries). */
export function commitMessagePrompt(input: CommitPromptInput, material: Material): CommitPrompt {
  const language = subjectLanguage(input.style.language);
  const messages: ChatMessage[] = [
    { role: 'system', content: systemText(input.style) },
    { role: 'user', content: userText(input, material) },
  ];
  let context: AttachedContext[];
  if ('diff' in material) {
    context = material.diff.trim() === '' ? [] : [{ label: diffLabel(input.source, language), text: material.diff }];
  } else {
    const label = language === 'ja' ? '変更の要約（部分ごと）' : 'Summaries of the changes, part by part';
    context = [{ label, text: material.summaries.join('\n\n') }];
  }
  return { messages, context };
}

function pieceLabel(piece: DiffPiece, language: ResolvedLanguage): string {
  const paths = piece.paths.length <= 3 ? piece.paths.join(', ') : `${piece.paths.slice(0, 3).join(', ')}, …`;
  if (piece.part) {
    return language === 'ja'
      ? `${paths} の diff（全 ${piece.part.of} 部のうち第 ${piece.part.index} 部）`
      : `Diff of ${paths} (part ${piece.part.index} of ${piece.part.of})`;
  }
  return language === 'ja' ? `diff の一部: ${paths}` : `Part of the diff: ${paths}`;
}

/** Map step: a short factual summary (a few lines, in the body's language) of one piece. */
export function pieceSummaryPrompt(piece: DiffPiece, style: CommitStyle, hint: string): CommitPrompt {
  const language = bodyLanguage(style.language);
  const ja = language === 'ja';
  const system = ja
    ? [
        'あなたは後でコミットメッセージを書くために、大きな diff の一部を要約するアシスタントです。',
        '- 渡された diff の部分が何を変えているかを、事実だけ「- 」の箇条書き 2〜5 行で書いてください。どのファイルの、どの機能や振る舞いが、どう変わったか。理由が diff から分かれば添えてください。',
        '- 前置き、見出し、コードブロックは書かないでください。diff から読み取れないことは書かないでください。',
        SUMMARY_LANGUAGE_RULE.ja,
      ]
    : [
        'You summarize one part of a large diff so that a commit message can be written from the summaries later.',
        '- State what this part of the diff changes, facts only, in 2-5 lines of "- " bullets: which file, which feature or behaviour, how it changed, and why where the diff shows it.',
        '- No preamble, no headings, no code fences. Nothing the diff does not show.',
        SUMMARY_LANGUAGE_RULE.en,
      ];
  const user = [
    ja ? `この部分の変更を要約してください（${pieceLabel(piece, language)}）。` : `Summarize the changes in this part (${pieceLabel(piece, language)}).`,
    ...(piece.part
      ? [ja ? 'ファイルが長いため分割されています。この部分に見える変更だけを書いてください。' : 'The file is long and cut into parts: describe only the changes visible in this part.']
      : []),
    ...(hint.trim() !== ''
      ? [[ja ? 'ユーザーがこの変更について書いたメモ（意図の手がかり）:' : "The user's own note about the change (for intent):", quoted(hint)].join('\n')]
      : []),
    SUMMARY_LANGUAGE_RULE[language],
  ].join('\n\n');
  return {
    messages: [
      { role: 'system', content: system.join('\n') },
      { role: 'user', content: user },
    ],
    context: [{ label: pieceLabel(piece, language), text: piece.text }],
  };
}

/** Reduce step when summaries themselves do not fit: merge a group of summaries into one. */
export function mergeSummariesPrompt(summaries: readonly string[], style: CommitStyle): CommitPrompt {
  const language = bodyLanguage(style.language);
  const ja = language === 'ja';
  const system = ja
    ? [
        'あなたは 1 つの変更を部分ごとに要約したものを、1 つの要約にまとめるアシスタントです。',
        '- 別々の変更はすべて残し、重複はまとめて、「- 」の箇条書き 8 行以内にしてください。ファイル名や機能名は残してください。',
        '- 前置き、見出し、コードブロックは書かないでください。要約にないことは書かないでください。',
        SUMMARY_LANGUAGE_RULE.ja,
      ]
    : [
        'You merge summaries of the parts of one change into a single summary.',
        '- Keep every distinct change, merge repeats, and use at most 8 lines of "- " bullets. Keep file and feature names.',
        '- No preamble, no headings, no code fences. Nothing the summaries do not say.',
        SUMMARY_LANGUAGE_RULE.en,
      ];
  const user = [
    ja ? `下の ${summaries.length} 件の要約を 1 つにまとめてください。` : `Merge the ${summaries.length} summaries below into one.`,
    SUMMARY_LANGUAGE_RULE[language],
  ].join('\n\n');
  return {
    messages: [
      { role: 'system', content: system.join('\n') },
      { role: 'user', content: user },
    ],
    context: [{ label: ja ? '部分ごとの要約' : 'Summaries of the parts', text: summaries.join('\n\n') }],
  };
}
