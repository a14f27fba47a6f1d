// "Write doc comment" and "Translate comments" may change comments and docstrings only. Before
// their diff is offered, the model's text is checked against the original: everything outside
// comments must be the same code, or the edit is refused with the line where the code differs.
//
// What counts as the code: every token that is not a comment or docstring, strings verbatim
// whatever they contain, and before each token which of three gaps separates it from the one
// before: none, a space (spaces, or a comment within the line), or a line break. Those are the
// only whitespace differences that can change what C-family code means: whether two tokens touch
// (`a - -b` and `a --b`; `a/**/b` is two tokens, `ab` one) and whether a line break separates them
// (JS, Go and Kotlin end statements at line breaks). Widths, indentation, blank lines and trailing
// spaces are free, so a doc comment can come in with its own lines and indentation and a
// translated comment can wrap onto more lines. The price: a block comment in the middle of a line
// that wraps turns a space into a line break, and is refused.
//
// Python: a line break also carries the indentation of the line it leads to, because there
// indentation is syntax. Lines continued inside brackets are held to it too (stricter than the
// language, never looser). A docstring is a statement, so it may not leave a body empty (it was
// the only one) nor start a body at another indentation than the code under it.
//
// Comments that tools read are code here, and not comment spans either (so they are not sent to
// be translated): `//go:build`, cgo's preamble, `/// <reference>`, `// @ts-expect-error`, Python's
// `#!` line, encoding declaration and `# type:` comments. See the lexers for the full lists.
//
// Give whole documents, not selections: before is the document, after the document with the
// model's text put in place of the selection. A selection can start inside a comment or string,
// and whether a Python string is a docstring depends on what comes before it. Give both with the
// same line endings: a multi-line string whose line endings change is changed code.
import type { LocalizedText } from '../generation/types';
import { C_DIALECTS, lexCFamily } from './lexers/cFamily';
import { lexPython } from './lexers/python';
import { LexError, type Token } from './lexers/scanner';

interface Language {
  readonly lex: (text: string) => Token[];
  readonly indentation: boolean;
}

const LANGUAGES: ReadonlyMap<string, Language> = new Map<string, Language>([
  ...Object.entries(C_DIALECTS).map(([id, dialect]): [string, Language] => [
    id,
    { lex: (text) => lexCFamily(text, dialect), indentation: false },
  ]),
  ['python', { lex: lexPython, indentation: true }],
]);

/**
 * VS Code language ids whose comments can be told from code. Not here, and refused: Swift (regex
 * literals, `#"..."#` strings), PHP (HTML outside `<?php`, heredocs), shell, Ruby, YAML (heredocs,
 * `%q{}`, block scalars, where `#` is text), and any other language.
 */
export const COMMENT_CHECK_LANGUAGES: readonly string[] = [...LANGUAGES.keys()];

export function supportsCommentCheck(languageId: string): boolean {
  return LANGUAGES.has(languageId);
}

export interface CommentSpan {
  // UTF-16 offsets into the text, end exclusive, markers included (`//`, `/* */`, quotes).
  readonly start: number;
  readonly end: number;
  readonly kind: 'line' | 'block' | 'docstring';
  // A documentation comment: `///`, `//!`, `/** */`, `/*! */`, or a Python docstring.
  readonly doc: boolean;
}

/** The text cannot be lexed safely: the construct opened at `line` never closes. */
export interface Unbalanced {
  readonly ok: false;
  readonly reason: 'unbalanced';
  readonly line: number;
  readonly construct: LexError['construct'];
}

export type CommentSpansResult =
  | { readonly ok: true; readonly spans: readonly CommentSpan[] }
  | { readonly ok: false; readonly reason: 'unsupported-language' }
  | Unbalanced;

export type CommentOnlyFailure =
  /** We do not know where this language's comments are, so we cannot vouch for its code. */
  | { readonly ok: false; readonly reason: 'unsupported-language' }
  | (Unbalanced & { readonly side: 'before' | 'after' })
  /** `line` (in after) and `beforeLine` (in before), 1-based, are where the code first differs. */
  | { readonly ok: false; readonly reason: 'code-changed'; readonly line: number; readonly beforeLine: number };

export type CommentOnlyResult = { readonly ok: true } | CommentOnlyFailure;

export function commentSpans(languageId: string, text: string): CommentSpansResult {
  const language = LANGUAGES.get(languageId);
  if (!language) return { ok: false, reason: 'unsupported-language' };
  const tokens = lex(language, text);
  if (!Array.isArray(tokens)) return tokens;
  const spans = tokens
    .filter((t) => t.kind === 'comment' || t.kind === 'docstring')
    .map((t): CommentSpan => ({
      start: t.start,
      end: t.end,
      kind: t.kind === 'docstring' ? 'docstring' : (t.style ?? 'line'),
      doc: t.doc ?? false,
    }));
  return { ok: true, spans };
}

/** Whether `after` differs from `before` only in comments, docstrings and free whitespace. */
export function checkCommentOnly(languageId: string, before: string, after: string): CommentOnlyResult {
  const language = LANGUAGES.get(languageId);
  if (!language) return { ok: false, reason: 'unsupported-language' };
  if (before === after) return { ok: true };
  const oldTokens = lex(language, before);
  if (!Array.isArray(oldTokens)) return { ...oldTokens, side: 'before' };
  const newTokens = lex(language, after);
  if (!Array.isArray(newTokens)) return { ...newTokens, side: 'after' };

  const was = codePieces(before, oldTokens, language.indentation);
  const is = codePieces(after, newTokens, language.indentation);
  // Within a piece, the first differing character: a multi-line string changed on its third line.
  const changed = (i: number, within = 0): CommentOnlyFailure => ({
    ok: false,
    reason: 'code-changed',
    line: lineAt(after, pieceOffset(is, i) + within),
    beforeLine: lineAt(before, pieceOffset(was, i) + within),
  });
  const common = Math.min(was.length, is.length);
  for (let i = 0; i < common; i++) {
    if (was[i].gap !== is[i].gap) return changed(i);
    if (was[i].text !== is[i].text) return changed(i, commonPrefix(was[i].text, is[i].text));
  }
  if (was.length !== is.length) return changed(common);

  if (language.indentation) {
    const already = docstringBlockErrors(before, oldTokens);
    for (const [block, offset] of docstringBlockErrors(after, newTokens)) {
      if (!already.has(block)) {
        return { ok: false, reason: 'code-changed', line: lineAt(after, offset), beforeLine: lineAt(before, pieceOffset(was, Math.max(0, block))) };
      }
    }
  }
  return { ok: true };
}

const CONSTRUCT: Record<LexError['construct'], LocalizedText> = {
  comment: { en: 'comment', ja: 'コメント' },
  string: { en: 'string', ja: '文字列' },
  interpolation: { en: 'interpolation', ja: '埋め込み式' },
  element: { en: 'JSX element', ja: 'JSX 要素' },
  nesting: { en: 'nesting', ja: '入れ子' },
};

/** What the editor tells the user when it does not offer the edit. */
export function commentOnlyMessage(failure: CommentOnlyFailure): LocalizedText {
  switch (failure.reason) {
    case 'unsupported-language':
      return {
        en: 'Comments cannot be told from code in this language, so the edit cannot be checked to leave the code unchanged.',
        ja: 'この言語ではコメントとコードを区別できないため、コードが変わっていないことを確認できません。',
      };
    case 'unbalanced': {
      const what = CONSTRUCT[failure.construct];
      if (failure.construct === 'nesting') {
        const text = failure.side === 'after' ? { en: 'The proposed text', ja: '提案されたテキスト' } : { en: 'The original text', ja: '元のテキスト' };
        return {
          en: `${text.en} nests too deeply at line ${failure.line} to be checked.`,
          ja: `${text.ja}は ${failure.line} 行目の入れ子が深すぎるため、確認できません。`,
        };
      }
      return failure.side === 'after'
        ? {
            en: `The proposed text has an unclosed ${what.en} at line ${failure.line}, so it is not offered.`,
            ja: `提案されたテキストの ${failure.line} 行目に閉じていない${what.ja}があるため、提示しません。`,
          }
        : {
            en: `The original text has an unclosed ${what.en} at line ${failure.line}, so comments cannot be told from code.`,
            ja: `元のテキストの ${failure.line} 行目に閉じていない${what.ja}があるため、コメントとコードを区別できません。`,
          };
    }
    case 'code-changed':
      return {
        en: `The proposed text changes code at line ${failure.line}, not only comments, so it is not offered.`,
        ja: `提案されたテキストはコメント以外のコード（${failure.line} 行目）も変更しているため、提示しません。`,
      };
  }
}

function lex(language: Language, text: string): Token[] | Unbalanced {
  try {
    return language.lex(text);
  } catch (error) {
    if (!(error instanceof LexError)) throw error;
    return { ok: false, reason: 'unbalanced', line: lineAt(text, error.offset), construct: error.construct };
  }
}

interface Piece {
  readonly text: string;
  /**
   * '' (touching the previous piece), ' ', or '\n' (Python: '\n' and the line's indentation);
   * '=' and the whitespace as written where it is part of the code.
   */
  readonly gap: string;
  readonly start: number;
  readonly end: number;
}

const LINE_BREAK = /[\n\r\u2028\u2029\u0085]/;

function codePieces(text: string, tokens: readonly Token[], indentation: boolean): Piece[] {
  const pieces: Piece[] = [];
  let end = 0;
  for (const token of tokens) {
    if (token.kind === 'comment' || token.kind === 'docstring') continue;
    const first = pieces.length === 0;
    const between = text.slice(end, token.start);
    const broken = first || LINE_BREAK.test(between);
    let gap: string;
    if (token.exactGap) gap = '=' + between;
    else if (indentation && broken) gap = '\n' + indentationAt(text, token.start);
    else if (first) gap = '';
    else gap = broken ? '\n' : between.length > 0 ? ' ' : '';
    pieces.push({ text: text.slice(token.start, token.end), gap, start: token.start, end: token.end });
    end = token.end;
  }
  return pieces;
}

/** Where piece i is, or where it would be: the end of the last piece, if i is past them. */
function pieceOffset(pieces: readonly Piece[], i: number): number {
  if (i < pieces.length) return pieces[i].start;
  return pieces.length > 0 ? pieces[pieces.length - 1].end : 0;
}

function commonPrefix(a: string, b: string): number {
  let n = 0;
  while (n < a.length && a[n] === b[n]) n++;
  return n;
}

/** The whitespace that starts the line holding `offset`. */
function indentationAt(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && !LINE_BREAK.test(text[start - 1])) start--;
  return /^[ \t\f]*/.exec(text.slice(start, offset))?.[0] ?? '';
}

/**
 * Python: where docstrings leave a block malformed, keyed by the index of the block's `:` among
 * the code pieces (-1: the module), valued with the offset to report. Code indentation is held
 * by the pieces; a docstring's is not, yet it is a statement: the body it is the only statement
 * of becomes empty without it, and as a body's first statement it sets the body's indentation.
 */
function docstringBlockErrors(text: string, tokens: readonly Token[]): Map<number, number> {
  const significant = tokens.filter((t) => t.kind !== 'comment');
  const errors = new Map<number, number>();
  const broken = (from: Token, to: Token): boolean => LINE_BREAK.test(text.slice(from.end, to.start));
  const deeper = (indent: string, than: string): boolean => indent.length > than.length && indent.startsWith(than);
  const first = significant[0];
  if (first?.kind === 'docstring' && indentationAt(text, first.start) !== '') errors.set(-1, first.start);
  let piece = -1;
  let depth = 0;
  let lineIndent = '';
  significant.forEach((token, k) => {
    const previous = significant[k - 1];
    if (depth === 0 && (previous === undefined || broken(previous, token))) lineIndent = indentationAt(text, token.start);
    if (token.kind === 'docstring') return;
    piece++;
    const s = text.slice(token.start, token.end);
    if (s.length === 1 && '([{'.includes(s)) depth++;
    else if (s.length === 1 && ')]}'.includes(s)) depth = Math.max(0, depth - 1);
    if (s !== ':' || depth > 0) return;
    const body = significant[k + 1];
    let next = k + 1;
    while (significant[next]?.kind === 'docstring') next++;
    const code = significant[next];
    if (body !== undefined && !broken(token, body)) {
      // `def f(): """Doc."""` is the whole body: no deeper line may follow it.
      if (body.kind === 'docstring' && code && broken(body, code) && deeper(indentationAt(text, code.start), lineIndent)) {
        errors.set(piece, body.start);
      }
      return;
    }
    if (body === undefined || !deeper(indentationAt(text, body.start), lineIndent)) {
      errors.set(piece, body?.start ?? token.start);
    } else if (
      body.kind === 'docstring' &&
      code !== undefined &&
      broken(body, code) &&
      deeper(indentationAt(text, code.start), lineIndent) &&
      indentationAt(text, code.start) !== indentationAt(text, body.start)
    ) {
      errors.set(piece, body.start);
    }
  });
  return errors;
}

/** 1-based line of `offset`, counting line breaks as VS Code does (\r\n, \n, \r). */
function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) line++;
  }
  return line;
}
