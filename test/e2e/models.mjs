// Generated GGUF models for the e2e tests (the engine tests' generator, compiled by tsc).
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from '../../scripts/code-server.mjs';

const models = createRequire(import.meta.url)(path.join(repoRoot, 'out', 'test', 'engine', 'models.js'));

export const GREETING_SCRIPT =
  '<|channel|>analysis<|message|>挨拶には挨拶で返します。<|end|><|start|>assistant<|channel|>final<|message|>こんにちは！ご用件は何でしょう？<|return|>';

/** Paths of the models the e2e suites use, written once. */
export function e2eModels() {
  return {
    tame: models.tamePlainModel(),
    greeting: models.scriptedModel('scripted-greeting', { turns: [GREETING_SCRIPT] }),
  };
}

/** Settings that point the extension at `modelPath` on the CPU with one thread (CI machines have 2 cores). */
export function modelSettings(modelPath) {
  return { 'llmJp.modelPath': modelPath, 'llmJp.gpu': 'off', 'llmJp.threads': 1, 'llmJp.contextSize': 2048 };
}
