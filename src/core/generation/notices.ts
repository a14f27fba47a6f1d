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

/** A conversation cut to fit the context: how many old messages went, which attachments were shortened. */
export function contextTrimmedNotice(contextSize: number, droppedMessages: number, shortened: readonly string[]): Notice {
  const labels = shortened.join(', ');
  return {
    type: 'notice',
    code: 'context-trimmed',
    message: {
      en: `The conversation was too long for the model's ${contextSize}-token context:` +
        (droppedMessages > 0 ? ` the ${droppedMessages} oldest messages were left out.` : '') +
        (labels ? ` Shortened: ${labels}.` : ''),
      ja: `会話がモデルのコンテキスト長（${contextSize} トークン）を超えたため、` +
        (droppedMessages > 0 ? `古いメッセージ ${droppedMessages} 件を省きました。` : '') +
        (labels ? `短縮した内容: ${labels}。` : ''),
    },
  };
}
