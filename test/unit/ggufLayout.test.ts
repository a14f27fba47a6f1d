// The completeness check from a GGUF header's layout, and the messages that report it.
import * as assert from 'node:assert/strict';
import { engineError, isEngineError } from '../../src/core/generation/errors';
import { checkGgufCompleteness, type GgufLayout } from '../../src/core/models';

const Q8_0 = 8;
const F32 = 0;

// A header ending at 27,303 bytes: the data section starts at the next multiple of 32, 27,328.
// token_embd: 64 x 1037 Q8_0 = 1037 rows of 2 blocks of 34 bytes = 70,516 bytes, padded to 70,528.
const LAYOUT: GgufLayout = {
  infoEndBytes: 27_303,
  alignment: undefined,
  tensors: [
    { name: 'token_embd.weight', dimensions: [64, 1037], ggmlType: Q8_0, offset: 0 },
    { name: 'output_norm.weight', dimensions: [64n], ggmlType: F32, offset: 70_528n },
  ],
};
const END = 27_328 + 70_528 + 64 * 4;

describe('GGUF completeness from the header', () => {
  it('accepts a file that holds every tensor, trailing bytes included', () => {
    assert.deepEqual(checkGgufCompleteness(LAYOUT, END), { kind: 'complete' });
    assert.deepEqual(checkGgufCompleteness(LAYOUT, END + 31), { kind: 'complete' });
  });

  it('calls a file one byte short incomplete, with the size it should have', () => {
    assert.deepEqual(checkGgufCompleteness(LAYOUT, END - 1), { kind: 'incomplete', expectedBytes: END, fileBytes: END - 1 });
  });

  it('takes the end of the furthest tensor, whatever the order of the infos', () => {
    const reversed = { ...LAYOUT, tensors: [...LAYOUT.tensors].reverse() };
    assert.deepEqual(checkGgufCompleteness(reversed, END - 1), { kind: 'incomplete', expectedBytes: END, fileBytes: END - 1 });
  });

  it('calls a file cut inside its header incomplete, claiming no size from the infos read past its end', () => {
    assert.deepEqual(checkGgufCompleteness(LAYOUT, 100), { kind: 'incomplete', expectedBytes: undefined, fileBytes: 100 });
    // The alignment padding belongs to the header too.
    assert.deepEqual(checkGgufCompleteness(LAYOUT, 27_310), { kind: 'incomplete', expectedBytes: undefined, fileBytes: 27_310 });
  });

  it('aligns the data section to general.alignment', () => {
    const aligned = { ...LAYOUT, alignment: 256 };
    const end = 27_392 + 70_528 + 64 * 4; // 27,303 rounded up to a multiple of 256
    assert.deepEqual(checkGgufCompleteness(aligned, end), { kind: 'complete' });
    assert.equal(checkGgufCompleteness(aligned, end - 1).kind, 'incomplete');
  });

  it('rejects an alignment that is not a power of two, as llama.cpp does', () => {
    for (const alignment of [0, 48, -32, 'x', 1.5]) {
      assert.equal(checkGgufCompleteness({ ...LAYOUT, alignment }, END).kind, 'invalid', String(alignment));
    }
  });

  it('never calls a complete file of an unfamiliar tensor type incomplete: such a tensor counts from its offset', () => {
    const unknownType = { ...LAYOUT, tensors: [...LAYOUT.tensors, { name: 'new.weight', dimensions: [4096, 4096], ggmlType: 99, offset: 70_784 }] };
    assert.deepEqual(checkGgufCompleteness(unknownType, 27_328 + 70_784), { kind: 'complete' });
    assert.equal(checkGgufCompleteness(unknownType, 27_328 + 70_783).kind, 'incomplete');
  });

  it('counts sizes past 2^53 exactly: a hostile header cannot round its way to complete', () => {
    // Data ends at 2^53 + 27,329 bytes, which a double rounds down to 2^53 + 27,328: the file's size.
    const odd = { ...LAYOUT, tensors: [{ name: 'big', dimensions: [2n ** 51n], ggmlType: F32, offset: 1n }] };
    assert.equal(checkGgufCompleteness(odd, 2 ** 53 + 27_328).kind, 'incomplete');
    const farOffset = { ...LAYOUT, tensors: [{ name: 'far', dimensions: [1], ggmlType: F32, offset: 2n ** 60n }] };
    assert.equal(checkGgufCompleteness(farOffset, Number.MAX_SAFE_INTEGER).kind, 'incomplete');
  });

  it('rejects a header whose sizes are not numbers', () => {
    assert.equal(checkGgufCompleteness({ ...LAYOUT, infoEndBytes: Number.NaN }, END).kind, 'invalid');
    assert.equal(checkGgufCompleteness({ ...LAYOUT, tensors: [{ name: 't', dimensions: [1], ggmlType: F32, offset: -1 }] }, END).kind, 'invalid');
  });
});

describe('model file messages', () => {
  it('says how big an incomplete file should be and is, in English and Japanese', () => {
    const error = engineError('model-incomplete', ['/m/x.gguf', '7000000000', '1048576']);
    assert.equal(error.code, 'model-incomplete');
    assert.match(error.message.en, /incomplete: it should be at least 7,000,000,000 bytes \(7\.0 GB\) but is 1,048,576 bytes \(1\.0 MB\) \(was the download interrupted\?\): \/m\/x\.gguf$/);
    assert.match(error.message.ja, /不完全.*7,000,000,000 バイト \(7\.0 GB\).*1,048,576 バイト \(1\.0 MB\).*中断.*\/m\/x\.gguf$/);
    assert.ok(isEngineError(error));
  });

  it('says that a file ends inside its header', () => {
    const error = engineError('model-incomplete', ['/m/x.gguf', '', '1000']);
    assert.match(error.message.en, /incomplete: it ends inside its header, after 1,000 bytes \(1\.0 KB\) \(was the download interrupted\?\): \/m\/x\.gguf$/);
    assert.match(error.message.ja, /不完全.*ヘッダーの途中、1,000 バイト \(1\.0 KB\) で終わっています.*中断.*\/m\/x\.gguf$/);
  });

  it('names a folder as a folder', () => {
    const error = engineError('model-is-folder', '/m/x.gguf');
    assert.equal(error.message.en, 'This is a folder, not a model file: /m/x.gguf');
    assert.match(error.message.ja, /フォルダー.*\/m\/x\.gguf$/);
  });

  it('says an architecture is not supported, and a file llama.cpp cannot read without guessing an interrupted download', () => {
    assert.equal(engineError('unsupported-architecture', 'mamba9').message.en, 'Architecture "mamba9" is not supported by this version of llama.cpp.');
    assert.match(engineError('unsupported-architecture', 'mamba9').message.ja, /「mamba9」.*サポートされていません/);
    const corrupt = engineError('model-corrupt', ['/m/x.gguf', "unknown tokenizer: 'x'"]);
    assert.match(corrupt.message.en, /: unknown tokenizer: 'x': \/m\/x\.gguf$/);
    assert.doesNotMatch(corrupt.message.en, /interrupted/);
    assert.doesNotMatch(corrupt.message.ja, /中断/);
    assert.doesNotMatch(engineError('model-corrupt', '/m/x.gguf').message.en, /: : /);
  });
});
