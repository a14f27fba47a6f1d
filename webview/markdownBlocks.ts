// Where a streaming markdown answer can be cut so that the part before the cut never changes
// its rendering as more text arrives. The panel renders that part once and re-renders only the
// rest per frame, so a long answer costs the same per frame as a short one.
//
// A cut is taken after a blank line outside a code fence, before a line that starts at column 0:
// such a line cannot continue the block above (continuations are indented, and a blank line ends
// a paragraph, a table or a quote). Before a list marker no cut is made, so a loose list stays
// one list. (HTML blocks such as `<!--` may span blank lines; a cut inside one only changes how
// sanitized model HTML is grouped.) Pure string code: unit-tested in Node.

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const LIST_ITEM = /^(?:[-*+]|\d{1,9}[.)])(?:\s|$)/;

/**
 * The end of the longest stable prefix of `source`, at or after `from` (itself a previous cut),
 * or `from` when no later cut exists yet.
 */
export function stableMarkdownEnd(source: string, from: number): number {
  let cut = from;
  let fence: string | undefined;
  let previousBlank = false;
  let lineStart = from;
  // Only complete lines decide anything: the last line may still grow.
  for (let newline = source.indexOf('\n', lineStart); newline !== -1; newline = source.indexOf('\n', lineStart)) {
    const line = source.slice(lineStart, newline);
    if (fence === undefined && previousBlank && /^\S/.test(line) && !LIST_ITEM.test(line)) cut = lineStart;
    const marker = FENCE.exec(line)?.[1];
    if (fence === undefined) fence = marker;
    else if (marker !== undefined && marker[0] === fence[0] && marker.length >= fence.length && line.trim() === marker) fence = undefined;
    previousBlank = fence === undefined && line.trim() === '';
    lineStart = newline + 1;
  }
  return cut;
}
