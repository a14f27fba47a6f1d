// Each language's own doc-comment convention, named the way its developers know it, so the model
// writes the comment the tools of that language read (TypeDoc, Sphinx, rustdoc, godoc, ...).
import type { ResolvedLanguage } from './chat';

const CONVENTIONS: Record<string, { en: string; ja: string }> = {
  typescript: { en: 'TSDoc (a /** ... */ block above the declaration, with @param and @returns)', ja: 'TSDoc（宣言の直前の /** ... */ ブロック、@param と @returns 付き）' },
  javascript: { en: 'JSDoc (a /** ... */ block above the declaration, with @param and @returns)', ja: 'JSDoc（宣言の直前の /** ... */ ブロック、@param と @returns 付き）' },
  python: { en: 'a PEP 257 docstring (a triple-quoted string as the first statement of the body)', ja: 'PEP 257 の docstring（本体の最初の文としての三重引用符の文字列）' },
  rust: { en: 'rustdoc (/// lines above the item, with # Examples where useful)', ja: 'rustdoc（項目の直前の /// 行）' },
  go: { en: 'a Go doc comment (// lines directly above the declaration, starting with its name)', ja: 'Go のドキュメントコメント（宣言の直前の // 行、識別子の名前から始める）' },
  java: { en: 'Javadoc (a /** ... */ block above the declaration, with @param, @return and @throws)', ja: 'Javadoc（宣言の直前の /** ... */ ブロック、@param・@return・@throws 付き）' },
  csharp: { en: 'C# XML documentation comments (/// <summary>, <param>, <returns>)', ja: 'C# の XML ドキュメントコメント（/// <summary>・<param>・<returns>）' },
  c: { en: 'a Doxygen comment (/** ... */ with @brief, @param and @return)', ja: 'Doxygen コメント（/** ... */、@brief・@param・@return 付き）' },
  cpp: { en: 'a Doxygen comment (/** ... */ with @brief, @param and @return)', ja: 'Doxygen コメント（/** ... */、@brief・@param・@return 付き）' },
  kotlin: { en: 'KDoc (a /** ... */ block with @param and @return)', ja: 'KDoc（/** ... */ ブロック、@param と @return 付き）' },
  swift: { en: 'Swift markup (/// lines with - Parameters: and - Returns:)', ja: 'Swift のドキュメントコメント（/// 行、- Parameters: と - Returns:）' },
  php: { en: 'PHPDoc (a /** ... */ block with @param and @return)', ja: 'PHPDoc（/** ... */ ブロック、@param と @return 付き）' },
  ruby: { en: 'YARD (# lines with @param and @return)', ja: 'YARD（# 行、@param と @return 付き）' },
  shellscript: { en: 'a comment block (# lines) above the function', ja: '関数の直前のコメント（# 行）' },
};

const ALIASES: Record<string, string> = {
  typescriptreact: 'typescript',
  javascriptreact: 'javascript',
};

export function docConvention(languageId: string, language: ResolvedLanguage): string {
  const known = CONVENTIONS[ALIASES[languageId] ?? languageId];
  if (known) return known[language];
  return language === 'ja' ? 'この言語で一般的なドキュメントコメントの形式' : "the language's usual doc-comment convention";
}
