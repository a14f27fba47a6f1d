// What a Markdown translation must keep: the front matter, every fenced code block, inline
// code, link and image targets, and the shape of every table. Prose may change freely (and
// Japanese puts words in another order, so inline code and links are compared as multisets,
// not in sequence).

export type MarkdownDifference =
  | { readonly kind: 'front-matter' }
  | { readonly kind: 'code-block'; readonly line: number }
  | { readonly kind: 'inline-code'; readonly missing: string }
  | { readonly kind: 'link'; readonly missing: string }
  | { readonly kind: 'table'; readonly line: number };

export interface MarkdownSkeleton {
  readonly frontMatter?: string;
  readonly codeBlocks: ReadonlyArray<{ readonly text: string; readonly line: number }>;
  readonly inlineCode: readonly string[];
  readonly links: readonly string[];
  readonly tables: ReadonlyArray<{ readonly columns: readonly number[]; readonly delimiter: string; readonly line: number }>;
}

const FENCE_OPEN = /^ {0,3}(`{3,}|~{3,})/;

/** The parts of a Markdown document that a translation must not change. */
export function markdownSkeleton(markdown: string): MarkdownSkeleton {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  let start = 0;
  let frontMatter: string | undefined;
  if (lines[0] === '---') {
    const end = lines.indexOf('---', 1);
    if (end > 0) {
      frontMatter = lines.slice(1, end).join('\n');
      start = end + 1;
    }
  }
  const codeBlocks: Array<{ text: string; line: number }> = [];
  const tables: Array<{ columns: number[]; delimiter: string; line: number }> = [];
  const prose: string[] = [];
  for (let i = start; i < lines.length; i++) {
    const open = FENCE_OPEN.exec(lines[i]);
    if (open) {
      const fence = open[1];
      let end = i + 1;
      while (end < lines.length && !new RegExp(`^ {0,3}${fence[0]}{${fence.length},}\\s*$`).test(lines[end])) end++;
      codeBlocks.push({ text: lines.slice(i, end + 1).join('\n'), line: i + 1 });
      i = end;
      continue;
    }
    if (isTableRow(lines[i]) && i + 1 < lines.length && isDelimiterRow(lines[i + 1])) {
      const columns: number[] = [];
      let end = i;
      for (; end < lines.length && isTableRow(lines[end]); end++) {
        if (end !== i + 1) columns.push(cells(lines[end]).length);
        prose.push(lines[end]);
      }
      tables.push({ columns, delimiter: lines[i + 1].replace(/\s+/g, ''), line: i + 1 });
      i = end - 1;
      continue;
    }
    prose.push(lines[i]);
  }
  const text = prose.join('\n');
  const inlineCode = [...text.matchAll(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g)].map((m) => m[2]);
  const withoutCode = text.replace(/(`+)([^`]|[^`][\s\S]*?[^`])\1(?!`)/g, '');
  const links = [
    ...[...withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+["'(][^)]*)?\)/g)].map((m) => m[1]),
    ...[...withoutCode.matchAll(/^ {0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)/gm)].map((m) => m[1]),
    ...[...withoutCode.matchAll(/<(https?:\/\/[^>\s]+)>/g)].map((m) => m[1]),
  ];
  return { ...(frontMatter !== undefined ? { frontMatter } : {}), codeBlocks, inlineCode, links, tables };
}

/** GitHub's rule: a table runs from its header row to the first line without a pipe. */
function isTableRow(line: string): boolean {
  return line.includes('|') && line.trim() !== '';
}

function isDelimiterRow(line: string): boolean {
  return /^\s*\|?\s*:?-{1,}:?\s*(\|\s*:?-{1,}:?\s*)*\|?\s*$/.test(line) && line.includes('-');
}

function cells(line: string): string[] {
  return line.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/);
}

/** The first difference in what a translation must keep, or undefined when all is kept. */
export function markdownDifference(before: string, after: string): MarkdownDifference | undefined {
  const a = markdownSkeleton(before);
  const b = markdownSkeleton(after);
  if (a.frontMatter !== b.frontMatter) return { kind: 'front-matter' };
  const blocks = Math.max(a.codeBlocks.length, b.codeBlocks.length);
  for (let i = 0; i < blocks; i++) {
    if (a.codeBlocks[i]?.text !== b.codeBlocks[i]?.text) return { kind: 'code-block', line: b.codeBlocks[i]?.line ?? a.codeBlocks[i].line };
  }
  const code = missingFrom(a.inlineCode, b.inlineCode);
  if (code !== undefined) return { kind: 'inline-code', missing: code };
  const link = missingFrom(a.links, b.links);
  if (link !== undefined) return { kind: 'link', missing: link };
  const tables = Math.max(a.tables.length, b.tables.length);
  for (let i = 0; i < tables; i++) {
    const [x, y] = [a.tables[i], b.tables[i]];
    if (x === undefined || y === undefined || x.delimiter !== y.delimiter || x.columns.join() !== y.columns.join()) {
      return { kind: 'table', line: y?.line ?? x!.line };
    }
  }
  return undefined;
}

/** An item of `expected` that `actual` lacks (or has fewer of); either way round. */
function missingFrom(expected: readonly string[], actual: readonly string[]): string | undefined {
  const count = new Map<string, number>();
  for (const item of expected) count.set(item, (count.get(item) ?? 0) + 1);
  for (const item of actual) count.set(item, (count.get(item) ?? 0) - 1);
  for (const [item, left] of count) if (left !== 0) return item;
  return undefined;
}
