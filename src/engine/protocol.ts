// Messages between the extension-side client and the worker process that runs llama.cpp.
// One union per direction; every request carries an id, and cancellation names that id.
import type { ChatDialect } from '../core/harmony/types';
import type { DeviceMemory, GgufSummary } from '../core/models';
import type { EngineError, EngineEvent, GenerateRequest, LocalizedText } from '../core/generation/types';

export interface LoadOptions {
  readonly modelPath: string;
  /** `false` forces the CPU; `'auto'` uses CUDA, Vulkan or Metal when a usable GPU is present. */
  readonly gpu: 'auto' | false;
  /** Upper bound for the context size; default the model's training context (65,536 for LLM-jp-4). */
  readonly contextSize?: number;
  /** CPU threads for llama.cpp; default chosen for the machine (see chooseThreads). */
  readonly threads?: number;
  /**
   * Context sequences: requests beyond this many wait in a queue. Default 1. More than one are
   * taken only where memory holds each at the full context; else the model loads with one.
   */
  readonly sequences?: number;
}

export interface ModelInfo {
  readonly path: string;
  readonly name?: string;
  readonly architecture: string;
  readonly dialect: ChatDialect;
  /** Whether prompts are tokenized with the exact LLM-jp-4 tokenizer (else llama.cpp's). */
  readonly exactTokenizer: boolean;
  readonly hasChatTemplate: boolean;
  readonly trainContextSize: number;
  /** The context size actually allocated. */
  readonly contextSize: number;
  /** 'cuda' | 'vulkan' | 'metal' | false (CPU). */
  readonly gpu: string | false;
  readonly gpuDevices: readonly string[];
  readonly gpuLayers: number;
  readonly totalLayers: number;
  readonly threads: number;
  readonly sequences: number;
  /** Things the user should know about this model (fallbacks taken). */
  readonly notices: readonly LocalizedText[];
  /** Set for a model on an OpenAI-compatible server: its host (the rest of the facts are not known here). */
  readonly server?: string;
}

export type ClientMessage =
  | { readonly type: 'load'; readonly id: string; readonly options: LoadOptions }
  /** Read a GGUF file's header without loading it. */
  | { readonly type: 'inspect'; readonly id: string; readonly modelPath: string }
  /** The GPU and memory llama.cpp sees, for planning which model fits. */
  | { readonly type: 'device'; readonly id: string; readonly gpu: 'auto' | false }
  | { readonly type: 'unload'; readonly id: string }
  /** Token counts of texts as the loaded model reads them inside a message (no BOS, no structure). */
  | { readonly type: 'count'; readonly id: string; readonly texts: readonly string[] }
  | { readonly type: 'generate'; readonly id: string; readonly request: GenerateRequest }
  | { readonly type: 'cancel'; readonly id: string };

export type WorkerMessage =
  | { readonly type: 'ready'; readonly pid: number }
  | { readonly type: 'loaded'; readonly id: string; readonly info: ModelInfo }
  | { readonly type: 'unloaded'; readonly id: string }
  | { readonly type: 'inspected'; readonly id: string; readonly summary: GgufSummary; readonly fileBytes: number }
  | { readonly type: 'device'; readonly id: string; readonly device: DeviceMemory }
  | { readonly type: 'counted'; readonly id: string; readonly tokens: readonly number[] }
  | { readonly type: 'failed'; readonly id: string; readonly error: EngineError }
  /** A generate request's stream; it always ends with a `done` or `error` event. */
  | { readonly type: 'event'; readonly id: string; readonly event: EngineEvent }
  | { readonly type: 'log'; readonly level: 'info' | 'warn' | 'error'; readonly message: string };
