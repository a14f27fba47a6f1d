// What a thread shows: each question as the user wrote it (plain text, never rendered), each
// answer as markdown the model wrote (untrusted: no command links, no HTML), and the answer being
// streamed. VS Code redraws a comment only when thread.comments gets new objects, so every update
// builds the list afresh.
import * as vscode from 'vscode';
import type { TranscriptEntry } from '../../core/chat/conversation';

export interface LiveAnswer {
  readonly reasoning: string;
  readonly answer: string;
}

const MODEL_AUTHOR: vscode.CommentAuthorInformation = { name: 'LLM-jp' };

function markdown(text: string): vscode.MarkdownString {
  const body = new vscode.MarkdownString(text);
  body.isTrusted = false;
  body.supportHtml = false;
  return body;
}

function answerComment(answer: string, options: { readonly label?: string; readonly error?: string }): vscode.Comment {
  const body = answer !== '' ? markdown(answer) : markdown(`*${options.error ?? vscode.l10n.t('No answer.')}*`);
  return {
    body,
    author: MODEL_AUTHOR,
    mode: vscode.CommentMode.Preview,
    ...(options.label !== undefined ? { label: options.label } : {}),
  };
}

function stoppedLabel(stopReason: string, error: string | undefined): string | undefined {
  if (stopReason === 'cancelled') return vscode.l10n.t('Stopped');
  if (stopReason === 'length') return vscode.l10n.t('Cut at the token limit');
  if (stopReason === 'error' || error !== undefined) return vscode.l10n.t('Failed');
  return undefined;
}

export function threadComments(entries: readonly TranscriptEntry[], live: LiveAnswer | undefined): vscode.Comment[] {
  const you: vscode.CommentAuthorInformation = { name: vscode.l10n.t('You') };
  const comments: vscode.Comment[] = [];
  for (const entry of entries) {
    switch (entry.kind) {
      case 'user': {
        const where = entry.attachments?.[0]?.label;
        comments.push({ body: entry.text, author: you, mode: vscode.CommentMode.Preview, ...(where !== undefined ? { label: where } : {}) });
        break;
      }
      case 'assistant': {
        const label = stoppedLabel(entry.stopReason, entry.error);
        comments.push(answerComment(entry.answer, { ...(label !== undefined ? { label } : {}), ...(entry.error !== undefined ? { error: entry.error } : {}) }));
        break;
      }
      case 'notice':
        comments.push({ body: entry.text, author: MODEL_AUTHOR, mode: vscode.CommentMode.Preview });
        break;
    }
  }
  if (live) {
    // Reasoning is not shown in the thread (the panel shows it after Open in panel), only that it happens.
    comments.push(live.answer !== '' ? answerComment(live.answer, {}) : { body: markdown(`*${vscode.l10n.t('Thinking…')}*`), author: MODEL_AUTHOR, mode: vscode.CommentMode.Preview });
  }
  return comments;
}
