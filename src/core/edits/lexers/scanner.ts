// What every comment lexer shares: tokens, the scanner they are read with, and the one error a
// lexer raises. A lexer only has to tell comments from everything else, so code is cut into
// words and single punctuation characters; whitespace is whatever lies between tokens.

/** `docstring`: a Python docstring, which the comment-only check treats as a comment. */
export type TokenKind = 'code' | 'string' | 'comment' | 'docstring';

export interface Token {
  readonly kind: TokenKind;
  /** UTF-16 offsets, like a VS Code document's. */
  readonly start: number;
  readonly end: number;
  /** Comments: `//` to the end of the line, or a delimited block. */
  readonly style?: 'line' | 'block';
  /** Comments: a documentation comment by its marker (`///`, `//!`, `/**`, `/*!`), docstrings. */
  readonly doc?: boolean;
  /** The whitespace before this token is part of the code as written (Python f-string fields). */
  readonly exactGap?: boolean;
}

/** The text cannot be split safely: a comment, string, interpolation or JSX element never closes. */
export class LexError extends Error {
  constructor(
    readonly offset: number,
    readonly construct: 'comment' | 'string' | 'interpolation' | 'element' | 'nesting',
  ) {
    super(`unterminated ${construct} at offset ${offset}`);
  }
}

/**
 * Every character some supported language ends a line comment at. A lexer ends its comments at
 * all of them: ending one too early only turns the comment's tail into code (a false refusal),
 * ending one too late would hide code inside a comment.
 */
export function isLineBreak(c: string | undefined): boolean {
  return c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029' || c === '\u0085';
}

export function isSpace(c: string | undefined): boolean {
  return c !== undefined && (/\s/.test(c) || c === '\u0085');
}

/** Identifier and number characters. Any other non-ASCII character counts too: it only groups. */
export function isWordChar(c: string | undefined): boolean {
  if (c === undefined) return false;
  if (/[A-Za-z0-9_$]/.test(c)) return true;
  return c.charCodeAt(0) >= 0x80 && !isSpace(c);
}

/** How a string's body is read by {@link Scanner.stringBody}. Each callback looks at offset i. */
export interface StringRules {
  /** Length of the closing delimiter at i, 0 if it does not close there. */
  readonly close: (i: number) => number;
  /** Length of an escape (or a doubled delimiter) at i that must be skipped whole, else 0. */
  readonly skip?: (i: number) => number;
  /** Length of an interpolation opener at i (`${`, `{`), 0 if none starts there. */
  readonly hole?: (i: number) => number;
  /** Lexes an interpolation's code, stopping where the string's text resumes. */
  readonly readHole?: () => void;
  /** Whether an unescaped line break may appear in the string. */
  readonly multiline: boolean;
}

const MAX_NESTING = 400;

export class Scanner {
  pos = 0;
  readonly tokens: Token[] = [];
  private nesting = 0;

  constructor(readonly text: string) {}

  at(i = this.pos): string | undefined {
    return this.text[i];
  }

  startsWith(s: string, i = this.pos): boolean {
    return this.text.startsWith(s, i);
  }

  emit(kind: TokenKind, start: number, end = this.pos, extra?: Pick<Token, 'style' | 'doc'>): void {
    if (end > start) this.tokens.push({ kind, start, end, ...extra });
  }

  /** Length of the run of `c` starting at i. */
  run(c: string, i = this.pos): number {
    let n = 0;
    while (this.text[i + n] === c) n++;
    return n;
  }

  /** A backslash escape at i: two characters, three for a backslash before CRLF. */
  backslash(i: number): number {
    if (this.text[i] !== '\\') return 0;
    return this.text.startsWith('\r\n', i + 1) ? 3 : 2;
  }

  /** Runs `body` one level deeper; deeply nested input is refused rather than overflowing the stack. */
  nested<T>(offset: number, body: () => T): T {
    if (++this.nesting > MAX_NESTING) throw new LexError(offset, 'nesting');
    try {
      return body();
    } finally {
      this.nesting--;
    }
  }

  /**
   * Reads a string from `this.pos` (just after its opening delimiter) to its closing one and
   * emits it from `start`. An interpolated string becomes string pieces with the interpolations'
   * tokens between them, so a comment or string inside `${...}` is lexed as one.
   */
  stringBody(start: number, rules: StringRules): void {
    let piece = start;
    for (;;) {
      const i = this.pos;
      if (i >= this.text.length) throw new LexError(start, 'string');
      // Escapes first: C#'s verbatim `""` is an escaped quote, not a close and an open.
      const skip = rules.skip?.(i) ?? 0;
      if (skip > 0) {
        this.pos += skip;
        continue;
      }
      const close = rules.close(i);
      if (close > 0) {
        this.pos += close;
        this.emit('string', piece);
        return;
      }
      const hole = rules.hole?.(i) ?? 0;
      if (hole > 0 && rules.readHole) {
        this.pos += hole;
        this.emit('string', piece);
        this.nested(i, () => rules.readHole?.());
        if (this.pos >= this.text.length) throw new LexError(i, 'interpolation');
        piece = this.pos;
        continue;
      }
      if (!rules.multiline && (this.text[i] === '\n' || this.text[i] === '\r')) throw new LexError(start, 'string');
      this.pos++;
    }
  }
}
