/** Pieces and scores in id order, as UnigramTokenizer.fromVocab takes them. */
export interface Vocab {
  pieces: string[];
  scores: number[];
}

/**
 * Parses a SentencePiece `.vocab` file: one `piece<TAB>score` a line, in id order. The
 * score is after the last tab; the piece is kept byte for byte (pieces may hold control
 * characters or trailing spaces, so nothing is trimmed). A final newline is optional.
 */
export function parseVocab(text: string): Vocab {
  const pieces: string[] = [];
  const scores: number[] = [];
  let lineStart = 0;
  while (lineStart < text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    const tab = text.lastIndexOf('\t', lineEnd - 1);
    if (tab < lineStart) {
      throw new Error(`vocab line ${pieces.length + 1} has no tab`);
    }
    const score = Number(text.slice(tab + 1, lineEnd));
    if (!Number.isFinite(score)) {
      throw new Error(`vocab line ${pieces.length + 1} has a bad score`);
    }
    pieces.push(text.slice(lineStart, tab));
    scores.push(score);
    lineStart = lineEnd + 1;
  }
  return { pieces, scores };
}
