// The local model as a VS Code language model (`vscode.lm`): VS Code's model picker and any
// extension that calls `vscode.lm.selectChatModels({ vendor: 'llm-jp' })` reach it, on the same
// request path as every other surface. Tool calls go back to the caller as LanguageModelToolCallParts
// (VS Code's contract: the caller runs them); reasoning is never reported, there being no stable
// part for it; cancelling stops the engine.
import { randomUUID } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { lmChatMessages, lmMessageText, lmToolSpec, type LmMessage, type LmPart } from '../../core/lm/lmMessages';
import { modelFacts } from '../models/modelFacts';
import type { ModelInfo } from '../../engine/protocol';
import type { EngineService } from '../request/engineService';
import type { RequestService, Task } from '../request/requestService';

export const LM_VENDOR = 'llm-jp';
/** The one model this provider lists: whichever GGUF the llmJp.modelPath setting names. */
const LOCAL_MODEL_ID = 'local';
/** The context assumed before the model is loaded, when the planner has not read its header yet. */
const DEFAULT_CONTEXT = 8192;

function toLmPart(part: unknown): LmPart | undefined {
  if (part instanceof vscode.LanguageModelTextPart) return { kind: 'text', text: part.value };
  if (part instanceof vscode.LanguageModelToolCallPart) return { kind: 'toolCall', callId: part.callId, name: part.name, input: part.input };
  if (part instanceof vscode.LanguageModelToolResultPart) {
    const text = part.content
      .map((c) => (c instanceof vscode.LanguageModelTextPart ? c.value : typeof c === 'string' ? c : ''))
      .join('');
    return { kind: 'toolResult', callId: part.callId, text };
  }
  return undefined; // images and data parts: the model reads text only
}

export function toLmMessage(message: vscode.LanguageModelChatRequestMessage): LmMessage {
  const role = message.role === vscode.LanguageModelChatMessageRole.User ? 'user' : message.role === vscode.LanguageModelChatMessageRole.Assistant ? 'assistant' : 'system';
  return { role, parts: message.content.map(toLmPart).filter((p): p is LmPart => p !== undefined) };
}

/** What the picker shows of a model, and the context its inputs are planned for. */
interface ModelDescription {
  readonly name: string;
  readonly family: string;
  readonly version: string;
  readonly detail: string;
  readonly tooltip: string;
  readonly context: number;
}

const familyOf = (dialect: string): string => (dialect.startsWith('llm-jp-3') ? 'llm-jp-3' : 'llm-jp-4');

function describeServer(model: ModelInfo, server: string): ModelDescription {
  return {
    name: model.name ?? server,
    family: familyOf(model.dialect),
    version: model.dialect,
    detail: vscode.l10n.t('server · {0}', server),
    tooltip: model.path,
    context: model.contextSize,
  };
}

/** The GGUF the settings name, loaded or not; undefined when none is set. */
function describeLocal(config: vscode.WorkspaceConfiguration, current: ModelInfo | undefined, engine: EngineService): ModelDescription | undefined {
  const modelPath = config.get<string>('modelPath', '').trim();
  if (modelPath === '') return undefined;
  const loaded = current?.path === modelPath ? current : undefined;
  const configured = config.get<number>('contextSize', 0);
  const name = loaded?.name ?? path.basename(modelPath).replace(/\.gguf$/i, '');
  const family = loaded ? familyOf(loaded.dialect) : /llm-jp-3/i.test(name) ? 'llm-jp-3' : 'llm-jp-4';
  return {
    name,
    family,
    version: loaded?.dialect ?? family,
    detail: loaded ? (loaded.gpu ? vscode.l10n.t('local · {0}', loaded.gpu.toUpperCase()) : vscode.l10n.t('local · CPU')) : vscode.l10n.t('local'),
    tooltip: modelPath,
    // Before the model loads: the memory planner's context for it on this machine (the status bar has read its header).
    context: loaded?.contextSize ?? (configured > 0 ? configured : (modelFacts(engine).plan(modelPath)?.contextSize ?? DEFAULT_CONTEXT)),
  };
}

export class LocalLanguageModels implements vscode.LanguageModelChatProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeLanguageModelChatInformation = this.changed.event;
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly engine: EngineService,
    private readonly requests: RequestService,
  ) {
    this.disposables = [
      this.changed,
      // The name and the context are known once the model loads; a new model path is a new model.
      engine.onDidChangeState((state) => {
        if (state.kind === 'ready' || state.kind === 'idle' || state.kind === 'no-model') this.changed.fire();
      }),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('llmJp.backend') || event.affectsConfiguration('llmJp.server')) this.changed.fire();
      }),
    ];
  }

  provideLanguageModelChatInformation(): vscode.LanguageModelChatInformation[] {
    const config = vscode.workspace.getConfiguration('llmJp');
    const current = this.engine.model;
    const described = current?.server !== undefined ? describeServer(current, current.server) : describeLocal(config, current, this.engine);
    if (!described) return [];
    const maxOutputTokens = Math.max(1, config.get<number>('maxTokens', 4096));
    const { context } = described;
    return [
      {
        // One id for the model in use, local or on a server: callers holding it keep working.
        id: LOCAL_MODEL_ID,
        name: described.name,
        family: described.family,
        version: described.version,
        detail: described.detail,
        tooltip: described.tooltip,
        maxInputTokens: Math.max(1, context - Math.min(maxOutputTokens, Math.floor(context / 2))),
        maxOutputTokens,
        capabilities: { toolCalling: true, imageInput: false },
      },
    ];
  }

  async provideLanguageModelChatResponse(
    _model: vscode.LanguageModelChatInformation,
    messages: readonly vscode.LanguageModelChatRequestMessage[],
    options: vscode.ProvideLanguageModelChatResponseOptions,
    progress: vscode.Progress<vscode.LanguageModelResponsePart>,
    token: vscode.CancellationToken,
  ): Promise<void> {
    const controller = new AbortController();
    const cancel = token.onCancellationRequested(() => controller.abort());
    const prompt = { messages: lmChatMessages(messages.map(toLmMessage)) };
    const maxTokens = options.modelOptions?.maxTokens ?? options.modelOptions?.max_tokens;
    const task: Task = {
      prompt: () => prompt,
      // The caller runs its tools: the calls come back to it, the task ends there.
      ...(options.tools && options.tools.length > 0 ? { tools: { specs: options.tools.map(lmToolSpec) } } : {}),
      ...(typeof maxTokens === 'number' && maxTokens > 0 ? { maxTokens } : {}),
    };
    try {
      const run = this.requests.run(task, controller.signal);
      for (let step = await run.next(); ; step = await run.next()) {
        if (step.done) {
          const outcome = step.value;
          if (outcome.stopReason === 'error' && !token.isCancellationRequested) throw new Error(outcome.error ?? vscode.l10n.t('The answer ended unexpectedly.'));
          return;
        }
        const event = step.value;
        // After a cancel the engine may still send what it had: VS Code takes nothing more.
        if (token.isCancellationRequested) continue;
        if (event.type === 'answer') progress.report(new vscode.LanguageModelTextPart(event.text));
        else if (event.type === 'toolCall') progress.report(new vscode.LanguageModelToolCallPart(`call_${randomUUID()}`, event.name, toolInput(event.name, event.arguments)));
      }
    } finally {
      cancel.dispose();
    }
  }

  async provideTokenCount(_model: vscode.LanguageModelChatInformation, text: string | vscode.LanguageModelChatRequestMessage): Promise<number> {
    const plain = typeof text === 'string' ? text : lmMessageText(toLmMessage(text));
    return (await this.engine.measure([plain])).tokens[0];
  }

  dispose(): void {
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}

/** A call's arguments as the object VS Code's part carries; the grammar makes them JSON, but check. */
function toolInput(name: string, args: string): object {
  try {
    const value: unknown = JSON.parse(args);
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // reported below
  }
  throw new Error(vscode.l10n.t('The model called {0} with arguments that are not a JSON object.', name));
}

/**
 * Offers the model in use to `vscode.lm` where VS Code has the provider API; where it does not,
 * or registering fails (AI features off), nothing else changes and nothing is logged as an error.
 */
export function registerLanguageModels(engine: EngineService, requests: RequestService, log: vscode.LogOutputChannel): vscode.Disposable[] {
  if (typeof vscode.lm?.registerLanguageModelChatProvider !== 'function') {
    log.info('VS Code has no language-model provider API here; the local model is not offered to vscode.lm');
    return [];
  }
  const provider = new LocalLanguageModels(engine, requests);
  try {
    return [provider, vscode.lm.registerLanguageModelChatProvider(LM_VENDOR, provider)];
  } catch (error) {
    log.info(`the local model is not offered to vscode.lm: ${String(error)}`);
    provider.dispose();
    return [];
  }
}
