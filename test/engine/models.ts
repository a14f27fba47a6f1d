// Generated models for the engine tests, written once per test run into test-output/engine-models.
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ToolSpec } from '../../src/core/harmony';
import { sharedTemplate } from '../fixtures/chat/reference';
import { writeScriptedModel, writeTameModel, type ScriptOptions } from '../fixtures/gguf';
import { wholeRunPiece } from '../fixtures/gguf/scriptPieces';

export const REPO_ROOT = path.resolve(__dirname, '../../..');
export const MODEL_DIR = path.join(REPO_ROOT, 'test-output', 'engine-models');
export const WORKER = path.join(REPO_ROOT, 'out', 'src', 'engine', 'worker.js');

/** LLM-jp-3's instruct template as the published models embed it: plain text, no channels. */
export const LLM_JP_3_TEMPLATE =
  "{{ bos_token }}{% for message in messages %}{% if message['role'] == 'user' %}{{ '\\n\\n### 指示:\\n' + message['content'] }}" +
  "{% elif message['role'] == 'system' %}{{ '以下は、タスクを説明する指示です。要求を適切に満たす応答を書きなさい。' }}" +
  "{% elif message['role'] == 'assistant' %}{{ '\\n\\n### 応答:\\n' + message['content'] + eos_token }}{% endif %}" +
  "{% if loop.last and add_generation_prompt %}{{ '\\n\\n### 応答:\\n' }}{% endif %}{% endfor %}";

const written = new Map<string, string>();

function once(name: string, write: (file: string) => void): string {
  let file = written.get(name);
  if (!file) {
    mkdirSync(MODEL_DIR, { recursive: true });
    file = path.join(MODEL_DIR, `${name}.gguf`);
    write(file);
    written.set(name, file);
  }
  return file;
}

/** Random weights, plain-text (LLM-jp-3) template: streams answer text for as long as asked. */
export function tamePlainModel(): string {
  return once('tame-plain', (file) => writeTameModel(file, { chatTemplate: LLM_JP_3_TEMPLATE, name: 'tame-plain' }));
}

export function tameMoeModel(): string {
  return once('tame-moe', (file) => writeTameModel(file, { shape: 'tiny-moe', chatTemplate: LLM_JP_3_TEMPLATE, name: 'tame-moe' }));
}

export function scriptedModel(name: string, options: Omit<ScriptOptions, 'chatTemplate'>): string {
  return once(name, (file) =>
    writeScriptedModel(file, { ...options, chatTemplate: sharedTemplate('chat_template-4.0.jinja'), name }),
  );
}

export function notGgufFile(): string {
  return once('not-gguf', (file) => writeFileSync(file, 'PK\u0003\u0004 this is a zip, not a model'));
}

export const READ_FILE: ToolSpec = {
  type: 'function',
  function: {
    name: 'read_file',
    description: 'Read a file of the workspace',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
};

/** A scripted first turn: reasoning, then a read_file call in the 4.0 role form. */
export const TOOL_CALL_TURN =
  '<|channel|>analysis<|message|>READMEを読んで確認します。<|end|><|start|>assistant to=functions.read_file' +
  '<|channel|>commentary json<|message|>{"path":"README.md"}<|call|>';

/**
 * A scripted model that llama.cpp's own tokenizer (llama-server) reads as the script expects.
 * llama.cpp tokenizes SentencePiece vocabularies by merging adjacent pieces pairwise, so a whole
 * run such as `▁assistant` is only reached through pieces for each of its prefixes; with them,
 * the prompt's `<|start|>assistant` and the tool-result headers that select later turns become
 * the same single pieces the project's tokenizer makes. The prefixes change no script's split
 * (the build checks it): with equal scores the fewest pieces still win.
 */
export function llamaCppScriptedModel(name: string, turns: readonly string[]): string {
  const runs = ['assistant', ...turns.slice(0, -1).flatMap((t) => [...t.matchAll(/ to=functions\.([A-Za-z0-9_.-]+)/g)].slice(-1).map((m) => `functions.${m[1]} to=assistant`))];
  const prefixes = new Set<string>();
  for (const run of runs) {
    const piece = wholeRunPiece(run);
    for (let end = 2; end < piece.length; end++) prefixes.add(piece.slice(0, end));
  }
  return scriptedModel(name, { turns, extraPieces: [...prefixes] });
}
