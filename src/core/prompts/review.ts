// The reviewer's prompts: a review of numbered listings (one report_finding call per finding,
// then a short summary), and "explain more" about one finding. Instructions are written in the
// language the findings are to be in, the language rule stated last (as for commit messages);
// "both" is a Japanese message followed by a one-line English summary, for teams that read both.
import type { AttachedContext } from '../generation/types';
import type { ChatMessage } from '../harmony/types';
import { CATEGORIES, REPORT_FINDING, SEVERITIES, type Finding } from '../review/findings';
import type { ReviewFile } from '../review/reviewMaterial';
import type { ResolvedLanguage } from './chat';
import { skippedNames, type LeftOutReason } from './skippedFiles';

export type ReviewLanguage = ResolvedLanguage | 'both';

/** Findings a review asks for at most, per piece: more is noise a reader skips. */
export const MAX_FINDINGS = 15;

export interface ReviewPromptInput {
  readonly language: ReviewLanguage;
  /** What is reviewed, in the user's words: "the staged changes", "src/calc.ts", "main..HEAD". */
  readonly label: string;
  readonly kind: 'diff' | 'file';
  readonly files: readonly ReviewFile[];
  /** Files left out (named so the model does not ask for them, and the summary can say so). */
  readonly skipped: readonly { readonly path: string; readonly reason: LeftOutReason }[];
  /** Which piece of a review that did not fit one request: [index, count], 1-based. */
  readonly piece?: readonly [number, number];
}

export interface ReviewPrompt {
  readonly messages: readonly ChatMessage[];
  readonly context: readonly AttachedContext[];
}

const instructionLanguage = (language: ReviewLanguage): ResolvedLanguage => (language === 'en' ? 'en' : 'ja');

const LANGUAGE_RULE: Record<ReviewLanguage, string> = {
  ja: '言語: message と最後のまとめは日本語で書いてください（コード上の名前はそのままで構いません）。',
  en: 'Language: write each message and the final summary in English.',
  both: '言語: message は日本語で書き、その最後の行に「English: 」で始まる英語の一文の要約を付けてください。最後のまとめも日本語で書き、英語の一文を添えてください。',
};

const EXPLAIN_LANGUAGE_RULE: Record<ReviewLanguage, string> = {
  ja: '言語: 日本語で書いてください（コード上の名前はそのままで構いません）。',
  en: 'Language: write in English.',
  both: '言語: 日本語で書き、最後に「English: 」で始まる英語の一文の要約を付けてください。',
};

function systemText(input: ReviewPromptInput): string {
  const severities = SEVERITIES.join(', ');
  const categories = CATEGORIES.join(', ');
  if (instructionLanguage(input.language) === 'ja') {
    return [
      'あなたは経験豊富なコードレビュアーです。渡されたコードを読み、本当に直すべき問題だけを指摘してください。',
      `- 指摘は 1 件ごとに ${REPORT_FINDING} ツールを 1 回呼んで報告してください。指摘がなければ呼ばなくて構いません。多くても ${MAX_FINDINGS} 件までにし、重要なものから報告してください。`,
      input.kind === 'diff'
        ? '- 各行の先頭の数字は変更後のファイルの行番号です。「+」は追加された行、「-」は削除された行（番号なし）です。指摘するのは変更された部分（+ の行とその周り）にしてください。'
        : '- 各行の先頭の数字はファイルの行番号です。',
      '- path にはファイル名（見出しのとおり）、start_line と end_line には行番号、quote にはその行のコードを一字一句そのまま（行番号と記号を除いて）書き写してください。',
      '- 直し方が明確なときだけ replacement に、その行全体の書き換え後のコードを書いてください。',
      `- severity は ${severities}（error: バグや脆弱性、warning: 問題になりうる点、info: 改善の提案）、category は ${categories} のいずれかです。`,
      '- 好みの問題や、コードから読み取れない推測は指摘しないでください。',
      '- すべて報告したら、レビューのまとめを 2〜3 文で書いてください（指摘がなければ、問題が見つからなかったことを書いてください）。',
      LANGUAGE_RULE[input.language],
    ].join('\n');
  }
  return [
    'You are an experienced code reviewer. Read the code given and point out only problems worth fixing.',
    `- Report each finding with one call of the ${REPORT_FINDING} tool. If there is nothing to report, make no call. Report at most ${MAX_FINDINGS}, the most important first.`,
    input.kind === 'diff'
      ? '- The number at the start of each line is its line number in the changed file. "+" marks an added line, "-" a removed one (it has no number). Review the changed parts (the + lines and what surrounds them).'
      : '- The number at the start of each line is its line number in the file.',
    '- path is the file as its heading names it, start_line and end_line are line numbers, and quote is the code of those lines copied exactly (without the numbers and markers).',
    '- Give a replacement (the new code for those whole lines) only when the fix is clear.',
    `- severity is one of ${severities} (error: a bug or vulnerability, warning: likely trouble, info: a suggestion); category is one of ${categories}.`,
    '- Do not report matters of taste, or guesses the code does not support.',
    '- When every finding is reported, write a summary of the review in two or three sentences (with no findings, say that no problems were found).',
    LANGUAGE_RULE[input.language],
  ].join('\n');
}

function skippedNote(input: ReviewPromptInput, language: ResolvedLanguage): string {
  if (input.skipped.length === 0) return '';
  const names = skippedNames(input.skipped, language);
  return language === 'ja' ? `\n次のファイルは読まずに省いています: ${names}` : `\nThese files are left out: ${names}.`;
}

export function reviewPrompt(input: ReviewPromptInput): ReviewPrompt {
  const language = instructionLanguage(input.language);
  const paths = input.files.map((f) => f.path);
  const piece = input.piece && input.piece[1] > 1 ? input.piece : undefined;
  const question =
    language === 'ja'
      ? [
          `${input.label}をレビューしてください。対象のファイル: ${paths.join('、')}`,
          ...(piece ? [`（大きな変更のため ${piece[1]} 回に分けており、これはその ${piece[0]} 回目です。）`] : []),
          ...(input.files.some((f) => f.cut) ? ['（長いファイルは途中までを示しています。）'] : []),
        ].join('\n') + skippedNote(input, language)
      : [
          `Please review ${input.label}. Files: ${paths.join(', ')}`,
          ...(piece ? [`(A large change, reviewed in ${piece[1]} parts: this is part ${piece[0]}.)`] : []),
          ...(input.files.some((f) => f.cut) ? ['(Long files are shown only in part.)'] : []),
        ].join('\n') + skippedNote(input, language);
  return {
    messages: [
      { role: 'system', content: systemText(input) },
      { role: 'user', content: question },
    ],
    context: input.files.map((file) => ({ label: file.path, text: file.listing })),
  };
}

export interface ExplainFindingInput {
  readonly language: ReviewLanguage;
  readonly finding: Pick<Finding, 'path' | 'severity' | 'category' | 'message' | 'replacement'>;
  /** The finding's lines and some around them, numbered. */
  readonly excerpt: string;
}

/** "Explain more" about one finding: why it matters and how to fix it, answered in its thread. */
export function explainFindingPrompt(input: ExplainFindingInput): ReviewPrompt {
  const ja = instructionLanguage(input.language) === 'ja';
  const { finding } = input;
  const system = ja
    ? [
        'あなたは経験豊富なコードレビュアーです。自分が書いたレビューの指摘について、読み手が納得して直せるように詳しく説明してください。',
        '- なぜ問題なのか、どんなときに困るのか、どう直すとよいかを、具体的に短く説明してください。必要ならコード例を示してください。',
        EXPLAIN_LANGUAGE_RULE[input.language],
      ].join('\n')
    : [
        'You are an experienced code reviewer. Explain one of your review findings in more detail, so that the reader understands it and can fix it.',
        '- Say why it is a problem, when it bites, and how to fix it, concretely and briefly, with a code example where it helps.',
        EXPLAIN_LANGUAGE_RULE.en,
      ].join('\n');
  const question = ja
    ? `${finding.path} への指摘（${finding.severity}、${finding.category}）をもっと詳しく説明してください。\n\n指摘: ${finding.message}${finding.replacement ? `\n\n提案した書き換え:\n${finding.replacement}` : ''}`
    : `Please explain your finding on ${finding.path} (${finding.severity}, ${finding.category}) in more detail.\n\nFinding: ${finding.message}${finding.replacement ? `\n\nSuggested replacement:\n${finding.replacement}` : ''}`;
  return {
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: question },
    ],
    context: [{ label: finding.path, text: input.excerpt }],
  };
}
