// The GGUF header bounds walk: every declared count and length must fit in the bytes the file has
// left, so a tiny crafted file is refused at once instead of being read far past its end.
import * as assert from 'node:assert/strict';
import { GGUF_MAX_DECLARED, checkGgufHeaderBounds, type GgufByteSource, type GgufHeaderBounds } from '../../src/core/models';
import { tameModelContent } from '../fixtures/gguf';
import { ARRAY, CRAFTED_HEADERS, HeaderBytes, STRING, UINT32, UINT8 } from '../fixtures/gguf/craftedHeader';
import { encodeHeader } from '../fixtures/gguf/ggufWriter';

/**
 * A source over a Buffer: the rest of it at once (`whole`), exactly the bytes asked as a promise
 * (`exact`: every read is a refill), or windows of a few bytes that end inside fields.
 */
type Windows = 'whole' | 'exact' | number;

function source(bytes: Buffer, windows: Windows = 'whole'): GgufByteSource {
  return {
    fileBytes: bytes.length,
    window(offset, length) {
      assert.ok(offset >= 0 && offset + length <= bytes.length, `read of ${length} at ${offset} past the end (${bytes.length})`);
      if (windows === 'whole') return bytes.subarray(offset);
      if (windows === 'exact') return Promise.resolve(bytes.subarray(offset, offset + length));
      return Promise.resolve(bytes.subarray(offset, offset + Math.max(length, windows)));
    },
  };
}

function check(bytes: Buffer, windows: Windows = 'whole'): Promise<GgufHeaderBounds> {
  return checkGgufHeaderBounds(source(bytes, windows));
}

async function refused(bytes: Buffer, kind: 'incomplete' | 'corrupt', reason: RegExp): Promise<void> {
  const result = await check(bytes);
  assert.equal(result.kind, kind, JSON.stringify(result));
  assert.match((result as { reason: string }).reason, reason);
}

/** One pair of each value type, an array of each element kind, nested arrays, two tensor infos. */
function everyType(): Buffer {
  const h = new HeaderBytes().start(2, 17);
  const fixed: [number, Buffer][] = [
    [0, Buffer.from([7])], [1, Buffer.from([0xff])], [2, Buffer.alloc(2, 1)], [3, Buffer.alloc(2, 2)], [4, Buffer.alloc(4, 3)], [5, Buffer.alloc(4, 4)],
    [6, Buffer.alloc(4, 5)], [7, Buffer.from([1])], [10, Buffer.alloc(8, 6)], [11, Buffer.alloc(8, 7)], [12, Buffer.alloc(8, 8)],
  ];
  fixed.forEach(([type, value], i) => h.str(`fixed.${i}`).u32(type).raw(value));
  h.str('general.name').u32(STRING).str('テストモデル');
  h.str('bytes').u32(ARRAY).u32(UINT8).u64(3).raw(Buffer.from([1, 2, 3]));
  h.str('tokens').u32(ARRAY).u32(STRING).u64(3).str('<unk>').str('').str('▁こんにちは');
  h.str('empty').u32(ARRAY).u32(UINT32).u64(0);
  // [[1, 2], ["x"], []]: an array of three arrays, each with its own element type.
  h.str('nested').u32(ARRAY).u32(ARRAY).u64(3).u32(UINT32).u64(2).u32(1).u32(2).u32(STRING).u64(1).str('x').u32(UINT8).u64(0);
  h.str('nested.empty').u32(ARRAY).u32(ARRAY).u64(0);
  h.str('token_embd.weight').u32(2).u64(64).u64(1037).u32(8).u64(0);
  h.str('blk.0.ffn_gate_exps.weight').u32(4).u64(64).u64(128).u64(8).u64(1).u32(0).u64(70_528);
  return h.take();
}

describe('GGUF header bounds', () => {
  it('walks a generated model header to the end of its tensor infos, however the file is read', async () => {
    const header = encodeHeader(tameModelContent());
    for (const windows of ['whole', 'exact', 13, 4096] as const) {
      const result = await check(header, windows);
      assert.equal(result.kind, 'ok', JSON.stringify(result));
      // encodeHeader pads to the 32-byte alignment after the last tensor info.
      const { headerBytes } = result as { headerBytes: number };
      assert.ok(headerBytes <= header.length && header.length - headerBytes < 32, `${headerBytes} of ${header.length}`);
    }
  });

  it('walks every value type, arrays of each, and nested arrays', async () => {
    const header = everyType();
    assert.deepEqual(await check(header), { kind: 'ok', headerBytes: header.length });
    for (const windows of ['exact', 5, 11, 64] as const) assert.deepEqual(await check(header, windows), { kind: 'ok', headerBytes: header.length }, `windows ${windows}`);
    // Trailing bytes (tensor data) are not the header's.
    assert.deepEqual(await check(Buffer.concat([header, Buffer.alloc(100)])), { kind: 'ok', headerBytes: header.length });
  });

  it('calls a header cut at any byte incomplete, never ok or damaged, and never reads past the end', async () => {
    const header = everyType();
    for (let length = 0; length < header.length; length++) {
      for (const windows of ['whole', 7] as const) {
        const result = await check(header.subarray(0, length), windows);
        assert.equal(result.kind, 'incomplete', `cut at ${length}: ${JSON.stringify(result)}`);
      }
    }
    const cut = await check(header.subarray(0, header.indexOf('▁こんにちは') + 3));
    assert.match((cut as { reason: string }).reason, /string 3 of 3 of key "tokens" needs 18 bytes, the file has 3 left after byte \d+/);
  });

  it('refuses an array of 2^32 values in a 49-byte file as damaged, naming the key', async () => {
    const bytes = CRAFTED_HEADERS.array();
    assert.equal(bytes.length, 49);
    await refused(bytes, 'corrupt', /the array of uint8 values of key "a" is declared as 4,294,967,296, more than a GGUF file can hold \(1,073,741,824\)/);
  });

  it('refuses a string of 2^60 bytes in a 45-byte file as damaged', async () => {
    const bytes = CRAFTED_HEADERS.string();
    assert.equal(bytes.length, 45);
    await refused(bytes, 'corrupt', /the string of key "a" is declared as 1,152,921,504,606,846,976/);
  });

  it('refuses 2^40 key-value pairs or 2^40 tensors as damaged', async () => {
    await refused(CRAFTED_HEADERS.kvs(), 'corrupt', /the number of key-value pairs is declared as 1,099,511,627,776/);
    await refused(CRAFTED_HEADERS.tensors(), 'corrupt', /the number of tensors is declared as 1,099,511,627,776/);
  });

  it('calls a count a real header could have, but the rest of the file cannot hold, incomplete', async () => {
    // 196,608 strings need at least 8 bytes each: 1.5 MB, in a file of 60 bytes.
    const vocab = new HeaderBytes().start(0, 1).str('tokenizer.ggml.tokens').u32(ARRAY).u32(STRING).u64(196_608).take();
    await refused(vocab, 'incomplete', /the array of string values of key "tokenizer\.ggml\.tokens" needs 1,572,864 bytes, the file has 0 left/);
    await refused(new HeaderBytes().start(0, 1000).take(), 'incomplete', /the number of key-value pairs needs 13,000 bytes/);
    await refused(new HeaderBytes().start(1000, 0).take(), 'incomplete', /the number of tensors needs 24,000 bytes/);
    // Both counts fit alone but not together.
    await refused(Buffer.concat([new HeaderBytes().start(1, 1).take(), Buffer.alloc(30)]), 'incomplete', /1 key-value pairs and 1 tensor infos needs 37 bytes, the file has 30 left/);
    // The limit itself is allowed as a count (llama.cpp refuses only more): cut, not damaged.
    await refused(new HeaderBytes().start(0, 1).str('k').u32(ARRAY).u32(UINT8).u64(GGUF_MAX_DECLARED).take(), 'incomplete', /needs 1,073,741,824 bytes/);
    await refused(new HeaderBytes().start(0, 1).str('k').u32(ARRAY).u32(UINT8).u64(GGUF_MAX_DECLARED + 1).take(), 'corrupt', /declared as 1,073,741,825/);
  });

  it('checks nested arrays at each level, and walks deep nesting without recursion', async () => {
    // An array of 2^32 arrays, and an inner array of 2^32 strings.
    await refused(new HeaderBytes().start(0, 1).str('n').u32(ARRAY).u32(ARRAY).u64(2n ** 32n).take(), 'corrupt', /the array of array values of key "n" is declared as 4,294,967,296/);
    await refused(new HeaderBytes().start(0, 1).str('n').u32(ARRAY).u32(ARRAY).u64(1).u32(STRING).u64(2n ** 32n).take(), 'corrupt', /the array of string values of key "n" is declared as 4,294,967,296/);
    // 1,000 arrays of arrays need 12,000 bytes.
    await refused(new HeaderBytes().start(0, 1).str('n').u32(ARRAY).u32(ARRAY).u64(1000).raw(Buffer.alloc(100)).take(), 'incomplete', /the array of array values of key "n" needs 12,000 bytes/);
    // 30,000 levels: [[[...[]...]]].
    const depth = 30_000;
    const h = new HeaderBytes().start(0, 1).str('deep').u32(ARRAY);
    for (let i = 0; i < depth - 1; i++) h.u32(ARRAY).u64(1);
    const deep = h.u32(UINT8).u64(0).take();
    assert.deepEqual(await check(deep), { kind: 'ok', headerBytes: deep.length });
  });

  it('refuses value type ids GGUF does not define, as values and as array elements', async () => {
    for (const type of [13, 0xffffffff]) {
      await refused(new HeaderBytes().start(0, 1).str('t').u32(type).raw(Buffer.alloc(16)).take(), 'corrupt', new RegExp(`key "t" has value type ${type}, which GGUF does not define`));
      await refused(new HeaderBytes().start(0, 1).str('t').u32(ARRAY).u32(type).u64(1).raw(Buffer.alloc(16)).take(), 'corrupt', new RegExp(`key "t" is an array of value type ${type}`));
    }
  });

  it('refuses a tensor info with more than 4 dimensions (GGML_MAX_DIMS), and a huge name', async () => {
    const tensor = (dims: number) => new HeaderBytes().start(1, 0).str('blk.0.attn_q.weight').u32(dims).raw(Buffer.alloc(dims * 8 + 12)).take();
    assert.equal((await check(tensor(4))).kind, 'ok');
    await refused(tensor(5), 'corrupt', /tensor "blk\.0\.attn_q\.weight" has 5 dimensions; llama\.cpp reads at most 4/);
    await refused(new HeaderBytes().start(1, 0).str('t').u32(0xffffffff).raw(Buffer.alloc(64)).take(), 'corrupt', /tensor "t" has 4,294,967,295 dimensions/);
    await refused(new HeaderBytes().start(1, 0).u64(2n ** 62n).raw(Buffer.alloc(24)).take(), 'corrupt', /the name of tensor 1 is declared as 4,611,686,018,427,387,904/);
  });

  it('shows only the start of a long key, and refuses versions llama.cpp does not read', async () => {
    const key = 'k'.repeat(5000);
    await refused(new HeaderBytes().start(0, 1).str(key).u32(ARRAY).u32(UINT8).u64(2n ** 32n).take(), 'corrupt', new RegExp(`key "${'k'.repeat(200)}…"`));
    await refused(new HeaderBytes().start(0, 0, 1).take(), 'corrupt', /GGUF version 1; llama\.cpp reads versions 2 and 3/);
    await refused(new HeaderBytes().start(0, 0, 4).take(), 'corrupt', /GGUF version 4;/);
    await refused(new HeaderBytes().start(0, 0, 0x03000000).take(), 'corrupt', /version 50331648 \(a big-endian file\?\)/);
    assert.deepEqual(await check(new HeaderBytes().start(0, 0, 2).take()), { kind: 'ok', headerBytes: 24 });
    await refused(Buffer.from('GGU'), 'incomplete', /the magic "GGUF" needs 4 bytes/);
  });
});
