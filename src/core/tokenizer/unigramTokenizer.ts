import { PieceTrie } from './pieceTrie';
import { specialTokenText, splitAtSpecialTokens } from './promptSplitter';
import { FIRST_TEXT_ID } from './specialTokens';
import { utf8Bytes, wellFormed } from './utf8';

/** A piece of a rendered prompt: `structure` written by the template, `content` from the caller. */
export interface PromptPart {
  readonly kind: 'structure' | 'content';
  readonly text: string;
}

// What the LLM-jp-4 SentencePiece model does, read from its ModelProto (see
// test/support/sentencepiece-reference.py): a Unigram model whose normalizer is `identity`
// with no character map, add_dummy_prefix on, remove_extra_whitespaces off, escape_whitespaces
// on, byte_fallback on. So a run of text is encoded as: "▁" + the run with each U+0020
// replaced by "▁" (tabs, newlines, U+3000 and runs of spaces stay as they are), segmented by
// Viterbi over the normal pieces; a character that no single piece covers is an unknown
// node, emitted as its UTF-8 bytes through the `<0xXX>` pieces.
//
// Piece types are not in the .vocab file; they follow from the id and the text:
//   id < FIRST_TEXT_ID (352): control / reserved (the model's unknown, control and
//     user-defined pieces). Never a candidate: text never encodes to them, even where it
//     spells their names.
//   `<0xXX>`: byte pieces, used only for fallback.
//   anything else: normal.
// The test suite checks this derivation against the model's own types for every id.

const SPACE = 0x20;
const SPACE_SYMBOL = '\u2581';
const HIGH_SURROGATE_MIN = 0xd800;
const HIGH_SURROGATE_MAX = 0xdbff;
const LOW_SURROGATE_MIN = 0xdc00;
const LOW_SURROGATE_MAX = 0xdfff;
/** SentencePiece scores an unknown character this far below the worst normal piece. */
const UNKNOWN_PENALTY = 10;
/** Larger inputs get work arrays of their own, so a huge file does not pin 12 bytes/char. */
const RETAINED_POSITIONS = 1 << 20;
const BYTE_PIECE = /^<0x([0-9A-F]{2})>$/;
const UNKNOWN = -1;
const EMPTY = new Uint8Array(0);
// ignoreBOM: a U+FEFF at the start of a run is text (it is even a piece), not a mark to drop.
const utf8Decoder = new TextDecoder('utf-8', { ignoreBOM: true });

export class UnigramTokenizer {
  /** id of the byte piece for each byte value. */
  private readonly byteIds = new Int32Array(256);
  /** byte value of each byte piece, -1 for other ids. */
  private readonly byteOf: Int16Array;
  private readonly scores: Float32Array;
  private readonly unknownScore: number;
  private trie: PieceTrie | undefined;
  private readonly bytesCache: (Uint8Array | undefined)[] = [];
  // Viterbi work arrays, reused across calls and grown as needed.
  private bestScore = new Float32Array(0);
  private bestStart = new Int32Array(0);
  private bestId = new Int32Array(0);

  private constructor(
    private readonly pieces: readonly string[],
    scores: readonly number[],
  ) {
    this.scores = Float32Array.from(scores);
    this.byteOf = new Int16Array(pieces.length).fill(-1);
    this.byteIds.fill(-1);
    let minScore = Infinity;
    for (let id = FIRST_TEXT_ID; id < pieces.length; id++) {
      const byte = BYTE_PIECE.exec(pieces[id]);
      if (byte) {
        const value = parseInt(byte[1], 16);
        this.byteIds[value] = id;
        this.byteOf[id] = value;
      } else {
        minScore = Math.min(minScore, this.scores[id]);
      }
    }
    const missing = this.byteIds.indexOf(-1);
    if (missing >= 0) {
      throw new Error(`vocabulary lacks byte piece <0x${missing.toString(16).toUpperCase().padStart(2, '0')}>`);
    }
    // SentencePiece computes this in float: min_score - 10.0f.
    this.unknownScore = Math.fround(minScore - UNKNOWN_PENALTY);
  }

  /**
   * A tokenizer over `pieces[id]` with log-probability `scores[id]`, in id order. Ids below
   * 352 are control or reserved; all 256 `<0xXX>` byte pieces must be present.
   *
   * For ids identical to SentencePiece's, `scores` must be the model's float32 values (the
   * `.model` file, or a GGUF's tokenizer.ggml.scores). Ties between segmentations are
   * common (`###`+`#` against `#`+`###` after a newline) and SentencePiece settles them by
   * float32 rounding; the `.vocab` file's six-digit scores round differently and change
   * the choice in about 0.5% of long texts, e.g. `x\n####`.
   */
  static fromVocab(pieces: string[], scores: number[]): UnigramTokenizer {
    if (pieces.length !== scores.length) {
      throw new Error(`vocabulary has ${pieces.length} pieces but ${scores.length} scores`);
    }
    return new UnigramTokenizer(pieces.slice(), scores);
  }

  get vocabSize(): number {
    return this.pieces.length;
  }

  /** The piece text of `id` as the vocabulary spells it (`▁the`, `<0x0A>`, ...). */
  piece(id: number): string {
    return this.pieces[id];
  }

  /**
   * Ids of `text` as SentencePiece encodes it: one run with its dummy prefix. Special
   * strings such as `<|start|>` are ordinary text here; no id below 352 is produced.
   */
  encodeText(text: string): number[] {
    const out: number[] = [];
    this.encodeRun(text, out);
    return out;
  }

  /**
   * Ids of a rendered chat template: each special string (`<|start|>`, `<|reserved_006|>`,
   * ...) becomes its id, and each text run between them is encoded as by encodeText.
   * No BOS is added.
   */
  encodePrompt(rendered: string): number[] {
    const out: number[] = [];
    splitAtSpecialTokens(
      rendered,
      (run) => this.encodeRun(run, out),
      (id) => out.push(id),
    );
    return out;
  }

  /**
   * Ids of a prompt given as rendered parts (see renderChatParts): special strings become
   * their ids only inside `structure` parts; `content` parts (user text, file contents, tool
   * results) are always text. Text between two special tokens is encoded as one run whatever
   * parts it spans, so a prompt whose contents hold no special strings gets exactly the ids
   * of `encodePrompt` on its rendered text.
   */
  encodeParts(parts: readonly PromptPart[]): number[] {
    const out: number[] = [];
    let run = '';
    const flush = (): void => {
      if (run !== '') this.encodeRun(run, out);
      run = '';
    };
    for (const part of parts) {
      if (part.kind === 'content') {
        run += part.text;
        continue;
      }
      splitAtSpecialTokens(
        part.text,
        (text) => (run += text),
        (id) => {
          flush();
          out.push(id);
        },
      );
    }
    flush();
    return out;
  }

  /**
   * The raw bytes token `id` stands for: `▁` as a space, a byte piece as its byte, nothing
   * for a control or reserved id. Concatenated and UTF-8 decoded they give the text,
   * including the space of each run's dummy prefix.
   */
  tokenBytes(id: number): Uint8Array {
    if (!(id >= FIRST_TEXT_ID && id < this.pieces.length)) return EMPTY;
    let bytes = this.bytesCache[id];
    if (!bytes) {
      const byte = this.byteOf[id];
      bytes = byte >= 0 ? Uint8Array.of(byte) : utf8Bytes(this.pieces[id].replaceAll(SPACE_SYMBOL, ' '));
      this.bytesCache[id] = bytes;
    }
    return bytes;
  }

  /**
   * Text of `ids`, the inverse of encodePrompt: control and reserved ids are written as their
   * special strings, and each run of text ids loses the one leading space that its dummy
   * prefix added. Bytes that are not valid UTF-8 decode to U+FFFD. A `▁` (U+2581) in the
   * encoded text comes back as a space: SentencePiece encodes both the same way.
   */
  decode(ids: readonly number[]): string {
    let text = '';
    let run: Uint8Array[] = [];
    const flush = () => {
      if (run.length === 0) return;
      const joined = concatBytes(run);
      const start = joined[0] === SPACE ? 1 : 0;
      text += utf8Decoder.decode(joined.subarray(start));
      run = [];
    };
    for (const id of ids) {
      if (id >= 0 && id < FIRST_TEXT_ID) {
        flush();
        text += specialTokenText(id);
      } else {
        run.push(this.tokenBytes(id));
      }
    }
    flush();
    return text;
  }

  private getTrie(): PieceTrie {
    if (!this.trie) {
      const keys: string[] = [];
      const values: number[] = [];
      for (let id = FIRST_TEXT_ID; id < this.pieces.length; id++) {
        if (this.byteOf[id] >= 0 || this.pieces[id].length === 0) continue;
        keys.push(this.pieces[id]);
        values.push(id);
      }
      this.trie = PieceTrie.build(keys, values);
    }
    return this.trie;
  }

  /** Work arrays for `positions` lattice positions; only moderate sizes are kept for reuse. */
  private workArrays(positions: number): [Float32Array, Int32Array, Int32Array] {
    if (this.bestScore.length >= positions) return [this.bestScore, this.bestStart, this.bestId];
    if (positions > RETAINED_POSITIONS) {
      return [new Float32Array(positions), new Int32Array(positions), new Int32Array(positions)];
    }
    const size = Math.min(RETAINED_POSITIONS, Math.max(positions, this.bestScore.length * 2, 1024));
    this.bestScore = new Float32Array(size);
    this.bestStart = new Int32Array(size);
    this.bestId = new Int32Array(size);
    return [this.bestScore, this.bestStart, this.bestId];
  }

  private encodeRun(run: string, out: number[]): void {
    if (run.length === 0) return;
    const text = SPACE_SYMBOL + wellFormed(run).replaceAll(' ', SPACE_SYMBOL);
    const n = text.length;
    const trie = this.getTrie();
    const scores = this.scores;
    const unknownScore = this.unknownScore;
    const [bestScore, bestStart, bestId] = this.workArrays(n + 1);
    bestStart.fill(-1, 0, n + 1);
    bestScore[0] = 0;

    // Forward pass in SentencePiece's order: by start position, then by piece length, the
    // unknown node last; a later candidate replaces the best only if strictly better.
    // Ties are common (`###`+`#` and `#`+`###` sum the same scores), so the arithmetic follows
    // sentencepiece 0.1.97's EncodeOptimized exactly: best scores are stored as float32, a
    // piece's candidate is compared unrounded (its C++ type is double there), and an unknown
    // node's candidate is a float32 sum.
    let start = 0;
    while (start < n) {
      const unit = text.charCodeAt(start);
      const charLength =
        unit >= HIGH_SURROGATE_MIN &&
        unit <= HIGH_SURROGATE_MAX &&
        start + 1 < n &&
        text.charCodeAt(start + 1) >= LOW_SURROGATE_MIN &&
        text.charCodeAt(start + 1) <= LOW_SURROGATE_MAX
          ? 2
          : 1;
      const base = bestScore[start];
      let coversOneChar = false;
      let node = trie.root(unit);
      let end = start + 1;
      while (node >= 0) {
        const id = trie.value(node);
        if (id >= 0) {
          const score = base + scores[id];
          if (bestStart[end] < 0 || score > bestScore[end]) {
            bestScore[end] = score;
            bestStart[end] = start;
            bestId[end] = id;
          }
          if (end - start === charLength) coversOneChar = true;
        }
        if (end >= n) break;
        node = trie.child(node, text.charCodeAt(end));
        end++;
      }
      const next = start + charLength;
      if (!coversOneChar) {
        const score = Math.fround(base + unknownScore);
        if (bestStart[next] < 0 || score > bestScore[next]) {
          bestScore[next] = score;
          bestStart[next] = start;
          bestId[next] = UNKNOWN;
        }
      }
      start = next;
    }

    // Backtrack, then emit in order; an unknown character becomes its UTF-8 bytes.
    const first = out.length;
    for (let end = n; end > 0; end = bestStart[end]) {
      const id = bestId[end];
      if (id !== UNKNOWN) {
        out.push(id);
      } else {
        const bytes = utf8Bytes(text.slice(bestStart[end], end));
        for (let i = bytes.length - 1; i >= 0; i--) out.push(this.byteIds[bytes[i]]);
      }
    }
    reverseTail(out, first);
  }
}

function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const joined = new Uint8Array(length);
  let at = 0;
  for (const p of parts) {
    joined.set(p, at);
    at += p.length;
  }
  return joined;
}

function reverseTail(values: number[], from: number): void {
  for (let i = from, j = values.length - 1; i < j; i++, j--) {
    const t = values[i];
    values[i] = values[j];
    values[j] = t;
  }
}
