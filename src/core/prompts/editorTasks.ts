// The editor's everyday jobs as prompts, in Japanese and English: explain (briefly, or step by
// step), write a doc comment, translate comments, translate a Markdown document, explain a
// problem. Each becomes a question for the chat (the text the user sees as the turn's label and
// the model reads as the request) and the code it is about as attachments. Edits (doc comment,
// translations) ask for the whole code back in one code block, which the surface checks and
// shows as a diff.
import { formatProblems, type Problem } from '../chat/attachments';
import type { Attachment } from '../chat/conversation';
import type { ReasoningEffort } from '../harmony/types';
import type { ResolvedLanguage } from './chat';
import type { Excerpt, LineRange } from './codeExcerpt';
import { docConvention } from './docConventions';

export type EditorTaskKind = 'explain' | 'explainStepByStep' | 'docComment' | 'translateComments' | 'translateDocument' | 'explainProblem' | 'fixProblem' | 'requestEdit';

/** Tasks whose answer is a new version of the code, applied through a diff. */
export const EDIT_TASKS: ReadonlySet<EditorTaskKind> = new Set(['docComment', 'translateComments', 'translateDocument']);

/** What the code is: the user's selection, the symbol around the cursor, what the editor shows, the file. */
export type TargetKind = 'selection' | 'symbol' | 'visible' | 'file';

export interface TaskCode {
  /** Workspace-relative path, as the user knows the file. */
  readonly path: string;
  readonly languageId: string;
  readonly excerpt: Excerpt;
  readonly target: TargetKind;
  /** The target's lines (0-based, inclusive); the excerpt may show more around them. */
  readonly targetLines: LineRange;
  /** The enclosing symbol's name, when the target is a symbol. */
  readonly symbolName?: string;
}

/** A problem in the task's file: its path is the task's. */
export type TaskProblem = Omit<Problem, 'path'>;

export interface EditorTaskInput {
  readonly kind: EditorTaskKind;
  /** The language of the answer; for translations, the language to translate into. */
  readonly language: ResolvedLanguage;
  readonly code: TaskCode;
  /** requestEdit: the change the user asked for, in their words. */
  readonly instruction?: string;
  /** Problems VS Code reports in the code's range (for explainProblem: the one to explain first). */
  readonly problems?: readonly TaskProblem[];
}

export type AttachmentDraft = Omit<Attachment, 'id'>;

export interface EditorTaskPrompt {
  /** The question as the chat shows it and the model reads it. */
  readonly question: string;
  readonly attachments: readonly AttachmentDraft[];
  /** Set where the task asks for more thought than the user's setting. */
  readonly reasoningEffort?: ReasoningEffort;
  readonly edit: boolean;
}

/** "app.ts:10-24" (1-based), or the path alone for a whole file. */
function rangeLabel(code: TaskCode, path = code.path): string {
  const { start, end } = code.excerpt.shown;
  if (code.target === 'file' && !code.excerpt.trimmed) return path;
  return start === end ? `${path}:${start + 1}` : `${path}:${start + 1}-${end + 1}`;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function subject(code: TaskCode, language: ResolvedLanguage): string {
  const name = code.symbolName;
  const { start, end } = code.targetLines;
  // Where the excerpt shows more than the target, say which lines the task is about.
  const around = code.excerpt.shown.start < start || code.excerpt.shown.end > end;
  const lines = start === end ? `${start + 1}` : `${start + 1}-${end + 1}`;
  if (language === 'ja') {
    const what = code.target === 'symbol' && name ? `\`${name}\`` : code.target === 'selection' ? '選択したコード' : code.target === 'file' ? 'このファイル' : '表示中のコード';
    return around ? `${what}（${lines} 行目）` : what;
  }
  const what = code.target === 'symbol' && name ? `\`${name}\`` : code.target === 'selection' ? 'the selected code' : code.target === 'file' ? 'this file' : 'the code shown';
  return around ? `${what} (line${start === end ? '' : 's'} ${lines})` : what;
}

/** Tells the model which part of a long file it sees, so it does not guess at the rest. */
function trimNote(code: TaskCode, language: ResolvedLanguage): string {
  const { excerpt } = code;
  if (!excerpt.trimmed && !excerpt.targetCut) return '';
  const range = `${excerpt.shown.start + 1}-${excerpt.shown.end + 1}`;
  if (language === 'ja') {
    return excerpt.targetCut
      ? `\n（長いため、全 ${excerpt.totalLines} 行のうち ${range} 行目だけを示しています。対象の後半は含まれていません。）`
      : `\n（全 ${excerpt.totalLines} 行のうち ${range} 行目を示しています。）`;
  }
  return excerpt.targetCut
    ? `\n(It is long: only lines ${range} of ${excerpt.totalLines} are shown, without the end of the target.)`
    : `\n(Lines ${range} of ${excerpt.totalLines} are shown.)`;
}

const LANGUAGE_NAME: Record<ResolvedLanguage, Record<ResolvedLanguage, string>> = {
  ja: { ja: '日本語', en: '英語' },
  en: { ja: 'Japanese', en: 'English' },
};

/** The other language: comments in Japanese are translated into English and the other way round. */
export function otherLanguage(language: ResolvedLanguage): ResolvedLanguage {
  return language === 'ja' ? 'en' : 'ja';
}

const ONE_BLOCK: Record<ResolvedLanguage, (fence: string) => string> = {
  ja: (fence) => `変更後のコード全体を \`\`\`${fence} のコードブロック 1 つで返し、ほかには何も書かないでください。`,
  en: (fence) => `Reply with the complete code, changed, in a single \`\`\`${fence} code block and nothing else.`,
};

function questionFor(input: EditorTaskInput): string {
  const { kind, language, code } = input;
  const what = subject(code, language);
  const note = trimNote(code, language);
  const ja = language === 'ja';
  switch (kind) {
    case 'explain':
      return (ja
        ? `${what}を日本語で説明してください。何をするのか、どう動くのか、注意すべき点を簡潔に。`
        : `Explain ${what} in English: what it does, how it works, and anything to watch out for. Be concise.`) + note;
    case 'explainStepByStep':
      return (ja
        ? `${what}を日本語で一歩ずつ詳しく説明してください。処理の順に、各部分が何をしているかを述べてください。`
        : `Explain ${what} step by step in English, in the order it runs, saying what each part does.`) + note;
    case 'docComment': {
      const convention = docConvention(code.languageId, language);
      const target = code.symbolName ? `\`${code.symbolName}\`` : ja ? '対象の関数・クラス' : 'the function or class';
      return (ja
        ? `${target}にドキュメントコメントを日本語で書いてください。形式は ${convention} に従ってください。コード自体は一文字も変えないでください。`
        : `Write a doc comment for ${target} in English, following ${convention}. Do not change the code itself in any way.`) +
        ' ' + ONE_BLOCK[language](code.languageId) + note;
    }
    case 'translateComments': {
      const into = LANGUAGE_NAME[language][language];
      return (ja
        ? `${what}のコメントをすべて${into}に翻訳してください。コメント以外（コード、文字列、空白）は一文字も変えないでください。`
        : `Translate every comment in ${what} into ${into}. Change nothing outside the comments: code, strings and spacing stay exactly as they are.`) +
        ' ' + ONE_BLOCK[language](code.languageId) + note;
    }
    case 'translateDocument': {
      const into = LANGUAGE_NAME[language][language];
      return (ja
        ? `この Markdown 文書を${into}に翻訳してください。コードブロック、インラインコード、リンク先の URL、front matter、表の構造、HTML はそのまま残し、文章だけを翻訳してください。翻訳した文書全体だけを返してください。`
        : `Translate this Markdown document into ${into}. Keep code blocks, inline code, link URLs, the front matter, table structure and HTML exactly as they are; translate only the prose. Reply with the whole translated document and nothing else.`) + note;
    }
    case 'explainProblem': {
      const problem = input.problems?.[0];
      const quoted = problem ? `「${problem.message.replace(/\s+/g, ' ').trim()}」` : '';
      return (ja
        ? `この問題${quoted}が何を意味し、なぜ起きていて、どう直せばよいかを日本語で説明してください。`
        : `Explain this problem${problem ? ` (${JSON.stringify(problem.message.replace(/\s+/g, ' ').trim())})` : ''}: what it means, why it happens here, and how to fix it. Answer in English.`) + note;
    }
    case 'requestEdit': {
      const instruction = (input.instruction ?? '').trim();
      return (ja
        ? `${what}（${code.path}）を次のように変更してください: ${instruction}\n変更は replace_in_file で提案してください（ユーザーが差分を見て適用します）。何を変えたかを日本語で短く説明してください。`
        : `Change ${what} (${code.path}) as follows: ${instruction}\nPropose the change with replace_in_file (the user reviews the diff and applies it). Say briefly in English what you changed.`) + note;
    }
    case 'fixProblem': {
      // The chat's tools do the edit: the model proposes it with replace_in_file, the user accepts it.
      const problem = input.problems?.[0];
      const quoted = problem ? `「${problem.message.replace(/\s+/g, ' ').trim()}」` : '';
      return (ja
        ? `${code.path} のこの問題${quoted}を直してください。必要なら read_file で確かめ、修正は replace_in_file で提案してください（ユーザーが差分を見て適用します）。何をなぜ変えたかを日本語で短く説明してください。`
        : `Fix this problem${problem ? ` (${JSON.stringify(problem.message.replace(/\s+/g, ' ').trim())})` : ''} in ${code.path}. Check with read_file if you need to, and propose the fix with replace_in_file (the user reviews the diff and applies it). Say briefly in English what you changed and why.`) + note;
    }
  }
}

function problemsFor(code: TaskCode, problems: readonly TaskProblem[]): AttachmentDraft {
  const list: Problem[] = problems.map((p) => ({ ...p, path: code.path }));
  return {
    kind: 'problems',
    label: `Problems (${problems.length})`,
    detail: code.path,
    content: formatProblems(list),
  };
}

export function editorTaskPrompt(input: EditorTaskInput): EditorTaskPrompt {
  const { code } = input;
  const attachments: AttachmentDraft[] = [
    {
      kind: code.target === 'file' && !code.excerpt.trimmed ? 'file' : 'selection',
      label: rangeLabel(code, baseName(code.path)),
      detail: rangeLabel(code),
      content: code.excerpt.text,
      languageId: code.languageId,
    },
  ];
  const problems = input.problems ?? [];
  if (problems.length > 0) attachments.push(problemsFor(code, problems));
  return {
    question: questionFor(input),
    attachments,
    ...(input.kind === 'explainStepByStep' ? { reasoningEffort: 'high' as const } : {}),
    edit: EDIT_TASKS.has(input.kind),
  };
}

const JAPANESE = /[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f]/g;

/**
 * Which way "Translate comments" goes: into English when the comments are mostly Japanese,
 * into Japanese otherwise. `comments` is their text (or the whole code when it is unknown).
 */
export function translationTarget(comments: string): ResolvedLanguage {
  const letters = comments.replace(/[\s\p{P}\p{S}\d]/gu, '').length;
  if (letters === 0) return 'ja';
  return (comments.match(JAPANESE)?.length ?? 0) * 3 >= letters ? 'en' : 'ja';
}
