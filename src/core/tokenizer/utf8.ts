const encoder = new TextEncoder();

/** UTF-8 bytes of `text`; a lone surrogate becomes U+FFFD, as SentencePiece does with bad input. */
export function utf8Bytes(text: string): Uint8Array {
  return encoder.encode(text);
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with each lone surrogate replaced by U+FFFD, so every character has UTF-8 bytes. */
export function wellFormed(text: string): string {
  // Nearly all text is well formed: test before paying for a replace.
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text;
}
