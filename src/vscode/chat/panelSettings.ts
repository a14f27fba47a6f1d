// The panel's pickers: the model (the one in use and the GGUF files in the models folder),
// reasoning effort, answer language; and what the panel changes through them. Settings are the
// single source of truth: the panel only asks for changes and is told the result.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ModelChoice, PanelSettings, PanelToExtension } from '../../core/protocol';
import { modelsFolder } from '../models/modelDownload';
import { answerLanguageSetting, reasoningEffortSetting } from '../request/taskSettings';

const SECTION = 'llmJp';

function formatSize(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}

async function describeFile(file: string): Promise<ModelChoice> {
  const size = await fs.stat(file).then((s) => formatSize(s.size), () => vscode.l10n.t('file not found'));
  // Without the extension, which every entry shares, a long model name fits a narrow side bar.
  return { id: file, label: path.basename(file).replace(/\.gguf$/i, ''), detail: size };
}

/** The model in use first, then the other GGUF files of the models folder, by name. */
async function modelChoices(current: string, storage: vscode.Uri): Promise<ModelChoice[]> {
  const folder = modelsFolder(storage);
  const names = await fs.readdir(folder).catch(() => [] as string[]);
  const files = names
    .filter((name) => name.toLowerCase().endsWith('.gguf'))
    .sort()
    .map((name) => path.join(folder, name))
    .filter((file) => file !== current);
  return Promise.all([...(current !== '' ? [current] : []), ...files].map(describeFile));
}

export async function readPanelSettings(storage: vscode.Uri): Promise<PanelSettings> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const current = config.get<string>('modelPath', '').trim();
  const models = await modelChoices(current, storage);
  return {
    models,
    ...(current !== '' ? { modelId: current } : {}),
    reasoningEffort: reasoningEffortSetting(),
    answerLanguage: answerLanguageSetting(),
    collapseReasoning: config.get<boolean>('collapseReasoning', true),
  };
}

/** Updates a setting where the user has it (a workspace value would hide a global one). */
async function updateWhereSet(key: string, value: unknown): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  const target = config.inspect(key)?.workspaceValue !== undefined ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
  await config.update(key, value, target);
}

type SettingsMessage = Extract<PanelToExtension, { type: 'setModel' | 'chooseModel' | 'setReasoningEffort' | 'setAnswerLanguage' }>;

/** Carries out a picker change from the panel. A model must be one the panel was offered. */
export async function applyPanelSetting(message: SettingsMessage, storage: vscode.Uri): Promise<void> {
  const config = vscode.workspace.getConfiguration(SECTION);
  switch (message.type) {
    case 'setModel': {
      const offered = await modelChoices(config.get<string>('modelPath', '').trim(), storage);
      if (!offered.some((m) => m.id === message.id)) return;
      await config.update('modelPath', message.id, vscode.ConfigurationTarget.Global);
      return;
    }
    case 'chooseModel':
      await vscode.commands.executeCommand('llmJp.selectModel');
      return;
    case 'setReasoningEffort':
      await updateWhereSet('reasoningEffort', message.effort);
      return;
    case 'setAnswerLanguage':
      await updateWhereSet('answerLanguage', message.language);
      return;
  }
}
