// Notices that more than one backend sends, worded once.
import type { EngineEvent } from './types';

type Notice = Extract<EngineEvent, { type: 'notice' }>;

/** The model's Harmony output stopped making sense (a header never closed, text cut mid-message). */
export function malformedOutputNotice(detail?: string): Notice {
  return {
    type: 'notice',
    code: 'output-malformed',
    message: {
      en: `The model's output could not be read to the end${detail ? ` (${detail})` : ''}.`,
      ja: `モデルの出力を最後まで読み取れませんでした${detail ? `（${detail}）` : ''}。`,
    },
  };
}
