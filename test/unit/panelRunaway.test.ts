// Runaway blocks in a streaming answer (issue 11, part 4): a 2,000-row table, a 30,000-line code
// block or a 2 MB line must not be drawn again whole on every frame. The panel draws what
// webview/markdownBlocks.ts plans, so the work of a stream is counted here in characters the
// renderer is handed: every piece drawn once, plus the growing piece drawn again each frame. The
// timings themselves are the panel render benchmark's (bench/panel-render.mjs).
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { AnswerPlanner, LIMITS, piecesOf, type Limits, type Piece } from '../../webview/markdownBlocks';

/** mulberry32, as the benchmark's content generator uses. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SENTENCES = [
  'LLM-jp-4 は日本語と英語の両方で学習された大規模言語モデルです。',
  'まず `npm install` で依存関係を入れてから、`npm run build` を実行してください。',
  '例外が発生した場合は、呼び出し元で **必ず** 後始末をしてください。',
  ' Each request streams typed events: reasoning text, answer text, tool calls, usage and done. ',
  ' A **strict** Content-Security-Policy keeps model output from running any script. ',
  ' Call `model.tokenize(text)` to compare the two tokenizers on the same input. ',
];

function table(rows: number): string {
  const random = seeded(1);
  const body = Array.from({ length: rows }, (_, i) => `| ${i + 1} | LLM-jp-4 8B | Q4_K_M | ${(random() * 30).toFixed(1)} GiB | ${Math.floor(random() * 180)} tok/s | \`gpu: auto\` |`);
  return ['| # | モデル | 量子化 | メモリ | 速度 | 備考 |', '|---|---|---|---|---|---|', ...body].join('\n');
}

function code(lines: number): string {
  const body = Array.from({ length: lines }, (_, i) => (i % 7 === 6 ? '' : `  const value${i} = await load(\`model-${i}.gguf\`, { threads: 1 }); // ${i}`));
  return `\`\`\`ts\n${body.join('\n')}\n\`\`\``;
}

function longLine(chars: number): string {
  const random = seeded(2);
  let line = '';
  while (line.length < chars) line += SENTENCES[Math.floor(random() * SENTENCES.length)];
  return line;
}

const answer = (block: string): string => `以下が結果です。\n\n${block}\n\n以上です。`;

interface Streamed {
  readonly pieces: Piece[];
  /** Characters handed to the renderer over the whole stream. */
  readonly work: number;
  /** The most handed to it in one frame. */
  readonly frameMax: number;
  readonly frames: number;
}

/** Streams `text` in deltas of 1-6 characters, `perFrame` deltas between frames, as the panel draws it. */
function stream(text: string, { perFrame = 16, limits = LIMITS, seed = 3 }: { perFrame?: number; limits?: Limits; seed?: number } = {}): Streamed {
  const random = seeded(seed);
  const planner = new AnswerPlanner(limits);
  const pieces: Piece[] = [];
  let received = 0;
  let work = 0;
  let frameMax = 0;
  let frames = 0;
  const frame = (final: boolean): boolean => {
    const { done, growing, caughtUp } = planner.update(text.slice(0, received), final);
    pieces.push(...done);
    const drawn = [...done, ...(growing ? [growing] : [])].reduce((sum, p) => sum + (p.to - p.from) + (p.head ? p.head[1] - p.head[0] : 0), 0);
    work += drawn;
    frameMax = Math.max(frameMax, drawn);
    frames++;
    return caughtUp;
  };
  while (received < text.length) {
    for (let i = 0; i < perFrame && received < text.length; i++) received = Math.min(text.length, received + 1 + Math.floor(random() * 6));
    frame(false);
  }
  while (!frame(true));
  return { pieces, work, frameMax, frames };
}

const source = (text: string, piece: Piece): string => text.slice(piece.from, piece.to);

/**
 * What a frame may draw at most, whatever the block: the limits, not the block's size (the first
 * piece of a run, a piece's worth more, and one frame's new text).
 */
const FRAME_BOUND = LIMITS.flowAfter + 2 * LIMITS.segment + LIMITS.frameBudget + 512;

describe('runaway blocks in a streaming answer', () => {
  // Each frame draws the growing piece again (up to `segment` characters), so the total depends on
  // how much arrives per frame; what must hold is that it grows linearly with the block, and that
  // no frame draws more than the limits allow. Drawing the whole tail again each frame, as the
  // panel did before, is quadratic: four times the block, sixteen times the work.
  for (const [name, make, perFrame] of [
    ['a 2,000-row table', (n: number) => answer(table(n)), 16],
    ['a 30,000-line code block', (n: number) => answer(code(n * 15)), 64],
    ['a 2 MB line', (n: number) => longLine(n * 1_000), 64],
  ] as const) {
    it(`${name} costs linear work, and each frame a bounded amount, not the whole block again`, () => {
      const quarter = stream(make(500), { perFrame });
      const whole = stream(make(2_000), { perFrame });
      assert.ok(whole.frameMax <= FRAME_BOUND, `one frame drew ${whole.frameMax} characters`);
      const ratio = whole.work / quarter.work;
      assert.ok(ratio < 5, `work grew ${ratio.toFixed(1)}x for a block 4x as long (${quarter.work} -> ${whole.work} characters)`);
    });
  }

  it('a frame takes at most frameBudget new characters, however much arrived at once', () => {
    const text = answer(table(2_000));
    const planner = new AnswerPlanner();
    let frames = 0;
    let frameMax = 0;
    for (let caughtUp = false; !caughtUp; frames++) {
      const frame = planner.update(text, true);
      caughtUp = frame.caughtUp;
      frameMax = Math.max(frameMax, frame.done.reduce((sum, p) => sum + p.to - p.from, 0));
    }
    assert.ok(frames >= Math.ceil(text.length / LIMITS.frameBudget), `${frames} frames`);
    // The budget's new text, plus the piece it completes (at most the first piece of a block).
    assert.ok(frameMax <= FRAME_BOUND, `one frame drew ${frameMax} characters`);
  });

  it('a long table is one table: a first piece with the header, then rows under the same header', () => {
    const block = table(2_000);
    const text = answer(block);
    const { pieces } = stream(text);
    const inTable = pieces.filter((p) => p.kind === 'table' || p.kind === 'rows');
    assert.equal(inTable[0].kind, 'table');
    assert.ok(inTable.slice(1).every((p) => p.kind === 'rows' && p.head && source(text, { kind: 'markdown', from: p.head[0], to: p.head[1] }) === block.split('\n').slice(0, 2).join('\n') + '\n'));
    assert.equal(inTable.map((p) => source(text, p)).join(''), `${block}\n`, 'every row, once, in order');
    assert.ok(inTable.every((p) => p.to - p.from <= LIMITS.blockAfter + 256));
    assert.equal(source(text, pieces.at(-1)!), '以上です。');
  });

  /** The `<table>` elements a table's pieces make: the rows (lines after the delimiter) of each, in order. */
  const tablesOf = (text: string, pieces: readonly Piece[]): string[][] => {
    const tables: string[][] = [];
    for (const piece of pieces) {
      const lines = source(text, piece).split('\n').filter((line) => line !== '');
      if (piece.kind === 'table') tables.push(lines.slice(2));
      else if (piece.kind === 'rows' && piece.continues) tables.push(lines);
      else if (piece.kind === 'rows') tables.at(-1)!.push(...lines);
    }
    return tables;
  };

  it('a long table goes on in continuation tables of tableRows rows, each under the same header', () => {
    const block = table(2_000);
    const text = answer(block);
    const { pieces } = stream(text);
    const rows = block.split('\n').slice(2);
    const tables = tablesOf(text, pieces);
    assert.deepEqual(tables.map((t) => t.length), Array(10).fill(LIMITS.tableRows), 'ten tables of 200 rows');
    assert.deepEqual(tables.flat(), rows, 'every row once, in order, across the tables');
    const starts = pieces.filter((p) => p.continues);
    assert.equal(starts.length, 9);
    // Each continuation starts at a row that is a multiple of tableRows, and has the table's header.
    for (const [i, piece] of starts.entries()) {
      assert.equal(piece.kind, 'rows');
      assert.ok(source(text, piece).startsWith(`${rows[(i + 1) * LIMITS.tableRows]}\n`), `continuation ${i + 1} starts at row ${(i + 1) * LIMITS.tableRows + 1}`);
      assert.equal(text.slice(piece.head![0], piece.head![1]), block.split('\n').slice(0, 2).join('\n') + '\n');
    }
    // The pieces in a table are still at most a segment each: only where a piece starts changes.
    assert.ok(pieces.filter((p) => p.kind === 'rows').every((p) => p.to - p.from <= LIMITS.rowsSegment + 256));
  });

  it('a table that ends mid-stream ends its last continuation; the next long table counts its own rows', () => {
    const first = table(450);
    const second = table(230).replace(/^\| # \|/, '| No. |');
    const text = `${first}\n\n途中の段落です。\n\n${second}\n\n以上です。`;
    const { pieces } = stream(text);
    const tables = tablesOf(text, pieces);
    assert.deepEqual(tables.map((t) => t.length), [200, 200, 50, 200, 30]);
    assert.deepEqual(tables.slice(0, 3).flat(), first.split('\n').slice(2));
    assert.deepEqual(tables.slice(3).flat(), second.split('\n').slice(2));
    const paragraph = pieces.findIndex((p) => source(text, p).includes('途中の段落'));
    assert.equal(pieces[paragraph].kind, 'markdown');
    assert.ok(!pieces[paragraph + 1].continues, 'the second table starts with its own first table');
    assert.equal(pieces[paragraph + 1].kind, 'table');
    assert.ok(source(text, pieces[paragraph + 1]).startsWith('| No. |'));
    for (const piece of pieces.slice(paragraph + 1).filter((p) => p.continues)) assert.ok(text.slice(piece.head![0], piece.head![1]).startsWith('| No. |'));
    assert.equal(source(text, pieces.at(-1)!), '以上です。');
  });

  it('an answer that stops inside a row of a continuation keeps that row, as the stored answer does', () => {
    const block = table(430);
    const text = `${block.slice(0, block.lastIndexOf('|'))} (途中`;
    const streamed = stream(text).pieces;
    assert.deepEqual(streamed, piecesOf(text).pieces);
    const tables = tablesOf(text, streamed);
    assert.deepEqual(tables.map((t) => t.length), [200, 200, 30]);
    assert.ok(tables.at(-1)!.at(-1)!.endsWith(' (途中'));
    assert.equal(streamed.filter((p) => p.kind !== 'markdown').map((p) => source(text, p)).join(''), text);
  });

  it('a table of short rows whose first piece passes tableRows goes on in a continuation at once', () => {
    const rows = Array.from({ length: 3_000 }, (_, i) => `|${i}|x|`);
    const text = ['|a|b|', '|-|-|', ...rows].join('\n');
    const { pieces } = stream(text);
    const tables = tablesOf(text, pieces);
    assert.ok(tables[0].length > LIMITS.tableRows, `the first table took ${tables[0].length} rows before the table was split`);
    assert.ok(tables.slice(1, -1).every((t) => t.length === LIMITS.tableRows));
    assert.deepEqual(tables.flat(), rows);
  });

  it('a table under blockAfter is one table, however many rows: continuations come only in a split table', () => {
    const rows = Array.from({ length: 900 }, (_, i) => `|${i}|`);
    const text = ['|a|', '|-|', ...rows].join('\n');
    assert.ok(text.length < LIMITS.blockAfter);
    const { pieces } = stream(text);
    assert.deepEqual(pieces.map((p) => p.kind), ['markdown']);
  });

  it('a long code block is one code block whose text is exactly the fence content', () => {
    const block = code(30_000);
    const text = answer(block);
    const { pieces } = stream(text, { perFrame: 64 });
    const open = pieces.findIndex((p) => p.kind === 'code-open');
    assert.equal(source(text, pieces[open]), '```ts\n');
    const content = pieces.slice(open + 1).filter((p) => p.kind === 'code');
    assert.equal(content.map((p) => source(text, p)).join(''), block.slice('```ts\n'.length, -'\n```'.length));
    assert.ok(content.every((p) => p.to - p.from <= LIMITS.blockAfter + 256));
    assert.equal(source(text, pieces.at(-1)!), '以上です。', 'the closing fence ends the block');
  });

  it('a 2 MB line with no newline is split after sentences, and nothing of it is lost', () => {
    const text = longLine(2_000_000);
    const { pieces } = stream(text, { perFrame: 64 });
    assert.equal(pieces[0].kind, 'markdown');
    assert.ok(pieces.slice(1).every((p) => p.kind === 'inline'));
    assert.equal(pieces.map((p) => source(text, p)).join(''), text);
    assert.ok(pieces.every((p) => p.to - p.from <= LIMITS.flowAfter + LIMITS.segment));
    // Backticks and ** stay paired within each piece, so inline code and bold are never cut.
    for (const piece of pieces) {
      const part = source(text, piece);
      assert.equal((part.match(/`/g) ?? []).length % 2, 0, part.slice(-80));
      assert.equal((part.match(/\*\*/g) ?? []).length % 2, 0, part.slice(-80));
    }
  });

  it('normal answers are cut only where they were before: no block is split', () => {
    const parts = ['## 概要', longLine(1_500), table(40), code(120), '- one\n- two\n- three', '> quote', longLine(3_000)];
    const text = parts.join('\n\n');
    const { pieces } = stream(text);
    assert.ok(pieces.every((p) => p.kind === 'markdown'));
    assert.equal(piecesOf(text).split, false);
    assert.equal(pieces.map((p) => source(text, p)).join(''), text);
  });

  it('pieces depend on the text only, not on how it arrived (a stored answer is drawn the same)', () => {
    const small: Limits = { flowAfter: 48, blockAfter: 32, segment: 16, rowsSegment: 8, tableRows: 3, frameBudget: 40 };
    const syntax = fc.string({ unit: fc.constantFrom('a', 'あ', ' ', '`', '*', '[', ']', '。', '.', '|', '-', '~', '#', '>', '1', '\n'), maxLength: 120 });
    const line = fc.oneof(syntax, fc.constantFrom(
      '', 'text with `code` and **bold**.', 'Sentence one. Sentence two! 三つ目。', '| a | b |', '|---|---|', '| 1 | 2 |', '```ts', '```', '~~~',
      '- item', '1. item', '   indented', '# Heading', '> quote', '---', 'x'.repeat(90), 'long line. '.repeat(12),
      '| a | b |\n|---|---|\n| 1 | 2 |\n| 3 | 4 |\n| 5 | 6 |', '| 7 | 8 |\n| 9 | 10 |', '```py\nx = 1\n\ny = 2\n```',
    ));
    fc.assert(
      fc.property(fc.array(line, { maxLength: 60 }), fc.integer({ min: 1, max: 30 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 64 }), (lines, perFrame, seed, frameBudget) => {
        const text = lines.join('\n');
        const streamed = stream(text, { perFrame, limits: { ...small, frameBudget }, seed }).pieces;
        const whole = piecesOf(text, small).pieces;
        assert.deepEqual(streamed, whole);
        // In order, without overlaps; what lies between pieces is only a code block's closing line.
        let at = 0;
        for (const piece of whole) {
          assert.ok(piece.from >= at && piece.to > piece.from);
          assert.match(text.slice(at, piece.from), /^\n?(?: {0,3}(?:`{3,}|~{3,}) *(?:\n|$))?$/);
          at = piece.to;
        }
        assert.match(text.slice(at), /^\n?(?: {0,3}(?:`{3,}|~{3,}) *(?:\n|$))?$/);
      }),
      { numRuns: Number(process.env.PROPERTY_RUNS ?? 300) },
    );
  });
});
