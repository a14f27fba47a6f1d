// The special strings of any vocabulary: the pieces that stand for structure rather than text.
// For LLM-jp-4 they are fixed (promptSplitter.ts); for another model's vocabulary they are read
// from its piece types, so that text from the user or a file can be kept from ever becoming one.

import { PieceType } from './sentencePieceModel';

/**
 * A user-defined piece that looks like markup (`<|start|>`, `<tool_call>`, `</think>`,
 * `[INST]`) is structure for the model that has it, even though its converter did not type it
 * control; other user-defined pieces (whitespace runs, words) are ordinary text.
 */
const MARKUP = /^(?:<[^\s<>]+>|\[[^\s[\]]+\])$/u;

export function isSpecialPiece(piece: string, type: number | undefined): boolean {
  if (piece === '') return false;
  if (type === PieceType.control) return true;
  return type === PieceType.userDefined && MARKUP.test(piece);
}

export class SpecialStrings {
  /** Candidates by their first UTF-16 unit, longest first, so that matching is leftmost-longest. */
  private readonly byFirst = new Map<number, Array<{ text: string; id: number }>>();
  readonly ids: ReadonlySet<number>;

  constructor(pieces: readonly string[], types: ArrayLike<number> | undefined) {
    const ids = new Set<number>();
    pieces.forEach((piece, id) => {
      if (!isSpecialPiece(piece, types?.[id])) return;
      ids.add(id);
      const first = piece.charCodeAt(0);
      const list = this.byFirst.get(first) ?? [];
      // A piece spelled twice keeps its first id, as tokenizers do.
      if (!list.some((entry) => entry.text === piece)) list.push({ text: piece, id });
      this.byFirst.set(first, list);
    });
    for (const list of this.byFirst.values()) list.sort((a, b) => b.text.length - a.text.length);
    this.ids = ids;
  }

  /** Calls `onText` for each run between special strings and `onSpecial` for each, left to right. */
  split(text: string, onText: (text: string) => void, onSpecial: (id: number, text: string) => void): void {
    let runStart = 0;
    for (let i = 0; i < text.length; ) {
      const match = this.byFirst.get(text.charCodeAt(i))?.find((entry) => text.startsWith(entry.text, i));
      if (match === undefined) {
        i++;
        continue;
      }
      if (i > runStart) onText(text.slice(runStart, i));
      onSpecial(match.id, match.text);
      i += match.text.length;
      runStart = i;
    }
    if (runStart < text.length) onText(text.slice(runStart));
  }
}
