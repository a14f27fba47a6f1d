import * as assert from 'node:assert/strict';
import { HarmonyTokenParser } from '../../src/core/harmony/parser';
import { MAX_HEADER_CHARS } from '../../src/core/harmony/parserMachine';
import { HarmonyTextParser, parseHarmonyText } from '../../src/core/harmony/textParser';
import { HarmonyTextLexer } from '../../src/core/harmony/textParserLexer';
import type { HarmonyEvent } from '../../src/core/harmony/types';
import { FIRST_TEXT_ID, SpecialToken } from '../../src/core/tokenizer/specialTokens';

// Each case is what the model emits after `<|start|>assistant`, written as text. The text parser
// reads it directly; the token parser reads it as control ids plus text tokens of a fake
// vocabulary, cut at every byte so multi-byte characters straddle tokens.

type Expected = HarmonyEvent;
interface Case {
  readonly name: string;
  readonly text: string;
  readonly events: readonly Expected[];
}

const ERR = '<parse error>';
const r = (text: string): Expected => ({ type: 'reasoning', text });
const a = (text: string): Expected => ({ type: 'answer', text });
const call = (name: string, args: string): Expected => {
  try {
    return { type: 'toolCall', name, arguments: args, parsed: JSON.parse(args) as unknown };
  } catch {
    return { type: 'toolCall', name, arguments: args, parseError: ERR };
  }
};
const end = (reason: Extract<HarmonyEvent, { type: 'end' }>['reason']): Expected => ({ type: 'end', reason });

const WEATHER = '{"city":"東京","unit":"celsius"}';

const CASES: readonly Case[] = [
  {
    name: 'reasoning then final answer, exact text',
    text: '<|channel|>analysis<|message|>天気を調べる。<|end|><|start|>assistant<|channel|>final<|message|>東京は晴れです。<|return|>',
    events: [r('天気を調べる。'), a('東京は晴れです。'), end('return')],
  },
  {
    name: "reasoning then final answer, llama.cpp's detokenized form",
    text: '<|channel|> analysis<|message|> 天気を調べる。<|end|><|start|> assistant<|channel|> final<|message|> 東京は晴れです。<|return|>',
    events: [r('天気を調べる。'), a('東京は晴れです。'), end('return')],
  },
  {
    name: 'final answer ended by <|end|>',
    text: '<|channel|>final<|message|>Hello, 世界!<|end|>',
    events: [a('Hello, 世界!'), end('end')],
  },
  {
    name: 'final answer whose stop token the backend dropped',
    text: '<|channel|> final<|message|> 答え 😀 です',
    events: [a('答え 😀 です'), end('eos')],
  },
  {
    name: 'a body keeps all but the first space after <|message|>',
    text: '<|channel|>final<|message|>   indented\n  code <|return|>',
    events: [a('  indented\n  code '), end('return')],
  },
  {
    name: 'answer text with < and <| that are not special strings',
    text: '<|channel|>final<|message|>a<b, c <| d |> e <|chan f <|message <|return|>',
    events: [a('a<b, c <| d |> e <|chan f <|message '), end('return')],
  },
  {
    name: '4.0 tool call, recipient in the role part',
    text: ` to=functions.get_weather<|channel|>commentary json<|message|>${WEATHER}<|call|>`,
    events: [call('get_weather', WEATHER), end('call')],
  },
  {
    name: '4.1 tool call with <|constrain|>, llama.cpp form',
    text: ` to=functions.get_weather<|channel|> commentary <|constrain|> json<|message|> ${WEATHER}<|call|>`,
    events: [call('get_weather', WEATHER), end('call')],
  },
  {
    name: '4.1 tool call with <|constrain|>, exact text',
    text: ` to=functions.get_weather<|channel|>commentary <|constrain|> json<|message|>${WEATHER}<|call|>`,
    events: [call('get_weather', WEATHER), end('call')],
  },
  {
    name: 'tool call, <|constrain|> without spaces',
    text: ` to=functions.get_weather<|channel|>commentary<|constrain|>json<|message|>${WEATHER}<|call|>`,
    events: [call('get_weather', WEATHER), end('call')],
  },
  {
    name: 'recipient in the channel part, with <|constrain|>',
    text: `<|channel|>commentary to=functions.get_weather <|constrain|>json<|message|>${WEATHER}<|call|>`,
    events: [call('get_weather', WEATHER), end('call')],
  },
  {
    name: 'recipient in the channel part, content type after it',
    text: `<|channel|> commentary to=functions.get_weather json<|message|> ${WEATHER}<|call|>`,
    events: [call('get_weather', WEATHER), end('call')],
  },
  {
    name: 'reasoning, then two tool calls separated by <|end|><|start|>assistant',
    text:
      '<|channel|>analysis<|message|>二つ呼ぶ。<|end|>' +
      `<|start|>assistant to=functions.get_weather<|channel|>commentary <|constrain|> json<|message|>${WEATHER}<|end|>` +
      '<|start|>assistant to=functions.get_time<|channel|>commentary <|constrain|> json<|message|>{}<|call|>',
    events: [r('二つ呼ぶ。'), call('get_weather', WEATHER), call('get_time', '{}'), end('call')],
  },
  {
    name: 'commentary preamble without recipient is answer text, then a tool call',
    text:
      '<|channel|>commentary<|message|>天気を調べます。<|end|>' +
      '<|start|>assistant to=functions.search<|channel|>commentary json<|message|>{"q":"天気"}<|call|>',
    events: [a('天気を調べます。'), call('search', '{"q":"天気"}'), end('call')],
  },
  {
    name: 'analysis recipient goes by the recipient, not the channel',
    text: '<|channel|>analysis to=functions.lookup<|message|>{"id":1}<|call|>',
    events: [call('lookup', '{"id":1}'), end('call')],
  },
  {
    name: 'a stream that starts with <|start|>assistant itself',
    text: '<|start|>assistant<|channel|>final<|message|>はい<|return|>',
    events: [a('はい'), end('return')],
  },
  {
    name: 'missing <|start|>assistant between messages',
    text: '<|channel|>analysis<|message|>考え<|end|><|channel|>final<|message|>答え<|return|>',
    events: [r('考え'), a('答え'), end('return')],
  },
  {
    name: 'missing <|end|> before <|start|>',
    text: '<|channel|>analysis<|message|>考え<|start|>assistant<|channel|>final<|message|>答え<|return|>',
    events: [r('考え'), a('答え'), end('return')],
  },
  {
    name: 'newlines between messages are ignored',
    text: '<|channel|>analysis<|message|>考え<|end|>\n<|start|>assistant<|channel|>final<|message|>答え<|end|>',
    events: [r('考え'), a('答え'), end('end')],
  },
  {
    name: 'text after <|return|> is ignored',
    text: '<|channel|>final<|message|>done<|return|><|start|>assistant<|channel|>final<|message|>more',
    events: [a('done'), end('return')],
  },
  {
    name: 'other control tokens do not leak their names',
    text: '<|channel|>final<|message|>a<|mask|>b<|sep|>c<|return|>',
    events: [a('abc'), end('return')],
  },
  {
    name: '<|endoftext|> ends the output like the end of input',
    text: '<|channel|>final<|message|>ok<|endoftext|>',
    events: [a('ok'), end('eos')],
  },
  {
    name: '<|return|> after reasoning with no answer',
    text: '<|channel|>analysis<|message|>考え中<|end|><|return|>',
    events: [r('考え中'), end('return')],
  },
  // Malformed and truncated output.
  {
    name: 'empty input',
    text: '',
    events: [{ type: 'end', reason: 'truncated', detail: 'the output was empty' }],
  },
  {
    name: 'stops mid-header',
    text: '<|channel|>analysis<|message|>考え<|end|><|start|>assistant<|channel|>fin',
    events: [r('考え'), { type: 'end', reason: 'truncated', detail: 'the output ended inside a message header' }],
  },
  {
    name: 'stops in the role part of the first header',
    text: ' to=functions.get_wea',
    events: [{ type: 'end', reason: 'truncated', detail: 'the output ended inside a message header' }],
  },
  {
    name: 'stops in reasoning',
    text: '<|channel|>analysis<|message|>考えて',
    events: [r('考えて'), { type: 'end', reason: 'truncated', detail: 'the output ended in reasoning, before an answer' }],
  },
  {
    name: 'stops between messages',
    text: '<|channel|>analysis<|message|>考え<|end|>',
    events: [r('考え'), { type: 'end', reason: 'truncated', detail: 'the output ended between messages, before an answer' }],
  },
  {
    name: 'unknown channel',
    text: '<|channel|>thinking<|message|>secret<|end|>',
    events: [{ type: 'end', reason: 'malformed', detail: "unknown channel 'thinking'" }],
  },
  {
    name: 'empty channel',
    text: '<|channel|> <|message|>x<|end|>',
    events: [{ type: 'end', reason: 'malformed', detail: 'empty channel name after <|channel|>' }],
  },
  {
    name: 'recipient browser.search',
    text: '<|channel|>analysis<|message|>検索する<|end|><|start|>assistant to=browser.search<|channel|>analysis json<|message|>{"query":"x"}<|call|>',
    events: [r('検索する'), { type: 'end', reason: 'malformed', detail: "recipient 'browser.search' is not a function (functions.NAME)" }],
  },
  {
    name: 'recipient functions. without a name',
    text: ' to=functions.<|channel|>commentary json<|message|>{}<|call|>',
    events: [{ type: 'end', reason: 'malformed', detail: "recipient 'functions.' is not a function (functions.NAME)" }],
  },
  {
    name: 'invalid JSON arguments',
    text: ' to=functions.get_weather<|channel|>commentary json<|message|>{"city": 東京}<|call|>',
    events: [call('get_weather', '{"city": 東京}'), end('call')],
  },
  {
    name: 'tool arguments cut off',
    text: ' to=functions.get_weather<|channel|>commentary json<|message|>{"city":"東',
    events: [call('get_weather', '{"city":"東'), { type: 'end', reason: 'truncated', detail: 'the output ended inside tool-call arguments' }],
  },
  {
    name: 'tool arguments whose <|call|> the backend dropped',
    text: ` to=functions.get_weather<|channel|>commentary json<|message|>${WEATHER}`,
    events: [call('get_weather', WEATHER), end('eos')],
  },
  {
    name: '<|return|> without any message',
    text: '<|return|>',
    events: [{ type: 'end', reason: 'malformed', detail: '<|return|> before any message' }],
  },
  {
    name: '<|call|> in a header',
    text: '<|channel|>commentary<|call|>',
    events: [{ type: 'end', reason: 'malformed', detail: '<|call|> before <|message|>: a message header without a body' }],
  },
  {
    name: '<|call|> after an answer',
    text: '<|channel|>final<|message|>x<|call|>',
    events: [a('x'), { type: 'end', reason: 'call', detail: '<|call|> after a message that is not a tool call' }],
  },
  {
    name: 'a hallucinated tool result',
    text: ` to=functions.f<|channel|>commentary json<|message|>{}<|end|><|start|>functions.f to=assistant<|channel|>commentary<|message|>"ok"<|end|>`,
    events: [call('f', '{}'), { type: 'end', reason: 'malformed', detail: "the model wrote a message as 'functions.f', not as the assistant" }],
  },
  {
    name: 'text in the first role part that is not a recipient',
    text: ' hello<|channel|>final<|message|>x<|return|>',
    events: [{ type: 'end', reason: 'malformed', detail: "unexpected text in the role part of a header: 'hello'" }],
  },
  {
    name: 'a second <|message|> inside a body',
    text: '<|channel|>final<|message|>a<|message|>b<|return|>',
    events: [a('a'), { type: 'end', reason: 'malformed', detail: '<|message|> inside a message body' }],
  },
  {
    // Found by the property tests (parserProperties.test.ts): stray text was counted by whole
    // chunks that held anything but white space, so the verdict depended on where chunks ended.
    name: 'white space between messages does not count as stray text, however the chunks fall',
    text: '<|channel|>analysis<|message|>考え<|end|>' + ' '.repeat(250) + 'x'.repeat(10) + '<|start|>assistant<|channel|>final<|message|>答え<|return|>',
    events: [r('考え'), a('答え'), end('return')],
  },
  {
    name: 'too much stray text between messages, white space between it',
    text: '<|channel|>analysis<|message|>考え<|end|>' + 'x '.repeat(MAX_HEADER_CHARS + 1) + '<|start|>assistant<|channel|>final<|message|>答え<|return|>',
    events: [r('考え'), { type: 'end', reason: 'malformed', detail: `more than ${MAX_HEADER_CHARS} characters outside any message` }],
  },
  {
    name: 'a header that never ends',
    text: '<|channel|>' + 'x'.repeat(MAX_HEADER_CHARS + 10) + '<|message|>leak',
    events: [{ type: 'end', reason: 'malformed', detail: `no <|message|> within ${MAX_HEADER_CHARS} characters of header` }],
  },
];

/** Joins adjacent text deltas of one kind and hides parse-error wording, which Node versions vary. */
function normalize(events: readonly HarmonyEvent[]): HarmonyEvent[] {
  const out: HarmonyEvent[] = [];
  for (const e of events) {
    const last = out[out.length - 1];
    if ((e.type === 'reasoning' || e.type === 'answer') && last !== undefined && last.type === e.type) {
      out[out.length - 1] = { type: e.type, text: last.text + e.text };
    } else if (e.type === 'toolCall' && e.parseError !== undefined) {
      out.push({ ...e, parseError: ERR });
    } else {
      out.push(e);
    }
  }
  return out;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function assertCleanDeltas(events: readonly HarmonyEvent[], label: string): void {
  for (const e of events) {
    if (e.type === 'reasoning' || e.type === 'answer') {
      assert.ok(e.text !== '', `${label}: empty delta`);
      assert.ok(!e.text.includes('\uFFFD'), `${label}: U+FFFD in ${JSON.stringify(e.text)}`);
      assert.ok(!LONE_SURROGATE.test(e.text), `${label}: lone surrogate in ${JSON.stringify(e.text)}`);
    }
  }
  const ends = events.filter((e) => e.type === 'end');
  assert.equal(ends.length, 1, `${label}: exactly one end event`);
  assert.equal(events[events.length - 1].type, 'end', `${label}: end comes last`);
}

// ---- text parser ----

function runText(chunks: readonly string[]): HarmonyEvent[] {
  const parser = new HarmonyTextParser();
  const events: HarmonyEvent[] = [];
  for (const chunk of chunks) events.push(...parser.push(chunk));
  events.push(...parser.end());
  assert.equal(parser.isDone, true);
  assert.deepEqual(parser.end(), [], 'end() twice adds nothing');
  return events;
}

describe('HarmonyTextParser', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const whole = runText([c.text]);
      assertCleanDeltas(whole, 'whole');
      assert.deepEqual(normalize(whole), c.events);
      for (let i = 0; i <= c.text.length; i++) {
        const split = runText([c.text.slice(0, i), c.text.slice(i)]);
        assertCleanDeltas(split, `split at ${i}`);
        assert.deepEqual(normalize(split), c.events, `split at ${i}`);
      }
      const units = runText(c.text.split(''));
      assertCleanDeltas(units, 'one UTF-16 unit per chunk');
      assert.deepEqual(normalize(units), c.events, 'one UTF-16 unit per chunk');
    });
  }

  it('holds back a possible special string and releases it once it is ruled out', () => {
    const parser = new HarmonyTextParser();
    assert.deepEqual(parser.push('<|channel|>final<|message|>a <|cha'), [{ type: 'answer', text: 'a ' }]);
    assert.deepEqual(parser.push('t'), [{ type: 'answer', text: '<|chat' }]);
    assert.deepEqual(parser.push('<'), []);
    assert.deepEqual(parser.end(), [{ type: 'answer', text: '<' }, { type: 'end', reason: 'eos' }]);
  });

  it('reports state and tool name while streaming', () => {
    const parser = new HarmonyTextParser();
    assert.equal(parser.state, 'header');
    parser.push('<|channel|>analysis<|message|>x');
    assert.equal(parser.state, 'reasoning');
    parser.push('<|end|>');
    assert.equal(parser.state, 'header');
    parser.push('<|start|>assistant to=functions.f<|channel|>commentary json<|message|>{');
    assert.equal(parser.state, 'toolArguments');
    assert.equal(parser.toolName, 'f');
    parser.push('}<|call|>');
    assert.equal(parser.state, 'done');
    assert.equal(parser.toolName, undefined);
    assert.equal(parser.isDone, true);
    assert.deepEqual(parser.push('more'), []);
  });
});

describe('parseHarmonyText', () => {
  it('collects reasoning, answer and tool calls', () => {
    assert.deepEqual(
      parseHarmonyText(
        '<|channel|> analysis<|message|> まず考える。<|end|><|start|> assistant to=functions.get_weather<|channel|> commentary <|constrain|> json<|message|> {"city":"東京"}<|call|>',
      ),
      {
        reasoning: 'まず考える。',
        answer: '',
        toolCalls: [{ name: 'get_weather', arguments: '{"city":"東京"}' }],
        end: { reason: 'call' },
      },
    );
    assert.deepEqual(parseHarmonyText('<|channel|>analysis<|message|>a<|end|><|start|>assistant<|channel|>final<|message|>b<|return|>'), {
      reasoning: 'a',
      answer: 'b',
      toolCalls: [],
      end: { reason: 'return' },
    });
  });

  it('says why malformed output ended', () => {
    assert.deepEqual(parseHarmonyText('<|channel|>nope<|message|>x'), {
      reasoning: '',
      answer: '',
      toolCalls: [],
      end: { reason: 'malformed', detail: "unknown channel 'nope'" },
    });
  });
});

describe('HarmonyTextLexer', () => {
  it('cuts special strings from text and holds back what may still become one', () => {
    const lexer = new HarmonyTextLexer();
    assert.deepEqual(lexer.push('ab<|end|>c<|sta'), [
      { kind: 'text', text: 'ab' },
      { kind: 'control', id: SpecialToken.end },
      { kind: 'text', text: 'c' },
    ]);
    assert.deepEqual(lexer.push('rt|>'), [{ kind: 'control', id: SpecialToken.start }]);
    assert.deepEqual(lexer.push('x\uD83D'), [{ kind: 'text', text: 'x' }]);
    assert.deepEqual(lexer.push('\uDE00'), [{ kind: 'text', text: '😀' }]);
    assert.deepEqual(lexer.push('<|reserved_006|>'), [{ kind: 'text', text: '<|reserved_006|>' }]);
    assert.deepEqual(lexer.push('<'), []);
    assert.deepEqual(lexer.end(), [{ kind: 'text', text: '<' }]);
  });
});

// ---- token parser ----

/** A vocabulary that hands out a fresh id for every byte string it is asked for. */
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

type Part = { readonly control: number } | { readonly bytes: Uint8Array };

/** The case's text as control tokens and text runs (the SentencePiece runs between them). */
function toParts(text: string): Part[] {
  const lexer = new HarmonyTextLexer();
  const parts: Part[] = [];
  let run = '';
  for (const l of [...lexer.push(text), ...lexer.end()]) {
    if (l.kind === 'text') {
      run += l.text;
      continue;
    }
    if (run !== '') parts.push({ bytes: new TextEncoder().encode(run) });
    run = '';
    parts.push({ control: l.id });
  }
  if (run !== '') parts.push({ bytes: new TextEncoder().encode(run) });
  return parts;
}

/** Token ids for `parts`, each text run cut into tokens by `cut` (its run index and bytes). */
function toIds(parts: readonly Part[], vocab: FakeVocab, cut: (run: number, bytes: Uint8Array) => Uint8Array[]): number[] {
  const ids: number[] = [];
  let run = 0;
  for (const p of parts) {
    if ('control' in p) ids.push(p.control);
    else ids.push(...cut(run++, p.bytes).map((b) => vocab.id(b)));
  }
  return ids;
}

function runTokens(ids: readonly number[], vocab: FakeVocab): HarmonyEvent[] {
  const parser = new HarmonyTokenParser(vocab.tokenBytes);
  const events: HarmonyEvent[] = [];
  for (const id of ids) events.push(...parser.push(id));
  events.push(...parser.end());
  assert.equal(parser.isDone, true);
  assert.equal(parser.state, 'done');
  return events;
}

const whole = (_run: number, b: Uint8Array): Uint8Array[] => [b];
const bytewise = (_run: number, b: Uint8Array): Uint8Array[] => Array.from(b, (x) => Uint8Array.of(x));

describe('HarmonyTokenParser', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const parts = toParts(c.text);
      const vocab = new FakeVocab();
      const one = runTokens(toIds(parts, vocab, whole), vocab);
      assertCleanDeltas(one, 'one token per run');
      assert.deepEqual(normalize(one), c.events, 'one token per run');

      const bytes = runTokens(toIds(parts, vocab, bytewise), vocab);
      assertCleanDeltas(bytes, 'one byte-fallback token per byte');
      assert.deepEqual(normalize(bytes), c.events, 'one byte-fallback token per byte');

      const runs = parts.filter((p) => 'bytes' in p) as { bytes: Uint8Array }[];
      runs.forEach((p, target) => {
        for (let k = 1; k < p.bytes.length; k++) {
          const cut = (run: number, b: Uint8Array): Uint8Array[] => (run === target ? [b.subarray(0, k), b.subarray(k)] : [b]);
          const split = runTokens(toIds(parts, vocab, cut), vocab);
          assertCleanDeltas(split, `run ${target} split at byte ${k}`);
          assert.deepEqual(normalize(split), c.events, `run ${target} split at byte ${k}`);
        }
      });
    });
  }

  it('gives the engine the state, the tool name and when to stop', () => {
    const vocab = new FakeVocab();
    const parts = toParts(
      '<|channel|>analysis<|message|>x<|end|><|start|>assistant to=functions.get_weather<|channel|>commentary <|constrain|> json<|message|>{"a":1}<|call|>',
    );
    const parser = new HarmonyTokenParser(vocab.tokenBytes);
    const seen: string[] = [];
    for (const id of toIds(parts, vocab, whole)) {
      parser.push(id);
      seen.push(parser.state === 'toolArguments' ? `tool:${parser.toolName}` : parser.state);
    }
    assert.deepEqual(seen, [
      'header', // <|channel|>
      'header', // analysis
      'reasoning', // <|message|>
      'reasoning', // x
      'header', // <|end|>
      'header', // <|start|>
      'header', // assistant to=functions.get_weather
      'header', // <|channel|>
      'header', // commentary
      'header', // <|constrain|>
      'header', // json
      'tool:get_weather', // <|message|>
      'tool:get_weather', // {"a":1}
      'done', // <|call|>
    ]);
    assert.equal(parser.isDone, true);
    assert.deepEqual(parser.push(vocab.id(new TextEncoder().encode('more'))), []);
    assert.deepEqual(parser.end(), []);
  });

  it('turns bytes left unfinished at a section end into U+FFFD there, not in the next section', () => {
    const vocab = new FakeVocab();
    const t = (s: string): number => vocab.id(new TextEncoder().encode(s));
    const ids = [
      SpecialToken.channel, t('analysis'), SpecialToken.message,
      vocab.id(Uint8Array.of(0xe6, 0x97)), // the first two of 日's three bytes
      SpecialToken.end, SpecialToken.start, t('assistant'), SpecialToken.channel, t('final'), SpecialToken.message,
      vocab.id(Uint8Array.of(0xa5)), // 日's last byte, alone
      t('本'), SpecialToken.return,
    ];
    assert.deepEqual(normalize(runTokens(ids, vocab)), [r('\uFFFD'), a('\uFFFD本'), end('return')]);
  });

  it('keeps a byte-order mark the model writes', () => {
    const vocab = new FakeVocab();
    const ids = [SpecialToken.channel, vocab.id(new TextEncoder().encode('final')), SpecialToken.message, vocab.id(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41))];
    assert.deepEqual(normalize(runTokens(ids, vocab)), [a('\uFEFFA'), end('eos')]);
  });

  it('ignores reserved control ids', () => {
    const vocab = new FakeVocab();
    const t = (s: string): number => vocab.id(new TextEncoder().encode(s));
    const ids = [SpecialToken.channel, t('final'), SpecialToken.message, t('a'), 14, 351, t('b'), SpecialToken.return];
    assert.deepEqual(normalize(runTokens(ids, vocab)), [a('ab'), end('return')]);
  });

  it('ends with malformed, not an exception, when a token has no bytes', () => {
    const parser = new HarmonyTokenParser(() => {
      throw new Error('unknown id');
    });
    assert.deepEqual(parser.pushMany([SpecialToken.channel, 999_999]), [
      { type: 'end', reason: 'malformed', detail: 'token 999999 has no text: unknown id' },
    ]);
    assert.equal(parser.isDone, true);
  });
});
