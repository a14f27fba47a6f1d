// Downloading a catalog file into the models folder with visible, cancellable progress. A cancelled
// or interrupted download leaves a `.partial` file that the next attempt continues (HTTP Range);
// only a complete, verified file becomes the model in use.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { formatByteSize, percentOf, type CatalogFile } from '../../core/models';
import { DownloadError, downloadFile, partialPath } from '../../download';
import { localized } from '../request/engineService';

const HUGGING_FACE = 'https://huggingface.co';

/** Where downloads go: the user's folder, or the extension's global storage. */
export function modelsFolder(storage: vscode.Uri): string {
  const configured = vscode.workspace.getConfiguration('llmJp').get<string>('modelsFolder', '').trim();
  return configured !== '' ? configured : vscode.Uri.joinPath(storage, 'models').fsPath;
}

/** Where a catalog file lands once downloaded. */
export function downloadTarget(file: CatalogFile & { readonly file: string }, storage: vscode.Uri): string {
  return path.join(modelsFolder(storage), file.file);
}

/** Bytes of an unfinished earlier download of `target`, 0 when there is none. */
export async function partialBytes(target: string): Promise<number> {
  try {
    return (await fs.stat(partialPath(target))).size;
  } catch {
    return 0;
  }
}

export async function useModel(modelPath: string): Promise<void> {
  await vscode.workspace.getConfiguration('llmJp').update('modelPath', modelPath, vscode.ConfigurationTarget.Global);
}

/** The file's URL on the configured Hugging Face endpoint (a company mirror, say). */
function downloadUrl(uri: string): string {
  const endpoint = vscode.workspace.getConfiguration('llmJp').get<string>('huggingFaceEndpoint', HUGGING_FACE).trim().replace(/\/+$/, '');
  return uri.startsWith(`${HUGGING_FACE}/`) && endpoint !== '' ? endpoint + uri.slice(HUGGING_FACE.length) : uri;
}

/** "12.4 MB / 697 MB (1%) · 3.1 MB/s, 220 s left" */
function progressMessage(received: number, total: number | undefined, bytesPerSecond: number, secondsLeft: number | undefined): string {
  const amount = total !== undefined ? `${formatByteSize(received)} / ${formatByteSize(total)} (${percentOf(received, total)}%)` : formatByteSize(received);
  const left = secondsLeft !== undefined ? vscode.l10n.t(', {0} s left', Math.round(secondsLeft)) : '';
  return `${amount} · ${formatByteSize(bytesPerSecond)}/s${left}`;
}

/** Downloads a catalog file with visible, cancellable progress and makes it the model in use. */
export async function downloadModel(file: CatalogFile, storage: vscode.Uri): Promise<string | undefined> {
  if (file.uri === null || file.file === null) return undefined;
  const url = downloadUrl(file.uri);
  const target = downloadTarget({ ...file, file: file.file }, storage);
  let lastTotal: number | undefined;
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
            lastTotal = p.totalBytes;
            const percent = p.totalBytes ? (p.receivedBytes / p.totalBytes) * 100 : 0;
            progress.report({ increment: percent - reported, message: progressMessage(p.receivedBytes, p.totalBytes, p.bytesPerSecond, p.secondsLeft) });
            reported = percent;
          },
        });
      },
    );
    await useModel(result.path);
    const openChat = vscode.l10n.t('Open Chat');
    void vscode.window.showInformationMessage(vscode.l10n.t('{0} is ready.', file.file), openChat).then((choice) => {
      if (choice === openChat) void vscode.commands.executeCommand('llmJp.openChat');
    });
    return result.path;
  } catch (error) {
    if (!(error instanceof DownloadError)) throw error;
    if (error.code === 'cancelled') {
      void offerResume(file, storage, await partialBytes(target), lastTotal ?? file.sizeBytes ?? undefined);
    } else {
      void vscode.window.showErrorMessage(localized(error.localized));
    }
    return undefined;
  }
}

/** After a cancel: what was kept, and a way to continue. */
async function offerResume(file: CatalogFile, storage: vscode.Uri, kept: number, total: number | undefined): Promise<void> {
  const resume = vscode.l10n.t('Resume');
  const message = total !== undefined
    ? vscode.l10n.t('Download of {0} paused at {1} of {2}. It continues where it stopped when you start it again.', file.file ?? '', formatByteSize(kept), formatByteSize(total))
    : vscode.l10n.t('Download of {0} paused at {1}. It continues where it stopped when you start it again.', file.file ?? '', formatByteSize(kept));
  if ((await vscode.window.showInformationMessage(message, resume)) === resume) await downloadModel(file, storage);
}
