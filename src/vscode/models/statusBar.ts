// The model at a glance: name, device, reasoning effort and state; the hover adds what the memory
// planner expects of the model on this machine; a click opens the model picker.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ChatDialect } from '../../core/harmony/types';
import { localized, type EngineService, type EngineState } from '../request/engineService';
import { modelFacts, type ModelFacts } from './modelFacts';
import { currentEffort, effortLabel, effortShortName, takesReasoningEffort } from './reasoningEffortPicker';

function device(gpu: string | false): string {
  return gpu === false ? 'CPU' : gpu === 'cuda' ? 'CUDA' : gpu === 'vulkan' ? 'Vulkan' : gpu === 'metal' ? 'Metal' : gpu;
}

function modelPathOf(state: EngineState): string | undefined {
  switch (state.kind) {
    case 'idle':
    case 'loading':
      return state.modelPath;
    case 'ready':
    case 'generating':
      return state.model.path;
    default:
      return undefined;
  }
}

/**
 * Plain lines as one markdown hover, each its own paragraph and never read as markdown (a file
 * name like model_Q4_K_M.gguf must not turn italic). Not appendText: it turns spaces into
 * non-breaking ones, so a long line would wrap only at hyphens.
 */
function hover(lines: readonly string[]): vscode.MarkdownString {
  return new vscode.MarkdownString(lines.map((line) => line.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&')).join('\n\n'));
}

function present(state: EngineState, facts: ModelFacts): { text: string; tooltip: vscode.MarkdownString } {
  const modelPath = modelPathOf(state);
  const plan = modelPath !== undefined ? facts.plan(modelPath) : undefined;
  const planLine = plan ? [localized(plan.summary)] : [];
  const dialect: ChatDialect | undefined = state.kind === 'ready' || state.kind === 'generating' ? state.model.dialect
    : modelPath !== undefined ? facts.dialect(modelPath) : undefined;
  const effort = takesReasoningEffort(dialect) ? currentEffort() : undefined;
  const effortText = effort ? ` · ${effortShortName(effort)}` : '';
  const effortLine = effort ? [vscode.l10n.t('Reasoning effort: {0}', effortLabel(effort))] : [];
  switch (state.kind) {
    case 'no-model':
      return { text: `$(hubot) ${vscode.l10n.t('LLM-jp: no model')}`, tooltip: hover([vscode.l10n.t('Choose or download a model')]) };
    case 'idle':
      return {
        text: `$(hubot) ${path.basename(state.modelPath, '.gguf')}${effortText}`,
        tooltip: hover([vscode.l10n.t('Loads on the first question: {0}', state.modelPath), ...planLine, ...effortLine]),
      };
    case 'loading':
      return {
        text: `$(loading~spin) ${path.basename(state.modelPath, '.gguf')}`,
        tooltip: hover([vscode.l10n.t('Loading {0}…', state.modelPath), ...planLine]),
      };
    case 'ready':
    case 'generating': {
      const model = state.model;
      const speed = state.kind === 'generating' && state.tokensPerSecond ? ` · ${state.tokensPerSecond.toFixed(1)} tok/s` : '';
      if (model.server !== undefined) {
        return {
          text: `${state.kind === 'generating' ? '$(sync~spin)' : '$(server)'} ${model.name ?? model.server} · ${model.server}${effortText}${speed}`,
          tooltip: hover([
            vscode.l10n.t('On the server {0}', model.path),
            vscode.l10n.t('Context planned: {0} tokens (llmJp.contextSize)', model.contextSize.toLocaleString(vscode.env.language)),
            ...effortLine,
          ]),
        };
      }
      const name = model.name ?? path.basename(model.path, '.gguf');
      const icon = state.kind === 'generating' ? '$(sync~spin)' : '$(hubot)';
      const tooltip = hover([
        model.path,
        vscode.l10n.t('Device: {0}{1}', device(model.gpu), model.gpuDevices.length > 0 ? ` (${model.gpuDevices.join(', ')})` : ''),
        vscode.l10n.t('Layers on the GPU: {0} of {1}', model.gpuLayers, model.totalLayers),
        vscode.l10n.t('Context: {0} tokens', model.contextSize.toLocaleString(vscode.env.language)),
        model.exactTokenizer ? vscode.l10n.t('Exact LLM-jp-4 tokenizer') : vscode.l10n.t("llama.cpp's tokenizer"),
        ...effortLine,
        ...planLine.map((line) => vscode.l10n.t('Planned: {0}', line)),
      ]);
      return { text: `${icon} ${name} · ${device(model.gpu)}${effortText}${speed}`, tooltip };
    }
    case 'failed':
      return { text: `$(error) LLM-jp`, tooltip: hover([state.message]) };
  }
}

export function createStatusBar(engine: EngineService): vscode.Disposable {
  const facts = modelFacts(engine);
  const item = vscode.window.createStatusBarItem('llmJp.model', vscode.StatusBarAlignment.Right, 100);
  item.name = 'LLM-jp';
  item.command = 'llmJp.selectModel';
  let hasModel: boolean | undefined;
  const update = (): void => {
    const { text, tooltip } = present(engine.state, facts);
    item.text = text;
    item.tooltip = tooltip;
    // `llmJp.hasModel` completes the walkthrough's first step. Its `onSettingChanged` event alone
    // is unreliable: VS Code counts each event once per session, and registering this extension's
    // settings can spend it before the walkthrough is registered.
    const set = engine.state.kind !== 'no-model';
    if (set !== hasModel) {
      hasModel = set;
      void vscode.commands.executeCommand('setContext', 'llmJp.hasModel', set);
    }
  };
  // Facts are gathered once a model is set or used, never at activation: that would start the
  // model process for a hover nobody asked for.
  const learn = (state: EngineState): void => {
    const modelPath = modelPathOf(state);
    // Generating fires with every speed update; what it could teach was learned on the way to it.
    if (modelPath !== undefined && state.kind !== 'generating') void facts.prepare(modelPath).then(update);
  };
  update();
  item.show();
  return vscode.Disposable.from(
    item,
    engine.onDidChangeState((state) => {
      update();
      learn(state);
    }),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (['llmJp.reasoningEffort', 'llmJp.contextSize', 'llmJp.gpu'].some((key) => event.affectsConfiguration(key))) update();
    }),
  );
}
