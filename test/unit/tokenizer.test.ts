import * as assert from 'node:assert/strict';
import {
  FIRST_TEXT_ID,
  PieceType,
  SpecialToken,
  UnigramTokenizer,
  parseSentencePieceModel,
  parseVocab,
  reservedTokenText,
  specialTokenText,
} from '../../src/core/tokenizer';

// Hand-made vocabularies laid out like LLM-jp-4's: ids 0-351 control / reserved, 352-607
// the byte pieces, then normal pieces.

function vocab(normal: Record<string, number>): { pieces: string[]; scores: number[] } {
  const pieces: string[] = [];
  const scores: number[] = [];
  for (let id = 0; id < FIRST_TEXT_ID; id++) {
    pieces.push(specialTokenText(id));
    scores.push(0);
  }
  for (let b = 0; b < 256; b++) {
    pieces.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    scores.push(0);
  }
  for (const [piece, score] of Object.entries(normal)) {
    pieces.push(piece);
    scores.push(score);
  }
  return { pieces, scores };
}

function tokenizer(normal: Record<string, number>): UnigramTokenizer {
  const v = vocab(normal);
  return UnigramTokenizer.fromVocab(v.pieces, v.scores);
}

function pieces(tok: UnigramTokenizer, ids: number[]): string[] {
  return ids.map((id) => tok.piece(id));
}

const byteId = (b: number) => FIRST_TEXT_ID + b;

describe('UnigramTokenizer (hand-made vocabulary)', () => {
  it('picks the segmentation with the best total score', () => {
    const base = { '▁': -2, '▁a': -1, b: -1, a: -3, ab: -2.5 };
    // ▁a+b = -2 beats ▁+ab = -4.5 and ▁ab = -5.
    const split = tokenizer({ ...base, '▁ab': -5 });
    assert.deepEqual(pieces(split, split.encodeText('ab')), ['▁a', 'b']);
    // A better whole piece wins.
    const whole = tokenizer({ ...base, '▁ab': -1.5 });
    assert.deepEqual(pieces(whole, whole.encodeText('ab')), ['▁ab']);
  });

  it('settles an exact tie the way SentencePiece does: the earliest-starting last piece', () => {
    const tok = tokenizer({ '▁': -1, '▁a': -1, ab: -1, b: -1 });
    assert.deepEqual(pieces(tok, tok.encodeText('ab')), ['▁', 'ab']);
  });

  it('adds one dummy prefix per run and keeps every space, tab and newline', () => {
    const tok = tokenizer({ '▁': -1, '▁▁': -1.5, a: -1, '▁a': -1, '\t': -1 });
    assert.deepEqual(pieces(tok, tok.encodeText('a')), ['▁a']);
    assert.deepEqual(pieces(tok, tok.encodeText(' a')), ['▁', '▁a']);
    assert.deepEqual(pieces(tok, tok.encodeText('a  ')), ['▁a', '▁▁']);
    assert.deepEqual(pieces(tok, tok.encodeText('\ta\n')), ['▁', '\t', 'a', '<0x0A>']);
    assert.deepEqual(tok.encodeText(''), []);
  });

  it('falls back to UTF-8 bytes for a character that no single piece covers', () => {
    const tok = tokenizer({ '▁': -1, '▁a': -1, a: -1, xé: -2, x: -1 });
    assert.deepEqual(tok.encodeText('aé'), [tok.encodeText('a')[0], byteId(0xc3), byteId(0xa9)]);
    // A multi-character piece still wins over the unknown character's penalty.
    assert.deepEqual(pieces(tok, tok.encodeText('xé')), ['▁', 'xé']);
    // Outside the BMP: all four bytes of the character, not of each surrogate.
    assert.deepEqual(tok.encodeText('😀').slice(1), [0xf0, 0x9f, 0x98, 0x80].map(byteId));
    // A lone surrogate is U+FFFD, as it would be after UTF-8 encoding.
    assert.deepEqual(tok.encodeText('\ud800').slice(1), [0xef, 0xbf, 0xbd].map(byteId));
  });

  it('encodeText never yields a control or reserved id, even for their spellings', () => {
    const tok = tokenizer({ '<': -1, '|': -1, '>': -1, start: -1, end: -1, '▁': -1, '<|': -1, '|>': -1 });
    for (const text of [
      '<|end|><|start|>system<|message|>',
      '<|reserved_006|><|startoftext|><|return|>',
      '<0x0A><unk><s></s>',
    ]) {
      const ids = tok.encodeText(text);
      assert.ok(
        ids.every((id) => id >= FIRST_TEXT_ID),
        `${text} -> ${ids.join(',')}`,
      );
      assert.equal(tok.decode(ids), text);
    }
    // Even a vocabulary that spells a special string at a normal id cannot be reached from
    // the special's own id: the text encodes through the normal piece.
    const spelled = tokenizer({ '▁': -1, '<|start|>': -1 });
    assert.deepEqual(pieces(spelled, spelled.encodeText('<|start|>')), ['▁', '<|start|>']);
  });

  it('encodePrompt maps special strings to their ids and encodes the runs between', () => {
    const tok = tokenizer({ '▁': -1, '▁user': -1, '▁hi': -1, '▁x': -1, '<': -2, '|': -2, '>': -2, a: -2 });
    const user = tok.encodeText('user');
    const hi = tok.encodeText('hi');
    assert.deepEqual(tok.encodePrompt('<|start|>user<|message|>hi<|end|>'), [
      SpecialToken.start,
      ...user,
      SpecialToken.message,
      ...hi,
      SpecialToken.end,
    ]);
    assert.deepEqual(tok.encodePrompt('<|end|><|start|>'), [SpecialToken.end, SpecialToken.start]);
    assert.deepEqual(tok.encodePrompt(reservedTokenText(14) + reservedTokenText(351)), [14, 351]);
    assert.deepEqual(tok.encodePrompt('<|constrain|><|channel|><|call|><|return|>'), [8, 9, 13, 2]);
    // Not special strings: stay text.
    assert.deepEqual(tok.encodePrompt('<|a|>'), tok.encodeText('<|a|>'));
    assert.deepEqual(tok.encodePrompt('<|reserved_000|>'), tok.encodeText('<|reserved_000|>'));
    // A `<|` that opens nothing does not hide the special string after it.
    assert.deepEqual(tok.encodePrompt('x<|<|start|>'), [...tok.encodeText('x<|'), SpecialToken.start]);
    assert.deepEqual(tok.encodePrompt(''), []);
    // No BOS.
    assert.equal(tok.encodePrompt('hi')[0], hi[0]);
  });

  it('tokenBytes gives the raw bytes of each token', () => {
    const tok = tokenizer({ '▁': -1, '▁東京': -1, 'a▁b': -1 });
    const dec = (id: number) => Buffer.from(tok.tokenBytes(id)).toString('utf8');
    assert.equal(dec(tok.encodeText('東京')[0]), ' 東京');
    assert.deepEqual([...tok.tokenBytes(byteId(0x0a))], [0x0a]);
    assert.deepEqual([...tok.tokenBytes(byteId(0xff))], [0xff]);
    assert.equal(tok.tokenBytes(SpecialToken.start).length, 0);
    assert.equal(tok.tokenBytes(-1).length, 0);
    assert.equal(tok.tokenBytes(tok.vocabSize).length, 0);
    assert.equal(dec(tok.vocabSize - 1), 'a b');
  });

  it('decode inverts encodePrompt, dropping each run’s dummy-prefix space', () => {
    const tok = tokenizer({ '▁': -1, '▁a': -1, a: -1, '▁▁': -1 });
    for (const text of ['', 'a', ' a', 'a ', '  a\n\tb', 'é😀\u0000', '<|start|> a<|end|>a<|message|>']) {
      assert.equal(tok.decode(tok.encodePrompt(text)), text);
    }
    assert.equal(tok.decode([SpecialToken.start, ...tok.encodeText('a'), SpecialToken.end]), '<|start|>a<|end|>');
    // Half a character decodes to U+FFFD rather than throwing.
    assert.equal(tok.decode([byteId(0xe6)]), '\ufffd');
  });

  it('encodes a long text in one pass and decodes it back', () => {
    const tok = tokenizer({ '▁': -1, '▁a': -1, a: -1, b: -1.5, ab: -1.2, '▁▁': -1, 'ab▁': -2 });
    const text = 'ab a  bba 日本語😀\n'.repeat(5000);
    const ids = tok.encodeText(text);
    assert.ok(ids.every((id) => id >= FIRST_TEXT_ID && id < tok.vocabSize));
    assert.equal(tok.decode(ids), text);
  });

  it('rejects a vocabulary without all byte pieces, or with mismatched lengths', () => {
    const v = vocab({ a: -1 });
    v.pieces[FIRST_TEXT_ID + 0x41] = 'A';
    assert.throws(() => UnigramTokenizer.fromVocab(v.pieces, v.scores), /<0x41>/);
    assert.throws(() => UnigramTokenizer.fromVocab(['a'], []), /1 pieces but 0 scores/);
  });
});

describe('tokenizer file formats', () => {
  it('parseVocab reads piece<TAB>score lines without trimming pieces', () => {
    const v = parseVocab('<unk>\t0\n▁the\t-3.5\n \t-7\na\tb\t-1.25e1\n');
    assert.deepEqual(v.pieces, ['<unk>', '▁the', ' ', 'a\tb']);
    assert.deepEqual(v.scores, [0, -3.5, -7, -12.5]);
    assert.deepEqual(parseVocab('x\t-1').pieces, ['x']);
    assert.throws(() => parseVocab('x -1\n'), /no tab/);
    assert.throws(() => parseVocab('x\tnope\n'), /bad score/);
  });

  it('parseSentencePieceModel reads pieces, float32 scores and types', () => {
    const utf8 = (s: string) => [...Buffer.from(s, 'utf8')];
    const f32 = (x: number) => {
      const b = Buffer.alloc(4);
      b.writeFloatLE(x);
      return [...b];
    };
    const piece = (text: string, score: number, type?: number) => {
      const body = [0x0a, utf8(text).length, ...utf8(text), 0x15, ...f32(score)];
      if (type !== undefined) body.push(0x18, type);
      return [0x0a, body.length, ...body];
    };
    // A trainer_spec-like field (2) to skip, then three pieces.
    const bytes = Uint8Array.from([
      0x12, 0x03, 0x18, 0x01, 0x00,
      ...piece('<unk>', 0, PieceType.unknown),
      ...piece('▁東', -3.1518735885620117),
      ...piece('<0x0A>', 0, PieceType.byte),
    ]);
    const m = parseSentencePieceModel(bytes);
    assert.deepEqual(m.pieces, ['<unk>', '▁東', '<0x0A>']);
    assert.deepEqual(m.scores, [0, Math.fround(-3.1518735885620117), 0]);
    assert.deepEqual(m.types, [PieceType.unknown, PieceType.normal, PieceType.byte]);
    assert.throws(() => parseSentencePieceModel(Uint8Array.from([0x0a, 0x05, 0x0a])), /truncated/);
  });
});
