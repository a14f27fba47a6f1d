// How much memory a model needs and what fits on this machine: the weights, the KV cache (which
// grows with the context), and an allowance for llama.cpp's compute buffers. Pure arithmetic so
// the extension host can plan before loading anything. Sizes in GB are 10^9 bytes, as Hugging Face
// lists file sizes.
import type { LocalizedText } from '../generation/types';
import { formatByteSize } from './byteSize';

export interface ModelMemoryFacts {
  /** Shown in the sentence, e.g. "LLM-jp-4 8B Q4_K_M". */
  readonly label: string;
  readonly layers: number;
  readonly kvHeads: number;
  /** Per-head K width (`<arch>.attention.key_length`). */
  readonly keyLength: number;
  /** Per-head V width; defaults to keyLength. */
  readonly valueLength?: number;
  readonly trainContextLength: number;
  readonly vocabularySize: number;
  readonly hiddenSize: number;
  /** Total weights: the file size, or the sum of the tensor sizes. */
  readonly weightsBytes: number;
  /** Weights of one repeating layer (blk.N.*), when the tensor table was read; else estimated. */
  readonly layerWeightsBytes?: number;
}

export interface DeviceMemory {
  readonly gpu?: { readonly name?: string; readonly totalBytes: number; readonly freeBytes: number };
  readonly ramTotalBytes: number;
  readonly ramFreeBytes: number;
}

export interface PlanOptions {
  /** Bytes per cached K/V element: 2 for F16 (the default), 1 for Q8_0-ish caches. */
  readonly kvBytesPerElement?: number;
  /** Upper bound for the context, e.g. the user's setting; default the training context. */
  readonly maxContext?: number;
  /** Smallest context worth running; default 2,048. */
  readonly minContext?: number;
  /** Tokens evaluated per step; sizes the compute buffers. Default 512 (llama.cpp's ubatch). */
  readonly batchSize?: number;
}

export type PlanMode = 'gpu-full' | 'gpu-partial' | 'cpu' | 'does-not-fit';

export interface MemoryPlan {
  readonly mode: PlanMode;
  readonly contextSize: number;
  /** Repeating layers placed on the GPU (0 .. layers). */
  readonly gpuLayers: number;
  readonly layers: number;
  readonly weightsBytes: number;
  readonly kvBytesPerToken: number;
  /** KV cache at contextSize. */
  readonly kvBytes: number;
  /** KV cache at the training context, for the sentence. */
  readonly kvBytesAtTrainContext: number;
  readonly computeBytes: number;
  /** Weights + KV + compute at contextSize. */
  readonly totalBytes: number;
  readonly summary: LocalizedText;
}

export const MIN_CONTEXT = 2048;
/** A partially offloaded model runs at CPU-bound speed; a longer context would only slow it more. */
export const PARTIAL_OFFLOAD_CONTEXT = 8192;
/** Left free on the GPU for the driver, the desktop and fragmentation. */
export const GPU_RESERVE_BYTES = 512 * 1024 * 1024;
/** Left free in RAM for the editor and the OS. */
export const RAM_RESERVE_BYTES = 1024 * 1024 * 1024;
const DEFAULT_BATCH = 512;
const FLOAT_BYTES = 4;

/** K and V for one token over all layers: layers x KV heads x (K + V width) x bytes per element. */
export function kvBytesPerToken(facts: Pick<ModelMemoryFacts, 'layers' | 'kvHeads' | 'keyLength' | 'valueLength'>, bytesPerElement = 2): number {
  return facts.layers * facts.kvHeads * (facts.keyLength + (facts.valueLength ?? facts.keyLength)) * bytesPerElement;
}

/**
 * llama.cpp's compute buffers: the logits of a batch (vocabulary x batch floats) plus activations
 * of a batch (a few hidden-size rows per token). An allowance, not a measurement.
 */
export function computeAllowanceBytes(facts: Pick<ModelMemoryFacts, 'vocabularySize' | 'hiddenSize'>, batchSize = DEFAULT_BATCH): number {
  return batchSize * (facts.vocabularySize + 8 * facts.hiddenSize) * FLOAT_BYTES + 64 * 1024 * 1024;
}

/** Context sizes to try, largest first: the cap, then powers of two below it, down to the minimum. */
export function contextCandidates(trainContext: number, maxContext = trainContext, minContext = MIN_CONTEXT): number[] {
  const top = Math.max(1, Math.min(trainContext, maxContext));
  if (top <= minContext) return [top];
  const candidates = [top];
  let step = 2 ** Math.floor(Math.log2(top));
  if (step === top) step /= 2;
  for (; step >= minContext; step /= 2) candidates.push(step);
  return candidates;
}

export function planMemory(facts: ModelMemoryFacts, device: DeviceMemory, options: PlanOptions = {}): MemoryPlan {
  const perToken = kvBytesPerToken(facts, options.kvBytesPerElement ?? 2);
  const compute = computeAllowanceBytes(facts, options.batchSize);
  const layerWeights = facts.layerWeightsBytes ?? estimatedLayerWeights(facts);
  const nonLayerWeights = Math.max(0, facts.weightsBytes - layerWeights * facts.layers);
  const candidates = contextCandidates(facts.trainContextLength, options.maxContext, options.minContext);
  const kvAt = (context: number): number => perToken * context;
  const build = (mode: PlanMode, contextSize: number, gpuLayers: number): MemoryPlan => {
    const plan = {
      mode, contextSize, gpuLayers, layers: facts.layers, weightsBytes: facts.weightsBytes, kvBytesPerToken: perToken,
      kvBytes: kvAt(contextSize), kvBytesAtTrainContext: kvAt(facts.trainContextLength), computeBytes: compute,
      totalBytes: facts.weightsBytes + kvAt(contextSize) + compute,
    };
    return { ...plan, summary: describePlan(facts.label, plan, device) };
  };

  const gpuBudget = device.gpu ? device.gpu.freeBytes - GPU_RESERVE_BYTES : 0;
  const ramBudget = device.ramFreeBytes - RAM_RESERVE_BYTES;
  if (gpuBudget > 0) {
    // Everything on the GPU; the model file is memory-mapped, so RAM holds only a transient copy.
    const full = candidates.find((context) => facts.weightsBytes + kvAt(context) + compute <= gpuBudget);
    if (full !== undefined) return build('gpu-full', full, facts.layers);
    const partialContexts = candidates.filter((context) => context <= PARTIAL_OFFLOAD_CONTEXT);
    for (const context of partialContexts.length > 0 ? partialContexts : [candidates[candidates.length - 1]]) {
      const perLayer = layerWeights + kvAt(context) / facts.layers;
      const gpuLayers = Math.min(facts.layers - 1, Math.floor((gpuBudget - compute) / perLayer));
      if (gpuLayers < 1) break;
      const onCpu = (facts.layers - gpuLayers) * perLayer + nonLayerWeights + compute;
      if (onCpu <= ramBudget) return build('gpu-partial', context, gpuLayers);
    }
  }
  const cpu = candidates.find((context) => facts.weightsBytes + kvAt(context) + compute <= ramBudget);
  if (cpu !== undefined) return build('cpu', cpu, 0);
  return build('does-not-fit', candidates[candidates.length - 1], 0);
}

/**
 * Without a tensor table: the embedding and output matrices (2 x vocabulary x hidden weights)
 * are outside the layers; the rest is split evenly. Their share of the file is estimated from
 * the weight count implied by the layer shape, which is close enough for a layer count.
 */
function estimatedLayerWeights(facts: ModelMemoryFacts): number {
  const nonLayerWeights = 2 * facts.vocabularySize * facts.hiddenSize;
  const layerWeightsGuess = 12 * facts.hiddenSize * facts.hiddenSize;
  const share = (facts.layers * layerWeightsGuess) / (facts.layers * layerWeightsGuess + nonLayerWeights);
  return (facts.weightsBytes * share) / facts.layers;
}

/**
 * A second context sequence (two requests at once) doubles the KV cache, and llama.cpp clears
 * all of it at load, so it is resident from the start. It is taken only when it costs at most
 * this share of the memory still free with the model loaded: parallel requests are a
 * convenience that must not crowd out the editor and the rest of the machine.
 */
export const PARALLEL_SHARE = 0.25;

export function roomForParallelRequests(extraBytes: number, freeBytes: number): boolean {
  return extraBytes <= freeBytes * PARALLEL_SHARE;
}

/** One decimal GB (10^9 bytes). The sentences use formatByteSize, so a tiny test model reads in KB, not "0.0 GB". */
export function formatGigabytes(bytes: number): string {
  return `${(bytes / 1e9).toFixed(1)} GB`;
}

function describePlan(label: string, plan: Omit<MemoryPlan, 'summary'>, device: DeviceMemory): LocalizedText {
  const tokens = plan.contextSize.toLocaleString('en-US');
  const trainTokens = (plan.kvBytesAtTrainContext / plan.kvBytesPerToken).toLocaleString('en-US');
  const head = `${label}: ${formatByteSize(plan.weightsBytes)} weights + ${formatByteSize(plan.kvBytesAtTrainContext)} KV cache at ${trainTokens} tokens`;
  const headJa = `${label}: 重み ${formatByteSize(plan.weightsBytes)} + KV キャッシュ ${formatByteSize(plan.kvBytesAtTrainContext)}（${trainTokens} トークン）`;
  const gpu = device.gpu ? formatByteSize(device.gpu.totalBytes) : '';
  const ram = formatByteSize(device.ramTotalBytes);
  switch (plan.mode) {
    case 'gpu-full':
      return {
        en: `${head}; your ${gpu} GPU fits ${tokens} tokens with all layers offloaded.`,
        ja: `${headJa}。${gpu} の GPU に全レイヤーを載せて ${tokens} トークンまで使えます。`,
      };
    case 'gpu-partial':
      return {
        en: `${head}; your ${gpu} GPU holds ${plan.gpuLayers} of ${plan.layers} layers, the rest runs on the CPU, at ${tokens} tokens.`,
        ja: `${headJa}。${gpu} の GPU に ${plan.layers} レイヤー中 ${plan.gpuLayers} を載せ、残りを CPU で動かします（${tokens} トークン）。`,
      };
    case 'cpu':
      return {
        en: `${head}; runs on the CPU in your ${ram} of memory at ${tokens} tokens.`,
        ja: `${headJa}。CPU とメモリ ${ram} で ${tokens} トークンまで動かせます。`,
      };
    case 'does-not-fit':
      return {
        en: `${head}; even at ${tokens} tokens it needs ${formatByteSize(plan.totalBytes)}, more than this machine has free. Choose a smaller model or quantization.`,
        ja: `${headJa}。${tokens} トークンでも ${formatByteSize(plan.totalBytes)} 必要で、このマシンの空きメモリを超えます。より小さいモデルか量子化を選んでください。`,
      };
  }
}
