// Whole lines of a text replaced, as a review suggestion replaces the lines its finding is on.
// Only those lines change: the rest keeps its bytes (a file of mixed line endings stays mixed),
// and the replacement's line breaks become the file's own (CRLF stays CRLF).

/** Where each line starts and where its text ends (before its line break). */
function lineSpans(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  const breaks = /\r\n|\r|\n/g;
  let start = 0;
  for (let m = breaks.exec(text); m !== null; m = breaks.exec(text)) {
    spans.push({ start, end: m.index });
    start = m.index + m[0].length;
  }
  spans.push({ start, end: text.length });
  return spans;
}

/**
 * `text` with lines [startLine, endLine] (0-based, inclusive) replaced by `replacement`; an
 * empty replacement removes the lines, their line breaks included.
 */
export function replaceLines(text: string, startLine: number, endLine: number, replacement: string): string {
  const spans = lineSpans(text);
  if (startLine < 0 || endLine < startLine || endLine >= spans.length) throw new RangeError(`lines ${startLine}-${endLine} are not in a text of ${spans.length} lines`);
  const eol = /\r\n/.test(text) ? '\r\n' : '\n';
  if (replacement === '') {
    const from = spans[startLine].start;
    const to = endLine + 1 < spans.length ? spans[endLine + 1].start : spans[endLine].end;
    // The last lines removed: the line break before them goes too.
    const cut = endLine + 1 < spans.length || startLine === 0 ? from : spans[startLine - 1].end;
    return text.slice(0, cut) + text.slice(to);
  }
  const body = replacement.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n').join(eol);
  return text.slice(0, spans[startLine].start) + body + text.slice(spans[endLine].end);
}
