// A prompt as a sequence of parts, so that the tokenizer can recognise special tokens in the
// structure the renderer wrote and never in text that came from the caller.

import type { PromptPart } from '../../tokenizer';

export type RenderPart = PromptPart;
export type RenderPartKind = PromptPart['kind'];

/** Collects parts, merging neighbours of the same kind and dropping empty ones. */
export class PartsWriter {
  private readonly list: RenderPart[] = [];

  structure(text: string): this {
    return this.push('structure', text);
  }

  content(text: string): this {
    return this.push('content', text);
  }

  append(parts: readonly RenderPart[]): this {
    for (const part of parts) this.push(part.kind, part.text);
    return this;
  }

  get parts(): readonly RenderPart[] {
    return this.list;
  }

  text(): string {
    return joinParts(this.list);
  }

  private push(kind: RenderPartKind, text: string): this {
    if (text === '') return this;
    const last = this.list[this.list.length - 1];
    if (last !== undefined && last.kind === kind) {
      this.list[this.list.length - 1] = { kind, text: last.text + text };
    } else {
      this.list.push({ kind, text });
    }
    return this;
  }
}

export function joinParts(parts: readonly RenderPart[]): string {
  let text = '';
  for (const part of parts) text += part.text;
  return text;
}
