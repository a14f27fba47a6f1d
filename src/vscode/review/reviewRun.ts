// One review, start to end: the material in pieces that fit the context, one task per piece on
// the request path with report_finding as its only tool, each call checked and anchored on the
// file as it is now and shown as a thread at once; then a summary in the chat panel. A finding
// for a file outside the review, or whose lines do not hold its quote, is refused (the model is
// told why and may report it again); it never reaches the editor.
import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import { exchangeMessages } from '../../core/chat/chatMessages';
import type { TranscriptEntry } from '../../core/chat/conversation';
import { reviewPrompt, MAX_FINDINGS, type ReviewLanguage } from '../../core/prompts/review';
import { anchorFinding, findingResult, parseFinding, REPORT_FINDING, REPORT_FINDING_TOOL, type FindingSeverity } from '../../core/review/findings';
import { reviewPieces } from '../../core/review/reviewMaterial';
import type { ChatSession } from '../chat/chatSession';
import type { ConversationStore } from '../chat/conversationStore';
import { localized } from '../request/engineService';
import { answerLanguage } from '../request/taskSettings';
import type { RequestService, Task, ToolOutcome } from '../request/requestService';
import type { ReviewTarget } from './reviewTargets';
import { currentText, type ReviewThreads } from './reviewThreads';

export interface ReviewServices {
  readonly requests: RequestService;
  readonly threads: ReviewThreads;
  readonly store: ConversationStore;
  readonly log: vscode.LogOutputChannel;
  /** The side-bar chat, shown (the summary goes there). */
  chat(): Promise<ChatSession>;
}

export interface ReviewOutcome {
  readonly findings: number;
  /** Refused reports (outside the review, quote not found). */
  readonly refused: number;
  readonly stopReason: string;
  readonly error?: string;
  /** The chat conversation the summary went to. */
  readonly conversationId?: string;
}

/** Room for the instructions, the tool's schema and the answer, in characters of the budget. */
const PROMPT_RESERVE_CHARS = 3_000;

export function reviewLanguage(): ReviewLanguage {
  const value = vscode.workspace.getConfiguration('llmJp.review').get<string>('language', 'auto');
  if (value === 'ja' || value === 'en' || value === 'both') return value;
  return answerLanguage();
}

/** Characters of listing one request may carry, for a context of `contextTokens`. */
export function reviewBudget(codeBudget: number): number {
  return Math.max(1_500, codeBudget - PROMPT_RESERVE_CHARS);
}

function countsLine(counts: Record<FindingSeverity, number>): string {
  const total = counts.error + counts.warning + counts.info;
  if (total === 0) return vscode.l10n.t('No findings.');
  return vscode.l10n.t('{0} findings: {1} errors, {2} warnings, {3} suggestions.', total, counts.error, counts.warning, counts.info);
}

export async function runReview(services: ReviewServices, target: ReviewTarget, budget: number, signal: AbortSignal, progress: vscode.Progress<{ message?: string }>): Promise<ReviewOutcome> {
  const review = { id: randomUUID(), label: target.label };
  const language = reviewLanguage();
  // A file reviewed again gets this review's findings instead of the last one's.
  services.threads.remove(services.threads.on(target.uris.values()).map((f) => f.record.id));
  const pieces = reviewPieces(target.material.files, budget);
  const counts: Record<FindingSeverity, number> = { error: 0, warning: 0, info: 0 };
  let refused = 0;
  let stopReason: string = 'return';
  let error: string | undefined;
  const summaries: string[] = [];
  const reasoning: string[] = [];
  const report = () => progress.report({ message: countsLine(counts) });

  for (const [index, files] of pieces.entries()) {
    if (signal.aborted) break;
    const allowed = new Set(files.map((f) => f.path));
    const prompt = reviewPrompt({
      language,
      label: target.label,
      kind: target.kind,
      files,
      skipped: index === 0 ? target.material.skipped : [],
      piece: [index + 1, pieces.length],
    });
    const runCall = async (name: string, args: string): Promise<ToolOutcome> => {
      const refuse = (result: string, summary: string): ToolOutcome => {
        refused++;
        return { status: 'failed', result, summary };
      };
      if (name !== REPORT_FINDING) return refuse(`Unknown tool ${name}: report findings with ${REPORT_FINDING}.`, vscode.l10n.t('Unknown tool'));
      const parsed = parseFinding(args);
      if (!parsed.ok) return refuse(`Not recorded: ${parsed.error.en}`, localized(parsed.error));
      const { finding } = parsed;
      const uri = allowed.has(finding.path) ? target.uris.get(finding.path) : undefined;
      if (!uri) return refuse(findingResult({ refused: 'outside', finding }), vscode.l10n.t('{0} is not part of this review.', finding.path));
      const text = await currentText(uri);
      const anchored = text === undefined ? ({ kind: 'dropped', reason: 'quote-not-found' } as const) : anchorFinding(finding, text);
      if (anchored.kind === 'dropped') {
        services.log.info(`review: a finding on ${finding.path}:${finding.startLine + 1} was dropped (${anchored.reason})`);
        return refuse(findingResult({ refused: anchored.reason, finding }), vscode.l10n.t('Not shown: its lines do not hold the code it quotes.'));
      }
      services.threads.add(finding, uri, anchored, review);
      counts[finding.severity]++;
      report();
      const recorded = counts.error + counts.warning + counts.info;
      return { status: 'done', result: findingResult({ recorded, anchored }), summary: `${finding.path}:${anchored.startLine + 1}` };
    };
    const task: Task = {
      conversation: `review-${review.id}-${index}`,
      prompt: (exchanges) => ({ messages: [...prompt.messages, ...exchanges.flatMap(exchangeMessages)], context: prompt.context }),
      tools: { specs: [REPORT_FINDING_TOOL], run: (name, args) => runCall(name, args) },
      maxToolRounds: MAX_FINDINGS + 5,
    };
    const run = services.requests.run(task, signal);
    let step = await run.next();
    while (!step.done) step = await run.next();
    const outcome = step.value;
    if (outcome.answer.trim() !== '') summaries.push(outcome.answer.trim());
    if (outcome.reasoning.trim() !== '') reasoning.push(outcome.reasoning.trim());
    // 'length' and 'truncated' still leave the findings made so far: the next piece goes on.
    if (outcome.stopReason === 'cancelled' || outcome.stopReason === 'error') {
      stopReason = outcome.stopReason;
      error = outcome.error;
      break;
    }
  }

  const findings = counts.error + counts.warning + counts.info;
  const conversationId = await postSummary(services, target, { counts, summaries, reasoning, stopReason, ...(error !== undefined ? { error } : {}) });
  return { findings, refused, stopReason, ...(error !== undefined ? { error } : {}), ...(conversationId !== undefined ? { conversationId } : {}) };
}

/** The review's summary as a chat conversation of its own: follow-up questions about it work there. */
async function postSummary(
  services: ReviewServices,
  target: ReviewTarget,
  said: { counts: Record<FindingSeverity, number>; summaries: string[]; reasoning: string[]; stopReason: string; error?: string },
): Promise<string | undefined> {
  const question = vscode.l10n.t('Review {0}', target.label);
  const files = [...target.uris.keys()];
  const answer = [
    `**${countsLine(said.counts)}**`,
    vscode.l10n.t('Files reviewed: {0}', files.map((f) => `\`${f}\``).join(', ')),
    ...(target.material.skipped.length > 0 ? [vscode.l10n.t('Left out: {0}', target.material.skipped.map((s) => `\`${s.path}\``).join(', '))] : []),
    ...said.summaries,
  ].join('\n\n');
  const entries: TranscriptEntry[] = [
    { kind: 'user', text: question },
    {
      kind: 'assistant',
      reasoning: said.reasoning.join('\n\n'),
      answer,
      stopReason: said.stopReason,
      ...(said.error !== undefined ? { error: said.error } : {}),
    },
  ];
  const id = randomUUID();
  try {
    await services.store.save({ id, title: question, updatedAt: Date.now(), entries });
    const session = await services.chat();
    // A chat answering in the panel is not interrupted: the summary waits in the history.
    if (session.busy) void vscode.window.showInformationMessage(vscode.l10n.t('The review summary is in the chat history.'));
    else session.openConversation(id);
    return id;
  } catch (unexpected) {
    services.log.error(`review: the summary could not be shown: ${String(unexpected)}`);
    return undefined;
  }
}
