export { UnigramTokenizer, type PromptPart } from './unigramTokenizer';
export { parseVocab, type Vocab } from './vocabFile';
export { specialTokenText, splitAtSpecialTokens } from './promptSplitter';
export { FIRST_TEXT_ID, SPECIAL_TOKEN_TEXT, SpecialToken, reservedTokenText } from './specialTokens';
export { hasLlmJp4Layout, LLM_JP_4_VOCAB_SIZE } from './vocabularyIdentity';
export { PieceType, parseSentencePieceModel, type ModelPieces } from './sentencePieceModel';
