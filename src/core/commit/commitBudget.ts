// How much diff (or summary) text one commit prompt may hold: the model's context less the room
// the engine keeps for the answer and less the prompt's own instructions, so that the engine never
// has to cut the material itself (it would, silently for the model, from the end).
import type { CommitPrompt } from '../prompts/commitMessage';
import { MESSAGE_MAX_TOKENS } from './commitRun';
/** Rendering adds headers and separators around each message and attachment. */
const STRUCTURE_SLACK = 96;
/** What the engine keeps for the answer at least (engine/generate.ts). */
const MIN_ANSWER_ROOM = 512;

/** The texts of a prompt that take tokens besides its material: what to count for `materialBudget`. */
export function instructionTexts(prompt: CommitPrompt): string[] {
  return [...prompt.messages.map((m) => m.content ?? ''), ...prompt.context.map((c) => c.label)];
}

/** Tokens left for material in a `contextSize` context when the instructions take `instructionTokens`. */
export function materialBudget(contextSize: number, instructionTokens: number): number {
  // The final request asks for the most answer tokens of a run's requests.
  const answerRoom = Math.min(MESSAGE_MAX_TOKENS, Math.max(MIN_ANSWER_ROOM, contextSize >> 2));
  return contextSize - answerRoom - instructionTokens - STRUCTURE_SLACK;
}
