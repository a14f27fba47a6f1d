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
    const maxOutput = Math.max(1, config.get<number>('maxTokens', 4096));
    const current = this.engine.model;
    if (current?.server !== undefined) {
      // The workspace's server model, as the local one would be: same id, so callers holding it keep working.
      return [
        {
          id: LOCAL_MODEL_ID,
          name: current.name ?? current.server,
          family: current.dialect.startsWith('llm-jp-3') ? 'llm-jp-3' : 'llm-jp-4',
          version: current.dialect,
          detail: vscode.l10n.t('server · {0}', current.server),
          tooltip: current.path,
          maxInputTokens: Math.max(1, current.contextSize - Math.min(maxOutput, Math.floor(current.contextSize / 2))),
          maxOutputTokens: maxOutput,
          capabilities: { toolCalling: true, imageInput: false },
        },
      ];
    }
    const modelPath = config.get<string>('modelPath', '').trim();
    if (modelPath === '') return [];
    const loaded = this.engine.model?.path === modelPath ? this.engine.model : undefined;
    const maxOutputTokens = maxOutput;
    const configured = config.get<number>('contextSize', 0);
    // Before the model loads: the memory planner's context for it on this machine (the status bar has read its header).
    const context = loaded?.contextSize ?? (configured > 0 ? configured : (modelFacts(this.engine).plan(modelPath)?.contextSize ?? DEFAULT_CONTEXT));
    const name = loaded?.name ?? path.basename(modelPath).replace(/\.gguf$/i, '');
    const family = (loaded ? loaded.dialect.startsWith('llm-jp-3') : /llm-jp-3/i.test(name)) ? 'llm-jp-3' : 'llm-jp-4';
    return [
      {
        id: LOCAL_MODEL_ID,
        name,
        family,
        version: loaded?.dialect ?? family,
        detail: loaded ? (loaded.gpu ? vscode.l10n.t('local · {0}', loaded.gpu.toUpperCase()) : vscode.l10n.t('local · CPU')) : vscode.l10n.t('local'),
        tooltip: modelPath,
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
