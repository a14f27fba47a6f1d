// The chat panel's words, localized here (the panel itself has no access to vscode.l10n).
import * as vscode from 'vscode';
import type { PanelStrings } from '../../core/protocol';

export function panelStrings(): PanelStrings {
  return {
    inputPlaceholder: vscode.l10n.t('Ask LLM-jp… (Enter to send, Shift+Enter for a new line)'),
    send: vscode.l10n.t('Send'),
    emptyTranscript: vscode.l10n.t('Ask a question about your code in Japanese or English.'),
    stop: vscode.l10n.t('Stop'),
    thinking: vscode.l10n.t('Thinking…'),
    reasoning: vscode.l10n.t('Reasoning'),
    copy: vscode.l10n.t('Copy'),
    copied: vscode.l10n.t('Copied'),
    insertAtCursor: vscode.l10n.t('Insert at Cursor'),
    applyToFile: vscode.l10n.t('Apply to File'),
    regenerate: vscode.l10n.t('Regenerate'),
    newChat: vscode.l10n.t('New Chat'),
    attachSelection: vscode.l10n.t('Attach Selection'),
    attachFile: vscode.l10n.t('Attach Current File'),
    attachProblems: vscode.l10n.t('Attach Problems'),
    removeContext: vscode.l10n.t('Remove'),
    implicitContext: vscode.l10n.t('goes with the next question unless you remove it'),
    model: vscode.l10n.t('Model'),
    chooseModel: vscode.l10n.t('Choose or Download a Model…'),
    reasoningEffort: vscode.l10n.t('Reasoning effort'),
    effortLow: vscode.l10n.t('Low'),
    effortMedium: vscode.l10n.t('Medium'),
    effortHigh: vscode.l10n.t('High'),
    answerLanguage: vscode.l10n.t('Answer language'),
    languageAuto: vscode.l10n.t('Follow VS Code'),
    languageJa: '日本語',
    languageEn: 'English',
    toolRunning: vscode.l10n.t('Running…'),
    toolDone: vscode.l10n.t('Done'),
    toolFailed: vscode.l10n.t('Failed'),
    toolUnavailable: vscode.l10n.t('Not available'),
    toolArguments: vscode.l10n.t('Arguments'),
    toolResult: vscode.l10n.t('Result'),
    proposalOpen: vscode.l10n.t('Open Diff'),
    proposalAccept: vscode.l10n.t('Accept'),
    proposalReject: vscode.l10n.t('Reject'),
    proposalAcceptAll: vscode.l10n.t('Accept All'),
    proposalRejectAll: vscode.l10n.t('Reject All'),
    proposalPending: vscode.l10n.t('waiting for your decision'),
    proposalAccepted: vscode.l10n.t('accepted'),
    proposalRejected: vscode.l10n.t('rejected'),
    proposalStale: vscode.l10n.t('not applied: the file changed since the model read it'),
    proposalFailed: vscode.l10n.t('not applied'),
    proposalExpired: vscode.l10n.t('no longer open (proposed before the window reloaded)'),
    showEarlier: vscode.l10n.t('{0} earlier messages hidden. Show them'),
  };
}

export function thoughtFor(seconds: number, tokens: number): string {
  if (tokens === 1) return vscode.l10n.t('Thought for {0} s, 1 token', seconds.toFixed(1));
  return vscode.l10n.t('Thought for {0} s, {1} tokens', seconds.toFixed(1), tokens.toLocaleString(vscode.env.language));
}

export function usageStats(tokensPerSecond: number, used: number, contextSize: number | undefined): string {
  const speed = vscode.l10n.t('{0} tokens/s', tokensPerSecond.toFixed(1));
  if (contextSize === undefined) return speed;
  const locale = vscode.env.language;
  return `${speed} · ${vscode.l10n.t('{0} of {1} tokens of context', used.toLocaleString(locale), contextSize.toLocaleString(locale))}`;
}
