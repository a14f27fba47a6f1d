// Opens a GGUF file with llama.cpp, turning every way it can fail into a clear EngineError.
import { open, stat } from 'node:fs/promises';
import { freemem } from 'node:os';
import type { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp';
import { detectDialect } from '../core/harmony';
import type { ChatDialect } from '../core/harmony/types';
import { engineError } from '../core/generation/errors';
import type { EngineError, LocalizedText } from '../core/generation/types';
import {
  checkGgufCompleteness, checkGgufHeaderBounds, formatByteSize, roomForParallelRequests, summarizeGguf, type DeviceMemory, type GgufMetadata, type GgufSummary, type GgufTensorFacts, type GgufTensorPlacement,
} from '../core/models';
import { createCodec, type TokenCodec } from './codec';
import { DecodeLoop } from './decodeLoop';
import { fileByteSource } from './ggufFileSource';
import type { LoadOptions, ModelInfo } from './protocol';
import { chooseThreads } from './threads';

export interface LoadedModel {
  readonly llama: Llama;
  readonly model: LlamaModel;
  readonly context: LlamaContext;
  /** Every decode of the context goes through it (see decodeLoop.ts). */
  readonly decoder: DecodeLoop;
  readonly codec: TokenCodec;
  readonly template: string | undefined;
  readonly info: ModelInfo;
}

export class EngineFailure extends Error {
  constructor(readonly error: EngineError) {
    super(error.message.en);
  }
}

type Log = (level: 'info' | 'warn' | 'error', message: string) => void;

const llamas = new Map<string, Promise<Llama>>();
/** llama.cpp's last error lines: its C++ errors reach JavaScript only as "Failed to load model". */
const recentErrors: string[] = [];

function rememberError(message: string): void {
  recentErrors.push(message);
  if (recentErrors.length > 20) recentErrors.shift();
}

async function runtime(gpu: 'auto' | false, log: Log): Promise<Llama> {
  const key = String(gpu);
  let llama = llamas.get(key);
  if (!llama) {
    llama = import('node-llama-cpp').then(({ getLlama, LlamaLogLevel }) =>
      getLlama({
        gpu,
        build: 'never',
        progressLogs: false,
        logLevel: LlamaLogLevel.warn,
        logger: (level, message) => {
          const isError = level === LlamaLogLevel.error || level === LlamaLogLevel.fatal;
          if (isError) rememberError(message.trim());
          log(isError ? 'error' : 'warn', message.trim());
        },
      }),
    );
    llamas.set(key, llama);
  }
  return llama;
}

/** Why a path cannot be read, as the user can act on it: missing, or not theirs to read. */
function unreadable(path: string, error: unknown): EngineFailure {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return new EngineFailure(engineError('model-not-found', path, String(error)));
  if (code === 'EACCES' || code === 'EPERM') return new EngineFailure(engineError('model-permission-denied', path, String(error)));
  return new EngineFailure(engineError('internal', path, String(error)));
}

/**
 * Names a path that is not a GGUF file before anything reads it: stat first, because opening a
 * named pipe blocks until a writer appears, and reading a folder fails with a bare EISDIR. Then
 * walks the header's counts and lengths against the file's size (ggufHeaderBounds), because
 * node-llama-cpp's reader trusts them: a 49-byte file declaring 2^32 values crashed the worker.
 */
async function checkGgufFile(path: string): Promise<number> {
  let stats, handle;
  try {
    stats = await stat(path);
  } catch (error) {
    throw unreadable(path, error);
  }
  if (stats.isDirectory()) throw new EngineFailure(engineError('model-is-folder', path));
  if (!stats.isFile()) throw new EngineFailure(engineError('not-gguf', path, 'not a regular file'));
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreadable(path, error);
  }
  try {
    const magic = Buffer.alloc(4);
    const { bytesRead } = await handle.read(magic, 0, 4, 0);
    if (bytesRead < 4 || magic.toString('latin1') !== 'GGUF') throw new EngineFailure(engineError('not-gguf', path));
    const bounds = await checkGgufHeaderBounds(fileByteSource(handle, stats.size));
    // Cut inside its header: the size it should have is unknown (expected '').
    if (bounds.kind === 'incomplete') throw new EngineFailure(engineError('model-incomplete', [path, '', String(stats.size)], bounds.reason));
    if (bounds.kind === 'corrupt') throw new EngineFailure(engineError('model-corrupt', [path, bounds.reason], bounds.reason));
  } finally {
    await handle.close();
  }
  return stats.size;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

// How llama.cpp and node-llama-cpp say that memory ran out (mmap's ENOMEM included).
const MEMORY_ERROR = /InsufficientMemory|out of memory|not enough memory|failed to allocate|Cannot allocate memory|ENOMEM|bad_alloc|ErrorOutOfDeviceMemory|cudaMalloc/i;

function isMemoryError(text: string): boolean {
  return MEMORY_ERROR.test(text);
}

/** What node-llama-cpp estimates a context takes (RAM and VRAM together). */
async function contextBytes(model: LlamaModel, contextSize: number, sequences: number): Promise<number> {
  const need = await model.fileInsights.estimateContextResourceRequirementsV2({ contextSize, modelGpuLayers: model.gpuLayers, sequences });
  return need.cpuRam + need.gpuVram;
}

/** The GPU llama.cpp would use (if any) with its free memory, and the machine's RAM. */
export async function detectDevice(gpu: 'auto' | false, log: Log): Promise<DeviceMemory> {
  const llama = await runtime(gpu, log);
  const ram = await llama.getRamState();
  const device: DeviceMemory = { ramTotalBytes: ram.total, ramFreeBytes: ram.free };
  if (llama.gpu === false) return device;
  const vram = await llama.getVramState();
  const [name] = await llama.getGpuDeviceNames();
  return { ...device, gpu: { ...(name !== undefined ? { name } : {}), totalBytes: vram.total, freeBytes: vram.free } };
}

/**
 * What a GGUF file's header says, read without loading the model; refused when the file ends
 * before the tensor data the header describes, as an interrupted download does (node-llama-cpp's
 * reader reads past the end of a file as zeros, so a cut header parses too).
 */
export async function inspectModel(modelPath: string): Promise<{ summary: GgufSummary; fileBytes: number }> {
  const fileBytes = await checkGgufFile(modelPath);
  const { readGgufFileInfo } = await import('node-llama-cpp');
  let fileInfo;
  try {
    fileInfo = await readGgufFileInfo(modelPath, { readTensorInfo: true, logWarnings: false });
  } catch (error) {
    throw new EngineFailure(engineError('model-corrupt', [modelPath, error instanceof Error ? error.message : String(error)], describe(error)));
  }
  const metadata = fileInfo.metadata as unknown as GgufMetadata;
  const layout = {
    infoEndBytes: fileInfo.infoEndOffset ?? Number.NaN,
    alignment: (metadata.general as { alignment?: unknown } | undefined)?.alignment,
    tensors: (fileInfo.tensorInfo ?? []) as unknown as GgufTensorPlacement[],
  };
  const completeness = checkGgufCompleteness(layout, fileBytes);
  if (completeness.kind === 'incomplete') {
    throw new EngineFailure(engineError('model-incomplete', [modelPath, String(completeness.expectedBytes ?? ''), String(fileBytes)]));
  }
  if (completeness.kind === 'invalid') throw new EngineFailure(engineError('model-corrupt', [modelPath, completeness.reason]));
  const summary = summarizeGguf(metadata, fileInfo.fullTensorInfo as unknown as GgufTensorFacts[]);
  return { summary, fileBytes };
}

/** llama.cpp's own reason, without its function-name prefixes ("llama_model_load: error loading model: "). */
function llamaReason(lines: readonly string[]): string | undefined {
  const line = lines.find((entry) => /error loading model/i.test(entry));
  return line?.replace(/^.*?error loading model:\s*/i, '').trim() || undefined;
}

export async function loadModel(options: LoadOptions, log: Log): Promise<LoadedModel> {
  const architecture = (await inspectModel(options.modelPath)).summary.architecture ?? 'unknown';

  const llama = await runtime(options.gpu, log);
  let model: LlamaModel;
  recentErrors.length = 0;
  try {
    model = await llama.loadModel({ modelPath: options.modelPath, gpuLayers: 'auto' });
  } catch (error) {
    // llama.cpp's log lines reach JavaScript asynchronously, after the rejection: let them arrive
    // (bounded: a failure that logged nothing is classified after half a second).
    for (let waited = 0; recentErrors.length === 0 && waited < 500; waited += 25) await new Promise((resolve) => setTimeout(resolve, 25));
    await new Promise((resolve) => setTimeout(resolve, 25));
    const text = [describe(error), ...recentErrors].join('\n');
    if (/unknown (model )?architecture/i.test(text)) throw new EngineFailure(engineError('unsupported-architecture', architecture, text));
    if (isMemoryError(text)) throw new EngineFailure(engineError('out-of-memory', '', text));
    const reason = llamaReason(recentErrors);
    throw new EngineFailure(engineError('model-corrupt', reason !== undefined ? [options.modelPath, reason] : options.modelPath, text));
  }

  const threads = options.threads ?? chooseThreads();
  const trainContextSize = model.trainContextSize;
  const wantedContext = Math.min(options.contextSize ?? trainContextSize, trainContextSize);
  let sequences = Math.max(1, options.sequences ?? 1);
  let context: LlamaContext | undefined;
  if (sequences > 1) {
    // A second sequence lets two surfaces generate at once (a chat answer and a commit message),
    // but never at the cost of the context (each gets the whole of it) nor of the machine's
    // memory (roomForParallelRequests); else the model loads with one.
    try {
      const extra = (await contextBytes(model, wantedContext, sequences)) - (await contextBytes(model, wantedContext, 1));
      const onGpu = llama.gpu !== false && model.gpuLayers === model.fileInsights.totalLayers;
      const free = onGpu ? (await llama.getVramState()).free : freemem();
      if (!roomForParallelRequests(extra, free)) throw new Error(`it would take ${formatByteSize(extra)} of the ${formatByteSize(free)} free`);
      context = await model.createContext({ contextSize: wantedContext, sequences, threads, failedCreationRemedy: false });
    } catch (error) {
      log('info', `no room for ${sequences} sequences of ${wantedContext} tokens (${describe(error).split('\n')[0]}): one sequence, further requests wait their turn`);
      sequences = 1;
    }
  }
  try {
    context ??= await model.createContext({
      contextSize: { min: Math.min(512, trainContextSize), max: wantedContext },
      sequences,
      threads,
    });
  } catch (error) {
    await model.dispose();
    if (isMemoryError(describe(error))) throw new EngineFailure(engineError('out-of-memory', '', describe(error)));
    throw new EngineFailure(engineError('internal', '', describe(error)));
  }

  const codec = createCodec(model);
  const template = model.fileInfo.metadata.tokenizer?.chat_template;
  const dialect: ChatDialect = template !== undefined ? detectDialect(template) : codec.exact ? 'llm-jp-4.0' : 'llm-jp-3';
  const notices: LocalizedText[] = [];
  if (!codec.exact && dialect !== 'llm-jp-3') {
    notices.push({
      en: "This model's vocabulary is not LLM-jp-4's, so the exact LLM-jp tokenizer is off and llama.cpp's tokenizer is used.",
      ja: 'このモデルの語彙は LLM-jp-4 のものではないため、LLM-jp 専用の正確なトークナイザーは使わず llama.cpp のトークナイザーを使います。',
    });
  }
  const totalLayers = model.fileInsights.totalLayers;
  if (llama.gpu !== false && model.gpuLayers < totalLayers) {
    notices.push({
      en: `Not enough GPU memory for the whole model: ${model.gpuLayers} of ${totalLayers} layers run on the GPU, the rest on the CPU (slower).`,
      ja: `GPU メモリが足りないため、${totalLayers} 層のうち ${model.gpuLayers} 層を GPU で、残りを CPU で実行します（遅くなります）。`,
    });
  }

  const info: ModelInfo = {
    path: options.modelPath,
    name: model.fileInfo.metadata.general?.name,
    architecture,
    dialect,
    exactTokenizer: codec.exact,
    hasChatTemplate: template !== undefined,
    trainContextSize,
    contextSize: context.contextSize,
    gpu: llama.gpu,
    gpuDevices: llama.gpu === false ? [] : await llama.getGpuDeviceNames(),
    gpuLayers: model.gpuLayers,
    totalLayers,
    threads,
    sequences,
    notices,
  };
  log('info', `loaded ${options.modelPath}: ${architecture}, ${info.contextSize} tokens of context, ${llama.gpu || 'cpu'}, ${info.gpuLayers}/${totalLayers} layers on GPU, ${threads} threads`);
  return { llama, model, context, decoder: new DecodeLoop(context), codec, template, info };
}
