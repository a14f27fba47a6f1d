// The Source Control surface: Write Commit Message (a button in each repository's Source Control
// title bar that turns into Stop while it writes), Summarize Commits and Explain Commit (into the
// chat panel). One run per repository; several repositories may each have one at a time.
import * as vscode from 'vscode';
import type { ChatSession } from '../chat/chatSession';
import type { RequestService } from '../request/requestService';
import { explainCommit, summarizeCommits, type SummaryPreset } from './commitSummaries';
import { runCommitMessage, type CommitMessageResult } from './commitMessage';
import { gitApi, pickRepository, type GitApi, type GitRepository } from './gitApi';

export const ScmCommands = {
  writeCommitMessage: 'llmJp.writeCommitMessage',
  stopCommitMessage: 'llmJp.stopCommitMessage',
  summarizeCommits: 'llmJp.summarizeCommits',
  explainCommit: 'llmJp.explainCommit',
} as const;

/** Root URIs (as strings) of the repositories being written for: the title bar shows Stop for them. */
const WRITING_CONTEXT = 'llmJp.writingCommitMessage';

export interface ScmServices {
  readonly requests: RequestService;
  readonly log: vscode.LogOutputChannel;
  /** The chat the summaries go to (the side-bar view), shown first. */
  chat(): Promise<ChatSession>;
}

export class ScmSurface implements vscode.Disposable {
  private readonly runs = new Map<string, AbortController>();
  private readonly disposables: vscode.Disposable[];

  constructor(private readonly services: ScmServices) {
    this.disposables = [
      vscode.commands.registerCommand(ScmCommands.writeCommitMessage, (argument?: unknown) => this.write(argument)),
      vscode.commands.registerCommand(ScmCommands.stopCommitMessage, (argument?: unknown) => this.stop(argument)),
      vscode.commands.registerCommand(ScmCommands.summarizeCommits, (argument?: unknown, preset?: SummaryPreset) =>
        this.withRepository(argument, (api, repository) => summarizeCommits(services, api, repository, preset)),
      ),
      vscode.commands.registerCommand(ScmCommands.explainCommit, (argument?: unknown, commit?: string) =>
        this.withRepository(argument, (api, repository) => explainCommit(services, api, repository, typeof commit === 'string' ? commit : undefined)),
      ),
    ];
  }

  private async withRepository<T>(argument: unknown, action: (api: GitApi, repository: GitRepository) => Promise<T>): Promise<T | undefined> {
    const found = await gitApi();
    if ('reason' in found) {
      void vscode.window.showWarningMessage(found.reason);
      return undefined;
    }
    const repository = await pickRepository(found.api, argument);
    return repository && action(found.api, repository);
  }

  /** Writes the message for one repository; pressed again while it writes, stops it. */
  private write(argument: unknown): Promise<CommitMessageResult | undefined> {
    return this.withRepository(argument, async (api, repository) => {
      const key = repository.rootUri.toString();
      const running = this.runs.get(key);
      if (running) {
        running.abort();
        return undefined;
      }
      const controller = new AbortController();
      this.runs.set(key, controller);
      this.updateContext();
      try {
        return await vscode.window.withProgress({ location: vscode.ProgressLocation.SourceControl }, () =>
          vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('LLM-jp: writing the commit message') }, (progress) =>
            runCommitMessage(this.services.requests, repository, api.git.path, controller.signal, this.services.log, (message) => progress.report({ message })),
          ),
        );
      } finally {
        this.runs.delete(key);
        this.updateContext();
      }
    });
  }

  /** Stops the run of the repository the button is on; from the palette, every run. */
  private stop(argument: unknown): void {
    const root = argument instanceof vscode.Uri ? argument : (argument as { rootUri?: unknown } | undefined)?.rootUri;
    if (root instanceof vscode.Uri) {
      this.runs.get(root.toString())?.abort();
      return;
    }
    for (const controller of this.runs.values()) controller.abort();
  }

  private updateContext(): void {
    // false rather than [] when none runs: an empty list would still read as true in a when clause.
    void vscode.commands.executeCommand('setContext', WRITING_CONTEXT, this.runs.size > 0 ? [...this.runs.keys()] : false);
  }

  dispose(): void {
    for (const controller of this.runs.values()) controller.abort();
    for (const d of this.disposables.splice(0)) d.dispose();
  }
}
