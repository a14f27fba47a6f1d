// Python: `#` comments and docstrings. A docstring is a plain or raw string literal that is the
// whole first statement of a module, class or def body; it documents, so the comment-only check
// treats it as a comment. Every other string is code, f-strings included (their `{...}` fields
// are lexed as code, so `f"{d['#']}"` holds no comment). Attribute docstrings (a string after an
// assignment, a Sphinx convention) are code: the interpreter does not know them either.
// A comment inside a multi-line f-string field (Python 3.12) is a comment span, but editing it
// is refused: the whitespace of fields is held as written (see exactGap).
import { Scanner, isLineBreak, isSpace, isWordChar, type Token } from './scanner';

const PREFIXES = new Set(['r', 'u', 'b', 'br', 'rb', 'f', 'fr', 'rf', 't', 'tr', 'rt']);

class PythonLexer extends Scanner {
  /** Bracket depth outside f-string fields: line breaks inside brackets end no statement. */
  private depth = 0;
  /** Nesting of f-string fields being lexed; statements are only tracked outside them. */
  private fields = 0;
  private statementStart = true;
  private statementTokens = 0;
  private firstWord = '';
  /** The current statement is a `def` or `class` header, whose `:` opens a body. */
  private header = false;
  /** The next statement is the first of a body (or of the module): a docstring may stand there. */
  private bodyNext = true;
  /** A string token that is a docstring if its statement ends right after it. */
  private pendingDoc = -1;

  lex(): Token[] {
    this.code(false);
    this.settleDoc(true);
    return this.tokens;
  }

  private code(inField: boolean): void {
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (isLineBreak(c)) {
        this.pos++;
        if (!inField && this.depth === 0) this.newline();
      } else if (isSpace(c)) {
        this.pos++;
      } else if (c === '#') {
        const start = this.pos;
        while (this.pos < this.text.length && !isLineBreak(this.at())) this.pos++;
        if (this.directive(start)) this.emit('code', start);
        else this.emit('comment', start, this.pos, { style: 'line', doc: false });
      } else if (inField && depth === 0 && (c === '}' || c === ':' || (c === '!' && this.at(this.pos + 1) !== '='))) {
        // The field's conversion (`!r`) and format (`:>10`) are the f-string's text again.
        return;
      } else if (c === '\\') {
        // A line continuation: the line break after it ends no statement.
        this.punct();
        if (this.startsWith('\r\n')) this.pos += 2;
        else if (isLineBreak(this.at())) this.pos++;
      } else if (c === '"' || c === "'") {
        this.string('');
      } else if (isWordChar(c)) {
        const start = this.pos;
        while (isWordChar(this.at())) this.pos++;
        const word = this.text.slice(start, this.pos);
        const quote = this.at();
        if ((quote === '"' || quote === "'") && PREFIXES.has(word.toLowerCase())) {
          this.pos = start;
          this.string(word);
        } else {
          this.emit('code', start);
          this.significant(word, false);
        }
      } else {
        const step = '([{'.includes(c) ? 1 : ')]}'.includes(c) ? -1 : 0;
        if (inField) depth = Math.max(0, depth + step);
        else this.depth = Math.max(0, this.depth + step);
        this.punct();
      }
    }
  }

  /**
   * A comment read by the interpreter or the type checker, held like code: the `#!` line, the
   * encoding declaration on line 1 or 2 (PEP 263), and type comments (PEP 484).
   */
  private directive(start: number): boolean {
    const comment = this.text.slice(start, this.pos);
    if (start === 0 && comment.startsWith('#!')) return true;
    if (/^#\s*type:/.test(comment)) return true;
    return /^#.*?coding[:=]/.test(comment) && /^[^\n]*(\n[^\n]*)?$/.test(this.text.slice(0, start));
  }

  private punct(): void {
    const c = this.text[this.pos];
    this.emit('code', this.pos, ++this.pos);
    this.significant(c, false);
  }

  private string(prefix: string): void {
    const start = this.pos;
    const kind = prefix.toLowerCase();
    const formatted = kind.includes('f') || kind.includes('t');
    const quote = this.text[start + prefix.length];
    const delimiter = this.startsWith(quote.repeat(3), start + prefix.length) ? quote.repeat(3) : quote;
    const first = this.tokens.length;
    this.pos = start + prefix.length + delimiter.length;
    this.stringBody(start, {
      close: (i) => (this.startsWith(delimiter, i) ? delimiter.length : 0),
      skip: (i) => {
        // In an f-string a backslash does not escape a brace: rf"\{x}" has a field.
        if (this.at(i) === '\\') return formatted && '{}'.includes(this.at(i + 1) ?? '') ? 0 : this.backslash(i);
        return formatted && (this.startsWith('{{', i) || this.startsWith('}}', i)) ? 2 : 0;
      },
      hole: formatted ? (i) => (this.at(i) === '{' ? 1 : 0) : undefined,
      readHole: () => {
        this.fields++;
        try {
          this.code(true);
        } finally {
          this.fields--;
        }
      },
      multiline: delimiter.length === 3,
    });
    // `f"{a + b = }"` prints its field as written: the whitespace in and after fields is kept.
    for (let k = first + 1; k < this.tokens.length; k++) this.tokens[k] = { ...this.tokens[k], exactGap: true };
    // Statements are tracked once per literal, after its pieces: it is a docstring candidate only
    // as one plain piece (no fields) that is not bytes.
    const candidate = !formatted && !kind.includes('b') && this.tokens.length === first + 1;
    this.significant('"', candidate, first);
  }

  /** Tracks statements with each code or string token outside f-string fields. */
  private significant(text: string, docCandidate: boolean, index = this.tokens.length - 1): void {
    if (this.fields > 0) return;
    this.settleDoc(text === ';');
    if (this.statementStart) {
      this.statementStart = false;
      this.statementTokens = 0;
      this.firstWord = text;
      this.header = text === 'def' || text === 'class';
      if (this.bodyNext && docCandidate) this.pendingDoc = index;
      this.bodyNext = false;
    } else if (this.statementTokens === 1 && this.firstWord === 'async' && text === 'def') {
      this.header = true;
    }
    this.statementTokens++;
    if (this.depth === 0 && text === ':' && this.header) {
      this.header = false;
      this.bodyNext = true;
      this.statementStart = true;
    } else if (this.depth === 0 && text === ';') {
      this.statementStart = true;
    }
  }

  private newline(): void {
    this.settleDoc(true);
    this.statementStart = true;
    this.header = false;
  }

  /** A pending docstring candidate is one if its statement ended right after it. */
  private settleDoc(statementEnded: boolean): void {
    if (this.pendingDoc < 0) return;
    if (statementEnded) this.tokens[this.pendingDoc] = { ...this.tokens[this.pendingDoc], kind: 'docstring', doc: true };
    this.pendingDoc = -1;
  }
}

export function lexPython(text: string): Token[] {
  return new PythonLexer(text).lex();
}
