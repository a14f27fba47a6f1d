// How many tokens a text will take where no tokenizer is at hand (a server backend: the
// OpenAI API has no tokenize call). Planning with it must not overflow the context, so it errs
// high: a token for every character outside ASCII (LLM-jp-4 spends about 0.6-0.9 tokens on a
// Japanese character) and for every three ASCII characters (code and English run 3.5-4.5).

export function estimateTokens(text: string): number {
  let ascii = 0;
  let other = 0;
  for (const char of text) {
    if (char.charCodeAt(0) < 0x80) ascii++;
    else other++;
  }
  return other + Math.ceil(ascii / 3);
}
