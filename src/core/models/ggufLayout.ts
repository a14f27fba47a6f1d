// Whether a GGUF file holds all the bytes its header promises. A download cut off after the
// header parses as a valid model (the header is all a reader looks at), and llama.cpp would
// only notice at load time; this tells "incomplete" from the header and the file's size alone.
import { ggmlTypeBlock, type GgufTensorFacts } from './ggufSummary';

/** GGUF's alignment when `general.alignment` is absent. */
export const GGUF_DEFAULT_ALIGNMENT = 32;

/** A tensor info with its data offset, relative to the start of the tensor data section. */
export interface GgufTensorPlacement extends GgufTensorFacts {
  readonly offset: number | bigint;
}

export interface GgufLayout {
  /**
   * Where the header (metadata and tensor infos) ends; the data section starts at the next
   * multiple of the alignment (node-llama-cpp's `infoEndOffset` is already that multiple).
   */
  readonly infoEndBytes: number;
  /** `general.alignment` as the header has it (undefined: absent). */
  readonly alignment: unknown;
  /** The tensors this file holds (for a split model, this part's own). */
  readonly tensors: readonly GgufTensorPlacement[];
}

export type GgufCompleteness =
  | { readonly kind: 'complete' }
  /**
   * The file ends before the data the header describes: `expectedBytes` is a lower bound, or
   * undefined when the file ends inside the header itself (its tensor infos were then read from
   * past the end of the file, so they say nothing about the size).
   */
  | { readonly kind: 'incomplete'; readonly expectedBytes: number | undefined; readonly fileBytes: number }
  /** The header contradicts itself in a way no complete file can fix. */
  | { readonly kind: 'invalid'; readonly reason: string };

/**
 * Compares the file's size with the end of the last tensor's data. Arithmetic is in bigint: a
 * hostile header can claim sizes past 2^53, and a float rounding must not make it look complete.
 * A tensor of a ggml type this project does not know counts from its offset only, so an
 * unfamiliar but complete file is never called incomplete.
 */
export function checkGgufCompleteness(layout: GgufLayout, fileBytes: number): GgufCompleteness {
  const alignment = layout.alignment === undefined ? BigInt(GGUF_DEFAULT_ALIGNMENT) : asBigInt(layout.alignment);
  if (alignment === undefined || alignment <= 0n || (alignment & (alignment - 1n)) !== 0n) {
    return { kind: 'invalid', reason: `general.alignment is ${String(layout.alignment)}, not a power of two` };
  }
  const infoEnd = asBigInt(layout.infoEndBytes);
  if (infoEnd === undefined || infoEnd < 0n) return { kind: 'invalid', reason: `the header's size is ${layout.infoEndBytes}` };
  const dataStart = ((infoEnd + alignment - 1n) / alignment) * alignment;
  if (BigInt(fileBytes) < dataStart) return { kind: 'incomplete', expectedBytes: undefined, fileBytes };
  let end = dataStart;
  for (const tensor of layout.tensors) {
    const offset = asBigInt(tensor.offset);
    if (offset === undefined || offset < 0n) return { kind: 'invalid', reason: `tensor "${tensor.name}" has offset ${String(tensor.offset)}` };
    const tensorEnd = dataStart + offset + dataBytes(tensor);
    if (tensorEnd > end) end = tensorEnd;
  }
  return BigInt(fileBytes) >= end ? { kind: 'complete' } : { kind: 'incomplete', expectedBytes: Number(end), fileBytes };
}

/** The tensor's data size, or 0 (a lower bound) for a ggml type this project does not know. */
function dataBytes(tensor: GgufTensorFacts): bigint {
  const block = ggmlTypeBlock(tensor.ggmlType);
  if (!block) return 0n;
  let elements = 1n;
  for (const dim of tensor.dimensions) elements *= asBigInt(dim) ?? 0n;
  const [blockBytes, blockElements] = block.map(BigInt);
  return ((elements + blockElements - 1n) / blockElements) * blockBytes;
}

function asBigInt(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value;
  return typeof value === 'number' && Number.isSafeInteger(value) ? BigInt(value) : undefined;
}
