// The extension's one way to the model: loads the configured model into the worker on first
// use, reloads it when the settings change, and tells the user of failures once each.
import * as vscode from 'vscode';
import { EngineClient, EngineRequestError, type ModelHeader } from '../../engine/client';
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
  };
}

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

  constructor(extensionUri: vscode.Uri, private readonly log: vscode.LogOutputChannel) {
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
          const options = settings();
          if (this.loadedFor !== undefined && options !== undefined && JSON.stringify(options) === this.loadedFor) return;
          // Reload lazily: the next request loads the model the new settings name.
          this.loading = undefined;
          this.loadedFor = undefined;
          this.setState(this.settledState());
        }
      }),
      this.stateEmitter,
    );
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
    return this.client.model;
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
    const model = await this.ensureLoaded();
    return { model, tokens: texts.length === 0 ? [] : await this.client.count(texts) };
  }

  /** Streams a request's events, loading the model first if needed; ends with done or error. */
  async *generate(request: GenerateRequest, signal?: AbortSignal): AsyncGenerator<EngineEvent, void, undefined> {
    let model: ModelInfo;
    try {
      model = await this.ensureLoaded();
    } catch (error) {
      if (!(error instanceof EngineRequestError)) this.log.error(`loading the model failed: ${String(error)}`);
      yield { type: 'error', error: error instanceof EngineRequestError ? error.error : engineError('internal', '', String(error)) };
      return;
    }
    this.running++;
    this.setState({ kind: 'generating', model });
    try {
      for await (const event of this.client.generate(request, signal)) {
        if (event.type === 'usage') this.setState({ kind: 'generating', model, tokensPerSecond: event.usage.tokensPerSecond });
        yield event;
      }
    } finally {
      if (--this.running === 0) {
        if (this.currentState.kind === 'generating') this.setState(this.settledState());
        this.scheduleUnload();
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
