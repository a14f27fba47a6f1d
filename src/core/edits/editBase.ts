// What a new edit of a file starts from. The model edits the text it read, or its own proposal
// still waiting for the user; if the file changed under either, the edit is refused as stale, so
// that nothing the user wrote in the meantime is overwritten by a change made on an older text.
import type { LocalizedText } from '../generation/types';

export interface EditSituation {
  /** The file now (the editor's text when it is open, unsaved changes included). */
  readonly current: string;
  /** The file as the model last read it, if it did. */
  readonly read?: string;
  /** The model's pending proposal for the file, if any. */
  readonly pending?: { readonly baseline: string; readonly proposed: string };
}

export type EditBase =
  | { readonly ok: true; /** The text the edit applies to. */ readonly base: string; /** What Accept compares the file with. */ readonly baseline: string }
  | { readonly ok: false; readonly reason: 'changed-since-proposal' | 'changed-since-read'; readonly error: LocalizedText };

export function editBase(situation: EditSituation, path: string): EditBase {
  const { current, read, pending } = situation;
  if (pending) {
    if (current !== pending.baseline) {
      return {
        ok: false,
        reason: 'changed-since-proposal',
        error: { en: `${path} changed after your earlier proposal: read_file it again.`, ja: `${path} は前回の提案の後に変更されました。もう一度 read_file してください。` },
      };
    }
    return { ok: true, base: pending.proposed, baseline: pending.baseline };
  }
  if (read !== undefined && read !== current) {
    return {
      ok: false,
      reason: 'changed-since-read',
      error: { en: `${path} changed since you read it: read_file it again before editing.`, ja: `${path} はあなたが読んだ後に変更されました。編集の前にもう一度 read_file してください。` },
    };
  }
  return { ok: true, base: current, baseline: current };
}
