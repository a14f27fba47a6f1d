import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { HarmonyTokenParser } from '../../src/core/harmony/parser';
import type { HarmonyEvent } from '../../src/core/harmony/types';
import { FIRST_TEXT_ID } from '../../src/core/tokenizer/specialTokens';

// The token parser against LLM-jp-4's real vocabulary (../shared/llm-jp-4, when present). The ids
// below are what the official SentencePiece model gives for each text run between special tokens
// (python3-sentencepiece, `encode(run)`): each run starts with a `▁` piece, and 𩸽 and 䨺 are not in
// the vocabulary, so they come as byte-fallback tokens <0xF0><0xA9><0xB8><0xBD> and <0xE4><0xA8><0xBA>.

const VOCAB = path.resolve(__dirname, '..', '..', '..', '..', 'shared', 'llm-jp-4', 'tokenizer-v4.0-alpha1.0.vocab');

function loadTokenBytes(): (id: number) => Uint8Array {
  const pieces = fs.readFileSync(VOCAB, 'utf8').split('\n').map((line) => line.slice(0, line.lastIndexOf('\t')));
  const encoder = new TextEncoder();
  return (id) => {
    if (id < FIRST_TEXT_ID || id >= pieces.length) throw new Error(`not a text token: ${id}`);
    const byte = /^<0x([0-9A-F]{2})>$/.exec(pieces[id]);
    return byte !== null ? Uint8Array.of(parseInt(byte[1], 16)) : encoder.encode(pieces[id].replaceAll('▁', ' '));
  };
}

function collect(events: readonly HarmonyEvent[]): { reasoning: string; answer: string; rest: HarmonyEvent[] } {
  let reasoning = '';
  let answer = '';
  const rest: HarmonyEvent[] = [];
  for (const e of events) {
    if (e.type === 'reasoning') reasoning += e.text;
    else if (e.type === 'answer') answer += e.text;
    else rest.push(e);
    if (e.type === 'reasoning' || e.type === 'answer') assert.ok(!e.text.includes('\uFFFD'), JSON.stringify(e.text));
  }
  return { reasoning, answer, rest };
}

describe('HarmonyTokenParser with the LLM-jp-4 vocabulary', function () {
  let tokenBytes: (id: number) => Uint8Array;
  before(function () {
    if (!fs.existsSync(VOCAB)) this.skip();
    tokenBytes = loadTokenBytes();
  });

  it('reads reasoning and an answer with byte-fallback characters', () => {
    // <|channel|>analysis<|message|>ユーザーは𩸽(ほっけ)と䨺について尋ねている。<|end|>
    // <|start|>assistant<|channel|>final<|message|>𩸽は魚です🌤️。\n  気温は２５℃。<|return|>
    const ids = [
      9, 2202, 12, 609, 79214, 592, 521, 536, 541, 647, 11369, 37373, 634, 735, 580, 520, 538, 1504, 94101, 4091, 621, 11,
      10, 12811, 9, 2520, 12, 609, 592, 521, 536, 541, 691, 6229, 854, 188409, 18889, 621, 362, 688, 116331, 845, 1131, 6414,
      621, 2,
    ];
    const parser = new HarmonyTokenParser(tokenBytes);
    const got = collect([...parser.pushMany(ids), ...parser.end()]);
    assert.equal(got.reasoning, 'ユーザーは𩸽(ほっけ)と䨺について尋ねている。');
    assert.equal(got.answer, '𩸽は魚です🌤️。\n  気温は２５℃。');
    assert.deepEqual(got.rest, [{ type: 'end', reason: 'return' }]);
  });

  it('reads two 4.1 tool calls', () => {
    //  to=functions.lookup<|channel|>commentary <|constrain|> json<|message|>{"word":"𩸽"}<|end|>
    // <|start|>assistant to=functions.get_weather<|channel|>commentary <|constrain|> json<|message|>{"city":"𠮷祥寺"}<|call|>
    const ids = [
      609, 614, 760, 44192, 611, 71376, 9, 32098, 609, 8, 609, 27741, 12, 8671, 12377, 2907, 592, 521, 536, 541, 678, 653, 11,
      10, 12811, 614, 760, 44192, 611, 2105, 624, 55434, 9, 32098, 609, 8, 609, 27741, 12, 8671, 22044, 2907, 183842, 14731,
      5227, 678, 653, 13,
    ];
    const parser = new HarmonyTokenParser(tokenBytes);
    const names: (string | undefined)[] = [];
    const events: HarmonyEvent[] = [];
    for (const id of ids) {
      events.push(...parser.push(id));
      if (parser.state === 'toolArguments') names.push(parser.toolName);
    }
    events.push(...parser.end());
    assert.deepEqual([...new Set(names)], ['lookup', 'get_weather']);
    assert.deepEqual(collect(events).rest, [
      { type: 'toolCall', name: 'lookup', arguments: '{"word":"𩸽"}', parsed: { word: '𩸽' } },
      { type: 'toolCall', name: 'get_weather', arguments: '{"city":"𠮷祥寺"}', parsed: { city: '𠮷祥寺' } },
      { type: 'end', reason: 'call' },
    ]);
  });
});
