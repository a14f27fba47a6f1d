// What the extension-host suites share: the generated models the driver passes, the workspace
// code-server opened, and waiting for something the extension does asynchronously.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** The path of one of the models test/e2e/models.mjs generated (e2eModels()). */
export function e2eModel(name: string): string {
  const value = process.env.LLMJP_E2E_MODELS;
  assert.ok(value, 'the e2e driver passes the generated models in LLMJP_E2E_MODELS');
  const path = (JSON.parse(value) as Record<string, string>)[name];
  assert.ok(path, `no generated model named ${name}`);
  return path;
}

export function workspaceRoot(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'code-server opens a workspace folder');
  return folder.uri.fsPath;
}

export async function until<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * How every suite runs its models: on the CPU with one thread (CI machines have 2 cores), in a
 * context the scripted models and their tool schemas fit in.
 */
export const CPU_SETTINGS = { gpu: 'off', threads: 1, contextSize: 8192 } as const;

/** Sets `llmJp.*` settings as a user would (user settings). */
export async function setSettings(values: Readonly<Record<string, unknown>>): Promise<void> {
  for (const [key, value] of Object.entries(values)) await vscode.workspace.getConfiguration('llmJp').update(key, value, vscode.ConfigurationTarget.Global);
}

/** Puts `llmJp.*` settings back to their defaults, for the suites that run after. */
export async function resetSettings(keys: readonly string[]): Promise<void> {
  for (const key of keys) await vscode.workspace.getConfiguration('llmJp').update(key, undefined, vscode.ConfigurationTarget.Global);
}
