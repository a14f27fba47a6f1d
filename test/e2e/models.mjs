// Generated GGUF models for the e2e tests (the engine tests' generator, compiled by tsc).
import { createRequire } from 'node:module';
import path from 'node:path';
import { repoRoot } from '../../scripts/code-server.mjs';

const require = createRequire(import.meta.url);
const models = require(path.join(repoRoot, 'out', 'test', 'engine', 'models.js'));
const texts = require(path.join(repoRoot, 'out', 'test', 'e2e', 'scriptTexts.js'));
export const {
  GREETING_ANSWER, GREETING_SCRIPT, HOSTILE_QUESTION, HOSTILE_ANSWER, README_QUESTION, README_ANSWER, ATTACHMENT_WORD, ATTACHMENT_ANSWER,
  EDITOR_WORDS, DOC_RESULT, TRANSLATE_RESULT, BREAKS_RESULT, COMMIT_WORDS, COMMIT_DEFAULT, COMMIT_JA, COMMIT_EN, AGENT_ANSWER, RENAME_ANSWER,
  OUTSIDE_ANSWER, INLINE_WORDS, INLINE_REASONING, INLINE_CODE_ANSWER, INLINE_FOLLOW_UP, INLINE_EXPLAIN, REVIEW_BEFORE, REVIEW_FILE,
  REVIEW_MESSAGES, REVIEW_REPLACEMENT, REVIEW_SUMMARY, REVIEW_EXPLANATION, SERVER_REASONING, SERVER_ANSWER, COUNTED_TEXTS,
} = texts;

// The scripts' own pieces; the texts the tests compare against are in scriptTexts.ts.
const HOSTILE_SCRIPT = `<|channel|>final<|message|>${HOSTILE_ANSWER}<|return|>`;

const README_CALL =
  '<|channel|>analysis<|message|>READMEを読んで確認します。<|end|><|start|>assistant to=functions.read_file' +
  '<|channel|>commentary json<|message|>{"path":"README.md"}<|call|>';

const call = (name, args) => `<|channel|>analysis<|message|>${name} を使います。<|end|><|start|>assistant to=functions.${name}<|channel|>commentary json<|message|>${JSON.stringify(args)}<|call|>`;
const answer = (text) => `<|channel|>final<|message|>${text}<|return|>`;

const finalCode = (code) => `<|channel|>final<|message|>\`\`\`typescript\n${code}\`\`\`<|return|>`;

// Each report's reasoning differs: the scripted weights tell apart repeated steps by a word used once.
const report = (thought, over) =>
  `<|channel|>analysis<|message|>${thought}<|end|><|start|>assistant to=functions.report_finding<|channel|>commentary json<|message|>` +
  `${JSON.stringify(inSchemaOrder({ path: 'calc.ts', severity: 'warning', category: 'bug', ...over }))}<|call|>`;
/** The engine's grammar writes an object's keys in its schema's order. */
const inSchemaOrder = (args) =>
  Object.fromEntries(['path', 'start_line', 'end_line', 'severity', 'category', 'message', 'quote', 'replacement'].filter((k) => k in args).map((k) => [k, args[k]]));
// What the extension answers each report (core/review/findings.ts findingResult), as the 4.0 template writes it (tojson).
const results = [
  '"Recorded as finding 1."',
  '"Recorded as finding 2, at lines 9-9: the quote is there, not at the lines given."',
  '"Not recorded: lines 3-3 of calc.ts do not hold the quote. Copy the code exactly."',
  '"Not recorded: src/other.ts is not one of the files under review."',
];

/** Paths of the models the e2e suites use, written once. */
export function e2eModels() {
  return {
    tame: models.tamePlainModel(),
    greeting: models.scriptedModel('scripted-greeting', { turns: [GREETING_SCRIPT, { text: HOSTILE_SCRIPT, after: HOSTILE_QUESTION }] }),
    // The chat's features: a plain answer; a read_file call and the answer after its result;
    // an answer chosen by a word of an attachment.
    chat: models.scriptedModel('scripted-chat', {
      turns: [
        GREETING_SCRIPT,
        { text: README_CALL, after: README_QUESTION },
        `<|channel|>final<|message|>${README_ANSWER}<|return|>`,
        { text: `<|channel|>final<|message|>${ATTACHMENT_ANSWER}<|return|>`, after: ATTACHMENT_WORD },
      ],
    }),
    editor: models.scriptedModel('scripted-editor', {
      turns: [
        GREETING_SCRIPT,
        { text: finalCode(DOC_RESULT), after: EDITOR_WORDS.doc },
        { text: finalCode(TRANSLATE_RESULT), after: EDITOR_WORDS.translate },
        { text: finalCode(BREAKS_RESULT), after: EDITOR_WORDS.breaks },
      ],
    }),
    // Reads calc.ts, then proposes one replacement in it (LF in the arguments; the file is CRLF).
    agentEdit: models.scriptedModel('scripted-agent-edit', {
      turns: [
        call('read_file', { path: 'calc.ts' }),
        call('replace_in_file', { path: 'calc.ts', edits: [{ old_text: '  return a / b;', new_text: "  if (b === 0) throw new Error('ゼロでは割れません');\n  return a / b;" }] }),
        answer(AGENT_ANSWER),
      ],
    }),
    agentCreate: models.scriptedModel('scripted-agent-create', {
      turns: [call('create_file', { path: 'notes/new.md', content: '# メモ\n\n新しいファイルです。\n' }), answer('notes/new.md を作る提案をしました。')],
    }),
    agentOutside: models.scriptedModel('scripted-agent-outside', { turns: [call('read_file', { path: '../../etc/passwd' }), answer(OUTSIDE_ANSWER)] }),
    agentRename: models.scriptedModel('scripted-agent-rename', {
      turns: [call('rename_symbol', { path: 'agent/math.ts', line: 1, symbol: 'addTax', new_name: 'withTax' }), answer(RENAME_ANSWER)],
    }),
    // Four reports: on the right lines with a suggestion; on the wrong lines (its quote is 3 lines
    // below); quoting code the file does not hold; on a file outside the review. Then a summary.
    review: models.scriptedModel('scripted-review', {
      turns: [
        report('除算を確認する。', { start_line: 2, end_line: 2, message: REVIEW_MESSAGES.zero, quote: '  const result = a / b;', replacement: REVIEW_REPLACEMENT }),
        { text: report('平均も見る。', { start_line: 6, end_line: 6, severity: 'info', message: REVIEW_MESSAGES.empty, quote: '  return total / values.length;' }), after: results[0] },
        { text: report('三つ目。', { start_line: 3, end_line: 3, message: REVIEW_MESSAGES.wrong, quote: '  return a * b;' }), after: results[1] },
        { text: report('最後に別のファイル。', { path: 'src/other.ts', start_line: 1, end_line: 1, message: REVIEW_MESSAGES.outside, quote: 'x' }), after: results[2] },
        { text: answer(REVIEW_SUMMARY), after: results[3] },
      ],
    }),
    reviewExplain: models.scriptedModel('scripted-review-explain', { turns: [`<|channel|>analysis<|message|>詳しく説明します。<|end|><|start|>assistant<|channel|>final<|message|>${REVIEW_EXPLANATION}<|return|>`] }),
    // An explanation (no code) by default; a change with reasoning; a follow-up after it.
    inline: models.scriptedModel('scripted-inline', {
      turns: [
        answer(INLINE_EXPLAIN),
        { text: `<|channel|>analysis<|message|>${INLINE_REASONING}<|end|><|start|>assistant${answer(INLINE_CODE_ANSWER)}`, after: INLINE_WORDS.change },
        { text: answer(INLINE_FOLLOW_UP), after: INLINE_WORDS.followUp },
      ],
    }),
    // Reasoning, a preamble and a fence around the message: only the message may reach the box.
    commit: models.scriptedModel('scripted-commit', {
      turns: [
        `<|channel|>analysis<|message|>差分を読んで要点をまとめます。<|end|><|start|>assistant<|channel|>final<|message|>${COMMIT_DEFAULT}<|return|>`,
        { text: `<|channel|>analysis<|message|>税率の定数化です。<|end|><|start|>assistant<|channel|>final<|message|>以下はコミットメッセージです。\n\n\`\`\`text\n${COMMIT_JA}\n\`\`\`<|return|>`, after: COMMIT_WORDS.ja },
        { text: `<|channel|>analysis<|message|>The diff adds a tax helper.<|end|><|start|>assistant<|channel|>final<|message|>${COMMIT_EN}<|return|>`, after: COMMIT_WORDS.en },
      ],
    }),
  };
}

/**
 * A real llama-server (built from node-llama-cpp's llama.cpp, scripts/llama-tools.mjs) on a
 * scripted model, for the chat panel's run against a server; undefined, with the reason, where it
 * cannot be built. --skip-chat-parsing: this llama.cpp cannot parse LLM-jp-4's output itself
 * (test/engine/remoteLlamaServer.test.ts); the extension reads the raw text.
 */
export async function startLlamaServer(log) {
  const { LlamaServer, freePort, llamaServerBinary } = require(path.join(repoRoot, 'out', 'test', 'engine', 'llamaServer.js'));
  const { llamaCppScriptedModel } = require(path.join(repoRoot, 'out', 'test', 'engine', 'models.js'));
  const found = await llamaServerBinary(log);
  if ('skip' in found) return { skip: found.skip };
  const model = llamaCppScriptedModel('llama-server-e2e', [
    `<|channel|>analysis<|message|>${SERVER_REASONING}<|end|><|start|>assistant<|channel|>final<|message|>${SERVER_ANSWER}<|return|>`,
  ]);
  // The chat's tool schemas take about 3,500 tokens of the scripted vocabulary.
  const server = new LlamaServer(found.binary, model, await freePort(), ['--skip-chat-parsing', '-c', '8192']);
  await server.start();
  return { server };
}

/**
 * How many tokens each text takes in `modelPath`, by the exact tokenizer built from the GGUF's own
 * vocabulary (read here with node-llama-cpp's GGUF reader, apart from the extension's engine).
 */
export async function tokenCounts(modelPath, texts) {
  const { readGgufFileInfo } = await import('node-llama-cpp');
  const { UnigramTokenizer } = require(path.join(repoRoot, 'out', 'src', 'core', 'tokenizer', 'index.js'));
  const { tokens, scores } = (await readGgufFileInfo(modelPath, { readTensorInfo: false })).metadata.tokenizer.ggml;
  const tokenizer = UnigramTokenizer.fromVocab([...tokens], [...scores]);
  return Object.fromEntries(texts.map((text) => [text, tokenizer.encodeParts([{ kind: 'content', text }]).length]));
}

/** Settings that point the extension at `modelPath` on the CPU with one thread (CI machines have 2 cores). */
export function modelSettings(modelPath) {
  return { 'llmJp.modelPath': modelPath, 'llmJp.gpu': 'off', 'llmJp.threads': 1, 'llmJp.contextSize': 8192 };
}
