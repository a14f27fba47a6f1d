// Writing a commit message from a diff, start to end, against any model that can count tokens
// and complete a prompt: the extension runs it on the engine, the benchmark and the tests on
// their own models. A diff that fits is read whole in one request; a larger one is summarized
// piece by piece (map), the summaries merged in groups until they fit (reduce), and the message
// written from them, so nothing is cut off silently. Stop, cancel or an error at any step ends
// the run with that reason and no message.
import { cleanCommitMessage, streamingCommitMessage } from './commitAnswer';
import { splitDiff } from './diffFiles';
import { joinedTokens, packTexts, planDiff, type CountTokens, type DiffPiece, type DiffPlan } from './diffPlan';
import {
  commitMessagePrompt,
  mergeSummariesPrompt,
  pieceSummaryPrompt,
  type CommitPrompt,
  type CommitPromptInput,
  type FileStat,
} from '../prompts/commitMessage';

export interface CompletionOutcome {
  readonly answer: string;
  readonly stopReason: 'stop' | 'length' | 'cancelled' | 'error' | string;
  readonly error?: string;
}

export interface CommitModel {
  /** Tokens one prompt may spend on its material (diff or summaries), after the instructions and the answer room. */
  readonly budget: number;
  readonly count: CountTokens;
  /** Runs one prompt; yields answer text as it streams (never reasoning); returns how it ended. */
  complete(prompt: CommitPrompt, options: { readonly maxTokens: number }, signal: AbortSignal): AsyncGenerator<string, CompletionOutcome, undefined>;
}

export type CommitRunEvent =
  /** Once, before any request. */
  | { readonly type: 'planned'; readonly plan: DiffPlan }
  | { readonly type: 'summarizing'; readonly done: number; readonly of: number }
  /** The cleaned message so far (streamingCommitMessage of the final request's answer). */
  | { readonly type: 'message'; readonly text: string };

export interface CommitRunOutcome {
  readonly stopReason: CompletionOutcome['stopReason'] | 'empty';
  readonly error?: string;
  /** cleanCommitMessage of the final answer; '' unless stop or length. */
  readonly message: string;
  readonly plan: DiffPlan;
  readonly summarized: boolean;
}

/** Answer room of one piece summary and of one merge. */
export const SUMMARY_MAX_TOKENS = 256;
export const MERGE_MAX_TOKENS = 384;
/** Answer room of the commit message itself. */
export const MESSAGE_MAX_TOKENS = 1024;
/** Reduce rounds before the summaries are cut to fit instead of merged again. */
const MAX_MERGE_ROUNDS = 8;

const EMPTY_PLAN: DiffPlan = { included: [], skipped: [], fitsWhole: false, pieces: [] };

function usable(reason: string): boolean {
  return reason === 'stop' || reason === 'length';
}

/** What a summary or merge answered, without thinking tags or surrounding space. */
function summaryText(answer: string): string {
  return answer
    .replace(/\r\n?/g, '\n')
    .replace(/<think>[\s\S]*?(?:<\/think>|$)/g, '')
    .replace(/^\s*```[^\n]*\n([\s\S]*?)\n```\s*$/, '$1')
    .trim();
}

function pieceHeading(piece: DiffPiece, index: number, of: number): string {
  const part = piece.part ? ` (part ${piece.part.index}/${piece.part.of})` : '';
  return `[${index + 1}/${of}] ${piece.paths.join(', ')}${part}`;
}

/** The longest start of `text` within about `tokens`, from its own characters per token. */
function shorten(text: string, tokens: number, budget: number): string {
  if (tokens <= budget) return text;
  const keep = Math.max(1, Math.floor((text.length * budget * 0.9) / tokens) - 2);
  return text.slice(0, keep).trimEnd() + ' …';
}

type Step = { readonly answer: string; readonly outcome: CompletionOutcome };

async function* runPrompt(
  model: CommitModel,
  prompt: CommitPrompt,
  maxTokens: number,
  signal: AbortSignal,
  stream: boolean,
): AsyncGenerator<CommitRunEvent, Step, undefined> {
  const generator = model.complete(prompt, { maxTokens }, signal);
  let answer = '';
  let shown = '';
  let finished = false;
  try {
    for (;;) {
      const next = await generator.next();
      if (next.done) {
        finished = true;
        return { answer, outcome: next.value };
      }
      answer += next.value;
      if (!stream) continue;
      const text = streamingCommitMessage(answer);
      if (text !== shown) {
        shown = text;
        yield { type: 'message', text };
      }
    }
  } finally {
    // The consumer stopped early: let the model's generator end its request too.
    if (!finished) await generator.return({ answer, stopReason: 'cancelled' });
  }
}

function stat(file: FileStat): FileStat {
  return { path: file.path, ...(file.oldPath !== undefined ? { oldPath: file.oldPath } : {}), change: file.change, added: file.added, removed: file.removed };
}

export async function* writeCommitMessage(
  input: { readonly diff: string; readonly prompt: Omit<CommitPromptInput, 'files' | 'skipped'> },
  model: CommitModel,
  signal: AbortSignal,
): AsyncGenerator<CommitRunEvent, CommitRunOutcome, undefined> {
  let plan = EMPTY_PLAN;
  let summarized = false;
  const end = (stopReason: string, error?: string): CommitRunOutcome => ({ stopReason, ...(error !== undefined ? { error } : {}), message: '', plan, summarized });
  const cancelled = (): CommitRunOutcome => end('cancelled');
  try {
    const files = splitDiff(input.diff);
    plan = files.length === 0 ? EMPTY_PLAN : await planDiff(files, model.budget, model.count);
    yield { type: 'planned', plan };
    if (files.length === 0) return end('empty');
    if (signal.aborted) return cancelled();

    const promptInput: CommitPromptInput = { ...input.prompt, files: plan.included.map(stat), skipped: plan.skipped };
    let material: { readonly diff: string } | { readonly summaries: readonly string[] };
    if (plan.included.length === 0) {
      // Only skipped files (a lockfile update): the message comes from their names.
      material = { diff: '' };
    } else if (plan.fitsWhole) {
      material = { diff: plan.pieces[0].text };
    } else {
      summarized = true;
      const { style, hint } = input.prompt;
      let of = plan.pieces.length;
      let done = 0;
      yield { type: 'summarizing', done, of };
      let summaries: string[] = [];
      for (const [index, piece] of plan.pieces.entries()) {
        const { answer, outcome } = yield* runPrompt(model, pieceSummaryPrompt(piece, style, hint), SUMMARY_MAX_TOKENS, signal, false);
        if (!usable(outcome.stopReason)) return end(outcome.stopReason, outcome.error);
        if (signal.aborted) return cancelled();
        const text = summaryText(outcome.answer || answer);
        summaries.push(`${pieceHeading(piece, index, plan.pieces.length)}\n${text === '' ? '-' : text}`);
        yield { type: 'summarizing', done: ++done, of };
      }
      for (let round = 0; ; round++) {
        const counts = await model.count(summaries);
        const counted = summaries.map((text, i) => ({ text, tokens: counts[i] }));
        if (joinedTokens(counted) <= model.budget) break;
        const groups = packTexts(counted, model.budget);
        const merging = groups.filter((g) => g.length > 1);
        if (merging.length === 0 || round >= MAX_MERGE_ROUNDS) {
          // Summaries too large to pair (a tiny budget): each is cut to its share instead.
          const share = Math.max(1, Math.floor(model.budget / counted.length) - 1);
          summaries = counted.map((c) => shorten(c.text, c.tokens, share));
          const again = await model.count(summaries);
          if (joinedTokens(summaries.map((_, i) => ({ tokens: again[i] }))) <= model.budget) break;
          summaries = summaries.map((text, i) => shorten(text, again[i], Math.max(1, Math.floor(share / 2))));
          break;
        }
        of += merging.length;
        yield { type: 'summarizing', done, of };
        const next: string[] = [];
        for (const group of groups) {
          if (group.length === 1) {
            next.push(group[0].text);
            continue;
          }
          const prompt = mergeSummariesPrompt(group.map((g) => g.text), style);
          const { answer, outcome } = yield* runPrompt(model, prompt, MERGE_MAX_TOKENS, signal, false);
          if (!usable(outcome.stopReason)) return end(outcome.stopReason, outcome.error);
          if (signal.aborted) return cancelled();
          const text = summaryText(outcome.answer || answer);
          next.push(text === '' ? group.map((g) => g.text.split('\n')[0]).join('\n') : text);
          yield { type: 'summarizing', done: ++done, of };
        }
        summaries = next;
      }
      material = { summaries };
    }

    if (signal.aborted) return cancelled();
    const { answer, outcome } = yield* runPrompt(model, commitMessagePrompt(promptInput, material), MESSAGE_MAX_TOKENS, signal, true);
    if (!usable(outcome.stopReason)) return end(outcome.stopReason, outcome.error);
    return { stopReason: outcome.stopReason, message: cleanCommitMessage(outcome.answer || answer), plan, summarized };
  } catch (error) {
    if (signal.aborted) return cancelled();
    return end('error', error instanceof Error ? error.message : String(error));
  }
}
