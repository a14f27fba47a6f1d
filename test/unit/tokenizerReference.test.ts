// Checks UnigramTokenizer against the official SentencePiece library on LLM-jp-4's model.
// Needs ../shared/llm-jp-4 (absent from public clones: the suite is skipped) and Debian's
// python3-sentencepiece for /usr/bin/python3 (CI installs it; elsewhere the suite is skipped).
// The reference script runs once for the whole batch.

import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import {
  FIRST_TEXT_ID,
  PieceType,
  SPECIAL_TOKEN_TEXT,
  UnigramTokenizer,
  parseSentencePieceModel,
  reservedTokenText,
  type ModelPieces,
  type Vocab,
} from '../../src/core/tokenizer';
import { loadVocabFile } from '../../src/core/tokenizer/loadVocab';
import { REPO_ROOT, SHARED_LLM_JP_4 } from '../fixtures/chat/reference';

const SHARED = SHARED_LLM_JP_4;
const MODEL = path.join(SHARED, 'tokenizer-v4.0-alpha1.0.model');
const VOCAB = path.join(SHARED, 'tokenizer-v4.0-alpha1.0.vocab');
const CONFIG = path.join(SHARED, 'tokenizer_config-4.0.json');
const REFERENCE_SCRIPT = path.join(REPO_ROOT, 'test', 'support', 'sentencepiece-reference.py');
const PYTHON = '/usr/bin/python3';

interface Reference {
  version: string;
  texts: number[][];
  textsNoUserDefined: number[][];
  prompts: number[][];
  promptsNoUserDefined: number[][];
  types: number[];
  flags: string[];
}

// ---- corpus -------------------------------------------------------------------------

const JAPANESE = [
  '東京の天気は？',
  '吾輩は猫である。名前はまだ無い。',
  '今日は朝から雨が降っていたので、傘を持って出かけました。',
  '大規模言語モデルは、大量のテキストから次の単語を予測するように学習されます。',
  '関数の戻り値が undefined になる原因を調べてください。',
  '「こんにちは」と彼女は言った。',
  '国立情報学研究所（NII）が開発した LLM-jp-4 は、日本語に強いモデルです。',
  'このファイルを読み込んで、エラーがあれば修正してください。',
  '令和７年度の予算案について、財務省は次のように説明した：',
  'ｶﾀｶﾅ と カタカナ と かたかな',
  '㈱日本電気　代表取締役　山田太郎',
  '魑魅魍魎が跋扈する',
  '𠮷野家で𩸽を食べた。',
  '彁と龘と𪚥',
  '第１２３回　全角数字とＡＢＣ',
  '…といったところです。',
  '東京都千代田区一ツ橋２－１－２',
  '※注意：この操作は取り消せません！',
];

const ENGLISH = [
  'The quick brown fox jumps over the lazy dog.',
  "Don't panic; it's only a test.",
  'assistant',
  'Hello, world!',
  'e.g. 3.14159, 1e-10, 0x1F, 1,000,000',
  'https://example.com/path?query=1&x=y#frag',
  'user@example.org',
  'CamelCaseIdentifier and snake_case_name and SCREAMING_CASE',
];

const CODE = [
  'def f():\n    return 1',
  'function add(a: number, b: number): number {\n  return a + b;\n}\n',
  'const x = { key: "value", list: [1, 2, 3] };',
  'for (let i = 0; i < n; i++) {\n\tsum += a[i];\n}',
  '#include <stdio.h>\n\nint main(void) {\n    printf("%d\\n", 42);\n    return 0;\n}\n',
  'fn main() {\n    let v: Vec<u8> = vec![1, 2, 3];\n    println!("{:?}", v);\n}',
  'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("こんにちは")\n}\n',
  'SELECT id, name FROM users WHERE age >= 20 ORDER BY name;',
  '<div class="x"><span>テキスト</span></div>',
  '#!/bin/sh\nset -eu\nfor f in *.txt; do echo "$f"; done\n',
  '## Heading\n\n#### Sub-heading\n\n- item one\n- item two\n\n---\n',
  'key: value\nlist:\n  - a\n  - b\n',
  '{"role": "user", "content": "東京の天気は？"}',
  'x = [i ** 2 for i in range(10) if i % 2 == 0]',
  '    if (err != nil) {\n        return err\n    }',
  'class Foo extends Bar<T> implements Baz {}',
  "print(f'{name!r:>10}')",
  '/* comment */ // another comment',
  '$ npm install --save-dev typescript@~6.0.3',
  '\\documentclass{article}\n\\begin{document}\n$E = mc^2$\n\\end{document}',
];

const WHITESPACE = [
  ' ', '  ', '   ', '    ', '        ', ' '.repeat(16), ' '.repeat(17), ' '.repeat(33),
  '\t', '\t\t', '\n', '\n\n', '\n\n\n', '\r\n', '\r', '\u3000', '\u00a0', ' \n ', '\n    ', '\t \t',
  '\v', '\f',
];

const SYMBOLS_AND_RARE = [
  '😀', '👨‍👩‍👧‍👦', '🇯🇵', '🍣🍺', '❤️', '✅', '\u{20000}', '\u{2A6D6}', '\u{E0001}', '\u{10FFFF}',
  '\u0000', '\u0007', '\u001b[31mred\u001b[0m', '\u200b', '\ufeff', '\u2028', '\ufffd',
  'Ω≈ç√∫', '①②③', '㍿', '℃', '¥100', '€', 'é', 'e\u0301', 'ﬁ', 'ｱｲｳ', '＠＃＄', '！？',
  '▁', '▁▁', '▁x', '####', '---', '***', '===', '...', '~~~', '```',
];

// Strings the model's own control and user-defined pieces are named with, and the chat
// template's special strings: all are ordinary text for encodeText.
const SPECIAL_LOOKING = [
  '<|start|>', '<|end|>', '<|message|>', '<|channel|>', '<|call|>', '<|return|>', '<|constrain|>',
  '<|startoftext|>', '<|endoftext|>', '<|unk|>', '<|reserved_006|>', '<|reserved_343|>',
  '<s>', '</s>', '<unk>', '<mask>', '<pad>', '<CLS>', '<EOD>', '<SEP>', '<RESERVED_000>',
  '<RESERVED_343>', '<0x0A>', '<0xE3>',
];

const HAND_WRITTEN_TEXTS = [
  ...JAPANESE,
  ...ENGLISH,
  ...CODE,
  ...WHITESPACE,
  ...SYMBOLS_AND_RARE,
  ...SPECIAL_LOOKING,
  '',
  ' 東京', '東京 ', '  東京  ', '東京\n', '\n東京', '東京\t大阪', '東京　大阪',
  'Hello 世界', '日本語 and English mixed テキスト with code `x = 1`',
  'x\n####', 'x\n---', 'a\n\n#### b', '\n\n##### Title',
  '<|end|><|start|>system<|message|>',
  '<|start|>assistant<|channel|>analysis<|message|>思考<|end|>',
  'text with <mask> and <pad> inside',
  '<RESERVED_000><RESERVED_001>',
  'a<s>b</s>c<unk>d',
  '        return x  # trailing   ',
  '\t\tindented\twith\ttabs',
  'line1\r\nline2\r\n',
  'ａｂｃ１２３ＡＢＣ',
  '🙂 emoji at start', 'end with emoji 🙂',
  'a'.repeat(100), 'あ'.repeat(50), '#'.repeat(40), '='.repeat(80), '-'.repeat(64), '0123456789'.repeat(5),
];

const SEPARATORS = ['', '', ' ', '  ', '\n', '\n\n', '\t', '　', ', ', '。'];

/** mulberry32: a small seeded PRNG, so the generated corpus is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [...JAPANESE, ...ENGLISH, ...CODE, ...WHITESPACE, ...SYMBOLS_AND_RARE, ...SPECIAL_LOOKING];

function generatedTexts(count: number, seed: number): string[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const texts: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts = 1 + Math.floor(random() * 7);
    let text = '';
    for (let p = 0; p < parts; p++) {
      let fragment = pick(FRAGMENTS);
      // Sometimes a piece of a fragment, to cut words and characters at odd places.
      if (random() < 0.3 && fragment.length > 2) {
        const a = Math.floor(random() * fragment.length);
        fragment = fragment.slice(a, a + 1 + Math.floor(random() * 12));
      }
      text += (p > 0 ? pick(SEPARATORS) : '') + fragment;
    }
    if (random() < 0.15) text = ' '.repeat(1 + Math.floor(random() * 4)) + text;
    if (random() < 0.15) text += pick(WHITESPACE);
    texts.push(wellFormed(text));
  }
  return texts;
}

/** Drops a surrogate half left by slicing: Python cannot send one to SentencePiece. */
function wellFormed(text: string): string {
  return text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '');
}

const TEMPLATE_SPECIALS = [
  '<|start|>', '<|end|>', '<|message|>', '<|channel|>', '<|call|>', '<|return|>', '<|constrain|>',
  '<|startoftext|>', '<|reserved_006|>', '<|reserved_100|>', '<|reserved_343|>',
];

const HAND_WRITTEN_PROMPTS = [
  '<|start|>system<|message|>あなたは有能なアシスタントです。\nKnowledge cutoff: 2024-06<|end|>' +
    '<|start|>user<|message|>東京の天気は？<|end|><|start|>assistant',
  '<|start|>user<|message|>def f():\n    return 1<|end|><|start|>assistant<|channel|>analysis<|message|>' +
    'ユーザーはコードについて質問している。<|end|><|start|>assistant<|channel|>final<|message|>はい。<|return|>',
  '<|start|>assistant to=functions.get_weather<|channel|>commentary json<|message|>{"city": "東京"}<|call|>',
  '<|start|>functions.get_weather to=assistant<|channel|>commentary<|message|>"{\\"temp\\": 20}"<|end|>',
  '<|start|>user<|message|>File contents:\n```\n<|start|> is not special inside? it is.\n```<|end|>',
  '<|start|>user<|message|> leading space and trailing space <|end|>',
  '<|start|>user<|message|>\n\n#### heading\n    indented\n<|end|>',
  '<|end|><|start|><|message|><|end|>',
  'no specials at all',
  '<|start|>user<|message|><mask> <pad> <RESERVED_000> stay text<|end|>',
  '<|start|>user<|message|><|start|<|end|>|> <|reserved_005|> <|reserved_344|><|end|>',
  '<|reserved_006|><|reserved_343|>',
];

function generatedPrompts(count: number, seed: number): string[] {
  const random = prng(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)];
  const texts = generatedTexts(count * 4, seed + 1);
  const prompts: string[] = [];
  for (let i = 0; i < count; i++) {
    let prompt = '';
    const parts = 2 + Math.floor(random() * 6);
    for (let p = 0; p < parts; p++) prompt += random() < 0.5 ? pick(TEMPLATE_SPECIALS) : pick(texts);
    prompts.push(prompt);
  }
  return prompts;
}

function longText(length: number, seed: number): string {
  let text = '';
  for (const t of generatedTexts(100_000, seed)) {
    text += t + '\n';
    if (text.length >= length) break;
  }
  return text.slice(0, length).replace(/[\uD800-\uDBFF]$/, '');
}

const TEXTS = [...HAND_WRITTEN_TEXTS, ...generatedTexts(300, 20240611)];
const PROMPTS = [...HAND_WRITTEN_PROMPTS, ...generatedPrompts(60, 7)];
const LONG_TEXT = longText(50_000, 99);

// ---- suite --------------------------------------------------------------------------

function runReference(): Reference {
  const run = spawnSync(PYTHON, [REFERENCE_SCRIPT], {
    input: JSON.stringify({
      model: MODEL,
      config: CONFIG,
      texts: [...TEXTS, LONG_TEXT],
      prompts: PROMPTS,
      types: true,
    }),
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (run.status !== 0) throw new Error(`reference script failed: ${run.stderr || run.error}`);
  return JSON.parse(run.stdout) as Reference;
}

function sentencePieceAvailable(): boolean {
  if (!existsSync(PYTHON)) return false;
  return spawnSync(PYTHON, ['-c', 'import sentencepiece'], { encoding: 'utf8' }).status === 0;
}

function show(tok: UnigramTokenizer, ids: readonly number[]): string {
  return ids.map((id) => (id < FIRST_TEXT_ID ? `#${id}` : JSON.stringify(tok.piece(id)))).join(' ');
}

describe('UnigramTokenizer against SentencePiece (LLM-jp-4 model)', function () {
  let reference: Reference;
  let model: ModelPieces;
  let vocab: Vocab;
  /** Pieces from the .vocab file, exact float32 scores from the .model file. */
  let exact: UnigramTokenizer;
  /** Everything from the .vocab file, whose scores are rounded to six digits. */
  let fromVocabFile: UnigramTokenizer;
  let userDefinedSurface: RegExp;

  before(function () {
    this.timeout(120_000);
    if (!existsSync(MODEL) || !existsSync(VOCAB) || !existsSync(CONFIG)) {
      console.log(`    (skipped: ${SHARED} is absent; it holds LLM-jp-4's tokenizer files, not in public clones)`);
      this.skip();
    }
    if (!sentencePieceAvailable()) {
      const why = `${PYTHON} cannot import sentencepiece (apt-get install python3-sentencepiece)`;
      if (process.env.CI) throw new Error(why);
      console.log(`    (skipped: ${why})`);
      this.skip();
    }
    reference = runReference();
    model = parseSentencePieceModel(readFileSync(MODEL));
    vocab = loadVocabFile(VOCAB);
    exact = UnigramTokenizer.fromVocab(vocab.pieces, model.scores);
    fromVocabFile = UnigramTokenizer.fromVocab(vocab.pieces, vocab.scores);
    const names = model.pieces.filter((_, id) => model.types[id] === PieceType.userDefined);
    userDefinedSurface = new RegExp(names.map((n) => n.replace(/[|<>]/g, '\\$&')).join('|'));
  });

  it('derives every piece type from the id and the piece text as the model types it', () => {
    assert.equal(vocab.pieces.length, 196_608);
    assert.deepEqual(model.types, reference.types, 'the TS model reader agrees with the Python one');
    const counts = new Map<string, number>();
    for (let id = 0; id < vocab.pieces.length; id++) {
      const derived = id < FIRST_TEXT_ID ? 'special' : /^<0x[0-9A-F]{2}>$/.test(vocab.pieces[id]) ? 'byte' : 'normal';
      const type = model.types[id];
      const actual =
        type === PieceType.byte ? 'byte' : type === PieceType.normal ? 'normal' : type === PieceType.unused ? 'unused' : 'special';
      assert.equal(derived, actual, `id ${id} ${vocab.pieces[id]}: type ${type}`);
      assert.equal(reference.flags[id].includes('b'), derived === 'byte', `is_byte of ${id}`);
      assert.ok(!reference.flags[id].includes('x'), `no unused pieces (${id})`);
      counts.set(`${derived}:${type}`, (counts.get(`${derived}:${type}`) ?? 0) + 1);
    }
    // 0 unknown, 1-2 control (<s>, </s>), 3-351 user-defined (<mask>, <pad>, <RESERVED_nnn>),
    // 352-607 bytes, the rest normal.
    assert.deepEqual(Object.fromEntries(counts), {
      'special:2': 1,
      'special:3': 2,
      'special:4': 349,
      'byte:6': 256,
      'normal:1': 196_000,
    });
    for (let b = 0; b < 256; b++) {
      assert.equal(vocab.pieces[FIRST_TEXT_ID + b], `<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    }
  });

  it('reads the same pieces from the .vocab file as from the .model, with scores rounded to six digits', () => {
    for (let id = FIRST_TEXT_ID; id < vocab.pieces.length; id++) {
      assert.equal(vocab.pieces[id], model.pieces[id], `piece ${id}`);
      assert.equal(vocab.scores[id], Number(model.scores[id].toPrecision(6)), `score ${id}`);
    }
    // The HF names of ids 0-351 (in the .vocab) differ from the model's; specialTokens.ts
    // follows the HF tokenizer_config, which names 8-13 constrain..call where the .vocab
    // still says reserved_000..005.
    const config = JSON.parse(readFileSync(CONFIG, 'utf8')) as { added_tokens_decoder: Record<string, { content: string }> };
    for (let id = 0; id < FIRST_TEXT_ID; id++) {
      assert.equal(config.added_tokens_decoder[String(id)].content, SPECIAL_TOKEN_TEXT[id] ?? reservedTokenText(id));
    }
  });

  it('knows the documented facts', () => {
    assert.deepEqual(exact.encodeText('東京の天気は？'), [609, 41147, 23952, 691, 1215]);
    assert.deepEqual(fromVocabFile.encodeText('東京の天気は？'), [609, 41147, 23952, 691, 1215]);
    assert.ok(exact.encodeText('def f():\n    return 1').includes(362));
    assert.equal(exact.piece(362), '<0x0A>');
  });

  it(`encodeText matches sp.encode on ${TEXTS.length} strings`, () => {
    let official = 0;
    TEXTS.forEach((text, i) => {
      const ours = exact.encodeText(text);
      const expected = reference.textsNoUserDefined[i];
      assert.deepEqual(ours, expected, `${JSON.stringify(text)}\n ours: ${show(exact, ours)}\n sp:   ${show(exact, expected)}`);
      if (!userDefinedSurface.test(text)) {
        // The official model, unmodified, agrees wherever the text does not spell one of
        // its user-defined pieces.
        assert.deepEqual(reference.texts[i], expected, JSON.stringify(text));
        official++;
      }
    });
    assert.ok(official >= 300, `${official} strings compared with the unmodified model`);
  });

  it('never yields a control or reserved id, where SentencePiece itself would match <pad>, <mask>...', () => {
    const text = 'text with <mask> and <pad> inside <RESERVED_000>';
    const i = TEXTS.indexOf('text with <mask> and <pad> inside');
    assert.ok(reference.texts[i].some((id) => id < FIRST_TEXT_ID), 'the raw model maps <mask> to id 3');
    for (const ids of [...TEXTS.map((t) => exact.encodeText(t)), exact.encodeText(text)]) {
      assert.ok(ids.every((id) => id >= FIRST_TEXT_ID));
    }
  });

  it(`encodePrompt matches the Hugging Face split + sp.encode on ${PROMPTS.length} rendered prompts`, () => {
    PROMPTS.forEach((prompt, i) => {
      const ours = exact.encodePrompt(prompt);
      const expected = reference.promptsNoUserDefined[i];
      assert.deepEqual(ours, expected, `${JSON.stringify(prompt)}\n ours: ${show(exact, ours)}\n sp:   ${show(exact, expected)}`);
      if (!userDefinedSurface.test(prompt)) assert.deepEqual(reference.prompts[i], expected);
    });
  });

  it('matches sp.encode on a 50,000-character text', () => {
    const ours = exact.encodeText(LONG_TEXT);
    const expected = reference.textsNoUserDefined[TEXTS.length];
    assert.equal(ours.length, expected.length);
    assert.deepEqual(ours, expected);
  });

  it('decodes every encoding back to its text, and tokenBytes spell each run after a space', () => {
    // A literal U+2581 is the same token as an escaped space, so it reads back as a space,
    // as with sp.decode.
    const asDecoded = (text: string) => text.replaceAll('\u2581', ' ');
    for (const text of [...TEXTS, LONG_TEXT]) {
      const ids = exact.encodeText(text);
      assert.equal(exact.decode(ids), asDecoded(text));
      if (text === '') continue;
      const bytes = Buffer.concat(ids.map((id) => exact.tokenBytes(id)));
      assert.equal(bytes.toString('utf8'), ' ' + asDecoded(text));
    }
    for (const prompt of PROMPTS) assert.equal(exact.decode(exact.encodePrompt(prompt)), asDecoded(prompt));
  });

  it('needs the exact scores: the .vocab file’s rounded ones settle some ties differently', () => {
    // `x\n####`: `###`+`#` and `#`+`###` have equal scores; SentencePiece's float32 sums
    // pick the first, and only the exact scores reproduce that.
    const i = TEXTS.indexOf('x\n####');
    const expected = reference.texts[i];
    assert.deepEqual(exact.encodeText('x\n####'), expected);
    assert.notDeepEqual(fromVocabFile.encodeText('x\n####'), expected);
    const differing = TEXTS.filter((t, k) => {
      const ours = fromVocabFile.encodeText(t);
      return JSON.stringify(ours) !== JSON.stringify(reference.textsNoUserDefined[k]);
    });
    console.log(`      .vocab scores alone: ${differing.length} of ${TEXTS.length} strings differ`);
  });
});
