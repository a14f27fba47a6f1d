// Attachments of an editor task as the chat keeps them: with ids, and labels in the UI language.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { Attachment } from '../../core/chat/conversation';
import type { AttachmentDraft } from '../../core/prompts/editorTasks';

export function attachmentsWithIds(drafts: readonly AttachmentDraft[]): Attachment[] {
  return drafts.map((draft) => ({
    ...draft,
    id: randomUUID(),
    ...(draft.kind === 'problems' ? { label: vscode.l10n.t('Problems ({0})', draft.content.split('\n').length) } : {}),
  }));
}
