import { readFileSync } from 'node:fs';
import { parseSentencePieceModel } from './sentencePieceModel';
import { UnigramTokenizer } from './unigramTokenizer';
import { parseVocab, type Vocab } from './vocabFile';

/** Reads a SentencePiece `.vocab` file (UTF-8, `piece<TAB>score` lines in id order). */
export function loadVocabFile(path: string): Vocab {
  return parseVocab(readFileSync(path, 'utf8'));
}

/**
 * A tokenizer built from the `.vocab` file at `path`. Its scores are rounded to six
 * digits, so where two segmentations tie it can choose differently from SentencePiece
 * (see UnigramTokenizer.fromVocab); prefer loadTokenizerFromModelFile when exact ids matter.
 */
export function loadTokenizerFromVocabFile(path: string): UnigramTokenizer {
  const { pieces, scores } = loadVocabFile(path);
  return UnigramTokenizer.fromVocab(pieces, scores);
}

/** A tokenizer built from the SentencePiece `.model` file at `path`, with its exact scores. */
export function loadTokenizerFromModelFile(path: string): UnigramTokenizer {
  const { pieces, scores } = parseSentencePieceModel(readFileSync(path));
  return UnigramTokenizer.fromVocab(pieces, scores);
}
