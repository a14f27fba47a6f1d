// How much LLM-jp-4 reasons before it answers (`llmJp.reasoningEffort`): a quick pick with the
// current choice marked, and the short form the status bar shows.
import * as vscode from 'vscode';
import type { ChatDialect, ReasoningEffort } from '../../core/harmony/types';

const EFFORTS: readonly ReasoningEffort[] = ['low', 'medium', 'high'];

export function currentEffort(): ReasoningEffort {
  const value = vscode.workspace.getConfiguration('llmJp').get<string>('reasoningEffort', 'medium');
  return (EFFORTS as readonly string[]).includes(value) ? (value as ReasoningEffort) : 'medium';
}

/** LLM-jp-4's Harmony format carries a reasoning effort; LLM-jp-3's plain format has none. */
export function takesReasoningEffort(dialect: ChatDialect | undefined): boolean {
  return dialect === 'llm-jp-4.0' || dialect === 'llm-jp-4.1';
}

/** The word the status bar shows after the device, e.g. "medium". */
export function effortShortName(effort: ReasoningEffort): string {
  switch (effort) {
    case 'low':
      return vscode.l10n.t({ message: 'low', comment: ['reasoning effort, status bar'] });
    case 'medium':
      return vscode.l10n.t({ message: 'medium', comment: ['reasoning effort, status bar'] });
    case 'high':
      return vscode.l10n.t({ message: 'high', comment: ['reasoning effort, status bar'] });
  }
}

/** The effort's name as the quick pick and the hover show it, e.g. "Medium". */
export function effortLabel(effort: ReasoningEffort): string {
  return effort === 'low' ? vscode.l10n.t('Low') : effort === 'medium' ? vscode.l10n.t('Medium') : vscode.l10n.t('High');
}

interface EffortItem extends vscode.QuickPickItem {
  readonly effort: ReasoningEffort;
}

function items(current: ReasoningEffort): EffortItem[] {
  const details: Record<ReasoningEffort, string> = {
    low: vscode.l10n.t('Reasons briefly: the fastest answers.'),
    medium: vscode.l10n.t('Balanced: the default.'),
    high: vscode.l10n.t('Reasons at length: for hard questions, slower.'),
  };
  return EFFORTS.map((effort) => ({
    effort,
    label: `${effort === current ? '$(check)' : '$(blank)'} ${effortLabel(effort)}`,
    description: effort === current ? vscode.l10n.t('current') : undefined,
    detail: details[effort],
  }));
}

/** The scope that decides the setting's value now, so the change takes effect there. */
function effectiveTarget(): vscode.ConfigurationTarget {
  const inspected = vscode.workspace.getConfiguration('llmJp').inspect<string>('reasoningEffort');
  if (inspected?.workspaceFolderValue !== undefined) return vscode.ConfigurationTarget.WorkspaceFolder;
  if (inspected?.workspaceValue !== undefined) return vscode.ConfigurationTarget.Workspace;
  return vscode.ConfigurationTarget.Global;
}

/** Shows low / medium / high with the current one marked and stores the choice. */
export async function pickReasoningEffort(): Promise<ReasoningEffort | undefined> {
  const current = currentEffort();
  const pick = vscode.window.createQuickPick<EffortItem>();
  pick.title = vscode.l10n.t('Reasoning effort');
  pick.placeholder = vscode.l10n.t('How much LLM-jp-4 reasons before it answers');
  pick.items = items(current);
  pick.activeItems = pick.items.filter((item) => item.effort === current);
  const chosen = await new Promise<ReasoningEffort | undefined>((resolve) => {
    pick.onDidAccept(() => {
      resolve(pick.selectedItems[0]?.effort);
      pick.hide();
    });
    pick.onDidHide(() => resolve(undefined));
    pick.show();
  });
  pick.dispose();
  if (chosen === undefined || chosen === current) return chosen;
  await vscode.workspace.getConfiguration('llmJp').update('reasoningEffort', chosen, effectiveTarget());
  return chosen;
}
