// LLM-jp-4's control tokens (ids 0-13 of its Hugging Face tokenizer; 14-351 are reserved).
// The SentencePiece model names the same ids differently (<unk>, <s>, </s>, ...), so code
// refers to them by these constants and never by either spelling.

export const SpecialToken = {
  unk: 0,
  startOfText: 1,
  return: 2,
  mask: 3,
  endOfText: 4,
  cls: 5,
  eod: 6,
  sep: 7,
  constrain: 8,
  channel: 9,
  start: 10,
  end: 11,
  message: 12,
  call: 13,
} as const;

export const SPECIAL_TOKEN_TEXT: Readonly<Record<number, string>> = {
  0: '<|unk|>',
  1: '<|startoftext|>',
  2: '<|return|>',
  3: '<|mask|>',
  4: '<|endoftext|>',
  5: '<|cls|>',
  6: '<|eod|>',
  7: '<|sep|>',
  8: '<|constrain|>',
  9: '<|channel|>',
  10: '<|start|>',
  11: '<|end|>',
  12: '<|message|>',
  13: '<|call|>',
};

/** Ids below this are control or reserved tokens; text never encodes to them. */
export const FIRST_TEXT_ID = 352;

/** The name of reserved id `id` (14-351): `<|reserved_006|>` is id 14. */
export function reservedTokenText(id: number): string {
  return `<|reserved_${String(id - 8).padStart(3, '0')}|>`;
}
