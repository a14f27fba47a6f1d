// The review surface: Review Staged Changes / Working Tree / Commit / Branch (palette and the
// Source Control title bar), Review This File (palette and the editor menu), the thread actions
// (Apply suggestion, Explain more, Dismiss) and the review-wide ones (next / previous finding,
// dismiss all). One review runs at a time: a new one stops the last, as a new chat question does.
import * as vscode from 'vscode';
import type { EditStaging } from '../edits/editStaging';
import { codeBudget } from '../editor/taskCode';
import { gitApi, pickRepository } from '../scm/gitApi';
import { applySuggestion, explainFinding } from './findingActions';
import { reviewBudget, runReview, type ReviewOutcome, type ReviewServices } from './reviewRun';
import { documentTarget, repositoryTarget, type ReviewKind, type ReviewTarget } from './reviewTargets';
import type { ReviewThreads } from './reviewThreads';

export const ReviewCommands = {
  reviewStaged: 'llmJp.reviewStaged',
  reviewWorkingTree: 'llmJp.reviewWorkingTree',
  reviewCommit: 'llmJp.reviewCommit',
  reviewBranch: 'llmJp.reviewBranch',
  reviewFile: 'llmJp.reviewFile',
  stopReview: 'llmJp.stopReview',
  applySuggestion: 'llmJp.review.applySuggestion',
  explainMore: 'llmJp.review.explainMore',
  stopExplaining: 'llmJp.review.stopExplaining',
  dismiss: 'llmJp.review.dismiss',
  next: 'llmJp.review.next',
  previous: 'llmJp.review.previous',
  dismissAll: 'llmJp.review.dismissAll',
} as const;

const REVIEWING = 'llmJp.reviewing';

export class ReviewSurface implements vscode.Disposable {
  private running: AbortController | undefined;
  /** Proposals staged by Apply suggestion, and the finding each resolves once accepted. */
  private readonly applying = new Map<string, string>();
  private readonly disposables: vscode.Disposable[];

  constructor(
    private readonly services: ReviewServices,
    staging: EditStaging,
  ) {
    const { threads } = services;
    const onThread = (action: (found: NonNullable<ReturnType<ReviewThreads['ofThread']>>) => unknown) => (thread: unknown) => {
      const found = threads.ofThread(thread);
      return found ? action(found) : undefined;
    };
    this.disposables = [
      vscode.commands.registerCommand(ReviewCommands.reviewStaged, (argument?: unknown) => this.reviewRepository('staged', argument)),
      vscode.commands.registerCommand(ReviewCommands.reviewWorkingTree, (argument?: unknown) => this.reviewRepository('workingTree', argument)),
      vscode.commands.registerCommand(ReviewCommands.reviewCommit, (argument?: unknown, commit?: unknown) =>
        this.reviewRepository('commit', argument, typeof commit === 'string' ? commit : undefined),
      ),
      vscode.commands.registerCommand(ReviewCommands.reviewBranch, (argument?: unknown, base?: unknown) =>
        this.reviewRepository('branch', argument, typeof base === 'string' ? base : undefined),
      ),
      vscode.commands.registerCommand(ReviewCommands.reviewFile, (uri?: unknown) => this.reviewFile(uri)),
      vscode.commands.registerCommand(ReviewCommands.stopReview, () => this.running?.abort()),
      vscode.commands.registerCommand(
        ReviewCommands.applySuggestion,
        onThread(async (found) => {
          const id = await applySuggestion(staging, found);
          if (id !== undefined) this.applying.set(id, found.record.id);
          return id;
        }),
      ),
      vscode.commands.registerCommand(ReviewCommands.explainMore, onThread((found) => explainFinding(services.requests, threads, found))),
      vscode.commands.registerCommand(ReviewCommands.stopExplaining, onThread((found) => found.explaining?.abort())),
      vscode.commands.registerCommand(ReviewCommands.dismiss, onThread((found) => threads.remove([found.record.id]))),
      vscode.commands.registerCommand(ReviewCommands.next, () => threads.reveal(1)),
      vscode.commands.registerCommand(ReviewCommands.previous, () => threads.reveal(-1)),
      vscode.commands.registerCommand(ReviewCommands.dismissAll, () => threads.remove(threads.findings().map((f) => f.record.id))),
      staging.onDidChangeState((file) => {
        const findingId = this.applying.get(file.id);
        if (findingId === undefined || file.state === 'pending') return;
        this.applying.delete(file.id);
        // An applied suggestion resolves its finding; a rejected one leaves it for the user.
        if (file.state === 'accepted') threads.remove([findingId]);
      }),
    ];
  }

  private async reviewRepository(kind: Exclude<ReviewKind, 'file'>, argument: unknown, preset?: string): Promise<ReviewOutcome | undefined> {
    const found = await gitApi();
    if ('reason' in found) {
      void vscode.window.showWarningMessage(found.reason);
      return undefined;
    }
    const repository = await pickRepository(found.api, argument);
    if (!repository) return undefined;
    return this.review((signal) => repositoryTarget(found.api, repository, kind, this.budget(), signal, preset));
  }

  private async reviewFile(argument: unknown): Promise<ReviewOutcome | undefined> {
    const uri = argument instanceof vscode.Uri ? argument : vscode.window.activeTextEditor?.document.uri;
    if (!uri) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Open a file to review it.'));
      return undefined;
    }
    const document = await vscode.workspace.openTextDocument(uri);
    return this.review(() => Promise.resolve(documentTarget(document, this.budget())));
  }

  private budget(): number {
    return reviewBudget(codeBudget(this.services.requests.engine.model?.contextSize));
  }

  private async review(target: (signal: AbortSignal) => Promise<ReviewTarget | undefined>): Promise<ReviewOutcome | undefined> {
    this.running?.abort();
    const controller = new AbortController();
    this.running = controller;
    void vscode.commands.executeCommand('setContext', REVIEWING, true);
    try {
      return await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('LLM-jp: reviewing'), cancellable: true },
        async (progress, token) => {
          token.onCancellationRequested(() => controller.abort());
          const chosen = await target(controller.signal);
          if (!chosen || controller.signal.aborted) return undefined;
          progress.report({ message: chosen.label });
          const outcome = await runReview(this.services, chosen, this.budget(), controller.signal, progress);
          if (outcome.error !== undefined) void vscode.window.showErrorMessage(vscode.l10n.t('The review stopped: {0}', outcome.error));
          return outcome;
        },
      );
    } catch (error) {
      this.services.log.error(`review: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      void vscode.window.showErrorMessage(vscode.l10n.t('The review failed: {0}', error instanceof Error ? error.message : String(error)));
      return undefined;
    } finally {
      if (this.running === controller) {
        this.running = undefined;
        void vscode.commands.executeCommand('setContext', REVIEWING, false);
      }
    }
  }

  dispose(): void {
    this.running?.abort();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
