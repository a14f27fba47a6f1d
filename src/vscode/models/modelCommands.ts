// The model's commands: choose one (a file or a catalog download), set the reasoning effort,
// download the model the planner recommends for this machine.
import * as vscode from 'vscode';
import type { EngineService } from '../request/engineService';
import { pickModel } from './modelPicker';
import { downloadRecommendedModel } from './recommendedDownload';
import { pickReasoningEffort } from './reasoningEffortPicker';

export const ModelCommands = {
  selectModel: 'llmJp.selectModel',
  selectReasoningEffort: 'llmJp.selectReasoningEffort',
  downloadRecommendedModel: 'llmJp.downloadRecommendedModel',
} as const;

export function registerModelCommands(engine: EngineService, context: vscode.ExtensionContext): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(ModelCommands.selectModel, () => pickModel(context.extensionUri, context.globalStorageUri, engine)),
    vscode.commands.registerCommand(ModelCommands.selectReasoningEffort, () => pickReasoningEffort()),
    vscode.commands.registerCommand(ModelCommands.downloadRecommendedModel, () => downloadRecommendedModel(context, engine)),
  ];
}
