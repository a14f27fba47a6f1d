// Where the model runs for this workspace: in-process (the local GGUF) or on an OpenAI-compatible
// server (vLLM, llama-server). The server's address and model are settings (per workspace where
// set there); its API key lives in VS Code's SecretStorage under the server's origin, so a key is
// never sent to a server it was not given for, and never appears in settings.json or a log.
import * as vscode from 'vscode';
import { engineError } from '../../core/generation/errors';
import { EngineRequestError } from '../../engine/client';
import { RemoteBackend, type RemoteBackendOptions } from '../../engine/remote';

export interface ServerSettings {
  readonly baseUrl: string;
  /** '' for the server's first model. */
  readonly model: string;
  readonly requestTimeoutMs: number;
  readonly verifyTls: boolean;
  /** '' for none. */
  readonly caFile: string;
}

const SECTION = 'llmJp';

/** The server settings when this workspace uses a server; undefined for the local model. */
export function serverSettings(): ServerSettings | undefined {
  const config = vscode.workspace.getConfiguration(SECTION);
  if (config.get<string>('backend', 'local') !== 'server') return undefined;
  const baseUrl = config.get<string>('server.baseUrl', '').trim();
  return baseUrl === '' ? undefined : connectionSettings(baseUrl);
}

/** How to reach `baseUrl` (the model, the timeout, TLS) as the settings say, whichever backend is in use. */
export function connectionSettings(baseUrl: string): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION);
  return {
    baseUrl,
    model: config.get<string>('server.model', '').trim(),
    requestTimeoutMs: Math.max(5, config.get<number>('server.requestTimeoutSeconds', 120)) * 1000,
    verifyTls: config.get<boolean>('server.verifyTls', true),
    caFile: config.get<string>('server.caFile', '').trim(),
  };
}

/**
 * A backend for `settings`' server and `model`. A URL that is not http(s), or a CA file that
 * cannot be read, is an EngineRequestError with the message the user reads.
 */
export function createRemoteBackend(
  settings: ServerSettings,
  options: { readonly model: string; readonly apiKey?: string; readonly contextSize?: number; readonly requestTimeoutMs?: number; readonly log?: RemoteBackendOptions['log'] },
): RemoteBackend {
  try {
    return new RemoteBackend({
      baseUrl: settings.baseUrl,
      model: options.model,
      ...(options.apiKey ? { apiKey: options.apiKey } : {}),
      ...(options.contextSize !== undefined ? { contextSize: options.contextSize } : {}),
      requestTimeoutMs: options.requestTimeoutMs ?? settings.requestTimeoutMs,
      rejectUnauthorized: settings.verifyTls,
      ...(settings.caFile !== '' ? { caFile: settings.caFile } : {}),
      ...(options.log ? { log: options.log } : {}),
    });
  } catch (error) {
    throw new EngineRequestError(engineError('server-unreachable', [settings.baseUrl, error instanceof Error ? error.message : String(error)]));
  }
}

/** The secret's name for a server: its origin (scheme, host and port). */
export function apiKeySecret(baseUrl: string): string | undefined {
  try {
    return `llmJp.server.apiKey:${new URL(baseUrl).origin}`;
  } catch {
    return undefined;
  }
}

/** Where Choose Model writes a server choice: the workspace when one is open (per workspace), else the user settings. */
export function settingsTarget(): vscode.ConfigurationTarget {
  return vscode.workspace.workspaceFolders?.length ? vscode.ConfigurationTarget.Workspace : vscode.ConfigurationTarget.Global;
}
