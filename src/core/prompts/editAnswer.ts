// The new code in a model's answer to an edit task. The model is asked for one code block and
// nothing else; what it writes around the block (a sentence, a second block) is not code.

const FENCE = /^( {0,3})(`{3,}|~{3,})([^\n`]*)\n([\s\S]*?)\n?^\1\2[`~]*[ \t]*$/gm;

export interface EditedCode {
  readonly code: string;
}

/**
 * The content of the answer's code block: the only one, else the longest. Undefined when the
 * answer holds no code block. `wholeDocument`: the answer may be the document itself (a Markdown
 * translation), used as it is unless it is one block around everything.
 */
export function editedCode(answer: string, options: { wholeDocument?: boolean } = {}): EditedCode | undefined {
  const trimmed = answer.replace(/^\s*\n/, '').replace(/\s+$/, '');
  const blocks = [...trimmed.matchAll(FENCE)];
  if (options.wholeDocument) {
    const only = blocks.length === 1 ? blocks[0] : undefined;
    const wrapsAll = only !== undefined && only.index === 0 && only[0].length === trimmed.length && /^(markdown|md)?$/i.test(only[3].trim());
    return trimmed === '' ? undefined : { code: wrapsAll ? only[4] : trimmed };
  }
  if (blocks.length === 0) return undefined;
  const longest = blocks.reduce((best, block) => (block[4].length > best[4].length ? block : best));
  return { code: longest[4] };
}
