import { availableParallelism } from 'node:os';

/**
 * CPU threads for llama.cpp. Token generation is memory-bound: beyond one thread per physical
 * core, threads only contend, and on small (often hyper-threaded, shared) machines the contention
 * is severe — on a 2-vCPU machine 1 thread ran 15-60x faster than node-llama-cpp's default of 4.
 * Logical CPUs are usually two per physical core, so use half of them.
 */
export function chooseThreads(logicalCpus = availableParallelism()): number {
  return Math.max(1, Math.floor(logicalCpus / 2));
}
