// The model list the extension offers: the built-in models/catalog.json, or a catalog file the
// user (or an organization) names in `llmJp.modelCatalog` to offer its own approved models.
// Either is checked against the same rules; a broken one is reported, never half-used.
import * as vscode from 'vscode';
import { CatalogError, readCatalogFile, type Catalog } from '../../core/models';

/** The configured catalog, or undefined after telling the user why it could not be read. */
export function loadCatalog(extensionUri: vscode.Uri, log?: vscode.LogOutputChannel): Catalog | undefined {
  const configured = vscode.workspace.getConfiguration('llmJp').get<string>('modelCatalog', '').trim();
  const file = configured !== '' ? configured : vscode.Uri.joinPath(extensionUri, 'models', 'catalog.json').fsPath;
  try {
    return readCatalogFile(file);
  } catch (error) {
    const detail = error instanceof CatalogError ? error.problems.slice(0, 3).join('; ') : error instanceof Error ? error.message : String(error);
    log?.error(`model catalog ${file}: ${error instanceof Error ? error.message : String(error)}`);
    void vscode.window.showErrorMessage(vscode.l10n.t('The model catalog {0} could not be read: {1}', file, detail));
    return undefined;
  }
}
