// The walkthrough's first step: download the catalog model the memory planner recommends for this
// machine. It always says what it will fetch, how big it is and where it goes before it starts,
// so a click never begins a surprise multi-gigabyte download.
import * as vscode from 'vscode';
import { formatByteSize, recommendDownload } from '../../core/models';
import { loadCatalog } from './catalogSource';
import { localized, type EngineService } from '../request/engineService';
import { configuredContext, modelFacts } from './modelFacts';
import { downloadModel, downloadTarget, modelsFolder, partialBytes } from './modelDownload';

export async function downloadRecommendedModel(context: vscode.ExtensionContext, engine: EngineService): Promise<string | undefined> {
  const catalog = loadCatalog(context.extensionUri);
  if (!catalog) return undefined;
  const device = await modelFacts(engine).deviceForPicking();
  const maxContext = configuredContext();
  const choice = recommendDownload(catalog, device, maxContext !== undefined ? { maxContext } : {});
  const chooseModel = vscode.l10n.t('Choose Another Model…');
  const fileName = choice?.file.file;
  if (!choice || fileName === null || fileName === undefined) {
    const answer = await vscode.window.showWarningMessage(
      vscode.l10n.t('No model in the catalog fits the free memory of this machine. Choose Model lists every model with what it needs.'),
      chooseModel,
    );
    if (answer === chooseModel) await vscode.commands.executeCommand('llmJp.selectModel');
    return undefined;
  }
  const { model, file, plan } = choice;
  const size = file.sizeBytes !== null ? formatByteSize(file.sizeBytes) : vscode.l10n.t('about {0}', formatByteSize(file.approxSizeBytes ?? plan.weightsBytes));
  const kept = await partialBytes(downloadTarget({ ...file, file: fileName }, context.globalStorageUri));
  const detail = [
    localized(plan.summary),
    vscode.l10n.t('Saved in {0}', modelsFolder(context.globalStorageUri)),
    ...(kept > 0 ? [vscode.l10n.t('{0} of it is already downloaded; the download continues from there.', formatByteSize(kept))] : []),
  ].join('\n\n');
  const download = kept > 0 ? vscode.l10n.t('Resume Download') : vscode.l10n.t('Download');
  const answer = await vscode.window.showInformationMessage(
    vscode.l10n.t('Download {0} {1} ({2})?', model.displayName, file.quantization, size),
    { modal: true, detail },
    download,
    chooseModel,
  );
  if (answer === chooseModel) {
    await vscode.commands.executeCommand('llmJp.selectModel');
    return undefined;
  }
  return answer === download ? downloadModel(file, context.globalStorageUri) : undefined;
}
