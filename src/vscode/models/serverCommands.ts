// Pointing the workspace at an OpenAI-compatible server (Use a Server…: its address, a check of
// /v1/models, the model to use), back at the local model, and the server's API key, which goes to
// SecretStorage under the server's origin and nowhere else.
import * as vscode from 'vscode';
import { EngineRequestError } from '../../engine/client';
import type { RemoteBackend } from '../../engine/remote';
import { localized, type EngineService } from '../request/engineService';
import { apiKeySecret, connectionSettings, createRemoteBackend, settingsTarget } from '../request/serverSettings';

export const ServerCommands = {
  useServer: 'llmJp.useServer',
  useLocalModel: 'llmJp.useLocalModel',
  setApiKey: 'llmJp.setServerApiKey',
  clearApiKey: 'llmJp.clearServerApiKey',
  checkServer: 'llmJp.checkServer',
} as const;

const DEFAULT_URL = 'http://127.0.0.1:8080/v1';

function currentBaseUrl(): string {
  return vscode.workspace.getConfiguration('llmJp').get<string>('server.baseUrl', '').trim();
}

function validUrl(value: string): string | undefined {
  try {
    const url = new URL(value.trim());
    return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : vscode.l10n.t('Give an http:// or https:// address.');
  } catch {
    return vscode.l10n.t('Give an http:// or https:// address.');
  }
}

/** Asks for the API key of `baseUrl`'s server and keeps it in SecretStorage. */
async function setApiKey(secrets: vscode.SecretStorage, baseUrl = currentBaseUrl()): Promise<boolean> {
  const secret = apiKeySecret(baseUrl);
  if (!secret) {
    void vscode.window.showInformationMessage(vscode.l10n.t('Set the server first (Choose Model → Use a Server…).'));
    return false;
  }
  const key = await vscode.window.showInputBox({
    title: vscode.l10n.t('API key for {0}', new URL(baseUrl).origin),
    prompt: vscode.l10n.t('Kept in VS Code\'s secret storage, sent only to this server.'),
    password: true,
    ignoreFocusOut: true,
  });
  if (key === undefined) return false;
  if (key.trim() === '') await secrets.delete(secret);
  else await secrets.store(secret, key.trim());
  return true;
}

/** The server's models, or undefined after telling the user why there are none (with a way to fix a missing key). */
async function serverModels(secrets: vscode.SecretStorage, baseUrl: string): Promise<readonly string[] | undefined> {
  for (;;) {
    const secret = apiKeySecret(baseUrl);
    const apiKey = secret ? await secrets.get(secret) : undefined;
    let backend: RemoteBackend;
    try {
      // The TLS settings as the workspace has them, even while it still runs the local model.
      backend = createRemoteBackend(connectionSettings(baseUrl), { model: '', ...(apiKey ? { apiKey } : {}), requestTimeoutMs: 15_000 });
    } catch (error) {
      void vscode.window.showErrorMessage(error instanceof EngineRequestError ? localized(error.error.message) : String(error));
      return undefined;
    }
    const health = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Asking {0} for its models…', backend.server) }, () => backend.health());
    if (health.ok) return health.models;
    const setKey = vscode.l10n.t('Set API Key…');
    const needsKey = health.error.code === 'server-unauthorized' || health.error.code === 'server-forbidden';
    const choice = await vscode.window.showErrorMessage(localized(health.error.message), ...(needsKey ? [setKey] : []));
    if (choice !== setKey || !(await setApiKey(secrets, baseUrl))) return undefined;
  }
}

/** Use a Server…: the address, then one of its models; written for this workspace. */
export async function useServer(secrets: vscode.SecretStorage): Promise<void> {
  const baseUrl = await vscode.window.showInputBox({
    title: vscode.l10n.t('OpenAI-compatible server (vLLM, llama-server)'),
    prompt: vscode.l10n.t('The server\'s base URL'),
    value: currentBaseUrl() || DEFAULT_URL,
    validateInput: validUrl,
    ignoreFocusOut: true,
  });
  if (!baseUrl) return;
  const models = await serverModels(secrets, baseUrl.trim());
  if (!models) return;
  const model =
    models.length === 1
      ? models[0]
      : (await vscode.window.showQuickPick(models.length > 0 ? [...models] : [''], { placeHolder: vscode.l10n.t('Which of the server\'s models?') }));
  if (model === undefined) return;
  const config = vscode.workspace.getConfiguration('llmJp');
  const target = settingsTarget();
  await config.update('server.baseUrl', baseUrl.trim(), target);
  await config.update('server.model', model, target);
  await config.update('backend', 'server', target);
  void vscode.window.showInformationMessage(vscode.l10n.t('LLM-jp now uses {0} on {1}.', model || baseUrl, new URL(baseUrl).host));
}

export function registerServerCommands(engine: EngineService, secrets: vscode.SecretStorage): vscode.Disposable[] {
  return [
    vscode.commands.registerCommand(ServerCommands.useServer, () => useServer(secrets)),
    vscode.commands.registerCommand(ServerCommands.useLocalModel, async () => {
      await vscode.workspace.getConfiguration('llmJp').update('backend', 'local', settingsTarget());
    }),
    vscode.commands.registerCommand(ServerCommands.setApiKey, () => setApiKey(secrets)),
    vscode.commands.registerCommand(ServerCommands.clearApiKey, async () => {
      const secret = apiKeySecret(currentBaseUrl());
      if (secret) await secrets.delete(secret);
    }),
    vscode.commands.registerCommand(ServerCommands.checkServer, async () => {
      try {
        const server = await engine.server();
        if (!server) {
          void vscode.window.showInformationMessage(vscode.l10n.t('This workspace uses the local model.'));
          return undefined;
        }
        const health = await server.backend.health();
        if (health.ok) {
          void vscode.window.showInformationMessage(
            health.modelListed
              ? vscode.l10n.t('{0} is up and serves {1}.', server.backend.server, server.info.name ?? '')
              : vscode.l10n.t('{0} is up, but does not list {1}; it lists: {2}', server.backend.server, server.info.name ?? '', health.models.join(', ')),
          );
        } else void vscode.window.showErrorMessage(localized(health.error.message));
        return health;
      } catch (error) {
        void vscode.window.showErrorMessage(error instanceof EngineRequestError ? localized(error.error.message) : String(error));
        return undefined;
      }
    }),
  ];
}
