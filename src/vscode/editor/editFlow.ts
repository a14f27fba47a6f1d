// Edits from the editor (doc comment, comment translation, Markdown translation): the model
// rewrites the target, the result is checked to change only what the task allows, and the user
// sees it as a diff that is applied, as one undo step, only when accepted. Nothing is written
// while the model works, so Stop or a refusal leaves the file as it was.
import * as vscode from 'vscode';
import { toChatMessages } from '../../core/chat/chatMessages';
import { checkCommentOnly, commentOnlyMessage } from '../../core/edits/commentOnly';
import { markdownDifference, type MarkdownDifference } from '../../core/edits/markdownStructure';
import { editedCode } from '../../core/prompts/editAnswer';
import type { EditorTaskKind, EditorTaskPrompt } from '../../core/prompts/editorTasks';
import { chatInstructions } from '../../core/prompts/chat';
import type { ApplyCodeFlow, ProposalOutcome } from '../edits/applyCode';
import { answerLanguage } from '../request/taskSettings';
import { localized } from '../request/engineService';
import type { RequestService } from '../request/requestService';
import { attachmentsWithIds } from './taskAttachments';
import type { EditorTarget } from './taskCode';

export type EditOutcome = ProposalOutcome | 'cancelled' | 'refused' | 'failed';

const TITLES: Record<string, () => string> = {
  docComment: () => vscode.l10n.t('LLM-jp: writing a doc comment…'),
  translateComments: () => vscode.l10n.t('LLM-jp: translating comments…'),
  translateDocument: () => vscode.l10n.t('LLM-jp: translating the document…'),
};

function describeMarkdownDifference(difference: MarkdownDifference): string {
  switch (difference.kind) {
    case 'front-matter':
      return vscode.l10n.t('The translation changed the front matter.');
    case 'code-block':
      return vscode.l10n.t('The translation changed a code block (line {0}).', difference.line);
    case 'inline-code':
      return vscode.l10n.t('The translation changed inline code: {0}', difference.missing);
    case 'link':
      return vscode.l10n.t('The translation changed a link target: {0}', difference.missing);
    case 'table':
      return vscode.l10n.t('The translation changed the shape of a table (line {0}).', difference.line);
  }
}

/**
 * Why the document with the new text may not replace the document as it is, or undefined when
 * it may. Whole documents are compared: a selection can begin inside a comment or a string.
 */
function refusal(kind: EditorTaskKind, languageId: string, before: string, after: string): string | undefined {
  if (kind === 'translateDocument') {
    const difference = markdownDifference(before, after);
    return difference && describeMarkdownDifference(difference);
  }
  const check = checkCommentOnly(languageId, before, after);
  return check.ok ? undefined : localized(commentOnlyMessage(check));
}

const lf = (text: string): string => text.replace(/\r\n?/g, '\n');

/** The model's text in the document's terms: its line breaks, and a final one where the original had one. */
function asReplacement(code: string, original: string): string {
  const eol = original.includes('\r\n') ? '\r\n' : '\n';
  let text = code.replace(/\r\n?/g, '\n');
  if (original.replace(/\r\n?/g, '\n').endsWith('\n') && !text.endsWith('\n')) text += '\n';
  return eol === '\n' ? text : text.replace(/\n/g, eol);
}

export async function runEditTask(
  requests: RequestService,
  applyCode: ApplyCodeFlow,
  editor: vscode.TextEditor,
  kind: EditorTaskKind,
  target: EditorTarget,
  prompt: EditorTaskPrompt,
): Promise<EditOutcome> {
  if (target.code.excerpt.targetCut) {
    void vscode.window.showWarningMessage(vscode.l10n.t('This is too long for the model to rewrite at once: select a smaller part.'));
    return 'refused';
  }
  const document = editor.document;
  const version = document.version;
  const original = document.getText(target.range);
  const messages = [
    { role: 'system' as const, content: chatInstructions(answerLanguage()) },
    ...toChatMessages([{ kind: 'user', text: prompt.question, attachments: attachmentsWithIds(prompt.attachments) }]),
  ];
  const outcome = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: (TITLES[kind] ?? TITLES.docComment)(), cancellable: true },
    async (progress, token) => {
      const controller = new AbortController();
      const cancel = token.onCancellationRequested(() => controller.abort());
      try {
        const events = requests.run({ prompt: () => ({ messages }), ...(prompt.reasoningEffort ? { reasoningEffort: prompt.reasoningEffort } : {}) }, controller.signal);
        let written = 0;
        for (;;) {
          const next = await events.next();
          if (next.done) return next.value;
          if (next.value.type === 'reasoning' && written === 0) progress.report({ message: vscode.l10n.t('thinking…') });
          if (next.value.type === 'answer') {
            written += next.value.text.length;
            progress.report({ message: vscode.l10n.t('{0} characters written', written) });
          }
        }
      } finally {
        cancel.dispose();
      }
    },
  );
  if (outcome.stopReason === 'cancelled') return 'cancelled';
  if (outcome.stopReason === 'error' || outcome.error !== undefined) {
    void vscode.window.showErrorMessage(outcome.error ?? vscode.l10n.t('The answer ended unexpectedly.'));
    return 'failed';
  }
  if (outcome.stopReason === 'length') {
    void vscode.window.showWarningMessage(vscode.l10n.t('The answer was cut off at the token limit, so no change is offered.'));
    return 'refused';
  }
  const edited = editedCode(outcome.answer, { wholeDocument: kind === 'translateDocument' });
  if (!edited) {
    void vscode.window.showWarningMessage(vscode.l10n.t('The model did not return the code, so no change is offered.'));
    return 'refused';
  }
  const replacement = asReplacement(edited.code, original);
  const whole = document.getText();
  const [start, end] = [document.offsetAt(target.range.start), document.offsetAt(target.range.end)];
  const why = refusal(kind, document.languageId, lf(whole), lf(whole.slice(0, start) + replacement + whole.slice(end)));
  if (why !== undefined) {
    void vscode.window.showWarningMessage(why);
    return 'refused';
  }
  if (replacement === original) {
    void vscode.window.showInformationMessage(vscode.l10n.t('The model proposed no change.'));
    return 'discarded';
  }
  if (document.isClosed || document.version !== version) {
    void vscode.window.showWarningMessage(vscode.l10n.t('{0} changed while the model was writing; nothing was applied.', vscode.workspace.asRelativePath(document.uri)));
    return 'stale';
  }
  return (await applyCode.propose(replacement, editor, target.range)) ?? 'failed';
}
