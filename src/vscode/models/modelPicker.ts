// Choosing a model: a local GGUF file, or one from the catalog, downloaded with progress into
// the extension's storage (resumable: a cancelled or interrupted download continues later). The
// same quick pick switches the reasoning effort, so one place changes how the model runs.
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatByteSize, memoryFactsFromCatalog, planMemory, recommendDownload, type CatalogFile, type CatalogModel } from '../../core/models';
import { EngineRequestError, type ModelHeader } from '../../engine/client';
import { loadCatalog } from './catalogSource';
import { localized, type EngineService } from '../request/engineService';
import { configuredContext, modelFacts } from './modelFacts';
import { downloadModel, downloadTarget, useModel } from './modelDownload';
import { currentEffort, effortLabel, pickReasoningEffort } from './reasoningEffortPicker';
import { serverSettings, settingsTarget } from '../request/serverSettings';
import { ServerCommands } from './serverCommands';

export { downloadModel } from './modelDownload';

interface ModelItem extends vscode.QuickPickItem {
  readonly action: 'current' | 'local' | 'effort' | 'download' | 'server' | 'useLocal';
  readonly model?: CatalogModel;
  readonly file?: CatalogFile;
}

function formatBytes(bytes: number | null): string {
  return bytes === null ? '' : formatByteSize(bytes);
}

/** What the file's header says, for the user to confirm before the model is used. */
function describeHeader({ summary, fileBytes }: ModelHeader): string {
  const yes = vscode.l10n.t('yes');
  const no = vscode.l10n.t('no');
  const lines = [
    vscode.l10n.t('Architecture: {0}{1}', summary.architecture ?? '?', summary.experts ? ` (${summary.experts.count} experts, ${summary.experts.used} active)` : ''),
    vscode.l10n.t('Quantization: {0}, {1}', summary.quantization ?? '?', formatBytes(fileBytes)),
    vscode.l10n.t('Vocabulary: {0} pieces; LLM-jp-4 layout: {1}', (summary.vocabularySize ?? 0).toLocaleString(vscode.env.language), summary.llmJp4Vocabulary ? yes : no),
    vscode.l10n.t('Chat format: {0}{1}', summary.dialect, summary.hasChatTemplate ? '' : vscode.l10n.t(' (no template in the file: built-in)')),
    vscode.l10n.t('Context: {0} tokens', (summary.contextLength ?? 0).toLocaleString(vscode.env.language)),
  ];
  if (!summary.llmJp4Vocabulary && summary.dialect !== 'llm-jp-3') {
    lines.push(vscode.l10n.t("This is not LLM-jp-4's vocabulary: llama.cpp's tokenizer will be used instead of the exact one."));
  }
  return lines.join('\n');
}

/** "5.3 GB · recommended · downloaded" */
function fileDescription(file: CatalogFile, storage: vscode.Uri, recommended: boolean): string {
  const parts = [
    file.sizeBytes !== null ? formatByteSize(file.sizeBytes) : file.approxSizeBytes !== null ? vscode.l10n.t('about {0}', formatByteSize(file.approxSizeBytes)) : vscode.l10n.t('size unknown'),
  ];
  if (recommended) parts.push(vscode.l10n.t('recommended for this machine'));
  if (file.file !== null) {
    const target = downloadTarget({ ...file, file: file.file }, storage);
    if (target === vscode.workspace.getConfiguration('llmJp').get<string>('modelPath', '')) parts.push(vscode.l10n.t('in use'));
    else if (existsSync(target)) parts.push(vscode.l10n.t('downloaded'));
  }
  return parts.filter((part) => part !== '').join(' · ');
}

export async function pickModel(extensionUri: vscode.Uri, storage: vscode.Uri, engine: EngineService): Promise<void> {
  const catalog = loadCatalog(extensionUri);
  // The GPU is probed in the model process; if that fails, plan for the machine's RAM alone.
  const device = await modelFacts(engine).deviceForPicking();
  const maxContext = configuredContext();
  const options = maxContext !== undefined ? { maxContext } : {};
  const recommended = catalog ? recommendDownload(catalog, device, options)?.file : undefined;
  const current = vscode.workspace.getConfiguration('llmJp').get<string>('modelPath', '').trim();
  const server = serverSettings();
  const items: ModelItem[] = [
    ...(server
      ? [
          { action: 'current' as const, label: `$(check) $(server) ${server.model || server.baseUrl}`, description: vscode.l10n.t('in use (server)'), detail: server.baseUrl },
          { action: 'useLocal' as const, label: `$(vm) ${vscode.l10n.t('Use the local model')}`, ...(current !== '' ? { description: path.basename(current) } : {}) },
        ]
      : current !== ''
        ? [{ action: 'current' as const, label: `$(check) ${path.basename(current)}`, description: vscode.l10n.t('in use'), detail: current }]
        : []),
    { action: 'local', label: `$(folder-opened) ${vscode.l10n.t('Use a local GGUF file…')}` },
    { action: 'server', label: `$(server) ${vscode.l10n.t('Use a server…')}`, description: vscode.l10n.t('vLLM, llama-server (OpenAI-compatible)') },
    { action: 'effort', label: `$(lightbulb) ${vscode.l10n.t('Reasoning effort…')}`, description: effortLabel(currentEffort()) },
    { kind: vscode.QuickPickItemKind.Separator, label: vscode.l10n.t('Download'), action: 'download' },
  ];
  for (const model of catalog?.models ?? []) {
    const downloadable = model.files.filter((file) => file.uri !== null);
    if (downloadable.length === 0) {
      // Listed all the same, so the user learns it exists and how to run it.
      items.push({
        action: 'local',
        label: `$(circle-slash) ${model.displayName}`,
        description: model.serverOnly ? vscode.l10n.t('too large to run here: needs a server') : vscode.l10n.t('no public GGUF file is known'),
        detail: vscode.l10n.t('Use a GGUF file you have…'),
      });
      continue;
    }
    for (const file of downloadable) {
      const facts = memoryFactsFromCatalog(model, file);
      const plan = facts ? planMemory(facts, device, options) : undefined;
      items.push({
        action: 'download',
        model,
        file,
        label: `${file === recommended ? '$(star-full) ' : ''}${model.displayName} ${file.quantization}`,
        description: fileDescription(file, storage, file === recommended),
        detail: plan ? localized(plan.summary) : undefined,
      });
    }
  }
  const choice = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Choose the model LLM-jp runs'), matchOnDetail: true });
  if (!choice || choice.action === 'current') return;
  if (choice.action === 'effort') {
    await pickReasoningEffort();
    return;
  }
  if (choice.action === 'local') {
    const before = modelPathSetting();
    await pickLocalFile(engine);
    if (modelPathSetting() !== before) await useLocalBackend();
    return;
  }
  if (choice.action === 'server') {
    await vscode.commands.executeCommand(ServerCommands.useServer);
    return;
  }
  if (choice.action === 'useLocal') {
    await useLocalBackend();
    return;
  }
  if (choice.file && (await downloadModel(choice.file, storage)) !== undefined) await useLocalBackend();
}

function modelPathSetting(): string {
  return vscode.workspace.getConfiguration('llmJp').get<string>('modelPath', '').trim();
}

/** A local model chosen: this workspace runs it, not the server. */
async function useLocalBackend(): Promise<void> {
  if (serverSettings()) await vscode.workspace.getConfiguration('llmJp').update('backend', 'local', settingsTarget());
}

/** A GGUF file the user has: its header is read and shown before it becomes the model in use. */
async function pickLocalFile(engine: EngineService): Promise<void> {
  const [file] =
    (await vscode.window.showOpenDialog({ canSelectMany: false, filters: { GGUF: ['gguf'] }, openLabel: vscode.l10n.t('Use this model') })) ?? [];
  if (!file) return;
  let header: ModelHeader;
  try {
    header = await engine.inspect(file.fsPath);
  } catch (error) {
    const message = error instanceof EngineRequestError ? localized(error.error.message) : String(error);
    void vscode.window.showErrorMessage(message);
    return;
  }
  const use = vscode.l10n.t('Use this model');
  const answer = await vscode.window.showInformationMessage(
    vscode.l10n.t('{0}: what the file says', path.basename(file.fsPath)),
    { modal: true, detail: describeHeader(header) },
    use,
  );
  if (answer === use) await useModel(file.fsPath);
}
