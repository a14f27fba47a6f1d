// Reads the pieces of a SentencePiece `.model` file (a serialized ModelProto) without a
// protobuf library. The `.vocab` file prints scores with six significant digits, while the
// model holds them as exact float32; this reader gives the exact ones.

/** SentencePiece's piece types (ModelProto.SentencePiece.Type). */
export const PieceType = {
  normal: 1,
  unknown: 2,
  control: 3,
  userDefined: 4,
  unused: 5,
  byte: 6,
} as const;

export interface ModelPieces {
  pieces: string[];
  scores: number[];
  types: number[];
}

const WIRE_VARINT = 0;
const WIRE_FIXED64 = 1;
const WIRE_LENGTH = 2;
const WIRE_FIXED32 = 5;
const MODEL_PIECES_FIELD = 1;
const PIECE_TEXT_FIELD = 1;
const PIECE_SCORE_FIELD = 2;
const PIECE_TYPE_FIELD = 3;

class Reader {
  at: number;
  constructor(
    readonly bytes: Uint8Array,
    start: number,
    readonly end: number,
  ) {
    this.at = start;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      if (this.at >= this.end) throw new Error('truncated SentencePiece model');
      const b = this.bytes[this.at++];
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
  }

  /** Skips a field's value of wire type `wire`, or returns its [start, end) if length-delimited. */
  value(wire: number): [number, number] | undefined {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return undefined;
      case WIRE_FIXED64:
        this.at += 8;
        return undefined;
      case WIRE_FIXED32:
        this.at += 4;
        return undefined;
      case WIRE_LENGTH: {
        const length = this.varint();
        const start = this.at;
        this.at += length;
        if (this.at > this.end) throw new Error('truncated SentencePiece model');
        return [start, this.at];
      }
      default:
        throw new Error(`unsupported protobuf wire type ${wire}`);
    }
  }
}

/** The pieces, scores and types of a serialized SentencePiece ModelProto, in id order. */
export function parseSentencePieceModel(bytes: Uint8Array): ModelPieces {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // ignoreBOM: piece 68052 of LLM-jp-4 is U+FEFF itself.
  const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
  const result: ModelPieces = { pieces: [], scores: [], types: [] };
  const model = new Reader(bytes, 0, bytes.length);
  while (model.at < model.end) {
    const key = model.varint();
    const span = model.value(key & 7);
    if (key >>> 3 !== MODEL_PIECES_FIELD || !span) continue;
    let text = '';
    let score = 0;
    let type: number = PieceType.normal;
    const piece = new Reader(bytes, span[0], span[1]);
    while (piece.at < piece.end) {
      const pieceKey = piece.varint();
      const field = pieceKey >>> 3;
      const wire = pieceKey & 7;
      if (field === PIECE_SCORE_FIELD && wire === WIRE_FIXED32) {
        score = view.getFloat32(piece.at, true);
        piece.at += 4;
      } else if (field === PIECE_TYPE_FIELD && wire === WIRE_VARINT) {
        type = piece.varint();
      } else {
        const textSpan = piece.value(wire);
        if (field === PIECE_TEXT_FIELD && textSpan) text = decoder.decode(bytes.subarray(textSpan[0], textSpan[1]));
      }
    }
    result.pieces.push(text);
    result.scores.push(score);
    result.types.push(type);
  }
  return result;
}
