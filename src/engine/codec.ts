// Token ids in and out for one model: LLM-jp-4's exact Unigram tokenizer when the vocabulary
// has its layout, llama.cpp's tokenizer otherwise (LLM-jp-3 and foreign models). Either way the
// caller's text is tokenized as text: only the template's structure may produce control or
// special ids, whatever the vocabulary types them.
import type { LlamaModel, Token } from 'node-llama-cpp';
import type { PromptPart } from '../core/tokenizer';
import { UnigramTokenizer, hasLlmJp4Layout } from '../core/tokenizer';
import { SpecialStrings } from '../core/tokenizer/specialStrings';

export interface TokenCodec {
  readonly exact: boolean;
  /** Prompt ids, BOS first when the model wants one. */
  encodeParts(parts: readonly PromptPart[]): number[];
  /** Raw bytes of a generated token (a control token has none). */
  tokenBytes(id: number): Uint8Array;
  /** How many tokens `text` takes as message content (no BOS): for budgeting what a prompt holds. */
  countText(text: string): number;
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
      countText: (text) => (text === '' ? 0 : tokenizer.encodeParts([{ kind: 'content', text }]).length),
    };
  }

  const encoder = new TextEncoder();
  const spmBytes = (id: number): Uint8Array => {
    const piece = pieces![id];
    const byte = BYTE_PIECE.exec(piece);
    return byte ? Uint8Array.of(parseInt(byte[1], 16)) : encoder.encode(piece.replaceAll('\u2581', ' '));
  };
  const specials = new SpecialStrings(pieces ?? [], ggml?.token_type);
  const plainText = plainTextTokens(model, specials, pieces ?? []);
  return {
    exact: false,
    encodeParts(parts) {
      // As the exact tokenizer does: special strings are read only in the structure, and the text
      // between two of them (structure and content alike) is one run of plain text.
      const ids: number[] = [...prefix];
      let run = '';
      const flush = (): void => {
        if (run !== '') ids.push(...plainText(run));
        run = '';
      };
      for (const part of parts) {
        if (part.kind === 'content') {
          run += part.text;
          continue;
        }
        specials.split(
          part.text,
          (text) => (run += text),
          (id) => {
            flush();
            ids.push(id);
          },
        );
      }
      flush();
      return ids;
    },
    countText: (text) => (text === '' ? 0 : plainText(text).length),
    tokenBytes(id) {
      if (model.isSpecialToken(id as Token)) return EMPTY;
      // SentencePiece vocabularies spell bytes and spaces in their pieces; others go through llama.cpp.
      return ggml?.model === 'llama' && pieces ? spmBytes(id) : encoder.encode(model.detokenize([id as Token], false));
    },
  };
}

/**
 * llama.cpp's tokenizer for text, minus what it reads as special even in text: it matches
 * user-defined pieces (and the control pieces it retypes so, such as <|start|>) wherever they
 * occur. Where that happens, the text around each special string is tokenized on its own and the
 * special string is spelled out a character at a time, so that it stays text; an id of a
 * special piece that still came out is an error, never a prompt.
 */
function plainTextTokens(model: LlamaModel, specials: SpecialStrings, pieces: readonly string[]): (text: string) => number[] {
  const isSpecial = (id: number): boolean => specials.ids.has(id);
  const encoder = new TextEncoder();
  const byteIds = new Map<number, number>();
  pieces.forEach((piece, id) => {
    const byte = BYTE_PIECE.exec(piece);
    if (byte) byteIds.set(parseInt(byte[1], 16), id);
  });
  // llama.cpp starts every call as a new run (SentencePiece vocabularies get a word-start space).
  // Text that continues a run is tokenized behind a newline, whose own ids are then dropped.
  const anchor = model.tokenize('\n', false);
  const character = (ch: string): number[] => {
    const bytes = [...encoder.encode(ch)].map((byte) => byteIds.get(byte));
    if (bytes.every((id) => id !== undefined)) return bytes as number[];
    const continued = model.tokenize('\n' + ch, false);
    return anchor.every((id, i) => continued[i] === id) ? continued.slice(anchor.length) : model.tokenize(ch, false);
  };
  const continuation = (text: string): number[] => {
    const out: number[] = [];
    while (text !== '') {
      const continued = model.tokenize('\n' + text, false);
      if (anchor.every((id, i) => continued[i] === id)) return [...out, ...continued.slice(anchor.length)];
      // The newline merged with the text's first character: that character goes on its own.
      const first = String.fromCodePoint(text.codePointAt(0)!);
      out.push(...character(first));
      text = text.slice(first.length);
    }
    return out;
  };
  const spell = (special: string, startsRun: boolean): number[] => {
    const out: number[] = [];
    for (const ch of special) out.push(...(startsRun && out.length === 0 ? model.tokenize(ch, false) : continuation(ch)));
    return out;
  };
  return (text) => {
    const whole = model.tokenize(text, false);
    if (!whole.some(isSpecial)) return whole;
    const out: number[] = [];
    specials.split(
      text,
      (segment) => out.push(...(out.length === 0 ? model.tokenize(segment, false) : continuation(segment))),
      (_id, special) => out.push(...spell(special, out.length === 0)),
    );
    const leaked = out.find(isSpecial);
    if (leaked !== undefined) throw new Error(`llama.cpp read special token ${leaked} out of plain text.`);
    return out;
  };
}
