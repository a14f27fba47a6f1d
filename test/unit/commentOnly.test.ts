import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  COMMENT_CHECK_LANGUAGES,
  checkCommentOnly,
  commentOnlyMessage,
  commentSpans,
  supportsCommentCheck,
  type CommentOnlyFailure,
  type CommentSpan,
} from '../../src/core/edits/commentOnly';

/** [from, to, line]: replace the one occurrence of `from`; `line` is where it is in the source. */
type Change = readonly [from: string, to: string, line: number];

interface Fixture {
  readonly id: string;
  readonly source: string;
  /** A doc comment put above (Python: into) a function. */
  readonly doc: readonly [from: string, to: string];
  /** Comments translated ja <-> en, one of them wrapped onto two lines. */
  readonly translations: readonly (readonly [from: string, to: string])[];
  /** An identifier, an operator and a number changed. */
  readonly codeChanges: readonly Change[];
  /** Text changed inside strings that hold comment markers. */
  readonly stringChanges: readonly Change[];
  /** Code changed after a string holding a comment marker, on the same line. */
  readonly hiddenChanges: readonly Change[];
}

function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  assert.ok(at >= 0 && text.indexOf(from, at + from.length) < 0, `exactly one ${JSON.stringify(from)} in the fixture`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

function lineOf(text: string, from: string): number {
  return text.slice(0, text.indexOf(from)).split('\n').length;
}

function translated(fixture: Fixture): string {
  return fixture.translations.reduce((text, [from, to]) => edit(text, from, to), fixture.source);
}

function assertRefused(languageId: string, before: string, after: string, line: number): void {
  const result = checkCommentOnly(languageId, before, after);
  assert.ok(!result.ok && result.reason === 'code-changed', `refused as code-changed: ${JSON.stringify(result)} ${after}`);
  assert.equal(result.line, line, after);
}

const lines = (...list: string[]): string => list.join('\n') + '\n';

const FIXTURES: readonly Fixture[] = [
  {
    id: 'typescript',
    source: lines(
      '// 合計を計算するモジュール。',
      "import { log } from './log';",
      '',
      'const BASE_URL = "http://example.com/api", TIMEOUT = 30; // 末尾にスラッシュなし',
      "const pattern = '/* not a comment */', slashes = /\\/\\//g, LIMIT = 2;",
      '',
      'export function total(items: number[]): number {',
      '  /* 空の配列は 0 */',
      '  let sum = 0;',
      '  for (const item of items) sum += item * 2;',
      '  log(`total // ${items.map((i) => `#${i} ${"`"}`).join("-")} done`, sum);',
      '  return sum;',
      '}',
    ),
    doc: ['export function total', '/**\n * 配列の合計を返す。\n * @param items 数値の配列\n */\nexport function total'],
    translations: [
      ['// 合計を計算するモジュール。', '// Computes totals.'],
      ['// 末尾にスラッシュなし', '// no trailing slash at\n// the end'],
      ['/* 空の配列は 0 */', '/* An empty array\n     sums to 0. */'],
    ],
    codeChanges: [
      ['let sum = 0', 'let sum = 1', 9],
      ['item * 2', 'item + 2', 10],
      ['return sum', 'return items', 12],
    ],
    stringChanges: [
      ['"http://example.com/api"', '"http://example.org/api"', 4],
      ["'/* not a comment */'", "'/* not a remark */'", 5],
      ['/\\/\\//g', '/\\/\\//gi', 5],
      ['total // ${', 'total //${', 11],
      ['${"`"}', '${"``"}', 11],
    ],
    hiddenChanges: [
      ['TIMEOUT = 30', 'TIMEOUT = 60', 4],
      ['LIMIT = 2', 'LIMIT = 3', 5],
      ['done`, sum)', 'done`, items)', 11],
    ],
  },
  {
    id: 'python',
    source: lines(
      '"""合計を計算するモジュール。"""',
      'import os  # 標準ライブラリ',
      '',
      'URL = "http://example.com/#anchor"  # アンカー付き',
      "MARK = '# not a comment'; LIMIT = 10",
      'PATTERN = r"\\d+ # digits"; WIDTH = 8',
      '',
      '',
      'def total(items):',
      '    # 空のリストは 0',
      '    s = 0',
      '    for item in items:',
      '        s += item * 2',
      `    print(f"total # {items[0] if items else '#'} done", s)`,
      '    return s',
      '',
      '',
      'class Box:',
      "    '''箱。'''",
      '',
      '    kind = "box"',
      '    """種類（クラスの docstring ではない）"""',
      '',
      '    def size(self):',
      '        """大きさを返す。"""',
      '        return 1',
      '',
      '    def empty(self):',
      '        """何もしない。"""',
    ),
    doc: ['def total(items):\n', '# 合計\ndef total(items):\n    """items の合計を返す。\n\n    Args:\n        items: 数値のリスト\n    """\n'],
    translations: [
      ['"""合計を計算するモジュール。"""', '"""Computes totals."""'],
      ['# 標準ライブラリ', '# from the standard\n# library'],
      ['# 空のリストは 0', '# An empty list\n    # sums to 0.'],
      ["'''箱。'''", "'''A box.'''"],
      ['"""大きさを返す。"""', '"""Return the size.\n\n        Always 1.\n        """'],
      ['"""何もしない。"""', '"""Do nothing."""'],
    ],
    codeChanges: [
      ['s = 0', 's = 1', 11],
      ['item * 2', 'item ** 2', 13],
      ['for item in items', 'for item in item', 12],
    ],
    stringChanges: [
      ['#anchor', '#top', 4],
      ["'# not a comment'", "'# not comment'", 5],
      ['\\d+ # digits', '\\d* # digits', 6],
      ['total # {', 'total #{', 14],
      ["'#'}", "'$'}", 14],
    ],
    hiddenChanges: [
      ['LIMIT = 10', 'LIMIT = 11', 5],
      ['WIDTH = 8', 'WIDTH = 9', 6],
      ['done", s)', 'done", s, s)', 14],
    ],
  },
  {
    id: 'rust',
    source: lines(
      '//! 合計を計算するクレート。',
      'use std::fmt; // 書式',
      '',
      'const URL: &str = "http://example.com/*path*/"; const N: u32 = 3; // URL',
      'const RAW: &str = r#"// not a "comment" "#; const LIMIT: u32 = 10;',
      '',
      "fn longest<'a>(x: &'a str, y: &'a str) -> &'a str {",
      '    /* 外側 /* 入れ子 */ まだコメント */',
      "    let quote = '\"'; // 引用符",
      "    let slash = '/'; let tick = b'\\''; // 文字",
      "    'outer: loop { break 'outer; }",
      '    if x.len() > y.len() { x } else { y }',
      '}',
      '',
      'pub fn total(items: &[u32]) -> u32 {',
      '    // 空なら 0',
      '    let mut s = 0;',
      '    for item in items { s += item * 2; }',
      '    s',
      '}',
    ),
    doc: ['pub fn total', '/// 合計を返す。\n///\n/// 空なら 0。\npub fn total'],
    translations: [
      ['//! 合計を計算するクレート。', '//! A crate that\n//! computes totals.'],
      ['// 書式', '// formatting'],
      ['/* 外側 /* 入れ子 */ まだコメント */', '/* outer /* nested */ still a comment */'],
      ['// 引用符', '// a quote'],
      ['// 文字', '// chars'],
      ['// 空なら 0', '// 0 when empty'],
    ],
    codeChanges: [
      ['let mut s = 0', 'let mut s = 1', 17],
      ['item * 2', 'item / 2', 18],
      ['y.len()', 'y.size()', 12],
    ],
    stringChanges: [
      ['/*path*/', '/*paths*/', 4],
      ['// not a "comment" ', '// not a "remark" ', 5],
      ["'\"'", "'\\''", 9],
      ["'/'", "'*'", 10],
    ],
    hiddenChanges: [
      ['const N: u32 = 3', 'const N: u32 = 4', 4],
      ['LIMIT: u32 = 10', 'LIMIT: u32 = 11', 5],
      ["let tick = b'\\''", "let tick = b'x'", 10],
    ],
  },
  {
    id: 'go',
    source: lines(
      '// Package calc は合計を計算する。',
      'package calc',
      '',
      'import "fmt" // 書式',
      '',
      'const url = "http://example.com/"; const limit = 10 // URL',
      'var raw = `// not a comment`; var depth = 2',
      'var block = `line one',
      '/* not a comment */ line two`',
      '',
      'func Total(items []int) int {',
      '\t/* 空なら 0 */',
      '\ts := 0',
      '\tfor _, item := range items {',
      '\t\ts += item * 2',
      '\t}',
      '\tfmt.Println(\'/\', "// x", s)',
      '\treturn s',
      '}',
    ),
    doc: ['func Total', '// Total は items の合計を返す。\n// 空なら 0 を返す。\nfunc Total'],
    translations: [
      ['// Package calc は合計を計算する。', '// Package calc computes\n// totals.'],
      ['// 書式', '// formatting'],
      ['/* 空なら 0 */', '/* 0 when\n\t   empty */'],
    ],
    codeChanges: [
      ['s := 0', 's := 1', 13],
      ['item * 2', 'item - 2', 15],
      ['return s', 'return items', 18],
    ],
    stringChanges: [
      ['"http://example.com/"', '"http://example.net/"', 6],
      ['`// not a comment`', '`// not comment`', 7],
      ['/* not a comment */ line two', '/* not a comment */ line 2', 9],
      ['"// x"', '"// y"', 17],
    ],
    hiddenChanges: [
      ['limit = 10', 'limit = 20', 6],
      ['depth = 2', 'depth = 3', 7],
      ['"// x", s)', '"// x", s, s)', 17],
    ],
  },
  {
    id: 'java',
    source: lines(
      '// 合計を計算するクラス。',
      'package calc;',
      '',
      'public class Calc {',
      '    static final String URL = "http://example.com/"; static final int LIMIT = 10;',
      '    static final String BLOCK = """',
      '        // not a comment "quoted"',
      '        /* still text */',
      '        """; static final int DEPTH = 2;',
      "    static final char QUOTE = '\"'; // 引用符",
      '',
      '    public static int total(int[] items) {',
      '        /* 空なら 0 */',
      '        int s = 0;',
      '        for (int item : items) s += item * 2;',
      '        return s;',
      '    }',
      '}',
    ),
    doc: ['    public static int total', '    /**\n     * 合計を返す。\n     *\n     * @param items 数値の配列\n     */\n    public static int total'],
    translations: [
      ['// 合計を計算するクラス。', '// A class that\n// computes totals.'],
      ['// 引用符', '// a quote'],
      ['/* 空なら 0 */', '/* 0 when empty */'],
    ],
    codeChanges: [
      ['int s = 0', 'int s = 1', 14],
      ['item * 2', 'item % 2', 15],
      ['return s', 'return items', 16],
    ],
    stringChanges: [
      ['"http://example.com/"', '"https://example.com/"', 5],
      ['// not a comment "quoted"', '// not a comment "quote"', 7],
      ['/* still text */', '/* still words */', 8],
      ["'\"'", "'\\''", 10],
    ],
    hiddenChanges: [
      ['LIMIT = 10', 'LIMIT = 20', 5],
      ['DEPTH = 2', 'DEPTH = 3', 9],
    ],
  },
  {
    id: 'csharp',
    source: lines(
      '// 合計を計算するクラス。',
      'namespace Calc;',
      '',
      'public static class Sums',
      '{',
      '    const string Url = "http://example.com/"; const int Limit = 10;',
      '    const string Path = @"C:\\temp\\"" // not a comment"; const int Depth = 2;',
      '    static string Raw = """',
      '        /* not a comment */ "quoted"',
      '        """;',
      '    static string Show(int n) => $"{n:N2} // {(n > 0 ? "pos" : "neg")} {{x}}"; // 表示',
      '    static string Both(int n) => $$"""{"{{n}}"} // text"""; // 両方',
      '',
      '    public static int Total(int[] items)',
      '    {',
      '        /* 空なら 0 */',
      '        var s = 0;',
      '        foreach (var item in items) s += item * 2; // 二倍',
      '        return s;',
      '    }',
      '}',
    ),
    doc: [
      '    public static int Total',
      '    /// <summary>合計を返す。</summary>\n    /// <param name="items">数値の配列</param>\n    public static int Total',
    ],
    translations: [
      ['// 合計を計算するクラス。', '// A class that\n// computes totals.'],
      ['// 表示', '// show'],
      ['// 両方', '// both'],
      ['/* 空なら 0 */', '/* 0 when empty */'],
      ['// 二倍', '// doubled'],
    ],
    codeChanges: [
      ['var s = 0', 'var s = 1', 17],
      ['item * 2', 'item << 2', 18],
      ['return s', 'return items', 19],
    ],
    stringChanges: [
      ['"http://example.com/"', '"http://example.com"', 6],
      ['// not a comment"', '// not comment"', 7],
      ['/* not a comment */ "quoted"', '/* not a comment */ "quote"', 9],
      ['"pos"', '"plus"', 11],
      ['{n:N2} //', '{n:N3} //', 11],
      ['"} // text', '"} // txt', 12],
      ['{{n}}', '{{n + 1}}', 12],
    ],
    hiddenChanges: [
      ['Limit = 10', 'Limit = 20', 6],
      ['Depth = 2', 'Depth = 3', 7],
      ['{{x}}"; //', '{{x}}" + n; //', 11],
    ],
  },
];

describe('comment-only check', () => {
  for (const fixture of FIXTURES) {
    describe(fixture.id, () => {
      const { id, source } = fixture;

      it('the fixture is what the test cases assume: comments and code where they are meant to be', () => {
        const spans = commentSpans(id, source);
        assert.ok(spans.ok);
        for (const [from] of fixture.translations) {
          const at = source.indexOf(from);
          assert.ok(spans.spans.some((s) => s.start === at && s.end === at + from.length), `${from} is one comment`);
        }
        for (const [from, , line] of [...fixture.codeChanges, ...fixture.stringChanges, ...fixture.hiddenChanges]) {
          assert.equal(lineOf(source, from), line, from);
        }
      });

      it('accepts a doc comment added above a function', () => {
        assert.deepEqual(checkCommentOnly(id, source, edit(source, ...fixture.doc)), { ok: true });
      });

      it('accepts comments translated, of other lengths and wrapped onto more lines', () => {
        const after = translated(fixture);
        assert.deepEqual(checkCommentOnly(id, source, after), { ok: true });
        assert.deepEqual(checkCommentOnly(id, after, source), { ok: true }, 'en -> ja');
        assert.deepEqual(checkCommentOnly(id, source, edit(after, ...fixture.doc)), { ok: true }, 'and a doc comment');
      });

      it('refuses a changed identifier, operator or number, at its line', () => {
        for (const [from, to, line] of fixture.codeChanges) {
          assertRefused(id, source, edit(source, from, to), line);
          // Among translated comments, the line is the one in the proposed text.
          const after = edit(translated(fixture), from, to);
          assertRefused(id, source, after, lineOf(after, to));
        }
      });

      it('refuses a change inside a string that holds a comment marker', () => {
        for (const [from, to, line] of fixture.stringChanges) assertRefused(id, source, edit(source, from, to), line);
      });

      it('does not let a comment marker inside a string hide the code after it', () => {
        for (const [from, to, line] of fixture.hiddenChanges) {
          assertRefused(id, source, edit(source, from, to), line);
          assertRefused(id, source, edit(translated(fixture), from, to), lineOf(edit(translated(fixture), from, to), to));
        }
      });
    });
  }

  describe('Python', () => {
    const py = FIXTURES.find((f) => f.id === 'python')!.source;

    it('treats docstrings as comments and other strings as code', () => {
      const spans = commentSpans('python', py);
      assert.ok(spans.ok);
      const texts = spans.spans.map((s) => [py.slice(s.start, s.end), s.kind, s.doc]);
      assert.deepEqual(texts, [
        ['"""合計を計算するモジュール。"""', 'docstring', true],
        ['# 標準ライブラリ', 'line', false],
        ['# アンカー付き', 'line', false],
        ['# 空のリストは 0', 'line', false],
        ["'''箱。'''", 'docstring', true],
        ['"""大きさを返す。"""', 'docstring', true],
        ['"""何もしない。"""', 'docstring', true],
      ]);
    });

    it('refuses a changed string that is not a docstring', () => {
      assertRefused('python', py, edit(py, '種類（クラスの docstring ではない）', 'The kind'), 22);
      for (const [before, after] of [
        ['def f():\n    """a""".strip()\n', 'def f():\n    """b""".strip()\n'],
        ['def f():\n    b"""a"""\n', 'def f():\n    b"""b"""\n'],
        ['def f():\n    f"""a{x}"""\n', 'def f():\n    f"""b{x}"""\n'],
        ['def f():\n    "a" "b"\n', 'def f():\n    "a" "c"\n'],
        ['if x:\n    "a"\n', 'if x:\n    "b"\n'],
      ]) {
        assertRefused('python', before, after, 2);
      }
      assert.deepEqual(checkCommentOnly('python', 'async def f():\n    "a"; return 1\n', 'async def f():\n    "b"; return 1\n'), { ok: true });
      assert.deepEqual(checkCommentOnly('python', 'def f(): "a"\n', 'def f(): "b"\n'), { ok: true });
    });

    it('refuses changed indentation of code', () => {
      assertRefused('python', py, edit(py, '        s += item * 2', '    s += item * 2'), 13);
      assertRefused('python', py, edit(py, '    return s', '     return s'), 15);
      assertRefused('python', py, edit(py, '        return 1', '\t\treturn 1'), 26);
      // A comment's indentation is free, and so are blank lines.
      assert.deepEqual(checkCommentOnly('python', py, edit(py, '    # 空のリストは 0', '# 空のリストは 0\n\n')), { ok: true });
    });

    it('refuses a docstring removed from a body it was the only statement of, or indented unlike its body', () => {
      assertRefused('python', py, edit(py, '    def empty(self):\n        """何もしない。"""', '    def empty(self):'), 28);
      assert.deepEqual(checkCommentOnly('python', py, edit(py, '        """大きさを返す。"""\n', '')), { ok: true });
      assertRefused('python', py, edit(py, '        """大きさを返す。"""', '    """大きさを返す。"""'), 25);
      assertRefused('python', py, edit(py, '"""合計を計算するモジュール。"""', '  """Computes totals."""'), 1);
      assertRefused('python', 'def f():\n    "a"\n    return 1\n', 'def f(): "a"\n    return 1\n', 1);
      // A docstring added with the body's indentation is fine, one added with another is not.
      assert.deepEqual(checkCommentOnly('python', 'def f():\n    return 1\n', 'def f():\n    """Doc."""\n    return 1\n'), { ok: true });
      assertRefused('python', 'def f():\n    return 1\n', 'def f():\n  """Doc."""\n    return 1\n', 2);
    });

    it('finds the docstring after a header continued with a backslash', () => {
      const before = 'def f(a) \\\n        -> int:\n    """説明"""\n    return a\n';
      assert.deepEqual(checkCommentOnly('python', before, before.replace('説明', 'Doc.')), { ok: true });
    });

    it('lexes f-string fields as code, with their own strings and conversions', () => {
      const before = 'x = f"{a!r:>{w}} {d["#"]} {{#}}"  # c\n';
      assert.deepEqual(checkCommentOnly('python', before, before.replace('# c', '# コメント')), { ok: true });
      assertRefused('python', before, before.replace('d["#"]', 'd["$"]'), 1);
      assertRefused('python', before, before.replace('{w}', '{v}'), 1);
      assertRefused('python', before, before.replace('{{#}}', '{{$}}'), 1);
      // A multi-line field may hold a comment (Python 3.12); a backslash does not stop a raw f-string's field.
      const raw = 'p = rf""""\\{x # c\n}"""\n';
      assert.deepEqual(commentSpans('python', raw), { ok: true, spans: [{ start: raw.indexOf('#'), end: raw.indexOf('c\n') + 1, kind: 'line', doc: false }] });
    });

    it('holds the whitespace in f-string fields, which `=` prints', () => {
      assertRefused('python', 'x = f"{a + b = }"\n', 'x = f"{a + b =}"\n', 1);
      assertRefused('python', 'x = f"{a + b = }"\n', 'x = f"{a  + b = }"\n', 1);
      assertRefused('python', 'x = f"{a!r:>{w}}"\n', 'x = f"{a!r:>{ w}}"\n', 1);
      assert.deepEqual(checkCommentOnly('python', 'x = f"{a + b = }"  # c\n', 'x = f"{a + b = }"  # しー\n'), { ok: true });
    });
  });

  describe('Rust', () => {
    it('reads nested block comments, lifetimes, labels and raw strings', () => {
      const text = "fn f<'a>(x: &'a str) -> char { /* a /* b */ c */ let s = r##\"\"# // \"##; '\"' } // end\n";
      const spans = commentSpans('rust', text);
      assert.ok(spans.ok);
      assert.deepEqual(spans.spans.map((s) => text.slice(s.start, s.end)), ['/* a /* b */ c */', '// end']);
      assertRefused('rust', text, text.replace('"# //', '"# ///'), 1);
      assert.deepEqual(checkCommentOnly('rust', text, text.replace('/* b */', '/* β */')), { ok: true });
    });

    it('does not read a lifetime as a char literal', () => {
      const text = "impl<'a> Foo<'a> { // コメント\n    fn get(&self) -> &'a str { self.0 } // 取得\n}\n";
      const spans = commentSpans('rust', text);
      assert.ok(spans.ok);
      assert.deepEqual(spans.spans.map((s) => text.slice(s.start, s.end)), ['// コメント', '// 取得']);
      assert.deepEqual(checkCommentOnly('rust', text, text.replace('// 取得', '// get')), { ok: true });
    });

    it('marks /// //! /** and /*! as doc comments, //// and /*** not', () => {
      const text = '/// a\n//! b\n/** c */\n/*! d */\n//// e\n/*** f */\n/**/\n// g\n';
      const spans = commentSpans('rust', text);
      assert.ok(spans.ok);
      assert.deepEqual(spans.spans.map((s) => s.doc), [true, true, true, true, false, false, false, false]);
    });
  });

  describe('C#', () => {
    it('reads verbatim, raw and interpolated strings', () => {
      for (const [text, comments] of [
        ['var a = @"\\"" // no"; // yes', ['// yes']],
        ['var a = @$"{x} "" // no"; // yes', ['// yes']],
        ['var a = $"{x /* c */} \\" // no"; // yes', ['/* c */', '// yes']],
        ['var a = $"{(b ? "x" : "y"):N2} // no"; // yes', ['// yes']],
        ['var a = """ "" // no """; // yes', ['// yes']],
        ['var a = """"\n  """ // no\n  """"; // yes', ['// yes']],
        ['var a = $$"""{ {{x /* c */}} } // no"""; // yes', ['/* c */', '// yes']],
        ["var c = '\"'; // yes", ['// yes']],
      ] as const) {
        const spans = commentSpans('csharp', text);
        assert.ok(spans.ok, text);
        assert.deepEqual(spans.spans.map((s) => text.slice(s.start, s.end)), comments, text);
      }
    });

    it('reads an interpolation format as text', () => {
      assertRefused('csharp', 'var s = $"{d:yyyy MM}";\n', 'var s = $"{d:yyyy  MM}";\n', 1);
    });
  });

  describe('Go', () => {
    it('reads raw strings across lines', () => {
      const text = 'var s = `a\n// no\n/* no */`; x := 1 // yes\n';
      assert.deepEqual(commentSpans('go', text), { ok: true, spans: [{ start: text.indexOf('// yes'), end: text.length - 1, kind: 'line', doc: false }] });
      assertRefused('go', text, text.replace('// no', '// nope'), 2);
    });
  });

  describe('Java', () => {
    it('reads text blocks, and treats a comment with a unicode escape of a line break as code', () => {
      const text = 'String s = """\n  // no "" \\""" still\n  """; // yes\n';
      const spans = commentSpans('java', text);
      assert.ok(spans.ok);
      assert.deepEqual(spans.spans.map((s) => text.slice(s.start, s.end)), ['// yes']);
      // javac reads `\u000a` as a line break before it reads comments: what follows it is code.
      const escaped = 'int x = 1; // note \\u000a x = 2;\n';
      assertRefused('java', escaped, escaped.replace('x = 2', 'x = 3'), 1);
    });
  });

  describe('TypeScript and JavaScript', () => {
    it('reads template literals with nested ${} holding strings with backticks', () => {
      const text = 'const t = `a ${ `b ${"`" + \'`\'} // no` /* c */ } // no ${x}`; // yes\n';
      const spans = commentSpans('typescript', text);
      assert.ok(spans.ok);
      assert.deepEqual(spans.spans.map((s) => text.slice(s.start, s.end)), ['/* c */', '// yes']);
      assertRefused('typescript', text, text.replace('// no ${x}', '// no ${y}'), 1);
      assertRefused('typescript', text, text.replace('"`"', '"``"'), 1);
    });

    it('ends a line comment at U+2028, as JavaScript does', () => {
      const text = 'a(); // c\u2028x = 1;\n';
      assertRefused('javascript', text, text.replace('x = 1', 'x = 2'), 1);
    });

    it('reads regex literals where an expression may start, division elsewhere', () => {
      for (const [text, comments] of [
        ['x = a.replace(/\\/\\//g, ""); // yes', ['// yes']],
        ['x = /[/]/.test(s); // yes', ['// yes']],
        ['return /\\/*/.source; // yes', ['// yes']],
        ['x = a / b; // yes', ['// yes']],
        ['x = (a) / 2 / 3; // yes', ['// yes']],
        ['x = a++ / 2; // yes', ['// yes']],
      ] as const) {
        const spans = commentSpans('javascript', text);
        assert.ok(spans.ok, text);
        assert.deepEqual(spans.spans.map((s) => text.slice(s.start, s.end)), comments, text);
      }
    });

    it('reads JSX text as code in typescriptreact and javascriptreact', () => {
      const text = 'const e = <a href="http://x" b={/* c */ 1}>// text {/* real */} <b>/* t */</b></a>; // end\nconst f = <T,>(x: T) => x < 2; // g\n';
      for (const id of ['typescriptreact', 'javascriptreact', 'javascript']) {
        const spans = commentSpans(id, text);
        assert.ok(spans.ok, id);
        assert.deepEqual(spans.spans.map((s) => text.slice(s.start, s.end)), ['/* c */', '/* real */', '// end', '// g'], id);
        assertRefused(id, text, text.replace('// text', '// texts'), 1);
      }
      // Tags that turn out to be none are tried once: nested tries would take exponential time.
      const notJsx = 'x = ' + '<a b={'.repeat(24) + '1' + '} ,'.repeat(24) + '; // c\n';
      assert.deepEqual(commentSpans('javascript', notJsx), { ok: true, spans: [{ start: notJsx.indexOf('//'), end: notJsx.length - 1, kind: 'line', doc: false }] });
      const generic = 'const f = <T extends object>(x: T) => x; // g\n';
      assert.deepEqual(commentSpans('typescriptreact', generic), { ok: true, spans: [{ start: generic.indexOf('//'), end: generic.length - 1, kind: 'line', doc: false }] });
    });

    it('keeps a #! line as code: its // is an argument', () => {
      const text = '#!/usr/bin/env -S node --flag // x\nrun(); // c\n';
      assertRefused('javascript', text, text.replace('// x', '// y'), 1);
      assert.deepEqual(checkCommentOnly('javascript', text, text.replace('// c', '// シー')), { ok: true });
    });
  });

  describe('C and C++', () => {
    it('reads raw strings, digit separators and continued line comments', () => {
      const text = 'auto s = R"x(// no)" )x"; auto t = R"""(/* no )"" */)"""; int n = 1\'000; // c \\\n continued\nint y = 2; // d\n';
      const spans = commentSpans('cpp', text);
      assert.ok(spans.ok);
      assert.deepEqual(spans.spans.map((s) => text.slice(s.start, s.end)), ['// c \\\n continued', '// d']);
      // A backslash added at the end of a comment swallows the next line.
      const code = 'int x; // c\nint y;\n';
      assertRefused('c', code, code.replace('// c', '// c \\'), 1);
      // A line splice inside a block comment may end it (`*\` newline `/`): such a comment is held as code.
      const spliced = 'int a; /* a *\\\n/ int x = 1; */\n';
      assertRefused('c', spliced, spliced.replace('x = 1', 'x = 2'), 2);
    });
  });

  describe('Kotlin', () => {
    it('reads templates and raw strings, and nested comments', () => {
      const text = 'val s = "${m["//"]} // no"; val r = """ ${"\\"\\"\\""} // no """"; /* a /* b */ */ // yes\n';
      const spans = commentSpans('kotlin', text);
      assert.ok(spans.ok);
      assert.deepEqual(spans.spans.map((s) => text.slice(s.start, s.end)), ['/* a /* b */ */', '// yes']);
    });
  });

  describe('directives', () => {
    it('holds comments that compilers and tools read like code, and lists them as no comment span', () => {
      for (const [id, text, directive] of [
        ['go', '//go:build linux\n\n// Package p は例。\npackage p\n', '//go:build linux'],
        ['go', 'package p\n\n//go:generate stringer -type=Kind\n// Kind は種類。\ntype Kind int\n', '//go:generate stringer -type=Kind'],
        ['go', 'package p\n\n// #include <stdio.h>\n// 注: C のコード\nimport "C"\n\n// Hello は挨拶する。\nfunc Hello() {}\n', '// 注: C のコード'],
        ['typescript', '/// <reference path="./types.d.ts" />\n// 説明\n', '/// <reference path="./types.d.ts" />'],
        ['typescript', '// 説明\n// @ts-expect-error: 古い型\nx = f(1);\n', '// @ts-expect-error: 古い型'],
        ['javascript', '// 説明\nconst a = /*#__PURE__*/ make();\n', '/*#__PURE__*/'],
        ['python', '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n# 説明\nx = []  # type: list[int]\n', '# -*- coding: utf-8 -*-'],
        ['python', '#!/usr/bin/env python3\n# 説明\n', '#!/usr/bin/env python3'],
        ['python', '# 説明\nx = []  # type: list[int]\n', '# type: list[int]'],
      ] as const) {
        const spans = commentSpans(id, text);
        assert.ok(spans.ok);
        assert.ok(spans.spans.every((s) => !text.slice(s.start, s.end).includes(directive)), `${directive} is no comment span`);
        assert.ok(spans.spans.some((s) => /説明|は/.test(text.slice(s.start, s.end))), `the ordinary comment in ${text} is one`);
        const after = text.replace(directive, directive.replace(/[A-Za-z](?=[^A-Za-z]*$)/, (c) => (c === 'X' ? 'Y' : 'X')));
        assertRefused(id, text, after, lineOf(text, directive));
      }
      // The comment above an ordinary import is an ordinary comment, and a blank line ends cgo's preamble.
      const go = 'package p\n\n// 説明\nimport "fmt"\n\n// 説明 2\n\nimport "C"\n';
      assert.deepEqual(checkCommentOnly('go', go, go.replace('// 説明\n', '// About\n').replace('// 説明 2', '// About 2')), { ok: true });
      // An encoding declaration counts on line 1 or 2 only.
      const py = 'x = 1\ny = 2\n# coding: 説明\n';
      assert.deepEqual(checkCommentOnly('python', py, py.replace('説明', 'about')), { ok: true });
    });
  });

  describe('results', () => {
    it('refuses languages it cannot lex, whatever the texts', () => {
      for (const id of ['plaintext', 'markdown', 'swift', 'php', 'shellscript', 'ruby', 'yaml', 'unknown']) {
        assert.equal(supportsCommentCheck(id), false, id);
        assert.deepEqual(checkCommentOnly(id, '# a\n', '# b\n'), { ok: false, reason: 'unsupported-language' });
        assert.deepEqual(checkCommentOnly(id, 'same', 'same'), { ok: false, reason: 'unsupported-language' });
        assert.deepEqual(commentSpans(id, 'x'), { ok: false, reason: 'unsupported-language' });
      }
      for (const id of ['typescript', 'typescriptreact', 'javascript', 'javascriptreact', 'python', 'rust', 'go', 'java', 'csharp', 'c', 'cpp', 'kotlin', 'jsonc']) {
        assert.ok(supportsCommentCheck(id) && COMMENT_CHECK_LANGUAGES.includes(id), id);
      }
    });

    it('refuses an unclosed comment or string, saying which text and line', () => {
      assert.deepEqual(checkCommentOnly('typescript', 'a;\n/* x */\nb;\n', 'a;\n/* x\nb;\n'), {
        ok: false,
        reason: 'unbalanced',
        side: 'after',
        line: 2,
        construct: 'comment',
      });
      assert.deepEqual(checkCommentOnly('python', 'x = """a\n', 'x = 1\n'), { ok: false, reason: 'unbalanced', side: 'before', line: 1, construct: 'string' });
      // Nesting deep enough to overflow the stack is refused, not thrown (a RangeError).
      const deep = 'x = `' + '${`'.repeat(1000) + '`}'.repeat(1000) + '`;';
      assert.deepEqual(checkCommentOnly('typescript', deep, deep + ' '), { ok: false, reason: 'unbalanced', side: 'before', line: 1, construct: 'nesting' });
      const elements = 'x = ' + '<a>'.repeat(20000) + '</a>'.repeat(20000) + ';';
      assert.deepEqual(commentSpans('javascript', elements), { ok: false, reason: 'unbalanced', line: 1, construct: 'nesting' });
      // Identical texts are the same code, whatever they hold.
      assert.deepEqual(checkCommentOnly('typescript', deep, deep), { ok: true });
    });

    it('holds code whitespace where it can matter: touching tokens and line breaks', () => {
      assertRefused('typescript', 'a = b - -c;\n', 'a = b --c;\n', 1);
      assertRefused('typescript', 'x = a/**/b;\n', 'x = ab;\n', 1);
      assertRefused('go', 'return\nx\n', 'return x\n', 1);
      assertRefused('typescript', 'a; // c\nb;\n', 'a; /* c */ b;\n', 1);
      assert.deepEqual(checkCommentOnly('typescript', 'a  =   b;\n', '  a = b;   \n\n'), { ok: true });
      assert.deepEqual(checkCommentOnly('typescript', 'f(a, /* x */ b);\n', 'f(a, /* エックス */ b);\n'), { ok: true });
      assert.deepEqual(checkCommentOnly('typescript', 'f(a,/*x*/b);\n', 'f(a, b);\n'), { ok: true });
      assertRefused('typescript', 'f(a, /* x */ b);\n', 'f(a, /* x\n */ b);\n', 2);
    });

    it('reports the first differing line in the proposed text and in the original', () => {
      const result = checkCommentOnly('typescript', 'a;\nb;\nc;\n', '// 1\n// 2\na;\nb;\nd;\n');
      assert.deepEqual(result, { ok: false, reason: 'code-changed', line: 5, beforeLine: 3 });
      assert.deepEqual(checkCommentOnly('typescript', 'a;\nb;\n', 'a;\r\n'), { ok: false, reason: 'code-changed', line: 1, beforeLine: 2 });
      assert.deepEqual(checkCommentOnly('typescript', 'a;\r\nb;\r\n', '// x\r\na;\r\nc;\r\n'), { ok: false, reason: 'code-changed', line: 3, beforeLine: 2 });
    });

    it('words every refusal in English and Japanese', () => {
      const failures: CommentOnlyFailure[] = [
        { ok: false, reason: 'unsupported-language' },
        { ok: false, reason: 'unbalanced', side: 'after', line: 3, construct: 'string' },
        { ok: false, reason: 'unbalanced', side: 'before', line: 4, construct: 'comment' },
        { ok: false, reason: 'unbalanced', side: 'after', line: 5, construct: 'nesting' },
        { ok: false, reason: 'code-changed', line: 7, beforeLine: 6 },
      ];
      for (const failure of failures) {
        const message = commentOnlyMessage(failure);
        assert.ok(message.en.length > 0 && /[ぁ-ん]/.test(message.ja), JSON.stringify(message));
        if ('line' in failure) assert.ok(message.en.includes(`line ${failure.line}`) && message.ja.includes(`${failure.line} 行目`));
      }
    });
  });

  describe('properties', () => {
    const LINE_BREAKS = /[\n\r\u2028\u2029\u0085]/;
    const piece = fc.oneof(
      fc.constantFrom('*/', '/*', '//', '#', '"', "'", '`', '"""', '${', '{', '}', '\\', '\\u000a', ' ', '\n', '日本語', 'コメント。'),
      fc.string({ unit: 'binary', maxLength: 4 }),
    );
    const body = fc.array(piece, { maxLength: 8 }).map((parts) => parts.join(''));
    const NESTED = new Set(['rust']);

    /** The comment with its body replaced, or undefined if the new body would not keep it one comment. */
    function rewritten(id: string, text: string, span: CommentSpan, replacement: string): string | undefined {
      const old = text.slice(span.start, span.end);
      if (span.kind === 'docstring') {
        const quote = /^[rRuU]?("""|'''|"|')/.exec(old)![0];
        const close = quote.replace(/^[rRuU]/, '');
        if (/["'\\]/.test(replacement) || (close.length === 1 && LINE_BREAKS.test(replacement))) return undefined;
        return quote + replacement + close;
      }
      if (/\\u/.test(replacement)) return undefined;
      if (span.kind === 'line') {
        if (LINE_BREAKS.test(replacement)) return undefined;
        return old.slice(0, old.startsWith('#') ? 1 : 2) + replacement;
      }
      const comment = `/*${replacement}*/`;
      if (comment.indexOf('*/', 2) !== comment.length - 2 || (NESTED.has(id) && comment.indexOf('/*', 1) >= 0)) return undefined;
      // A line break inside a comment that shares its line with code on both sides would be one between code.
      const lineStart = text.lastIndexOf('\n', span.start - 1) + 1;
      const lineEnd = text.indexOf('\n', span.end);
      const alone = /^\s*$/.test(text.slice(lineStart, span.start)) || /^\s*$/.test(text.slice(span.end, lineEnd < 0 ? undefined : lineEnd));
      if (!alone && LINE_BREAKS.test(replacement)) return undefined;
      return comment;
    }

    for (const fixture of FIXTURES) {
      const { id, source } = fixture;
      const spansOf = (): readonly CommentSpan[] => {
        const spans = commentSpans(id, source);
        assert.ok(spans.ok);
        return spans.spans;
      };

      it(`${id}: any comment bodies keep the check ok`, () => {
        const spans = { spans: spansOf() };
        fc.assert(
          fc.property(fc.array(body, { minLength: spans.spans.length, maxLength: spans.spans.length }), (bodies) => {
            let after = source;
            let changed = 0;
            for (let k = spans.spans.length - 1; k >= 0; k--) {
              const span = spans.spans[k];
              const next = rewritten(id, source, span, bodies[k]);
              if (next === undefined) continue;
              after = after.slice(0, span.start) + next + after.slice(span.end);
              changed++;
            }
            fc.pre(changed > 0);
            assert.deepEqual(checkCommentOnly(id, source, after), { ok: true }, after);
          }),
          { seed: 424242, numRuns: 200 },
        );
      });

      it(`${id}: any one-character change outside comments and whitespace is refused`, () => {
        const spans = spansOf();
        const inComment = (i: number): boolean => spans.some((s) => s.start <= i && i < s.end);
        const code = Array.from({ length: source.length }, (_, i) => i).filter((i) => !inComment(i) && !/\s/.test(source[i]));
        const change = fc.record({
          at: fc.constantFrom(...code),
          op: fc.constantFrom('replace', 'delete', 'insert'),
          char: fc.oneof(fc.constantFrom('/', '*', '#', '"', "'", '`', '{', '}', '$', '@', ' ', '\n', 'x', '0', '語'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })),
        });
        fc.assert(
          fc.property(change, ({ at, op, char }) => {
            fc.pre(op === 'delete' || (char !== source[at] && !(op === 'insert' && /\s/.test(char))));
            const after = source.slice(0, at) + (op === 'delete' ? '' : char) + source.slice(op === 'insert' ? at : at + 1);
            const result = checkCommentOnly(id, source, after);
            assert.equal(result.ok, false, JSON.stringify({ at, op, char, around: source.slice(at - 10, at + 10) }));
          }),
          { seed: 424242, numRuns: 200 },
        );
      });
    }
  });
});
