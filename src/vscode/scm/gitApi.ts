// The part of the built-in Git extension's API (`vscode.git`, getAPI(1)) this extension uses:
// which repositories are open, their commit-message box, HEAD, and the git binary VS Code runs.
// Declared here because the extension publishes its types only as a file to copy (git.d.ts).
import * as vscode from 'vscode';

export interface GitInputBox {
  value: string;
}

export interface GitRepository {
  readonly rootUri: vscode.Uri;
  readonly inputBox: GitInputBox;
  readonly state: { readonly HEAD?: { readonly name?: string; readonly commit?: string } };
  readonly ui: { readonly selected: boolean };
}

export interface GitApi {
  readonly git: { readonly path: string };
  readonly repositories: readonly GitRepository[];
  getRepository(uri: vscode.Uri): GitRepository | null;
  openRepository?(root: vscode.Uri): Promise<GitRepository | null>;
  readonly onDidOpenRepository: vscode.Event<GitRepository>;
}

interface GitExtension {
  readonly enabled: boolean;
  getAPI(version: 1): GitApi;
}

/** The Git extension's API, or undefined (with the reason) where it is missing or turned off. */
export async function gitApi(): Promise<{ api: GitApi } | { reason: string }> {
  const extension = vscode.extensions.getExtension<GitExtension>('vscode.git');
  if (!extension) return { reason: vscode.l10n.t("VS Code's Git extension is not available.") };
  const exports = extension.isActive ? extension.exports : await extension.activate();
  if (!exports.enabled) return { reason: vscode.l10n.t("VS Code's Git support is turned off (the git.enabled setting).") };
  return { api: exports.getAPI(1) };
}

/**
 * The repository a command is for: the one whose Source Control title bar it was pressed on, the
 * one of the file being edited, the one selected in the Source Control view, or the user's pick.
 */
export async function pickRepository(api: GitApi, argument: unknown): Promise<GitRepository | undefined> {
  const rootUri = argumentRoot(argument);
  if (rootUri) {
    const found = api.getRepository(rootUri);
    if (found) return found;
  }
  const repositories = api.repositories;
  if (repositories.length === 0) {
    void vscode.window.showInformationMessage(vscode.l10n.t('No Git repository is open in this workspace.'));
    return undefined;
  }
  if (repositories.length === 1) return repositories[0];
  const active = vscode.window.activeTextEditor?.document.uri;
  const ofEditor = active && active.scheme === 'file' ? api.getRepository(active) : null;
  if (ofEditor) return ofEditor;
  const selected = repositories.filter((r) => r.ui.selected);
  if (selected.length === 1) return selected[0];
  const picked = await vscode.window.showQuickPick(
    repositories.map((repository) => ({ label: vscode.workspace.asRelativePath(repository.rootUri, true) || repository.rootUri.fsPath, repository })),
    { placeHolder: vscode.l10n.t('Which repository?') },
  );
  return picked?.repository;
}

/** The repository root a menu passes: a Source Control (scm/title), a resource group or state, or a Uri. */
function argumentRoot(argument: unknown): vscode.Uri | undefined {
  if (argument instanceof vscode.Uri) return argument;
  if (typeof argument !== 'object' || argument === null) return undefined;
  const candidate = argument as { rootUri?: unknown; resourceUri?: unknown };
  if (candidate.rootUri instanceof vscode.Uri) return candidate.rootUri;
  if (candidate.resourceUri instanceof vscode.Uri) return candidate.resourceUri;
  return undefined;
}
