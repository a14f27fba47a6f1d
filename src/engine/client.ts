// The extension's handle on the model process: spawns the worker, sends requests, streams their
// events back, and survives the worker's death (a native crash, an out-of-memory kill): the
// requests in flight fail with a clear error, listeners hear of the crash once, and the next
// request starts a fresh worker with the same model.
import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { engineError } from '../core/generation/errors';
import type { EngineError, EngineEvent, GenerateRequest } from '../core/generation/types';
import type { DeviceMemory, GgufSummary } from '../core/models';
import type { ClientMessage, LoadOptions, ModelInfo, WorkerMessage } from './protocol';

export interface EngineClientOptions {
  /** The worker's script (dist/worker.js in the extension, out/src/engine/worker.js in tests). */
  readonly workerPath: string;
  /** The runtime that runs it; default this process's (Electron in VS Code desktop: run as Node). */
  readonly execPath?: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface ModelHeader {
  readonly summary: GgufSummary;
  readonly fileBytes: number;
}

/** A worker that dies this soon after being (re)started with a model is not restarted again. */
const CRASH_LOOP_WINDOW_MS = 30_000;

type Pending =
  | { readonly kind: 'load'; readonly resolve: (info: ModelInfo) => void; readonly reject: (error: EngineError) => void }
  | { readonly kind: 'inspect'; readonly resolve: (header: ModelHeader) => void; readonly reject: (error: EngineError) => void }
  | { readonly kind: 'device'; readonly resolve: (device: DeviceMemory) => void; readonly reject: (error: EngineError) => void }
  | { readonly kind: 'unload'; readonly resolve: () => void; readonly reject: (error: EngineError) => void }
  | { readonly kind: 'count'; readonly resolve: (tokens: readonly number[]) => void; readonly reject: (error: EngineError) => void }
  | { readonly kind: 'generate'; readonly push: (event: EngineEvent) => void };

interface Worker {
  readonly process: ChildProcess;
  readonly ready: Promise<void>;
  readonly startedAt: number;
}

export class EngineRequestError extends Error {
  constructor(readonly error: EngineError) {
    super(error.message.en);
    this.name = 'EngineError';
  }
}

export class EngineClient {
  private worker: Worker | undefined;
  private readonly pending = new Map<string, Pending>();
  private modelOptions: LoadOptions | undefined;
  private modelInfo: ModelInfo | undefined;
  private restartBlocked = false;
  private disposed = false;
  private readonly crashListeners = new Set<(error: EngineError) => void>();

  constructor(private readonly options: EngineClientOptions) {}

  /** The loaded model, if any. */
  get model(): ModelInfo | undefined {
    return this.modelInfo;
  }

  /** The worker's process id while one runs (tests kill it to prove the editor survives). */
  get workerPid(): number | undefined {
    return this.worker?.process.pid;
  }

  /** Hears each worker crash once. Returns a function that stops listening. */
  onCrash(listener: (error: EngineError) => void): () => void {
    this.crashListeners.add(listener);
    return () => this.crashListeners.delete(listener);
  }

  async load(options: LoadOptions): Promise<ModelInfo> {
    this.modelOptions = options;
    this.modelInfo = undefined;
    this.restartBlocked = false;
    const info = await this.request<ModelInfo>('load', (id) => ({ type: 'load', id, options }));
    this.modelInfo = info;
    return info;
  }

  /** Reads a GGUF file's header in the worker (never in the editor's process) without loading it. */
  inspect(modelPath: string): Promise<ModelHeader> {
    return this.request<ModelHeader>('inspect', (id) => ({ type: 'inspect', id, modelPath }));
  }

  /** The GPU and memory the model process sees (the GPU is probed there, never in the editor). */
  device(gpu: 'auto' | false): Promise<DeviceMemory> {
    return this.request<DeviceMemory>('device', (id) => ({ type: 'device', id, gpu }));
  }

  /** Token counts of `texts` as the loaded model reads message content (loads it first after a crash). */
  async count(texts: readonly string[]): Promise<readonly number[]> {
    await this.ensureModel();
    return this.request<readonly number[]>('count', (id) => ({ type: 'count', id, texts }));
  }

  async unload(): Promise<void> {
    this.modelOptions = undefined;
    this.modelInfo = undefined;
    if (this.worker) await this.request<void>('unload', (id) => ({ type: 'unload', id }));
  }

  /**
   * Streams the request's events; the last is `done` or `error`. Aborting `signal` stops the
   * generation in the worker, which then ends the stream with `done: cancelled`.
   */
  async *generate(request: GenerateRequest, signal?: AbortSignal): AsyncGenerator<EngineEvent, void, undefined> {
    const queue: EngineEvent[] = [];
    let wake: (() => void) | undefined;
    const push = (event: EngineEvent): void => {
      queue.push(event);
      wake?.();
    };
    try {
      await this.ensureModel();
    } catch (error) {
      yield { type: 'error', error: error instanceof EngineRequestError ? error.error : engineError('internal', '', String(error)) };
      return;
    }
    const id = randomUUID();
    this.pending.set(id, { kind: 'generate', push });
    const cancel = (): void => this.send({ type: 'cancel', id });
    signal?.addEventListener('abort', cancel, { once: true });
    this.send({ type: 'generate', id, request });
    if (signal?.aborted) cancel();
    try {
      for (;;) {
        while (queue.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        const event = queue.shift()!;
        yield event;
        if (event.type === 'done' || event.type === 'error') return;
      }
    } finally {
      signal?.removeEventListener('abort', cancel);
      // A consumer that stops reading early cancels the generation too.
      if (this.pending.delete(id)) this.send({ type: 'cancel', id });
    }
  }

  dispose(): void {
    this.disposed = true;
    this.worker?.process.kill();
    this.worker = undefined;
  }

  /** Starts a worker when none runs and reloads the model after a crash. */
  private async ensureModel(): Promise<void> {
    if (this.worker || !this.modelOptions) return;
    if (this.restartBlocked) throw new EngineRequestError(engineError('worker-crashed', 'repeatedly; load the model again to retry'));
    this.options.log?.('info', 'restarting the model process');
    this.modelInfo = await this.request<ModelInfo>('load', (id) => ({ type: 'load', id, options: this.modelOptions! }));
  }

  private request<T>(kind: 'load' | 'unload' | 'inspect' | 'device' | 'count', message: (id: string) => ClientMessage): Promise<T> {
    const id = randomUUID();
    return new Promise<T>((resolve, reject) => {
      const fail = (error: EngineError): void => reject(new EngineRequestError(error));
      this.pending.set(id, { kind, resolve: resolve as (value: unknown) => void, reject: fail } as Pending);
      this.send(message(id));
    });
  }

  private send(message: ClientMessage): void {
    const worker = this.spawn();
    void worker.ready.then(() => {
      if (worker === this.worker && worker.process.connected) worker.process.send(message);
    });
  }

  private spawn(): Worker {
    if (this.worker) return this.worker;
    if (this.disposed) throw new Error('the engine client is disposed');
    const child = fork(this.options.workerPath, [], {
      execPath: this.options.execPath,
      // VS Code desktop runs extensions in Electron; this makes the child a plain Node process.
      env: { ...process.env, ...this.options.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const log = this.options.log;
    child.stdout?.on('data', (data: Buffer) => log?.('info', data.toString().trimEnd()));
    child.stderr?.on('data', (data: Buffer) => log?.('warn', data.toString().trimEnd()));
    let onReady!: () => void;
    const worker: Worker = { process: child, ready: new Promise<void>((resolve) => (onReady = resolve)), startedAt: Date.now() };
    child.on('message', (message: WorkerMessage) => {
      if (message.type === 'ready') onReady();
      else this.receive(message);
    });
    child.on('exit', (code, signal) => this.onExit(worker, code, signal));
    child.on('error', (error) => log?.('error', `model process: ${error.message}`));
    this.worker = worker;
    return worker;
  }

  private receive(message: WorkerMessage): void {
    switch (message.type) {
      case 'log':
        this.options.log?.(message.level, message.message);
        return;
      case 'event': {
        const pending = this.pending.get(message.id);
        if (pending?.kind !== 'generate') return;
        if (message.event.type === 'done' || message.event.type === 'error') this.pending.delete(message.id);
        pending.push(message.event);
        return;
      }
      case 'loaded':
      case 'unloaded':
      case 'inspected':
      case 'device':
      case 'counted':
      case 'failed': {
        const pending = this.pending.get(message.id);
        if (!pending || pending.kind === 'generate') return;
        this.pending.delete(message.id);
        if (message.type === 'failed') pending.reject(message.error);
        else if (pending.kind === 'load' && message.type === 'loaded') pending.resolve(message.info);
        else if (pending.kind === 'inspect' && message.type === 'inspected') pending.resolve({ summary: message.summary, fileBytes: message.fileBytes });
        else if (pending.kind === 'device' && message.type === 'device') pending.resolve(message.device);
        else if (pending.kind === 'count' && message.type === 'counted') pending.resolve(message.tokens);
        else if (pending.kind === 'unload') pending.resolve();
        return;
      }
      case 'ready':
        return;
    }
  }

  private onExit(worker: Worker, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    if (this.disposed) return;
    const how = signal ? `signal ${signal}` : `exit code ${code}`;
    const loading = [...this.pending.values()].some((p) => p.kind === 'load');
    const error = engineError('worker-crashed', loading ? `${how}, while loading the model: the file may be damaged or unsupported` : how);
    this.options.log?.('error', `the model process stopped: ${how}`);
    const inFlight = [...this.pending.values()];
    this.pending.clear();
    for (const pending of inFlight) {
      if (pending.kind === 'generate') pending.push({ type: 'error', error });
      else pending.reject(error);
    }
    if (Date.now() - worker.startedAt < CRASH_LOOP_WINDOW_MS && this.modelInfo === undefined) this.restartBlocked = true;
    this.modelInfo = undefined;
    for (const listener of this.crashListeners) listener(error);
  }
}
