import * as assert from 'node:assert/strict';
import { PieceType } from '../../src/core/tokenizer';
import { SpecialStrings, isSpecialPiece } from '../../src/core/tokenizer/specialStrings';

describe('special strings of a foreign vocabulary', () => {
  it('are the control pieces and the user-defined pieces that look like markup', () => {
    assert.ok(isSpecialPiece('<|start|>', PieceType.control));
    assert.ok(isSpecialPiece('</s>', PieceType.control));
    assert.ok(isSpecialPiece('<|start|>', PieceType.userDefined));
    assert.ok(isSpecialPiece('<tool_call>', PieceType.userDefined));
    assert.ok(isSpecialPiece('[INST]', PieceType.userDefined));
    assert.ok(!isSpecialPiece('\n\n', PieceType.userDefined), 'a whitespace run is text');
    assert.ok(!isSpecialPiece('▁東京', PieceType.userDefined), 'a word is text');
    assert.ok(!isSpecialPiece('<0x0A>', PieceType.byte));
    assert.ok(!isSpecialPiece('<b>', PieceType.normal), 'a normal piece is text whatever it spells');
    assert.ok(!isSpecialPiece('', PieceType.control));
  });

  it('are found leftmost-longest, with the text between them', () => {
    const specials = new SpecialStrings(['<unk>', '<|start|>', '<|start|>x', 'a', '<|end|>', '<|end|>'], [2, 4, 3, 1, 3, 3]);
    assert.deepEqual([...specials.ids].sort(), [1, 2, 4, 5]);
    const seen: string[] = [];
    specials.split('a<|start|>xb<|start|><|end|><|end', (text) => seen.push(`text:${text}`), (id, text) => seen.push(`${id}:${text}`));
    assert.deepEqual(seen, ['text:a', '2:<|start|>x', 'text:b', '1:<|start|>', '4:<|end|>', 'text:<|end']);
  });
});
