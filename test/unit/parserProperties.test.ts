// Property tests (issue 11, hostile inputs): both Harmony parsers give the same events for every
// chunking of the same output. Generated outputs mix analysis, commentary and final messages,
// tool calls in the 4.0 and 4.1 forms and with the recipient in the channel part, Japanese text
// and emoji, stray `<|` and partial special strings, other and reserved control tokens, malformed
// headers, long runs of stray text, and truncation. The text parser reads them cut at arbitrary
// UTF-16 positions and as UTF-8 bytes cut anywhere (one streaming decoder per stream, as the
// backends read them); the token parser reads them with each text run cut into arbitrary
// byte-level tokens (multi-byte characters split across tokens), pushed in arbitrary batches.
// Once adjacent text events of one kind are merged, the events equal those of the one-chunk parse.
import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import { HarmonyTokenParser } from '../../src/core/harmony/parser';
import { MAX_HEADER_CHARS } from '../../src/core/harmony/parserMachine';
import { HarmonyTextParser } from '../../src/core/harmony/textParser';
import type { HarmonyEvent } from '../../src/core/harmony/types';
import { FIRST_TEXT_ID, SPECIAL_TOKEN_TEXT, SpecialToken } from '../../src/core/tokenizer/specialTokens';

const SEED = 424242;

// ---- generated Harmony output ----

/** One piece of model output: a control token or text. */
type Piece = { readonly control: number } | { readonly text: string };

const c = (control: number): Piece => ({ control });
const t = (text: string): Piece => ({ text });

const NAMES = ['get_weather', 'read_file', 'f', '天気', 'a.b'];
const nameArb = fc.constantFrom(...NAMES);

/** Text a body may hold: Japanese, emoji (surrogate pairs, 4 UTF-8 bytes), markup, `<` and `<|` that are no special string. */
const bodyTextArb = fc.oneof(
  fc.constantFrom('天気を調べる。', '東京は晴れです。', 'こんにちは', '😀', '👍🏽', 'é', '\u00a0', '\n', '  ', ' ', 'a<b', '<|', '|>', '<|cha', '<|message', '<|end', '<|reserved_006|>', '<', '|', '```ts\nconst x = 1;\n```', '{"city":"東京"}', '\uFEFF'),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('<', '|', '>', 'e', 'n', 'd', ' ', '日', '😀'), maxLength: 10 }),
);
const bodyArb = fc.array(bodyTextArb, { maxLength: 5 }).map((parts) => parts.map(t));

const jsonArgsArb = fc.oneof(
  fc.constantFrom('{}', '{"city":"東京","unit":"celsius"}', '{"path":"src/a.ts"}', '{"q":"<|end|>"}', '{"city": 東京}', '{"a":', '[1,2]'),
  fc.jsonValue({ maxDepth: 2 }).map((v) => JSON.stringify(v)),
);

/** A space SentencePiece or llama.cpp may leave after a special token, or none. */
const spArb = fc.constantFrom('', ' ');

/** The header of a message: role part (after <|start|> or implicit), channel, constrain, in every form the makers' templates write, and some they do not. */
const headerArb: fc.Arbitrary<Piece[]> = fc.oneof(
  fc.tuple(spArb, fc.constantFrom('analysis', 'final', 'commentary')).map(([sp, ch]) => [c(SpecialToken.channel), t(sp + ch)]),
  // 4.0 tool call: recipient in the role part.
  fc.tuple(nameArb, spArb).map(([name, sp]) => [t(` to=functions.${name}`), c(SpecialToken.channel), t(`${sp}commentary json`)]),
  // 4.1 tool call: <|constrain|>.
  fc.tuple(nameArb, spArb, spArb).map(([name, sp1, sp2]) => [t(` to=functions.${name}`), c(SpecialToken.channel), t(`${sp1}commentary `), c(SpecialToken.constrain), t(`${sp2}json`)]),
  // Recipient in the channel part.
  fc.tuple(nameArb, spArb, fc.boolean()).map(([name, sp, constrain]) =>
    constrain
      ? [c(SpecialToken.channel), t(`${sp}commentary to=functions.${name} `), c(SpecialToken.constrain), t('json')]
      : [c(SpecialToken.channel), t(`${sp}commentary to=functions.${name} json`)],
  ),
  // Malformed: unknown channel, empty channel, foreign recipient, two recipients, other roles, text in the role part.
  fc.constantFrom<Piece[]>(
    [c(SpecialToken.channel), t('thinking')],
    [c(SpecialToken.channel), t(' ')],
    [t(' to=browser.search'), c(SpecialToken.channel), t('analysis json')],
    [t(' to=functions.a'), c(SpecialToken.channel), t('commentary to=functions.b')],
    [t(' to=functions.'), c(SpecialToken.channel), t('commentary json')],
    [t(' hello'), c(SpecialToken.channel), t('final')],
    [],
  ),
);

/** What opens a later message: <|start|>assistant (either spacing), a tool result's role, or nothing. */
const startArb: fc.Arbitrary<Piece[]> = fc.constantFrom<Piece[]>(
  [c(SpecialToken.start), t('assistant')],
  [c(SpecialToken.start), t(' assistant')],
  [c(SpecialToken.start), t('functions.f to=assistant')],
  [c(SpecialToken.start)],
  [],
);

const terminatorArb = fc.constantFrom<Piece[]>([c(SpecialToken.end)], [c(SpecialToken.return)], [c(SpecialToken.call)], []);

/** Text outside any message: nothing, white space, or runs around the limit of stray text, much of it white space. */
const betweenArb: fc.Arbitrary<Piece[]> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<Piece[]>([]) },
  { weight: 1, arbitrary: fc.constantFrom('\n', ' ', '\n\n', 'x').map((s) => [t(s)]) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: MAX_HEADER_CHARS + 20 }), fc.integer({ min: 1, max: MAX_HEADER_CHARS + 20 }), fc.constantFrom(' ', '\n', ' \n'), fc.constantFrom('x', 'あ', 'x y'))
      .chain(([blank, text, space, word]) =>
        fc.shuffledSubarray([...space.repeat(blank), ...word.repeat(Math.ceil(text / word.length)).slice(0, text)], { minLength: blank + text, maxLength: blank + text }),
      )
      .map((chars) => [t(chars.join(''))]),
  },
);

/** One message: header, <|message|>, body (JSON when it is a tool call), terminator. */
const messageArb: fc.Arbitrary<Piece[]> = fc
  .tuple(headerArb, fc.oneof(bodyArb, jsonArgsArb.map((j) => [t(j)])), terminatorArb, fc.boolean())
  .map(([header, body, end, withMessage]) => [...header, ...(withMessage ? [c(SpecialToken.message)] : []), ...body, ...end]);

/** Noise anywhere: any control token (other and reserved ids too), a special string's start, a header that never ends. */
const noiseArb: fc.Arbitrary<Piece> = fc.oneof(
  fc.constantFrom(...Object.values(SpecialToken)).map(c),
  fc.integer({ min: 14, max: 351 }).map(c),
  fc.constantFrom('<|', '<|chan', '<|end|', '|>', '<').map(t),
  fc.integer({ min: MAX_HEADER_CHARS - 3, max: MAX_HEADER_CHARS + 3 }).map((n) => t('h'.repeat(n))),
);

/** A whole output: messages with what lies between them, noise inserted, maybe cut short. */
const outputArb: fc.Arbitrary<Piece[]> = fc
  .tuple(
    fc.boolean(),
    messageArb,
    fc.array(fc.tuple(betweenArb, startArb, messageArb), { maxLength: 3 }),
    fc.array(fc.tuple(fc.nat(), noiseArb), { maxLength: 2 }),
    fc.option(fc.nat(), { freq: 3 }),
  )
  .map(([startsWithStart, first, rest, noise, cut]) => {
    const pieces: Piece[] = [...(startsWithStart ? [c(SpecialToken.start), t('assistant')] : []), ...first];
    for (const [between, start, message] of rest) pieces.push(...between, ...start, ...message);
    for (const [at, piece] of noise) pieces.splice(at % (pieces.length + 1), 0, piece);
    return cut === null ? pieces : truncate(pieces, cut);
  });

/** The pieces up to a point: whole pieces, then part of a text piece (at a code point boundary). */
function truncate(pieces: readonly Piece[], at: number): Piece[] {
  const units = pieces.map((p) => ('text' in p ? [...p.text].length : 1));
  let left = at % (units.reduce((a, b) => a + b, 0) + 1);
  const out: Piece[] = [];
  for (const [i, p] of pieces.entries()) {
    if (left >= units[i]) {
      out.push(p);
      left -= units[i];
      continue;
    }
    if ('text' in p && left > 0) out.push(t([...p.text].slice(0, left).join('')));
    break;
  }
  return out;
}

/** The output as text: special strings for control tokens (reserved ones as their names). */
function asText(pieces: readonly Piece[]): string {
  return pieces.map((p) => ('text' in p ? p.text : (SPECIAL_TOKEN_TEXT[p.control] ?? `<|reserved_${String(p.control - 8).padStart(3, '0')}|>`))).join('');
}

// ---- running the parsers ----

/** Joins adjacent text deltas of one kind. */
function merge(events: readonly HarmonyEvent[]): HarmonyEvent[] {
  const out: HarmonyEvent[] = [];
  for (const e of events) {
    const last = out[out.length - 1];
    if ((e.type === 'reasoning' || e.type === 'answer') && last?.type === e.type) out[out.length - 1] = { type: e.type, text: last.text + e.text };
    else out.push(e);
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * What holds for every parse: no empty delta, no half of a surrogate pair in a delta, no U+FFFD
 * unless the input has one (or invalid bytes), one end event, last.
 */
function assertWellFormed(events: readonly HarmonyEvent[], label: string, mayReplace: boolean): void {
  for (const e of events) {
    if (e.type !== 'reasoning' && e.type !== 'answer') continue;
    assert.ok(e.text !== '', `${label}: empty ${e.type} delta`);
    assert.ok(!LONE_SURROGATE.test(e.text), `${label}: half a surrogate pair in ${JSON.stringify(e.text)}`);
    assert.ok(mayReplace || !e.text.includes('\uFFFD'), `${label}: U+FFFD in ${JSON.stringify(e.text)}`);
  }
  assert.equal(events.filter((e) => e.type === 'end').length, 1, `${label}: one end event`);
  assert.equal(events[events.length - 1]?.type, 'end', `${label}: end comes last`);
}

function parseTextChunks(chunks: readonly string[]): HarmonyEvent[] {
  const parser = new HarmonyTextParser();
  const events = chunks.flatMap((chunk) => parser.push(chunk));
  return [...events, ...parser.end()];
}

/** Cuts `length` items at the given points (any order, repeats allowed). */
function cutPoints(length: number, points: readonly number[]): number[] {
  return [...new Set([0, ...points.map((p) => p % (length + 1)), length])].sort((a, b) => a - b);
}

function cutString(text: string, points: readonly number[]): string[] {
  const at = cutPoints(text.length, points);
  return at.slice(1).map((end, i) => text.slice(at[i], end));
}

function cutBytes(bytes: Uint8Array, points: readonly number[]): Uint8Array[] {
  const at = cutPoints(bytes.length, points);
  return at.slice(1).map((end, i) => bytes.subarray(at[i], end));
}

/** A vocabulary that hands out an id for every byte string it is asked for. */
class FakeVocab {
  private readonly pieces: Uint8Array[] = [];

  id(bytes: Uint8Array): number {
    this.pieces.push(bytes);
    return FIRST_TEXT_ID + this.pieces.length - 1;
  }

  readonly tokenBytes = (id: number): Uint8Array => {
    const bytes = this.pieces[id - FIRST_TEXT_ID];
    if (bytes === undefined) throw new Error(`no token ${id}`);
    return bytes;
  };
}

/** The output as a tokenizer would hand it over: control ids, and each text run between them as bytes. */
type Run = { readonly control: number } | { readonly bytes: Uint8Array };

function asRuns(pieces: readonly Piece[], extraBytes: ReadonlyMap<number, Uint8Array>): Run[] {
  const runs: Run[] = [];
  const encoder = new TextEncoder();
  let text: number[] = [];
  const flush = (): void => {
    if (text.length > 0) runs.push({ bytes: Uint8Array.from(text) });
    text = [];
  };
  pieces.forEach((p, i) => {
    if ('control' in p) {
      flush();
      runs.push(p);
    } else text.push(...encoder.encode(p.text), ...(extraBytes.get(i) ?? []));
  });
  flush();
  return runs;
}

/** Token ids for `runs`, each text run cut at byte positions `cuts(run index)`. */
function asIds(runs: readonly Run[], vocab: FakeVocab, cuts: (run: number) => readonly number[]): number[] {
  let index = 0;
  return runs.flatMap((r) => ('control' in r ? [r.control] : cutBytes(r.bytes, cuts(index++)).map((b) => vocab.id(b))));
}

function parseTokenBatches(ids: readonly number[], vocab: FakeVocab, batchCuts: readonly number[]): HarmonyEvent[] {
  const parser = new HarmonyTokenParser(vocab.tokenBytes);
  const at = cutPoints(ids.length, batchCuts);
  const events = at.slice(1).flatMap((end, i) => parser.pushMany(ids.slice(at[i], end)));
  return [...events, ...parser.end()];
}

const cutsArb = fc.array(fc.nat(), { maxLength: 40 });

// ---- properties ----

describe('Harmony parsers, properties', () => {
  it('the text parser gives the same events for every cut of the text into chunks', () => {
    fc.assert(
      fc.property(outputArb, fc.oneof(cutsArb, fc.constant('every unit' as const)), (pieces, cuts) => {
        const text = asText(pieces);
        const whole = parseTextChunks([text]);
        assertWellFormed(whole, 'one chunk', text.includes('\uFFFD'));
        const chunks = cuts === 'every unit' ? text.split('') : cutString(text, cuts);
        const label = cuts === 'every unit' ? 'one UTF-16 unit per chunk' : `chunks of ${JSON.stringify(chunks.map((x) => x.length))} units`;
        const chunked = parseTextChunks(chunks);
        assertWellFormed(chunked, label, text.includes('\uFFFD'));
        assert.deepEqual(merge(chunked), merge(whole), label);
      }),
      { seed: SEED, numRuns: 1500 },
    );
  });

  it('the text parser gives the same events for every cut of the UTF-8 bytes, read through one streaming decoder', () => {
    fc.assert(
      fc.property(outputArb, fc.oneof(cutsArb, fc.constant('every byte' as const)), (pieces, cuts) => {
        const text = asText(pieces);
        const bytes = new TextEncoder().encode(text);
        const chunks = cuts === 'every byte' ? Array.from(bytes, (_, i) => bytes.subarray(i, i + 1)) : cutBytes(bytes, cuts);
        const label = cuts === 'every byte' ? 'one byte per chunk' : `byte chunks of ${JSON.stringify(chunks.map((b) => b.length))} bytes`;
        const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
        const decoded = [...chunks.map((b) => decoder.decode(b, { stream: true })), decoder.decode()];
        assert.equal(decoded.join(''), text);
        const chunked = parseTextChunks(decoded);
        assertWellFormed(chunked, label, text.includes('\uFFFD'));
        assert.deepEqual(merge(chunked), merge(parseTextChunks([text])), label);
      }),
      { seed: SEED, numRuns: 800 },
    );
  });

  it('the token parser gives the same events for every cut of each text run into byte tokens and of the ids into batches', () => {
    // Invalid UTF-8 a byte-fallback model can sample, added to some runs.
    const extraBytesArb = fc.array(fc.tuple(fc.nat(20), fc.uint8Array({ minLength: 1, maxLength: 3 })), { maxLength: 2 }).map((pairs) => new Map(pairs));
    fc.assert(
      fc.property(outputArb, extraBytesArb, fc.array(cutsArb, { maxLength: 8 }), cutsArb, (pieces, extra, runCuts, batchCuts) => {
        const runs = asRuns(pieces, extra);
        const mayReplace = extra.size > 0 || asText(pieces).includes('\uFFFD');
        const vocab = new FakeVocab();
        const whole = parseTokenBatches(asIds(runs, vocab, () => []), vocab, []);
        assertWellFormed(whole, 'one token per run', mayReplace);
        const chunked = parseTokenBatches(asIds(runs, vocab, (run) => runCuts[run] ?? []), vocab, batchCuts);
        assertWellFormed(chunked, 'byte tokens', mayReplace);
        assert.deepEqual(merge(chunked), merge(whole));
        // One byte per token: every multi-byte character split as far as it goes.
        const bytewise = parseTokenBatches(asIds(runs, vocab, (run) => {
          const r = runs.filter((x) => 'bytes' in x)[run] as { bytes: Uint8Array };
          return Array.from(r.bytes, (_, i) => i);
        }), vocab, []);
        assert.deepEqual(merge(bytewise), merge(whole), 'one byte per token');
      }),
      { seed: SEED, numRuns: 800 },
    );
  });
});
