// Comments of the languages with `//` and `/* */`: the lexer is shared, and each dialect adds
// the literals in which a comment marker is text (strings, chars, raw strings, JS regexes and
// JSX text). Getting those right is the whole point: `"http://x"` must stay code.
import { LexError, Scanner, isLineBreak, isSpace, isWordChar, type StringRules, type Token } from './scanner';

export interface CDialect {
  /** Reads a string or char literal starting at the lexer's position; false if none starts there. */
  readonly literal: (lx: CLexer) => boolean;
  // Rust, Kotlin: `/* a /* b */ c */` is one comment.
  readonly nestedComments?: boolean;
  /** C, C++: a backslash at the end of a `//` comment's line continues it on the next line. */
  readonly continuedLineComments?: boolean;
  /**
   * A comment that is code in effect, lexed as one code token so that any change to it is a code
   * change: one the language may not read as a comment (Java's `\u000a` ends a line comment
   * before the compiler sees it; a C line splice can close a block comment), or a directive that
   * the compiler or a build tool reads (`//go:build`, `/// <reference>`, `// @ts-expect-error`).
   */
  readonly codeComment?: (comment: string) => boolean;
  /** Go: the comment right above `import "C"` is C code (cgo's preamble). */
  readonly cgo?: boolean;
  /** C, C++: `1'000'000`. */
  readonly digitSeparators?: boolean;
  /** JS, TS: `/` where an expression is expected starts a regex literal. */
  readonly regex?: boolean;
  /** JSX text, where `//` is text. `tsx` also knows `<T,>` and `<T extends U>` are type parameters. */
  readonly jsx?: 'js' | 'tsx';
  /** JS: a `#!` first line is the interpreter line, kept as code. */
  readonly hashbang?: boolean;
}

/** After these words a `/` starts a regex and a `<` a JSX element (`return /x/`, `return <a/>`). */
const EXPRESSION_KEYWORDS = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);

export class CLexer extends Scanner {
  /** The last code token, for deciding whether `/` is division or a regex. */
  private prev: { readonly kind: 'word' | 'punct' | 'value'; readonly text: string } | undefined;
  /** Where a `<` turned out to be no JSX tag: tried once, or nested tries take exponential time. */
  private readonly notJsx = new Set<number>();

  constructor(text: string, private readonly dialect: CDialect) {
    super(text);
  }

  lex(): Token[] {
    if (this.dialect.hashbang && this.startsWith('#!')) {
      while (this.pos < this.text.length && !isLineBreak(this.at())) this.pos++;
      this.emit('code', 0);
    }
    this.code();
    if (this.dialect.cgo) this.cgoPreambles();
    return this.tokens;
  }

  private cgoPreambles(): void {
    const tokens = this.tokens;
    for (let i = 0; i + 1 < tokens.length; i++) {
      const t = tokens[i];
      if (this.text.slice(t.start, t.end) !== 'import' || this.text.slice(tokens[i + 1].start, tokens[i + 1].end) !== '"C"') continue;
      // The comments directly above, with no blank line between: one comment group.
      for (let k = i - 1, below = t; k >= 0 && tokens[k].kind === 'comment'; below = tokens[k--]) {
        if (/\n[ \t]*\r?\n/.test(this.text.slice(tokens[k].end, below.start))) break;
        tokens[k] = { kind: 'code', start: tokens[k].start, end: tokens[k].end };
      }
    }
  }

  /**
   * Lexes code until `closer` (or a character of `stopAt`) at bracket depth 0, left unread; to
   * the end of the text without a closer.
   */
  code(closer?: string, stopAt = ''): void {
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      const next = this.at(this.pos + 1);
      if (isSpace(c)) {
        this.pos++;
      } else if (c === '/' && (next === '/' || next === '*')) {
        this.comment();
      } else if (closer !== undefined && depth === 0 && (c === closer || stopAt.includes(c))) {
        return;
      } else if (this.dialect.literal(this)) {
        continue;
      } else if (this.dialect.regex && c === '/' && this.expressionExpected() && this.regex()) {
        continue;
      } else if (this.dialect.jsx && c === '<' && this.expressionExpected() && this.jsxElement()) {
        continue;
      } else if (isWordChar(c)) {
        this.word();
      } else {
        if ('([{'.includes(c)) depth++;
        else if (')]}'.includes(c) && depth > 0) depth--;
        this.punct();
      }
    }
  }

  /** The word at i, without reading it: a literal's prefix (`r`, `u8`, `b`). */
  wordAt(i = this.pos): string {
    let end = i;
    while (isWordChar(this.text[end])) end++;
    return this.text.slice(i, end);
  }

  /** Reads a literal's body (this.pos is past its opening) and emits it from `start`. */
  literalBody(start: number, rules: StringRules): void {
    this.stringBody(start, rules);
    this.prev = { kind: 'value', text: '' };
  }

  /** The code of an interpolation: an expression starts there, and it ends at `closer`. */
  hole(closer: string, stopAt = ''): void {
    this.prev = { kind: 'punct', text: '{' };
    this.code(closer, stopAt);
  }

  private word(): void {
    const start = this.pos;
    const number = /[0-9]/.test(this.text[start]);
    while (
      isWordChar(this.at()) ||
      (number && this.dialect.digitSeparators && this.at() === "'" && isWordChar(this.at(this.pos + 1)))
    ) {
      this.pos++;
    }
    this.emit('code', start);
    this.prev = { kind: 'word', text: this.text.slice(start, this.pos) };
  }

  private punct(): void {
    const c = this.text[this.pos];
    const last = this.tokens[this.tokens.length - 1];
    // `a++ / 2`: a postfix `++` or `--` ends an expression (prefix ones are followed by a word).
    const postfix = (c === '+' || c === '-') && this.prev?.text === c && last?.end === this.pos;
    this.prev = postfix ? { kind: 'value', text: '' } : { kind: 'punct', text: c };
    this.emit('code', this.pos, ++this.pos);
  }

  private comment(): void {
    const start = this.pos;
    if (this.at(start + 1) === '/') {
      let i = start + 2;
      for (;;) {
        while (i < this.text.length && !isLineBreak(this.text[i])) i++;
        if (!this.dialect.continuedLineComments || i >= this.text.length || !/\\[ \t]*$/.test(this.text.slice(start, i))) break;
        i += this.text.startsWith('\r\n', i) ? 2 : 1;
      }
      this.pos = i;
      this.emitComment(start, 'line', /^\/\/(\/(?!\/)|!)/.test(this.text.slice(start, start + 4)));
      return;
    }
    let depth = 0;
    let i = start;
    do {
      if (i >= this.text.length) throw new LexError(start, 'comment');
      if (this.text.startsWith('/*', i) && (depth === 0 || this.dialect.nestedComments)) {
        depth++;
        i += 2;
      } else if (this.text.startsWith('*/', i)) {
        depth--;
        i += 2;
      } else {
        i++;
      }
    } while (depth > 0);
    this.pos = i;
    this.emitComment(start, 'block', /^\/\*(\*(?![*/])|!)/.test(this.text.slice(start, start + 4)));
  }

  private emitComment(start: number, style: 'line' | 'block', doc: boolean): void {
    if (this.dialect.codeComment?.(this.text.slice(start, this.pos))) this.emit('code', start);
    else this.emit('comment', start, this.pos, { style, doc });
  }

  /**
   * Whether the code so far ends where an expression may start, so `/` is a regex rather than
   * division. The usual heuristic from the previous token; it is wrong after `)` of `if (x)`
   * and `}` of a block (`if (x) /re/.test(s)`), where it reads division.
   */
  private expressionExpected(): boolean {
    const prev = this.prev;
    if (prev === undefined) return true;
    if (prev.kind === 'value') return false;
    if (prev.kind === 'word') return EXPRESSION_KEYWORDS.has(prev.text);
    return !')]}'.includes(prev.text);
  }

  /** A regex literal, if one closes on this line; otherwise the `/` is left to be punctuation. */
  private regex(): boolean {
    let i = this.pos + 1;
    let inClass = false;
    for (;;) {
      const c = this.text[i];
      if (c === undefined || isLineBreak(c)) return false;
      if (c === '\\') {
        if (isLineBreak(this.text[i + 1])) return false;
        i += 2;
        continue;
      }
      i++;
      if (inClass) inClass = c !== ']';
      else if (c === '[') inClass = true;
      else if (c === '/') break;
    }
    while (isWordChar(this.text[i])) i++;
    const start = this.pos;
    this.pos = i;
    this.emit('string', start);
    this.prev = { kind: 'value', text: '' };
    return true;
  }

  /**
   * A JSX element where an expression is expected. Its text is code (a `//` there is text), its
   * `{...}` children are code with comments. If the tag turns out not to be one (`a <b`, after all
   * a comparison), nothing is read and the `<` is punctuation.
   */
  private jsxElement(): boolean {
    const start = this.pos;
    const head = this.text.slice(start, start + 200);
    if (this.notJsx.has(start) || !/^<(>|[A-Za-z_$])/.test(head)) return false;
    if (this.dialect.jsx === 'tsx' && /^<[\w$]+\s*(,|\s+extends\s+[^\s=>/])/.test(head)) return false;
    const saved = { tokens: this.tokens.length, prev: this.prev };
    const tag = this.jsxOpenTag();
    if (tag === 'not-jsx') {
      this.notJsx.add(start);
      this.pos = start;
      this.tokens.length = saved.tokens;
      this.prev = saved.prev;
      return false;
    }
    if (tag === 'open') this.jsxChildren(start);
    this.prev = { kind: 'value', text: '' };
    return true;
  }

  private jsxOpenTag(): 'open' | 'closed' | 'not-jsx' {
    const start = this.pos;
    this.punct();
    for (;;) {
      const c = this.at();
      const next = this.at(this.pos + 1);
      if (c === undefined) throw new LexError(start, 'element');
      if (isSpace(c)) this.pos++;
      else if (c === '/' && (next === '/' || next === '*')) this.comment();
      else if (c === '>') {
        this.punct();
        return 'open';
      } else if (c === '/' && next === '>') {
        this.punct();
        this.punct();
        return 'closed';
      } else if (c === '{') this.braces();
      else if (c === '"' || c === "'") this.jsxAttributeString(c);
      else if (c === '<') {
        if (!this.nested(this.pos, () => this.jsxElement())) return 'not-jsx';
      } else if ('=-:.'.includes(c)) this.punct();
      else if (isWordChar(c)) this.word();
      else return 'not-jsx';
    }
  }

  private jsxChildren(start: number): void {
    for (;;) {
      const c = this.at();
      if (c === undefined) throw new LexError(start, 'element');
      if (isSpace(c)) {
        this.pos++;
      } else if (c === '{') {
        this.braces();
      } else if (c === '<' && this.at(this.pos + 1) === '/') {
        const close = this.pos;
        const end = this.text.indexOf('>', close);
        if (end < 0 || !/^<\/\s*[\w$.:-]*\s*$/.test(this.text.slice(close, end))) throw new LexError(close, 'element');
        this.punct();
        this.punct();
        while (this.pos < end) {
          if (isSpace(this.at())) this.pos++;
          else if (isWordChar(this.at())) this.word();
          else this.punct();
        }
        this.punct();
        return;
      } else if (c === '<') {
        if (!this.nested(this.pos, () => this.jsxElement())) throw new LexError(this.pos, 'element');
      } else {
        const text = this.pos;
        while (this.pos < this.text.length && !isSpace(this.at()) && this.at() !== '{' && this.at() !== '<') this.pos++;
        this.emit('code', text);
      }
    }
  }

  /** JSX attribute strings have no escapes and may span lines. */
  private jsxAttributeString(quote: string): void {
    const start = this.pos;
    const end = this.text.indexOf(quote, start + 1);
    if (end < 0) throw new LexError(start, 'string');
    this.pos = end + 1;
    this.emit('string', start);
  }

  private braces(): void {
    const open = this.pos;
    this.punct();
    this.nested(open, () => this.code('}'));
    if (this.pos >= this.text.length) throw new LexError(open, 'interpolation');
    this.punct();
  }
}

// Literal readers. Each is called at every token start and reads only what it recognizes.

/** A quoted literal with backslash escapes, from the opening quote at lx.pos + prefix. */
function quoted(lx: CLexer, prefix: number, quote: string, multiline: boolean): true {
  const start = lx.pos;
  lx.pos += prefix + 1;
  lx.literalBody(start, { close: (i) => (lx.at(i) === quote ? 1 : 0), skip: (i) => lx.backslash(i), multiline });
  return true;
}

function jsLiteral(lx: CLexer): boolean {
  const c = lx.at();
  if (c === '"' || c === "'") return quoted(lx, 0, c, false);
  if (c !== '`') return false;
  const start = lx.pos++;
  lx.literalBody(start, {
    close: (i) => (lx.at(i) === '`' ? 1 : 0),
    skip: (i) => lx.backslash(i),
    hole: (i) => (lx.startsWith('${', i) ? 2 : 0),
    readHole: () => lx.hole('}'),
    multiline: true,
  });
  return true;
}

/** JSON with comments (VS Code's settings files): only double-quoted strings. */
function jsoncLiteral(lx: CLexer): boolean {
  return lx.at() === '"' && quoted(lx, 0, '"', false);
}

function javaLiteral(lx: CLexer): boolean {
  const c = lx.at();
  if (c === "'") return quoted(lx, 0, c, false);
  if (c !== '"') return false;
  if (!lx.startsWith('"""')) return quoted(lx, 0, c, false);
  // A text block ends at the first unescaped `"""`.
  const start = lx.pos;
  lx.pos += 3;
  lx.literalBody(start, { close: (i) => (lx.startsWith('"""', i) ? 3 : 0), skip: (i) => lx.backslash(i), multiline: true });
  return true;
}

function goLiteral(lx: CLexer): boolean {
  const c = lx.at();
  if (c === '"' || c === "'") return quoted(lx, 0, c, false);
  if (c !== '`') return false;
  const start = lx.pos++;
  lx.literalBody(start, { close: (i) => (lx.at(i) === '`' ? 1 : 0), multiline: true });
  return true;
}

function kotlinLiteral(lx: CLexer): boolean {
  const c = lx.at();
  if (c === "'") return quoted(lx, 0, c, false);
  if (c !== '"') return false;
  const start = lx.pos;
  const raw = lx.startsWith('"""');
  lx.pos += raw ? 3 : 1;
  lx.literalBody(start, {
    // A raw string's closing `"""` takes any quotes before it: `"""a""""` is `a"`.
    close: raw ? (i) => (lx.startsWith('"""', i) ? lx.run('"', i) : 0) : (i) => (lx.at(i) === '"' ? 1 : 0),
    skip: raw ? undefined : (i) => lx.backslash(i),
    hole: (i) => (lx.startsWith('${', i) ? 2 : 0),
    readHole: () => lx.hole('}'),
    multiline: raw,
  });
  return true;
}

function rustLiteral(lx: CLexer): boolean {
  const c = lx.at();
  const prefix = lx.wordAt();
  const after = lx.pos + prefix.length;
  if (prefix === 'r' || prefix === 'br' || prefix === 'cr') {
    // r"..", r#".."#: no escapes, closed by a quote and as many hashes. `r#type` is an identifier.
    const hashes = lx.run('#', after);
    if (lx.at(after + hashes) !== '"') return false;
    const start = lx.pos;
    lx.pos = after + hashes + 1;
    lx.literalBody(start, { close: (i) => (lx.at(i) === '"' && lx.run('#', i + 1) >= hashes ? 1 + hashes : 0), multiline: true });
    return true;
  }
  if ((prefix === 'b' || prefix === 'c') && lx.at(after) === '"') return quoted(lx, 1, '"', true);
  if (c === '"') return quoted(lx, 0, '"', true);
  if (c !== "'") return false;
  // 'x' and '\n' are chars (b'x' too, after the word b); 'a in <'a> or 'outer: is a lifetime or label, and code.
  if (lx.at(lx.pos + 1) === '\\') return quoted(lx, 0, "'", false);
  const point = lx.text.codePointAt(lx.pos + 1);
  const width = point !== undefined && point > 0xffff ? 2 : 1;
  if (point !== undefined && !isLineBreak(lx.at(lx.pos + 1)) && lx.at(lx.pos + 1 + width) === "'") {
    const start = lx.pos;
    lx.pos += 2 + width;
    lx.emit('string', start);
    return true;
  }
  return false;
}

const C_PREFIXES = new Set(['', 'L', 'u', 'U', 'u8']);
const CPP_RAW_PREFIXES = new Set(['R', 'LR', 'uR', 'UR', 'u8R']);

function cLiteral(cpp: boolean): (lx: CLexer) => boolean {
  return (lx) => {
    const prefix = lx.wordAt();
    const quote = lx.at(lx.pos + prefix.length);
    if ((quote === '"' || quote === "'") && C_PREFIXES.has(prefix)) return quoted(lx, prefix.length, quote, false);
    if (!cpp || quote !== '"' || !CPP_RAW_PREFIXES.has(prefix)) return false;
    // R"delim( ... )delim", where the delimiter may hold quotes: R"""( ... )""".
    const start = lx.pos;
    const open = lx.pos + prefix.length + 1;
    const delimiter = /^[^()\\\s]{0,16}\(/.exec(lx.text.slice(open, open + 18));
    if (!delimiter) throw new LexError(start, 'string');
    const close = `)${delimiter[0].slice(0, -1)}"`;
    lx.pos = open + delimiter[0].length;
    lx.literalBody(start, { close: (i) => (lx.startsWith(close, i) ? close.length : 0), multiline: true });
    return true;
  };
}

function csharpLiteral(lx: CLexer): boolean {
  const c = lx.at();
  if (c === "'") return quoted(lx, 0, c, false);
  // Prefixes: $ (interpolated, $$ for raw strings that need {{ to interpolate), @ (verbatim).
  let i = lx.pos;
  let dollars = 0;
  let verbatim = false;
  for (; lx.at(i) === '$' || (lx.at(i) === '@' && !verbatim); i++) {
    if (lx.at(i) === '$') dollars++;
    else verbatim = true;
  }
  if (lx.at(i) !== '"') return false;
  const start = lx.pos;
  // An interpolation's format (`{x:N2}`) is text: the hole stops at a `:` at depth 0.
  const readHole = (): void => lx.hole('}', ':');
  const quotes = lx.run('"', i);
  if (!verbatim && quotes >= 3) {
    // Raw: closed by as many quotes as opened it; interpolations open with as many braces as $.
    lx.pos = i + quotes;
    lx.literalBody(start, {
      close: (j) => (lx.run('"', j) >= quotes ? lx.run('"', j) : 0),
      hole: dollars > 0 ? (j) => (lx.run('{', j) >= dollars ? lx.run('{', j) : 0) : undefined,
      readHole,
      multiline: true,
    });
    return true;
  }
  lx.pos = i + 1;
  lx.literalBody(start, {
    close: (j) => (lx.at(j) === '"' ? 1 : 0),
    skip: (j) => (verbatim ? (lx.startsWith('""', j) ? 2 : 0) : lx.backslash(j)) || (dollars > 0 && lx.startsWith('{{', j) ? 2 : 0),
    hole: dollars > 0 ? (j) => (lx.at(j) === '{' ? 1 : 0) : undefined,
    readHole,
    multiline: verbatim,
  });
  return true;
}

/** Java translates `\u000a` (and `*`, `/`) escapes before lexing, even inside comments. */
const javaEscape = (comment: string): boolean => /\\u+00(0[aAdD]|2[aAfF])/.test(comment);
/** A backslash-newline inside a C block comment may splice `*` and `/` into its end. */
const cSplice = (comment: string): boolean => comment.startsWith('/*') && /\\[ \t]*(\r\n|\n|\r)/.test(comment);

/** Read by TypeScript, bundlers and minifiers: references, type-check switches, pure annotations, source maps. */
const jsDirective = (comment: string): boolean =>
  /^\/\/\/\s*<(reference|amd-)|^\/[/*]\s*@ts-|^\/\/[#@]\s*source(Mapping)?URL=|^\/\*\s*[#@]__[A-Z_]+__|^\/\*\s*webpack[A-Z]|^\/\*\*?\s*@jsx/.test(comment);
/** Read by the go tool and cgo: `//go:build`, `//go:embed`, `//go:generate`, `// +build`, `//export`, `//line`. */
const goDirective = (comment: string): boolean => /^\/\/(go:|line |export |extern )|^\/\/\s*\+build/.test(comment);

const JS: CDialect = { literal: jsLiteral, regex: true, hashbang: true, codeComment: jsDirective };
const C: CDialect = { literal: cLiteral(false), continuedLineComments: true, codeComment: cSplice, digitSeparators: true };

export const C_DIALECTS = {
  typescript: JS,
  typescriptreact: { ...JS, jsx: 'tsx' },
  javascript: { ...JS, jsx: 'js' },
  javascriptreact: { ...JS, jsx: 'js' },
  jsonc: { literal: jsoncLiteral },
  java: { literal: javaLiteral, codeComment: javaEscape },
  csharp: { literal: csharpLiteral },
  go: { literal: goLiteral, codeComment: goDirective, cgo: true },
  rust: { literal: rustLiteral, nestedComments: true },
  kotlin: { literal: kotlinLiteral, nestedComments: true },
  c: C,
  cpp: { ...C, literal: cLiteral(true) },
} satisfies Record<string, CDialect>;

export function lexCFamily(text: string, dialect: CDialect): Token[] {
  return new CLexer(text, dialect).lex();
}
