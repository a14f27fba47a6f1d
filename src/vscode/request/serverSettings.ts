// Where the model runs for this workspace: in-process (the local GGUF) or on an OpenAI-compatible
// server (vLLM, llama-server). The server's address and model are settings (per workspace where
// set there); its API key lives in VS Code's SecretStorage under the server's origin, so a key is
// never sent to a server it was not given for, and never appears in settings.json or a log.
import * as vscode from 'vscode';

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
  if (baseUrl === '') return undefined;
  return {
    baseUrl,
    model: config.get<string>('server.model', '').trim(),
    requestTimeoutMs: Math.max(5, config.get<number>('server.requestTimeoutSeconds', 120)) * 1000,
    verifyTls: config.get<boolean>('server.verifyTls', true),
    caFile: config.get<string>('server.caFile', '').trim(),
  };
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
