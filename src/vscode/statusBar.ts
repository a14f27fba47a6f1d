// The model at a glance: name, device and state; a click opens the model picker.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { EngineService, EngineState } from './engineService';

function device(gpu: string | false): string {
  return gpu === false ? 'CPU' : gpu === 'cuda' ? 'CUDA' : gpu === 'vulkan' ? 'Vulkan' : gpu === 'metal' ? 'Metal' : gpu;
}

function present(state: EngineState): { text: string; tooltip: string } {
  switch (state.kind) {
    case 'no-model':
      return { text: `$(hubot) ${vscode.l10n.t('LLM-jp: no model')}`, tooltip: vscode.l10n.t('Choose or download a model') };
    case 'idle':
      return { text: `$(hubot) ${path.basename(state.modelPath, '.gguf')}`, tooltip: vscode.l10n.t('Loads on the first question: {0}', state.modelPath) };
    case 'loading':
      return { text: `$(loading~spin) ${path.basename(state.modelPath, '.gguf')}`, tooltip: vscode.l10n.t('Loading {0}…', state.modelPath) };
    case 'ready':
    case 'generating': {
      const model = state.model;
      const name = model.name ?? path.basename(model.path, '.gguf');
      const speed = state.kind === 'generating' && state.tokensPerSecond ? ` · ${state.tokensPerSecond.toFixed(1)} tok/s` : '';
      const icon = state.kind === 'generating' ? '$(sync~spin)' : '$(hubot)';
      const tooltip = [
        model.path,
        vscode.l10n.t('Device: {0}{1}', device(model.gpu), model.gpuDevices.length > 0 ? ` (${model.gpuDevices.join(', ')})` : ''),
        vscode.l10n.t('Layers on the GPU: {0} of {1}', model.gpuLayers, model.totalLayers),
        vscode.l10n.t('Context: {0} tokens', model.contextSize.toLocaleString(vscode.env.language)),
        model.exactTokenizer ? vscode.l10n.t('Exact LLM-jp-4 tokenizer') : vscode.l10n.t("llama.cpp's tokenizer"),
      ].join('\n');
      return { text: `${icon} ${name} · ${device(model.gpu)}${speed}`, tooltip };
    }
    case 'failed':
      return { text: `$(error) LLM-jp`, tooltip: state.message };
  }
}

export function createStatusBar(engine: EngineService): vscode.Disposable {
  const item = vscode.window.createStatusBarItem('llmJp.model', vscode.StatusBarAlignment.Right, 100);
  item.name = 'LLM-jp';
  item.command = 'llmJp.selectModel';
  const update = (state: EngineState): void => {
    const { text, tooltip } = present(state);
    item.text = text;
    item.tooltip = tooltip;
  };
  update(engine.state);
  item.show();
  return vscode.Disposable.from(item, engine.onDidChangeState(update));
}
