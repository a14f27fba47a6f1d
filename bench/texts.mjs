// Prompt texts for the benchmarks: deterministic, mixed Japanese, English and code.

const FRAGMENTS = [
  '東京の天気は晴れのち曇りです。', '大規模言語モデルは、大量のテキストから次の単語を予測するように学習されます。',
  'The quick brown fox jumps over the lazy dog. ', 'function add(a, b) {\n  return a + b;\n}\n',
  'def f(x):\n    return x * 2\n', 'SELECT name, count(*) FROM users GROUP BY name;\n', '日本語と English が混ざった文章です。',
  'const config = { threads: 1, batch: 512 };\n', '国立情報学研究所の LLM-jp プロジェクト。', 'Tokens per second, measured twice.\n',
];

/** A mixed ja/en/code text of about `chars` characters; `seed` changes its order (and so its start). */
export function mixedText(chars, seed) {
  let state = (seed * 2654435761) >>> 0 || 1;
  const next = () => (state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 4294967296;
  let text = '';
  while (text.length < chars) text += FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
  return text.slice(0, chars);
}
