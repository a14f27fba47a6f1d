// Walks a GGUF header and checks that every count and length it declares fits in the bytes the
// file has left, before a reader that trusts them runs. node-llama-cpp's reader reads past the
// end of a file as zeros: a 49-byte file declaring an array of 2^32 values grew its array of zeros
// until V8 aborted the process (47 s, 1.7 GB), and with 2^40 key-value pairs or tensors it was
// still reading, its memory growing, after 8 s.
//
// The layout is llama.cpp's (ggml/src/gguf.cpp, gguf_init_from_reader), v2 and v3 alike: magic,
// u32 version, u64 tensor count, u64 key-value count; each pair is a string key, a u32 value type
// and the value (an array is a u32 element type, a u64 count, then the elements); each tensor info
// is a string name, u32 n_dims (at most GGML_MAX_DIMS, 4), n_dims u64 dimensions, u32 ggml type,
// u64 offset. Strings are a u64 byte length then the bytes. All little-endian.

/** The file as the walk reads it; the engine's reader reads it in chunks, tests give a Buffer. */
export interface GgufByteSource {
  readonly fileBytes: number;
  /**
   * Bytes of the file from `offset`: at least `length` of them (the walk never asks past
   * `fileBytes`), more where they are at hand. The walk reads from this window until it runs
   * out, so a vocabulary of 200,000 strings costs a few dozen calls, not 200,000.
   */
  window(offset: number, length: number): Uint8Array | Promise<Uint8Array>;
}

export type GgufHeaderBounds =
  /** `headerBytes`: where the last tensor info ends (the data section starts at the next alignment). */
  | { readonly kind: 'ok'; readonly headerBytes: number }
  /** The file ends before the header does, as an interrupted download does. */
  | { readonly kind: 'incomplete'; readonly reason: string }
  /** A value no GGUF file that llama.cpp reads can have, whatever the file's size. */
  | { readonly kind: 'corrupt'; readonly reason: string };

/**
 * The largest count or length a header may declare. llama.cpp refuses longer strings and arrays
 * (GGUF_MAX_STRING_LENGTH, GGUF_MAX_ARRAY_ELEMENTS, both 2^30); for key-value pairs and tensors,
 * whose count it bounds only by what memory can index, the same bound is this project's: 2^30 of
 * them would take at least 13 GiB (24 GiB) of header. A count over it is called damaged, not cut
 * short: no interrupted download of a real model declares it.
 */
export const GGUF_MAX_DECLARED = 2 ** 30;
/** GGML_MAX_DIMS in ggml.h: llama.cpp refuses a tensor info with more dimensions. */
export const GGML_MAX_DIMS = 4;

const TYPE_STRING = 8;
const TYPE_ARRAY = 9;
/** Bytes of each fixed-size value type (gguf.cpp's GGUF_TYPE_SIZE); 0: string or array. */
const FIXED_BYTES = [1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8];
const TYPE_NAMES = ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'float32', 'bool', 'string', 'array', 'uint64', 'int64', 'float64'];
/** The fewest bytes one value of each type takes: a string its length, an array its type and count. */
const minBytes = (type: number): number => (type === TYPE_STRING ? 8 : type === TYPE_ARRAY ? 12 : FIXED_BYTES[type]);
/** The fewest bytes of a key-value pair (empty key, one-byte value) and of a tensor info (empty name, no dims). */
const MIN_KV_BYTES = 8 + 4 + 1;
const MIN_TENSOR_BYTES = 8 + 4 + 4 + 8;
/** Enough of a key or tensor name to say which one is wrong; a longer one is skipped, not read. */
const NAME_BYTES = 200;

class HeaderFault extends Error {
  constructor(
    readonly kind: 'incomplete' | 'corrupt',
    readonly reason: string,
  ) {
    super(reason);
  }
}

const count = (value: number | bigint): string => value.toLocaleString('en-US');

class HeaderWalk {
  private position = 0;
  private readonly decoder = new TextDecoder('utf-8');
  /** The bytes at hand, from file offset `windowStart`. */
  private bytes: Uint8Array = new Uint8Array(0);
  private view = new DataView(this.bytes.buffer);
  private windowStart = 0;

  constructor(private readonly source: GgufByteSource) {}

  private get left(): number {
    return this.source.fileBytes - this.position;
  }

  /** Refuses `bytes` (at most 2^30 * 24, exact in a number) that the rest of the file cannot hold. */
  private need(bytes: number, what: () => string): void {
    if (bytes > this.left) throw this.cut(bytes, what());
  }

  private cut(bytes: number, what: string): HeaderFault {
    return new HeaderFault('incomplete', `${what} needs ${count(bytes)} bytes, the file has ${count(Math.max(0, this.left))} left after byte ${count(this.position)}`);
  }

  private tooLarge(at: number, what: string): HeaderFault {
    return new HeaderFault('corrupt', `${what} is declared as ${count(this.view.getBigUint64(at, true))}, more than a GGUF file can hold (${count(GGUF_MAX_DECLARED)})`);
  }

  /**
   * Where `length` bytes at the position start in `view` (checked against the file's size first);
   * the position moves past them. Synchronous while the window holds them.
   */
  private take(length: number, what: () => string): number | Promise<number> {
    this.need(length, what);
    const at = this.position - this.windowStart;
    this.position += length;
    if (at >= 0 && at + length <= this.bytes.length) return at;
    return this.refill(this.position - length, length);
  }

  private async refill(offset: number, length: number): Promise<number> {
    const bytes = await this.source.window(offset, length);
    if (bytes.length < length) throw new Error(`the file gave ${bytes.length} bytes at ${offset}, ${length} were asked`);
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    this.windowStart = offset;
    return 0;
  }

  /** Passes over `length` bytes whose values the walk does not need. */
  private skip(length: number, what: () => string): void {
    this.need(length, what);
    this.position += length;
  }

  private async u32(what: () => string): Promise<number> {
    const at = await this.take(4, what); // before reading this.view: a refill replaces it
    return this.view.getUint32(at, true);
  }

  /**
   * A u64 count or length, refused when over GGUF_MAX_DECLARED (damaged), then when `unitBytes`
   * per unit cannot fit in the rest of the file (cut). Read as two u32: no bigint.
   */
  private async declared(unitBytes: number, what: () => string): Promise<number> {
    const at = await this.take(8, what);
    const low = this.view.getUint32(at, true);
    if (this.view.getUint32(at + 4, true) !== 0 || low > GGUF_MAX_DECLARED) throw this.tooLarge(at, what());
    this.need(low * unitBytes, what);
    return low;
  }

  /** A key or tensor name: its first NAME_BYTES bytes, for messages; the rest is skipped. */
  private async name(what: () => string): Promise<string> {
    const length = await this.declared(1, what);
    const shown = Math.min(length, NAME_BYTES);
    const at = await this.take(shown, what);
    const text = this.decoder.decode(this.bytes.subarray(at, at + shown));
    this.position += length - shown;
    return length > shown ? `${text}…` : text;
  }

  async walk(): Promise<GgufHeaderBounds> {
    try {
      const at = await this.take(4, () => 'the magic "GGUF"');
      const magic = this.decoder.decode(this.bytes.subarray(at, at + 4));
      if (magic !== 'GGUF') throw new HeaderFault('corrupt', `the file starts with "${magic}", not "GGUF"`);
      const version = await this.u32(() => 'the GGUF version');
      // llama.cpp: 1 is no longer read, 0 and newer ones are refused; a big-endian file's 3 reads as 0x03000000.
      if (version !== 2 && version !== 3) {
        const endian = version !== 0 && (version & 0xffff) === 0 ? ' (a big-endian file?)' : '';
        throw new HeaderFault('corrupt', `GGUF version ${version}${endian}; llama.cpp reads versions 2 and 3`);
      }
      // Each count is refused alone, then both together.
      const tensors = await this.declared(MIN_TENSOR_BYTES, () => 'the number of tensors');
      const kvs = await this.declared(MIN_KV_BYTES, () => 'the number of key-value pairs');
      this.need(kvs * MIN_KV_BYTES + tensors * MIN_TENSOR_BYTES, () => `${count(kvs)} key-value pairs and ${count(tensors)} tensor infos`);
      for (let i = 0; i < kvs; i++) {
        const key = await this.name(() => `the key of key-value pair ${i + 1}`);
        const what = (): string => `key "${key}"`;
        await this.value(await this.u32(() => `the value type of ${what()}`), what);
      }
      for (let i = 0; i < tensors; i++) {
        const name = await this.name(() => `the name of tensor ${i + 1}`);
        const what = (): string => `tensor "${name}"`;
        const dims = await this.u32(() => `the number of dimensions of ${what()}`);
        if (dims > GGML_MAX_DIMS) throw new HeaderFault('corrupt', `${what()} has ${count(dims)} dimensions; llama.cpp reads at most ${GGML_MAX_DIMS}`);
        // Dimensions, ggml type and offset: their values are the completeness check's to judge.
        this.skip(dims * 8 + 4 + 8, () => `the shape, type and offset of ${what()}`);
      }
      return { kind: 'ok', headerBytes: this.position };
    } catch (error) {
      if (error instanceof HeaderFault) return { kind: error.kind, reason: error.reason };
      throw error;
    }
  }

  /** One value of `type`; nested arrays are walked with a stack, so their depth costs no recursion. */
  private async value(type: number, what: () => string): Promise<void> {
    const pending: { left: number }[] = [];
    for (;;) {
      if (type === TYPE_ARRAY) await this.array(what, pending);
      else if (type === TYPE_STRING) this.skip(await this.declared(1, () => `the string of ${what()}`), what);
      else if (type < FIXED_BYTES.length) this.skip(FIXED_BYTES[type], () => `the ${TYPE_NAMES[type]} value of ${what()}`);
      else throw new HeaderFault('corrupt', `${what()} has value type ${type}, which GGUF does not define`);
      while (pending.length > 0 && pending[pending.length - 1].left === 0) pending.pop();
      if (pending.length === 0) return;
      pending[pending.length - 1].left--;
      type = TYPE_ARRAY;
    }
  }

  /** An array's element type, count and elements; an array of arrays leaves its count on `pending`. */
  private async array(what: () => string, pending: { left: number }[]): Promise<void> {
    const elementType = await this.u32(() => `the element type of ${what()}`);
    if (elementType >= FIXED_BYTES.length) throw new HeaderFault('corrupt', `${what()} is an array of value type ${elementType}, which GGUF does not define`);
    const elements = await this.declared(minBytes(elementType), () => `the array of ${TYPE_NAMES[elementType]} values of ${what()}`);
    if (elementType === TYPE_ARRAY) {
      if (elements > 0) pending.push({ left: elements });
    } else if (elementType === TYPE_STRING) {
      await this.strings(elements, what);
    } else {
      this.position += elements * FIXED_BYTES[elementType]; // fits: declared() checked it
    }
  }

  /**
   * The hot loop of a vocabulary: each string's length is checked and its bytes skipped, unread;
   * no allocation while the window lasts (messages are built only on failure).
   */
  private async strings(elements: number, what: () => string): Promise<void> {
    const where = (i: number): string => `string ${count(i + 1)} of ${count(elements)} of ${what()}`;
    for (let i = 0; i < elements; i++) {
      if (this.left < 8) throw this.cut(8, where(i));
      let at = this.position - this.windowStart;
      if (at < 0 || at + 8 > this.bytes.length) at = await this.refill(this.position, 8);
      const length = this.view.getUint32(at, true);
      if (this.view.getUint32(at + 4, true) !== 0 || length > GGUF_MAX_DECLARED) throw this.tooLarge(at, where(i));
      this.position += 8;
      if (length > this.left) throw this.cut(length, where(i));
      this.position += length;
    }
  }
}

/** Checks the header's declared counts and lengths against the file's size, reading no more than the header. */
export function checkGgufHeaderBounds(source: GgufByteSource): Promise<GgufHeaderBounds> {
  return new HeaderWalk(source).walk();
}
