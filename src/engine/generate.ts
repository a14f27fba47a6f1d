// One request, token by token: fit and tokenize the prompt, reuse the sequence's KV cache for
// the shared prefix, sample with the Harmony parser watching, and constrain tool-call arguments
// with a grammar built from the tool's JSON schema.
import type { LlamaContextSequence, LlamaGrammar, LlamaGrammarEvaluationState, Token } from 'node-llama-cpp';
import { renderChatParts } from '../core/harmony';
import type { HarmonyEvent } from '../core/harmony/types';
import { engineError } from '../core/generation/errors';
import { attachContext, fitConversation } from '../core/generation/fitPrompt';
import { contextTrimmedNotice, malformedOutputNotice } from '../core/generation/notices';
import { DEFAULT_MAX_TOKENS, DEFAULT_SAMPLING, type EngineEvent, type GenerateRequest, type StopReason } from '../core/generation/types';
import type { LoadedModel } from './loadModel';
import { EngineFailure } from './loadModel';
import { createOutputReader } from './outputReader';

/** Room left for the answer when fitting the prompt into the context. */
const MIN_ANSWER_ROOM = 512;

type Emit = (event: EngineEvent) => void;

/** A seed for a request that names none (llama.cpp takes a uint32). */
export function requestSeed(): number {
  return Math.floor(Math.random() * 0xffff_ffff);
}

export function promptIds(loaded: LoadedModel, request: GenerateRequest, emit: Emit): number[] {
  const options = { tools: request.tools, addGenerationPrompt: true, reasoningEffort: request.reasoningEffort, dialect: loaded.info.dialect };
  const maxTokens = request.maxTokens ?? DEFAULT_MAX_TOKENS;
  const budget = loaded.context.contextSize - Math.min(maxTokens, Math.max(MIN_ANSWER_ROOM, loaded.context.contextSize >> 2));
  const encode = (messages: GenerateRequest['messages'], context: NonNullable<GenerateRequest['context']>) =>
    loaded.codec.encodeParts(renderChatParts(loaded.template, attachContext(messages, context), options));

  // The candidate that fits is encoded once: remember it rather than encoding it again.
  let accepted: { messages: unknown; context: unknown; ids: number[] } | undefined;
  const fitted = fitConversation(request.messages, request.context ?? [], (messages, context) => {
    const ids = encode(messages, context);
    if (ids.length > budget) return false;
    accepted = { messages, context, ids };
    return true;
  });
  if (!fitted) throw new EngineFailure(engineError('prompt-too-long', String(loaded.context.contextSize)));
  if (fitted.droppedMessages > 0 || fitted.shortenedContext.length > 0) {
    emit(contextTrimmedNotice(loaded.context.contextSize, fitted.droppedMessages, fitted.shortenedContext));
  }
  return accepted?.messages === fitted.messages && accepted.context === fitted.context ? accepted.ids : encode(fitted.messages, fitted.context);
}

export interface GenerateRun {
  readonly request: GenerateRequest;
  readonly sequence: LlamaContextSequence;
  readonly loaded: LoadedModel;
  readonly signal: AbortSignal;
  readonly grammars: ReadonlyMap<string, LlamaGrammar>;
  readonly startedAt: number;
  readonly emit: Emit;
}

export async function generate(run: GenerateRun): Promise<void> {
  const { request, sequence, loaded, signal, emit } = run;
  const { LlamaGrammarEvaluationState } = await import('node-llama-cpp');
  const prompt = promptIds(loaded, request, emit) as Token[];

  const model = loaded.model;
  const reader = createOutputReader(loaded.info.dialect, loaded.codec, (id) => model.isEogToken(id as Token));
  const sampling = { ...DEFAULT_SAMPLING, ...request.sampling };
  const maxTokens = Math.max(1, request.maxTokens ?? DEFAULT_MAX_TOKENS);
  let grammarState: { name: string; state: LlamaGrammarEvaluationState } | undefined;
  const currentGrammar = (): LlamaGrammarEvaluationState | undefined => {
    if (reader.state !== 'toolArguments' || reader.toolName === undefined) {
      grammarState = undefined;
      return undefined;
    }
    const grammar = run.grammars.get(reader.toolName);
    if (!grammar) return undefined;
    if (grammarState?.name !== reader.toolName) {
      grammarState = { name: reader.toolName, state: new LlamaGrammarEvaluationState({ model, grammar }) };
    }
    return grammarState.state;
  };

  let generated = 0;
  let firstTokenAt: number | undefined;
  let reason: StopReason | undefined;
  const handle = (events: HarmonyEvent[]): void => {
    for (const event of events) {
      if (event.type === 'end') {
        if (reason !== undefined) continue; // stopped for length or cancel: the parser's verdict adds nothing
        reason = event.reason;
        if (event.reason === 'malformed' || event.reason === 'truncated') emit(malformedOutputNotice(event.detail));
      } else {
        emit(event);
      }
    }
  };

  // Every sampled token goes back in, end-of-generation ones too: `<|end|>` after the reasoning
  // is followed by the answer, so only the parser says when the turn is over.
  // The KV cache keeps the prefix this sequence already holds (an earlier turn of the conversation).
  const { end, reused } = await loaded.decoder.run({
    sequence,
    prompt,
    // One random seed per request unless the request names one: two requests must not sample alike.
    sampling: { temperature: sampling.temperature, topP: sampling.topP, topK: sampling.topK, seed: sampling.seed ?? requestSeed() },
    grammar: currentGrammar,
    signal,
    onToken: (token) => {
      generated++;
      firstTokenAt ??= performance.now();
      handle(reader.push(token));
      if (reader.isDone) return false;
      if (generated >= maxTokens) {
        reason = 'length';
        return false;
      }
      return !signal.aborted;
    },
  });
  if (end === 'context-full') reason ??= 'length';
  if (signal.aborted) reason ??= 'cancelled';
  // Flush text held back for a split character; say why the output ended if nothing else did.
  if (!reader.isDone) handle(reader.end());
  reason ??= 'eos';

  const now = performance.now();
  const firstAt = firstTokenAt ?? now;
  emit({
    type: 'usage',
    usage: {
      promptTokens: prompt.length,
      reusedTokens: reused,
      evaluatedTokens: prompt.length - reused,
      generatedTokens: generated,
      timeToFirstTokenMs: Math.round(firstAt - run.startedAt),
      tokensPerSecond: generated > 1 && now > firstAt ? ((generated - 1) * 1000) / (now - firstAt) : 0,
    },
  });
  emit({ type: 'done', reason });
}
