// What the panel benchmark streams: a long, realistic answer (Japanese and English prose, lists,
// TypeScript and Python code blocks, tables, inline code) and a reasoning trace, generated from a
// seed so every run streams the same bytes, split into tokens the size a Unigram tokenizer makes.

/** mulberry32: small, fast and good enough to pick fragments. */
export function seededRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (random, list) => list[Math.floor(random() * list.length)];
const between = (random, low, high) => low + Math.floor(random() * (high - low + 1));

const JA_SENTENCES = [
  'LLM-jp-4 は日本語と英語の両方で学習された大規模言語モデルです。',
  'この関数は設定ファイルを読み込み、足りない項目には既定値を補います。',
  '量子化すると精度はわずかに下がりますが、メモリ使用量は大きく減ります。',
  'まず `npm install` で依存関係を入れてから、`npm run build` を実行してください。',
  'コンテキスト長を 4096 にすると、KV キャッシュはおよそ 512 MiB になります。',
  '例外が発生した場合は、呼び出し元で **必ず** 後始末をしてください。',
  'ストリーミング中でも UI が固まらないように、描画はフレームごとにまとめて行います。',
  'この設定は `llmJp.contextSize` で変更できます。',
  'トークナイザーは SentencePiece の Unigram モデルと同じ分割を再現します。',
  '日本語の文章では、一つのトークンが一文字から数文字に相当します。',
  '推論速度は CPU のコア数よりもメモリ帯域に強く依存します。',
  '型定義を先に書いておくと、後の変更が安全になります。',
  '`dispose()` を呼ぶと、ワーカープロセスとモデルが解放されます。',
  'テストでは乱数のシードを固定して、毎回同じ結果になるようにしています。',
  'ファイルが大きすぎる場合は、先頭の 200 行だけを文脈として渡します。',
  'この表は、モデルごとの必要メモリと生成速度の目安です。',
  '東京の天気は晴れのち曇りで、午後から風が強くなる見込みです。',
  '長い会話では、古いメッセージを DOM から外して描画を軽く保ちます。',
];

const EN_SENTENCES = [
  'The worker process owns the model, so a crash never takes the editor down with it.',
  'Each request streams typed events: reasoning text, answer text, tool calls, usage and done.',
  'Use `AbortSignal` to cancel a request; the engine stops within a fraction of a second.',
  'Quantized weights trade a little accuracy for a much smaller memory footprint.',
  'The tokenizer reproduces the exact Unigram segmentation of the original model.',
  'Keep the prompt cache warm by sending the expanded first message again.',
  'A **strict** Content-Security-Policy keeps model output from running any script.',
  'Batch DOM updates per animation frame, and never re-render the whole transcript.',
  'Tool calls are validated against their JSON schema before anything runs.',
  'Links open only through the extension, after a check of their scheme.',
  'On a two-core machine, one thread is often faster than two for small models.',
  'The context window holds the system prompt, the history and the new question.',
  'Call `model.tokenize(text)` to compare the two tokenizers on the same input.',
  'Streaming keeps the first token on screen long before the answer is complete.',
];

const HEADINGS = [
  '概要', 'インストール', 'Configuration', '使い方', 'How it works', 'パフォーマンス', 'Troubleshooting',
  'API リファレンス', 'Examples', 'よくある質問', 'Memory planning', 'テスト', 'Limitations', 'まとめ',
];

const TS_LINES = [
  (n) => `export async function load${n}(path: string, options: LoadOptions = {}): Promise<Model> {`,
  () => '  const started = performance.now();',
  () => '  const file = await fs.readFile(path);',
  () => '  if (file.byteLength < MIN_BYTES) {',
  () => '    throw new Error(`model too small: ${file.byteLength} bytes`);',
  () => '  }',
  (n) => `  const header = parseHeader(file.subarray(0, ${64 * ((n % 60) + 1)}));`,
  () => '  for (const [key, value] of Object.entries(header.metadata)) {',
  () => "    if (typeof value === 'string' && value.length > 0) log(`${key}: ${value}`);",
  () => '  }',
  (n) => `  const context = await model.createContext({ contextSize: ${n * 512}, threads: 1 });`,
  () => '  // The sequence is reused across turns so the prompt cache stays warm.',
  () => '  const sequence = context.getSequence();',
  () => "  const tokens = tokenizer.encode(prompt, { special: false });",
  () => '  return { model, context, sequence, loadMs: performance.now() - started };',
  () => '}',
  () => '',
  (n) => `interface Options${n} {`,
  () => '  readonly temperature?: number;',
  () => '  readonly topP?: number;',
  () => '  readonly maxTokens: number;',
  () => '}',
  (n) => `const cache = new Map<string, Entry${n}>();`,
  () => 'const results = items.filter((item) => item.enabled).map((item) => item.id);',
];

const PY_LINES = [
  (n) => `def summarize_${n}(rows: list[dict], *, limit: int = 10) -> dict:`,
  () => '    """Counts tokens per model and returns the top entries."""',
  () => '    counts: dict[str, int] = {}',
  () => '    for row in rows:',
  () => "        counts[row['model']] = counts.get(row['model'], 0) + row['tokens']",
  () => '    ranked = sorted(counts.items(), key=lambda kv: kv[1], reverse=True)',
  () => '    return dict(ranked[:limit])',
  () => '',
  () => 'import json',
  () => 'from pathlib import Path',
  (n) => `CONFIG = Path("config_${n}.json")`,
  () => 'with CONFIG.open(encoding="utf-8") as f:',
  () => '    settings = json.load(f)',
  () => 'if settings.get("threads", 1) > 2:',
  () => '    print(f"threads: {settings[\'threads\']}")',
  (n) => `class Engine${n}:`,
  () => '    def __init__(self, path: str) -> None:',
  () => '        self.path = path',
  () => '        self.loaded = False',
];

const MODELS = ['LLM-jp-4 8B', 'LLM-jp-4 32B-A3B', 'LLM-jp-3 1.8B', 'LLM-jp-3 13B', 'Llama 3.1 8B'];
const QUANTS = ['Q4_K_M', 'Q5_K_M', 'Q8_0', 'F16'];

function sentences(random, pool, count) {
  return Array.from({ length: count }, () => pick(random, pool)).join(pool === JA_SENTENCES ? '' : ' ');
}

function codeBlock(random, language, lines, n) {
  const count = between(random, 8, 24);
  const start = between(random, 0, lines.length - 1);
  const body = Array.from({ length: count }, (_, i) => lines[(start + i) % lines.length](n));
  return `\`\`\`${language}\n${body.join('\n')}\n\`\`\``;
}

function table(random) {
  const rows = Array.from({ length: between(random, 4, 9) }, () =>
    `| ${pick(random, MODELS)} | ${pick(random, QUANTS)} | ${(between(random, 20, 340) / 10).toFixed(1)} GiB | ${between(random, 5, 180)} tok/s | ${pick(random, ['推奨', '—', '`gpu: auto`', 'CPU 可'])} |`,
  );
  return ['| モデル | 量子化 | メモリ | 速度 | 備考 |', '|---|---|---|---|---|', ...rows].join('\n');
}

function list(random, ordered) {
  return Array.from({ length: between(random, 3, 7) }, (_, i) => {
    const text = random() < 0.6 ? pick(random, JA_SENTENCES) : pick(random, EN_SENTENCES);
    return `${ordered ? `${i + 1}.` : '-'} ${text}`;
  }).join('\n');
}

/** One markdown block, chosen so an answer has the mix a coding assistant writes. */
function block(random, n) {
  const r = random();
  if (r < 0.1) return `## ${pick(random, HEADINGS)} ${n}`;
  if (r < 0.38) return sentences(random, JA_SENTENCES, between(random, 2, 5));
  if (r < 0.52) return sentences(random, EN_SENTENCES, between(random, 2, 4));
  if (r < 0.64) return list(random, random() < 0.4);
  if (r < 0.78) return codeBlock(random, 'ts', TS_LINES, n);
  if (r < 0.88) return codeBlock(random, 'python', PY_LINES, n);
  if (r < 0.94) return table(random);
  return `> ${pick(random, JA_SENTENCES)}${pick(random, EN_SENTENCES)}`;
}

const CJK = /[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]/u;
const PIECES = /\n+| {2,}| ?[A-Za-z0-9_]+|[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+|([`*#|=-])\1*|[^]/gu;

/**
 * Splits `text` into tokens of realistic size: 1-4 characters of Japanese, English words in
 * pieces of 2-7 letters (the first with its leading space), newlines and indentation as their own
 * tokens, markdown punctuation runs (```, |, **) as one token.
 */
export function tokenize(text, random) {
  const tokens = [];
  for (const [piece] of text.matchAll(PIECES)) {
    if (CJK.test(piece[0])) {
      for (let i = 0; i < piece.length; ) {
        const size = Math.min(piece.length - i, [1, 1, 2, 2, 2, 3, 4][Math.floor(random() * 7)]);
        tokens.push(piece.slice(i, i + size));
        i += size;
      }
    } else if (/^ ?[A-Za-z0-9_]{8,}$/.test(piece)) {
      for (let i = 0; i < piece.length; ) {
        const size = Math.min(piece.length - i, between(random, 2, 7) + (i === 0 && piece[0] === ' ' ? 1 : 0));
        tokens.push(piece.slice(i, i + size));
        i += size;
      }
    } else {
      tokens.push(piece);
    }
  }
  return tokens;
}

/**
 * A streamed turn of about `answerTokens` answer tokens and `reasoningTokens` reasoning tokens.
 * The answer ends with `sentinel`, a plain sentence: once it is in the DOM, the whole answer is.
 */
export function streamedTurn({ seed, answerTokens, reasoningTokens, sentinel }) {
  const random = seededRandom(seed);
  const reasoning = [];
  while (reasoning.length < reasoningTokens) {
    const text = random() < 0.7 ? sentences(random, EN_SENTENCES, 2) : sentences(random, JA_SENTENCES, 2);
    reasoning.push(...tokenize(`${text} `, random));
  }
  reasoning.length = reasoningTokens;
  const answer = [];
  const counts = { codeBlocks: 0, tables: 0 };
  for (let n = 1; answer.length < answerTokens - 40; n++) {
    const text = block(random, n);
    if (text.startsWith('```')) counts.codeBlocks++;
    if (text.startsWith('| モデル')) counts.tables++;
    answer.push(...tokenize(`${text}\n\n`, random));
  }
  answer.push(...tokenize(sentinel, random));
  return { reasoning, answer, answerText: answer.join(''), ...counts };
}

/** A restored conversation of `exchanges` questions and answers, the last answer ending with `sentinel`. */
export function longTranscript({ seed, exchanges, sentinel }) {
  const random = seededRandom(seed);
  const entries = [];
  for (let i = 0; i < exchanges; i++) {
    entries.push({ kind: 'user', text: `${pick(random, JA_SENTENCES)} (${i + 1})` });
    const blocks = Array.from({ length: between(random, 2, 5) }, (_, b) => block(random, i * 10 + b));
    if (i === exchanges - 1) blocks.push(sentinel);
    const reasoning = sentences(random, EN_SENTENCES, between(random, 1, 3));
    entries.push({
      kind: 'assistant',
      reasoning,
      answer: blocks.join('\n\n'),
      stopReason: 'stop',
      reasoningSummary: `Thought for ${(between(random, 5, 60) / 10).toFixed(1)} s, ${between(random, 20, 120)} tokens`,
      stats: `${(between(random, 200, 600) / 10).toFixed(1)} tokens/s · ${between(random, 500, 4000)} of 4,096 tokens`,
    });
  }
  return entries;
}

/**
 * Runaway blocks (issue 11, part 4): an answer whose middle is one huge markdown block, so the
 * panel's growing tail (everything after the last stable cut) is that block for most of the
 * stream. Each answer is an intro paragraph, the block, and `sentinel` in a paragraph of its own,
 * except the `line` one, which is a single line of about `chars` characters with no newline at all
 * (the sentinel at its end). Tokens are realistic in size (`tokens`); `answer` groups `perDelta`
 * of them per message.
 */
export function runawayTurn({ kind, seed, rows = 2_000, lines = 30_000, chars = 2_000_000, perDelta = 1, sentinel }) {
  const random = seededRandom(seed);
  const intro = `${pick(random, JA_SENTENCES)}${pick(random, JA_SENTENCES)}`;
  let text;
  if (kind === 'table') {
    const header = ['| # | モデル | 量子化 | メモリ | 速度 | 備考 |', '|---|---|---|---|---|---|'];
    const body = Array.from({ length: rows }, (_, i) =>
      `| ${i + 1} | ${pick(random, MODELS)} | ${pick(random, QUANTS)} | ${(between(random, 20, 340) / 10).toFixed(1)} GiB | ${between(random, 5, 180)} tok/s | ${pick(random, ['推奨', '—', '`gpu: auto`', 'CPU 可'])} |`);
    text = `${intro}\n\n${[...header, ...body].join('\n')}\n\n${sentinel}`;
  } else if (kind === 'code') {
    const body = Array.from({ length: lines }, (_, i) => TS_LINES[i % TS_LINES.length](Math.floor(i / TS_LINES.length) + 1));
    text = `${intro}\n\n\`\`\`ts\n${body.join('\n')}\n\`\`\`\n\n${sentinel}`;
  } else if (kind === 'line') {
    const parts = [intro];
    let length = intro.length;
    while (length < chars - sentinel.length) {
      const sentence = random() < 0.5 ? pick(random, JA_SENTENCES) : ` ${pick(random, EN_SENTENCES)} `;
      parts.push(sentence);
      length += sentence.length;
    }
    parts.push(sentinel);
    text = parts.join('');
  } else {
    throw new Error(`unknown runaway block kind ${kind}`);
  }
  const tokens = tokenize(text, random);
  const answer = [];
  for (let i = 0; i < tokens.length; i += perDelta) answer.push(tokens.slice(i, i + perDelta).join(''));
  return { reasoning: [], answer, answerText: text, tokens };
}
