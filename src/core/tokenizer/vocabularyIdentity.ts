// Whether a model's vocabulary follows LLM-jp-4's layout, so the exact tokenizer can stand in
// for llama.cpp's.
import { FIRST_TEXT_ID } from './specialTokens';

export const LLM_JP_4_VOCAB_SIZE = 196_608;

/**
 * LLM-jp-4's layout: control and reserved ids 0-351, then the 256 byte pieces, then text pieces.
 * Conversions name ids 0-13 either as the Hugging Face config does (`<|start|>`) or as the
 * SentencePiece model does (`<s>`), so names are not part of the check; the byte pieces' place
 * is what no other SentencePiece vocabulary shares.
 */
export function hasLlmJp4Layout(pieces: readonly string[]): boolean {
  return pieces.length > FIRST_TEXT_ID + 256 && pieces[FIRST_TEXT_ID] === '<0x00>' && pieces[FIRST_TEXT_ID + 255] === '<0xFF>';
}
