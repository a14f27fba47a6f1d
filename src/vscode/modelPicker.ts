// Choosing a model: a local GGUF file, or one from the catalog, downloaded with progress into
// the extension's storage (resumable: a cancelled or interrupted download continues later).
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { memoryFactsFromCatalog, planMemory, readCatalogFile, type CatalogFile, type CatalogModel } from '../core/models';
import { DownloadError, downloadFile } from '../download';
import { EngineRequestError, type ModelHeader } from '../engine/client';
import { localized, type EngineService } from './engineService';

interface ModelItem extends vscode.QuickPickItem {
  readonly action: 'local' | 'download';
  readonly model?: CatalogModel;
  readonly file?: CatalogFile;
}

function formatBytes(bytes: number | null): string {
  return bytes === null ? '' : `${(bytes / 1e9).toFixed(1)} GB`;
}

function modelsFolder(storage: vscode.Uri): string {
  const configured = vscode.workspace.getConfiguration('llmJp').get<string>('modelsFolder', '').trim();
  return configured !== '' ? configured : vscode.Uri.joinPath(storage, 'models').fsPath;
}

async function useModel(modelPath: string): Promise<void> {
  await vscode.workspace.getConfiguration('llmJp').update('modelPath', modelPath, vscode.ConfigurationTarget.Global);
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

export async function pickModel(extensionUri: vscode.Uri, storage: vscode.Uri, engine: EngineService): Promise<void> {
  const catalog = readCatalogFile(vscode.Uri.joinPath(extensionUri, 'models', 'catalog.json').fsPath);
  // The GPU is probed in the model process; if that fails, plan for the machine's RAM alone.
  const device = await Promise.resolve(
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Detecting the GPU…') }, () => engine.device()),
  ).catch(() => ({ ramTotalBytes: os.totalmem(), ramFreeBytes: os.freemem() }));
  const items: ModelItem[] = [
    { action: 'local', label: `$(folder-opened) ${vscode.l10n.t('Use a local GGUF file…')}` },
    { kind: vscode.QuickPickItemKind.Separator, label: vscode.l10n.t('Download'), action: 'download' },
  ];
  for (const model of catalog.models) {
    if (model.serverOnly) continue;
    for (const file of model.files) {
      if (file.uri === null) continue;
      const facts = memoryFactsFromCatalog(model, file);
      const plan = facts ? planMemory(facts, device) : undefined;
      items.push({
        action: 'download',
        model,
        file,
        label: `${model.displayName} ${file.quantization}`,
        description: formatBytes(file.sizeBytes ?? file.approxSizeBytes),
        detail: plan ? localized(plan.summary) : undefined,
      });
    }
  }
  const choice = await vscode.window.showQuickPick(items, { placeHolder: vscode.l10n.t('Choose the model LLM-jp runs'), matchOnDetail: true });
  if (!choice) return;
  if (choice.action === 'local') {
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
    return;
  }
  if (choice.file) await downloadModel(choice.file, storage);
}

const HUGGING_FACE = 'https://huggingface.co';

/** The file's URL on the configured Hugging Face endpoint (a company mirror, say). */
function downloadUrl(uri: string): string {
  const endpoint = vscode.workspace.getConfiguration('llmJp').get<string>('huggingFaceEndpoint', HUGGING_FACE).trim().replace(/\/+$/, '');
  return uri.startsWith(`${HUGGING_FACE}/`) && endpoint !== '' ? endpoint + uri.slice(HUGGING_FACE.length) : uri;
}

/** Downloads a catalog file with visible, cancellable progress and makes it the model in use. */
export async function downloadModel(file: CatalogFile, storage: vscode.Uri): Promise<string | undefined> {
  if (file.uri === null || file.file === null) return undefined;
  const url = downloadUrl(file.uri);
  const target = path.join(modelsFolder(storage), file.file);
  try {
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Downloading {0}', file.file), cancellable: true },
      async (progress, token) => {
        const controller = new AbortController();
        token.onCancellationRequested(() => controller.abort());
        let reported = 0;
        return downloadFile({
          url,
          target,
          ...(file.sizeBytes !== null ? { expectedSize: file.sizeBytes } : {}),
          ...(file.sha256 !== null ? { sha256: file.sha256 } : {}),
          signal: controller.signal,
          onProgress: (p) => {
            const percent = p.totalBytes ? (p.receivedBytes / p.totalBytes) * 100 : 0;
            const left = p.secondsLeft !== undefined ? vscode.l10n.t(', {0} s left', Math.round(p.secondsLeft)) : '';
            progress.report({
              increment: percent - reported,
              message: `${formatBytes(p.receivedBytes)} / ${formatBytes(p.totalBytes ?? null)} · ${(p.bytesPerSecond / 1e6).toFixed(1)} MB/s${left}`,
            });
            reported = percent;
          },
        });
      },
    );
    await useModel(result.path);
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is ready.', file.file));
    return result.path;
  } catch (error) {
    if (error instanceof DownloadError) {
      if (error.code !== 'cancelled') void vscode.window.showErrorMessage(localized(error.localized));
      return undefined;
    }
    throw error;
  }
}
