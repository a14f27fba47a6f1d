// What a GGUF header says about a model, from the metadata object node-llama-cpp's
// readGgufFileInfo returns (typed structurally here so src/core needs no node-llama-cpp), turned
// into the memory planner's input and a "what was found" summary for the user.
import { detectDialect } from '../harmony/dialect';
import type { ChatDialect } from '../harmony/types';
import { hasLlmJp4Layout } from '../tokenizer/vocabularyIdentity';
import type { CatalogFile, CatalogModel } from './catalog';
import type { ModelMemoryFacts } from './memoryPlanner';

/** The nested metadata object (`fileInfo.metadata`): `general.*`, `tokenizer.*`, `<arch>.*`. */
export type GgufMetadata = Readonly<Record<string, unknown>>;

/** One entry of `fileInfo.fullTensorInfo` / `tensorInfo`: name, dimensions, ggml type id. */
export interface GgufTensorFacts {
  readonly name: string;
  readonly dimensions: readonly (number | bigint)[];
  readonly ggmlType: number;
}

export interface GgufSummary {
  readonly architecture: string | undefined;
  readonly name: string | undefined;
  readonly layers: number | undefined;
  readonly hiddenSize: number | undefined;
  readonly heads: number | undefined;
  readonly kvHeads: number | undefined;
  readonly keyLength: number | undefined;
  readonly valueLength: number | undefined;
  readonly contextLength: number | undefined;
  readonly experts: { readonly count: number; readonly used: number } | undefined;
  readonly vocabularySize: number | undefined;
  readonly llmJp4Vocabulary: boolean;
  readonly hasChatTemplate: boolean;
  readonly dialect: ChatDialect;
  /** llama.cpp's file type name (`general.file_type`), e.g. Q4_K_M; undefined when absent/unknown. */
  readonly quantization: string | undefined;
  /** Bytes of one repeating layer (largest blk.N), when every tensor's type size is known. */
  readonly layerWeightsBytes: number | undefined;
  readonly tensorBytes: number | undefined;
}

/** llama.cpp's `llama_ftype` values as names. */
const FILE_TYPES: Readonly<Record<number, string>> = {
  0: 'F32', 1: 'F16', 2: 'Q4_0', 3: 'Q4_1', 7: 'Q8_0', 8: 'Q5_0', 9: 'Q5_1', 10: 'Q2_K', 11: 'Q3_K_S', 12: 'Q3_K_M',
  13: 'Q3_K_L', 14: 'Q4_K_S', 15: 'Q4_K_M', 16: 'Q5_K_S', 17: 'Q5_K_M', 18: 'Q6_K', 19: 'IQ2_XXS', 20: 'IQ2_XS',
  21: 'Q2_K_S', 22: 'IQ3_XS', 23: 'IQ3_XXS', 24: 'IQ1_S', 25: 'IQ4_NL', 26: 'IQ3_S', 27: 'IQ3_M', 28: 'IQ2_S',
  29: 'IQ2_M', 30: 'IQ4_XS', 31: 'IQ1_M', 32: 'BF16', 36: 'TQ1_0', 37: 'TQ2_0', 38: 'MXFP4_MOE',
};

/** ggml type id -> [bytes per block, elements per block]. */
const GGML_TYPE_BLOCKS: Readonly<Record<number, readonly [number, number]>> = {
  0: [4, 1], 1: [2, 1], 2: [18, 32], 3: [20, 32], 6: [22, 32], 7: [24, 32], 8: [34, 32], 9: [36, 32],
  10: [84, 256], 11: [110, 256], 12: [144, 256], 13: [176, 256], 14: [210, 256], 15: [292, 256],
  16: [66, 256], 17: [74, 256], 18: [98, 256], 19: [50, 256], 20: [18, 32], 21: [110, 256], 22: [82, 256],
  23: [136, 256], 24: [1, 1], 25: [2, 1], 26: [4, 1], 27: [8, 1], 28: [8, 1], 29: [56, 256], 30: [2, 1],
  34: [54, 256], 35: [66, 256], 39: [17, 32],
};

export function quantizationName(fileType: unknown): string | undefined {
  return typeof fileType === 'number' ? FILE_TYPES[fileType] : undefined;
}

/** A ggml type's [bytes per block, elements per block], or undefined for a type this table does not know. */
export function ggmlTypeBlock(ggmlType: number): readonly [number, number] | undefined {
  return GGML_TYPE_BLOCKS[ggmlType];
}

/** Bytes of a tensor, or undefined for a type this table does not know. */
export function tensorBytes(tensor: GgufTensorFacts): number | undefined {
  const block = GGML_TYPE_BLOCKS[tensor.ggmlType];
  if (!block) return undefined;
  const elements = tensor.dimensions.reduce<number>((product, dim) => product * Number(dim), 1);
  return Math.ceil(elements / block[1]) * block[0];
}

export function summarizeGguf(metadata: GgufMetadata, tensors?: readonly GgufTensorFacts[]): GgufSummary {
  const general = record(metadata.general);
  const architecture = typeof general.architecture === 'string' ? general.architecture : undefined;
  const arch = record(architecture ? metadata[architecture] : undefined);
  const attention = record(arch.attention);
  const tokenizer = record(metadata.tokenizer);
  const ggml = record(tokenizer.ggml);
  const tokens = Array.isArray(ggml.tokens) ? (ggml.tokens as unknown[]) : undefined;
  const template = typeof tokenizer.chat_template === 'string' ? tokenizer.chat_template : undefined;
  const heads = uniformCount(attention.head_count);
  const hiddenSize = count(arch.embedding_length);
  const derivedHead = heads && hiddenSize ? hiddenSize / heads : undefined;
  const expertCount = count(arch.expert_count);
  const expertUsed = count(arch.expert_used_count);
  const sizes = tensors ? tensorSizes(tensors) : undefined;
  return {
    architecture,
    name: typeof general.name === 'string' ? general.name : undefined,
    layers: count(arch.block_count),
    hiddenSize,
    heads,
    kvHeads: uniformCount(attention.head_count_kv) ?? heads,
    keyLength: count(attention.key_length) ?? derivedHead,
    valueLength: count(attention.value_length) ?? count(attention.key_length) ?? derivedHead,
    contextLength: count(arch.context_length),
    experts: expertCount && expertUsed ? { count: expertCount, used: expertUsed } : undefined,
    vocabularySize: tokens?.length ?? count(arch.vocab_size),
    llmJp4Vocabulary: tokens !== undefined && tokens.every((token) => typeof token === 'string') && hasLlmJp4Layout(tokens as string[]),
    hasChatTemplate: template !== undefined,
    dialect: detectDialect(template),
    quantization: quantizationName(general.file_type),
    layerWeightsBytes: sizes?.layer,
    tensorBytes: sizes?.total,
  };
}

/**
 * The planner's input from a header summary; undefined (with the missing keys) when the header
 * lacks what the KV cache size needs.
 */
export function memoryFactsFromGguf(
  summary: GgufSummary,
  fileSizeBytes: number,
  label: string,
): { readonly facts: ModelMemoryFacts } | { readonly missing: readonly string[] } {
  const required = {
    layers: summary.layers, kvHeads: summary.kvHeads, keyLength: summary.keyLength,
    contextLength: summary.contextLength, hiddenSize: summary.hiddenSize, vocabularySize: summary.vocabularySize,
  };
  const missing = Object.entries(required).filter(([, value]) => value === undefined).map(([key]) => key);
  if (missing.length > 0) return { missing };
  return {
    facts: {
      label,
      layers: required.layers!,
      kvHeads: required.kvHeads!,
      keyLength: required.keyLength!,
      valueLength: summary.valueLength,
      trainContextLength: required.contextLength!,
      hiddenSize: required.hiddenSize!,
      vocabularySize: required.vocabularySize!,
      weightsBytes: summary.tensorBytes ?? fileSizeBytes,
      layerWeightsBytes: summary.layerWeightsBytes,
    },
  };
}

/** The planner's input before download, from the catalog's shape and the file's (approximate) size. */
export function memoryFactsFromCatalog(model: CatalogModel, file: CatalogFile): ModelMemoryFacts | undefined {
  const weightsBytes = file.sizeBytes ?? file.approxSizeBytes;
  if (weightsBytes === null) return undefined;
  return {
    label: `${model.displayName} ${file.quantization}`,
    layers: model.layers,
    kvHeads: model.kvHeads,
    keyLength: model.headDim,
    trainContextLength: model.contextLength,
    hiddenSize: model.hiddenSize,
    vocabularySize: model.vocabularySize,
    weightsBytes,
  };
}

function tensorSizes(tensors: readonly GgufTensorFacts[]): { layer: number | undefined; total: number | undefined } {
  let total = 0;
  const perLayer = new Map<string, number>();
  for (const tensor of tensors) {
    const bytes = tensorBytes(tensor);
    if (bytes === undefined) return { layer: undefined, total: undefined };
    total += bytes;
    const layer = /^blk\.(\d+)\./.exec(tensor.name)?.[1];
    if (layer !== undefined) perLayer.set(layer, (perLayer.get(layer) ?? 0) + bytes);
  }
  return { layer: perLayer.size > 0 ? Math.max(...perLayer.values()) : undefined, total };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function count(value: unknown): number | undefined {
  const number = typeof value === 'bigint' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number > 0 ? number : undefined;
}

/** A per-layer array (some architectures vary it) counts by its largest entry. */
function uniformCount(value: unknown): number | undefined {
  if (Array.isArray(value)) {
    const counts = value.map(count).filter((entry): entry is number => entry !== undefined);
    return counts.length > 0 ? Math.max(...counts) : undefined;
  }
  return count(value);
}
