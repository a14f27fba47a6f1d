// The extension's one way to the model: loads the configured model into the worker on first
// use, reloads it when the settings change, and tells the user of failures once each.
import * as vscode from 'vscode';
import { EngineClient, EngineRequestError, type ModelHeader } from '../../engine/client';
import type { RemoteBackend } from '../../engine/remote';
import { estimateTokens } from '../../core/generation/tokenEstimate';
import { apiKeySecret, createRemoteBackend, serverSettings, type ServerSettings } from './serverSettings';
import type { LoadOptions, ModelInfo } from '../../engine/protocol';
import type { DeviceMemory } from '../../core/models';
import { engineError } from '../../core/generation/errors';
import type { EngineEvent, EngineError, GenerateRequest, LocalizedText } from '../../core/generation/types';

export function localized(text: LocalizedText): string {
  return vscode.env.language.startsWith('ja') ? text.ja : text.en;
}

function settings(): LoadOptions | undefined {
  const config = vscode.workspace.getConfiguration('llmJp');
  const modelPath = config.get<string>('modelPath', '').trim();
  if (modelPath === '') return undefined;
  const contextSize = config.get<number>('contextSize', 0);
  const threads = config.get<number>('threads', 0);
  return {
    modelPath,
    gpu: config.get<string>('gpu', 'auto') === 'off' ? false : 'auto',
    ...(contextSize > 0 ? { contextSize } : {}),
    ...(threads > 0 ? { threads } : {}),
    sequences: PARALLEL_REQUESTS,
  };
}

/**
 * Requests the model answers at once: a commit message or a review need not wait for the chat's
 * answer to end. The engine takes the second only where memory holds both at the full context.
 */
const PARALLEL_REQUESTS = 2;

/** What a server backend is built from, apart from its API key. */
function serverKey(settings: ServerSettings): string {
  return JSON.stringify([settings, vscode.workspace.getConfiguration('llmJp').get<number>('contextSize', 0)]);
}

/** A server's model as the rest of the extension sees a model: its name, where it runs, the context planned for it. */
function serverModelInfo(settings: ServerSettings, model: string, serverContext?: number): ModelInfo {
  const configured = vscode.workspace.getConfiguration('llmJp').get<number>('contextSize', 0);
  let host = settings.baseUrl;
  try {
    host = new URL(settings.baseUrl).host;
  } catch {
    // shown as typed
  }
  return {
    path: settings.baseUrl,
    name: model === '' ? host : model,
    architecture: 'server',
    // The server renders the prompt with its own template; this only picks the reasoning-effort UI.
    dialect: /llm-jp-3/i.test(model) ? 'llm-jp-3' : 'llm-jp-4.1',
    exactTokenizer: false,
    hasChatTemplate: true,
    trainContextSize: 0,
    // Plans use the setting, else what the server says it allows (vLLM's max_model_len,
    // llama-server's n_ctx), else a size every LLM-jp server has.
    contextSize: configured > 0 ? configured : (serverContext ?? SERVER_CONTEXT),
    gpu: false,
    gpuDevices: [],
    gpuLayers: 0,
    totalLayers: 0,
    threads: 0,
    sequences: 0,
    notices: [],
    server: host,
  };
}

/** The context assumed for a server's model when llmJp.contextSize is not set (LLM-jp-3 models have 4,096). */
const SERVER_CONTEXT = 4096;

export type EngineState =
  | { readonly kind: 'no-model' }
  | { readonly kind: 'idle'; readonly modelPath: string }
  | { readonly kind: 'loading'; readonly modelPath: string }
  | { readonly kind: 'ready'; readonly model: ModelInfo }
  | { readonly kind: 'generating'; readonly model: ModelInfo; readonly tokensPerSecond?: number }
  | { readonly kind: 'failed'; readonly message: string };

export class EngineService implements vscode.Disposable {
  private readonly client: EngineClient;
  private readonly stateEmitter = new vscode.EventEmitter<EngineState>();
  /** Fires whenever the model's state changes (the status bar listens). */
  readonly onDidChangeState = this.stateEmitter.event;
  private currentState: EngineState;
  private running = 0;
  private idleTimer: NodeJS.Timeout | undefined;
  private loading: Promise<ModelInfo> | undefined;
  private loadedFor: string | undefined;
  private readonly disposables: vscode.Disposable[] = [];

  /** The server backend while this workspace uses one (rebuilt when its settings or key change). */
  private remote: { readonly key: string; readonly settingsKey: string; readonly backend: RemoteBackend; readonly info: ModelInfo } | undefined;
  private keyCache: { readonly secret: string; readonly value: Thenable<string | undefined> } | undefined;
  private connecting: { readonly key: string; readonly promise: Promise<{ readonly backend: RemoteBackend; readonly info: ModelInfo }> } | undefined;

  constructor(
    extensionUri: vscode.Uri,
    private readonly log: vscode.LogOutputChannel,
    private readonly secrets?: vscode.SecretStorage,
  ) {
    this.client = new EngineClient({
      workerPath: vscode.Uri.joinPath(extensionUri, 'dist', 'worker.js').fsPath,
      log: (level, message) => log[level](message),
    });
    this.currentState = this.settledState();
    this.client.onCrash((error) => {
      this.loading = undefined;
      this.loadedFor = undefined;
      this.setState({ kind: 'failed', message: localized(error.message) });
      void this.report(error);
    });
    this.disposables.push(
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('llmJp')) {
          // A setting that does not change how the model loads (reasoning effort, the download
          // folder, ...) keeps the loaded model.
          // A server whose settings changed is asked again (server() compares them).
          if (serverSettings()) void this.server().catch(() => undefined); // the status bar shows the outcome
          const options = settings();
          if (!serverSettings() && this.loadedFor !== undefined && options !== undefined && JSON.stringify(options) === this.loadedFor) return;
          // Reload lazily: the next request loads the model the new settings name.
          this.loading = undefined;
          this.loadedFor = undefined;
          this.setState(this.settledState());
        }
      }),
      this.stateEmitter,
      ...(secrets
        ? [
            secrets.onDidChange((event) => {
              if (event.key.startsWith('llmJp.server.apiKey:')) {
                this.keyCache = undefined;
                this.remote = undefined;
              }
            }),
          ]
        : []),
    );
    // A workspace on a server: is it up? The status bar says so before the first question.
    if (serverSettings()) void this.server().catch(() => undefined);
  }

  get state(): EngineState {
    return this.currentState;
  }

  private setState(state: EngineState): void {
    this.currentState = state;
    this.stateEmitter.fire(state);
  }

  /** The state with nothing in flight: the loaded model, or the configured one not loaded yet. */
  private settledState(): EngineState {
    const server = serverSettings();
    if (server) return { kind: 'ready', model: this.serverInfo(server) };
    const model = this.client.model;
    if (model && this.loadedFor !== undefined) return { kind: 'ready', model };
    const options = settings();
    return options ? { kind: 'idle', modelPath: options.modelPath } : { kind: 'no-model' };
  }

  /** The worker's process id (tests kill it to prove the editor survives). */
  get workerPid(): number | undefined {
    return this.client.workerPid;
  }

  get model(): ModelInfo | undefined {
    const server = serverSettings();
    if (server) return this.serverInfo(server);
    return this.client.model;
  }

  /** The server's model as last asked, while the settings are still those; else what the settings say. */
  private serverInfo(settings: ServerSettings): ModelInfo {
    const remote = this.remote;
    return remote && remote.settingsKey === serverKey(settings) ? remote.info : serverModelInfo(settings, settings.model);
  }

  /** The server backend this workspace uses (built on first use), or undefined for the local model. */
  async server(): Promise<{ readonly backend: RemoteBackend; readonly info: ModelInfo } | undefined> {
    const settings = serverSettings();
    if (!settings) return undefined;
    const apiKey = await this.apiKey(settings.baseUrl);
    const key = JSON.stringify([serverKey(settings), apiKey ?? '']);
    if (this.remote?.key === key) return this.remote;
    if (this.connecting?.key !== key) {
      const promise = this.connect(settings, apiKey, key).finally(() => {
        if (this.connecting?.promise === promise) this.connecting = undefined;
      });
      this.connecting = { key, promise };
    }
    return this.connecting.promise;
  }

  /** The server's API key, read from SecretStorage once until it changes (not on every request). */
  private async apiKey(baseUrl: string): Promise<string | undefined> {
    const secret = apiKeySecret(baseUrl);
    if (!secret || !this.secrets) return undefined;
    if (this.keyCache?.secret !== secret) this.keyCache = { secret, value: this.secrets.get(secret) };
    return this.keyCache.value;
  }

  private async connect(settings: ServerSettings, apiKey: string | undefined, key: string): Promise<{ readonly backend: RemoteBackend; readonly info: ModelInfo }> {
    const build = (model: string, contextSize?: number): RemoteBackend =>
      createRemoteBackend(settings, { model, ...(apiKey ? { apiKey } : {}), ...(contextSize !== undefined ? { contextSize } : {}), log: (level, message) => this.log[level](message) });
    // One look at /v1/models: the model when none is named, the context the server allows, and
    // whether it is up (the status bar says so now rather than at the first question).
    const probe = build(settings.model);
    const health = await probe.health();
    const model = settings.model !== '' ? settings.model : health.ok ? (health.models[0] ?? '') : '';
    if (model === '') {
      const error = health.ok ? engineError('server-model-not-found', ['', probe.server]) : health.error;
      this.setState({ kind: 'failed', message: localized(error.message) });
      throw new EngineRequestError(error);
    }
    const info = serverModelInfo(settings, model, health.ok ? health.contextLength : undefined);
    const backend = build(model, info.contextSize);
    this.remote = { key, settingsKey: serverKey(settings), backend, info };
    this.setState(health.ok ? this.settledState() : { kind: 'failed', message: localized(health.error.message) });
    return this.remote;
  }

  /** The GPU (per the gpu setting) and memory the model process sees. */
  device(): Promise<DeviceMemory> {
    return this.client.device(vscode.workspace.getConfiguration('llmJp').get<string>('gpu', 'auto') === 'off' ? false : 'auto');
  }

  /** A GGUF file's header, read in the model process. */
  inspect(modelPath: string): Promise<ModelHeader> {
    return this.client.inspect(modelPath);
  }

  /**
   * The model (loaded first if needed) and how many tokens each text takes in it, for surfaces
   * that must plan what fits its context. Throws EngineRequestError when no model can be loaded.
   */
  async measure(texts: readonly string[]): Promise<{ readonly model: ModelInfo; readonly tokens: readonly number[] }> {
    const server = await this.server();
    // The OpenAI API has no tokenize call; vLLM and llama-server have one. Without it, a count that
    // errs high keeps plans inside the context.
    if (server) {
      const counted = await server.backend.count(texts).catch(() => undefined);
      return { model: server.info, tokens: counted ?? texts.map(estimateTokens) };
    }
    const model = await this.ensureLoaded();
    return { model, tokens: texts.length === 0 ? [] : await this.client.count(texts) };
  }

  /** Streams a request's events, loading the model first if needed; ends with done or error. */
  async *generate(request: GenerateRequest, signal?: AbortSignal): AsyncGenerator<EngineEvent, void, undefined> {
    let model: ModelInfo;
    let source: { generate(request: GenerateRequest, signal?: AbortSignal): AsyncIterable<EngineEvent> } = this.client;
    try {
      const server = await this.server();
      if (server) source = server.backend;
      model = server ? server.info : await this.ensureLoaded();
    } catch (error) {
      if (!(error instanceof EngineRequestError)) this.log.error(`loading the model failed: ${String(error)}`);
      yield { type: 'error', error: error instanceof EngineRequestError ? error.error : engineError('internal', '', String(error)) };
      return;
    }
    this.running++;
    this.setState({ kind: 'generating', model });
    try {
      for await (const event of source.generate(request, signal)) {
        if (event.type === 'usage') this.setState({ kind: 'generating', model, tokensPerSecond: event.usage.tokensPerSecond });
        yield event;
      }
    } finally {
      if (--this.running === 0) {
        if (this.currentState.kind === 'generating') this.setState(this.settledState());
        if (source === this.client) this.scheduleUnload();
      }
    }
  }

  /** Frees the model's memory after the idle time the user set; the next question reloads it. */
  private scheduleUnload(): void {
    clearTimeout(this.idleTimer);
    const minutes = vscode.workspace.getConfiguration('llmJp').get<number>('unloadAfterMinutes', 30);
    if (minutes <= 0) return;
    this.idleTimer = setTimeout(() => {
      if (this.running > 0 || !this.loading) return;
      this.loading = undefined;
      this.loadedFor = undefined;
      void this.client.unload().then(() => {
        this.log.info(`model unloaded after ${minutes} idle minutes`);
        this.setState(this.settledState());
      });
    }, minutes * 60_000);
  }

  dispose(): void {
    clearTimeout(this.idleTimer);
    for (const d of this.disposables.splice(0)) d.dispose();
    this.client.dispose();
  }

  private ensureLoaded(): Promise<ModelInfo> {
    const options = settings();
    if (!options) {
      return Promise.reject(new EngineRequestError(engineError('no-model')));
    }
    const key = JSON.stringify(options);
    if (this.loading && this.loadedFor === key) return this.loading;
    this.loadedFor = key;
    this.setState({ kind: 'loading', modelPath: options.modelPath });
    this.loading = this.client.load(options).then(
      (info) => {
        this.setState({ kind: 'ready', model: info });
        this.log.info(`model ready: ${info.name ?? info.path} (${info.architecture}, ${info.gpu || 'cpu'}, ${info.contextSize} tokens)`);
        for (const notice of info.notices) void vscode.window.showWarningMessage(localized(notice));
        return info;
      },
      (error: unknown) => {
        this.loading = undefined;
        this.loadedFor = undefined;
        this.setState({ kind: 'failed', message: error instanceof EngineRequestError ? localized(error.error.message) : String(error) });
        throw error;
      },
    );
    return this.loading;
  }

  private async report(error: EngineError): Promise<void> {
    const showLog = vscode.l10n.t('Show Log');
    const choice = await vscode.window.showErrorMessage(localized(error.message), showLog);
    if (choice === showLog) this.log.show();
  }
}
