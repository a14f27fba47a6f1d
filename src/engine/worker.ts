// The model process: forked by EngineClient, it owns llama.cpp so that a native crash or an
// out-of-memory abort ends this process and never the editor. It speaks ClientMessage /
// WorkerMessage over the IPC channel.
import type { LlamaGrammar } from 'node-llama-cpp';
import { engineError, isEngineError } from '../core/generation/errors';
import type { EngineError, EngineEvent, GenerateRequest } from '../core/generation/types';
import { coalesceText } from '../core/generation/textCoalescer';
import { jsonSchemaToGrammar } from '../core/tools/jsonSchemaGrammar';
import { generate } from './generate';
import { EngineFailure, detectDevice, inspectModel, loadModel, type LoadedModel } from './loadModel';
import type { ClientMessage, LoadOptions, WorkerMessage } from './protocol';
import { SequencePool } from './sequencePool';

function send(message: WorkerMessage): void {
  process.send?.(message);
}

function log(level: 'info' | 'warn' | 'error', message: string): void {
  send({ type: 'log', level, message });
}

function toEngineError(error: unknown): EngineError {
  if (error instanceof EngineFailure) return error.error;
  if (isEngineError(error)) return error;
  return engineError('internal', '', error instanceof Error ? error.stack ?? error.message : String(error));
}

let loaded: { model: LoadedModel; pool: SequencePool } | undefined;
const running = new Map<string, AbortController>();
/** Serializes load and unload, so a request never sees a half-loaded model. */
let modelChange: Promise<unknown> = Promise.resolve();

async function unload(): Promise<void> {
  if (!loaded) return;
  for (const controller of running.values()) controller.abort();
  const { model, pool } = loaded;
  loaded = undefined;
  pool.dispose();
  // llama.cpp's context must outlive the decode in flight.
  await model.decoder.close();
  await model.context.dispose();
  await model.model.dispose();
}

async function load(options: LoadOptions): Promise<LoadedModel> {
  await unload();
  const model = await loadModel(options, log);
  loaded = { model, pool: new SequencePool(model.context) };
  return model;
}

async function grammarsFor(model: LoadedModel, request: GenerateRequest): Promise<Map<string, LlamaGrammar>> {
  const grammars = new Map<string, LlamaGrammar>();
  for (const tool of request.tools ?? []) {
    try {
      // Not node-llama-cpp's createGrammarForJsonSchema: its grammar is made for its chat loop
      // (it requires newlines after the JSON and every property), not for arguments that end
      // at `<|call|>`.
      grammars.set(tool.function.name, await model.llama.createGrammar({ grammar: jsonSchemaToGrammar(tool.function.parameters ?? {}) }));
    } catch (error) {
      log('warn', `no grammar for tool ${tool.function.name}: ${String(error)}`);
    }
  }
  return grammars;
}

async function runRequest(id: string, request: GenerateRequest): Promise<void> {
  const startedAt = performance.now();
  const controller = new AbortController();
  running.set(id, controller);
  // Text deltas at most once per frame; anything else (a tool call, usage, done) goes at once,
  // after what was held.
  const { emit } = coalesceText((event: EngineEvent) => send({ type: 'event', id, event }));
  await modelChange.catch(() => undefined);
  const current = loaded;
  if (!current) {
    running.delete(id);
    emit({ type: 'error', error: engineError('no-model') });
    return;
  }
  let sequence;
  try {
    sequence = await current.pool.acquire(
      request.conversation,
      (position) =>
        emit({
          type: 'notice',
          code: 'queued',
          message: { en: `Waiting for the model: position ${position} in the queue.`, ja: `モデルの空き待ち: ${position} 番目` },
        }),
      controller.signal,
    );
  } catch {
    running.delete(id);
    emit({ type: 'done', reason: 'cancelled' });
    return;
  }
  try {
    const grammars = await grammarsFor(current.model, request);
    await generate({ request, sequence, loaded: current.model, signal: controller.signal, grammars, startedAt, emit });
  } catch (error) {
    const engineFailure = toEngineError(error);
    if (engineFailure.detail) log('error', engineFailure.detail);
    emit({ type: 'error', error: engineFailure });
  } finally {
    running.delete(id);
    current.pool.release(sequence);
  }
}

function handle(message: ClientMessage): void {
  switch (message.type) {
    case 'load':
      modelChange = modelChange
        .catch(() => undefined)
        .then(() => load(message.options))
        .then(
          (model) => send({ type: 'loaded', id: message.id, info: model.info }),
          (error: unknown) => send({ type: 'failed', id: message.id, error: toEngineError(error) }),
        );
      return;
    case 'inspect':
      inspectModel(message.modelPath).then(
        ({ summary, fileBytes }) => send({ type: 'inspected', id: message.id, summary, fileBytes }),
        (error: unknown) => send({ type: 'failed', id: message.id, error: toEngineError(error) }),
      );
      return;
    case 'device':
      detectDevice(message.gpu, log).then(
        (device) => send({ type: 'device', id: message.id, device }),
        (error: unknown) => send({ type: 'failed', id: message.id, error: toEngineError(error) }),
      );
      return;
    case 'unload':
      modelChange = modelChange
        .catch(() => undefined)
        .then(unload)
        .then(
          () => send({ type: 'unloaded', id: message.id }),
          (error: unknown) => send({ type: 'failed', id: message.id, error: toEngineError(error) }),
        );
      return;
    case 'count':
      // After any load in progress, so the counts are the new model's.
      void modelChange
        .catch(() => undefined)
        .then(() => {
          if (!loaded) throw new EngineFailure(engineError('no-model'));
          const codec = loaded.model.codec;
          return message.texts.map((text) => codec.countText(text));
        })
        .then(
          (tokens) => send({ type: 'counted', id: message.id, tokens }),
          (error: unknown) => send({ type: 'failed', id: message.id, error: toEngineError(error) }),
        );
      return;
    case 'generate':
      void runRequest(message.id, message.request);
      return;
    case 'cancel':
      running.get(message.id)?.abort();
      return;
  }
}

process.on('message', (message: ClientMessage) => handle(message));
// The editor went away (or closed the channel): nothing is left to serve.
process.on('disconnect', () => process.exit(0));
send({ type: 'ready', pid: process.pid });
