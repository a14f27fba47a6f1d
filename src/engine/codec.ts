// Token ids in and out for one model: LLM-jp-4's exact Unigram tokenizer when the vocabulary
// has its layout, llama.cpp's tokenizer otherwise (LLM-jp-3 and foreign models). Either way the
// caller's text is tokenized as text: only the template's structure may produce control tokens.
import type { LlamaModel, Token } from 'node-llama-cpp';
import type { PromptPart } from '../core/tokenizer';
import { UnigramTokenizer, hasLlmJp4Layout } from '../core/tokenizer';

export interface TokenCodec {
  readonly exact: boolean;
  /** Prompt ids, BOS first when the model wants one. */
  encodeParts(parts: readonly PromptPart[]): number[];
  /** Raw bytes of a generated token (a control token has none). */
  tokenBytes(id: number): Uint8Array;
}

const EMPTY = new Uint8Array(0);
const BYTE_PIECE = /^<0x([0-9A-Fa-f]{2})>$/;

export function createCodec(model: LlamaModel): TokenCodec {
  const ggml = model.fileInfo.metadata.tokenizer?.ggml;
  const pieces = ggml?.tokens;
  const bos = model.tokens.bos;
  const prefix = (ggml?.add_bos_token ?? true) && bos !== null ? [bos as number] : [];

  if (ggml?.model === 'llama' && pieces && ggml.scores && hasLlmJp4Layout(pieces)) {
    const tokenizer = UnigramTokenizer.fromVocab([...pieces], [...ggml.scores]);
    return {
      exact: true,
      encodeParts: (parts) => [...prefix, ...tokenizer.encodeParts(parts)],
      tokenBytes: (id) => tokenizer.tokenBytes(id),
    };
  }

  const encoder = new TextEncoder();
  const spmBytes = (id: number): Uint8Array => {
    const piece = pieces![id];
    const byte = BYTE_PIECE.exec(piece);
    return byte ? Uint8Array.of(parseInt(byte[1], 16)) : encoder.encode(piece.replaceAll('\u2581', ' '));
  };
  return {
    exact: false,
    encodeParts(parts) {
      // Consecutive parts of one kind are tokenized together; only structure may hold special strings.
      const ids: number[] = [...prefix];
      for (let i = 0; i < parts.length; ) {
        const kind = parts[i].kind;
        let text = '';
        for (; i < parts.length && parts[i].kind === kind; i++) text += parts[i].text;
        ids.push(...model.tokenize(text, kind === 'structure'));
      }
      return ids;
    },
    tokenBytes(id) {
      if (model.isSpecialToken(id as Token)) return EMPTY;
      // SentencePiece vocabularies spell bytes and spaces in their pieces; others go through llama.cpp.
      return ggml?.model === 'llama' && pieces ? spmBytes(id) : encoder.encode(model.detokenize([id as Token], false));
    },
  };
}
