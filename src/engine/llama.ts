import type { Llama } from 'node-llama-cpp';

export interface RuntimeOptions {
  /** `false` forces the CPU; `'auto'` picks CUDA, Vulkan or Metal when a usable GPU is present. */
  readonly gpu: 'auto' | false;
}

/**
 * Loads llama.cpp through node-llama-cpp's prebuilt binaries. It never builds from source at
 * run time: a user's editor must not start a compiler.
 */
export async function loadRuntime(options: RuntimeOptions): Promise<Llama> {
  // node-llama-cpp is ESM-only with top-level await; a dynamic import is the only way in from CommonJS.
  const { getLlama } = await import('node-llama-cpp');
  return getLlama({ gpu: options.gpu, build: 'never', progressLogs: false });
}
