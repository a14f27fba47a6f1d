// Makes a conversation fit the context window: the oldest turns go first, then the largest
// attached context is shortened; the latest question itself is never cut.
import type { ChatMessage } from '../harmony/types';
import type { AttachedContext } from './types';

export interface FitOutcome {
  readonly messages: readonly ChatMessage[];
  readonly context: readonly AttachedContext[];
  /** How many earlier messages were left out. */
  readonly droppedMessages: number;
  /** Labels of attached contexts that were shortened or removed. */
  readonly shortenedContext: readonly string[];
}

const SHORTENED_MARK = '\n…';

/**
 * Returns the largest prefix-trimmed conversation for which `fits` holds, or undefined when even
 * the system messages and the last user turn without any attached context do not fit.
 * `fits` is called O(turns + log(context size)) times.
 */
export function fitConversation(
  messages: readonly ChatMessage[],
  context: readonly AttachedContext[],
  fits: (messages: readonly ChatMessage[], context: readonly AttachedContext[]) => boolean,
): FitOutcome | undefined {
  if (fits(messages, context)) return { messages, context, droppedMessages: 0, shortenedContext: [] };

  const pinned = messages.filter((m) => m.role === 'system' || m.role === 'developer');
  const turns = messages.filter((m) => m.role !== 'system' && m.role !== 'developer');
  const lastUser = turns.map((m) => m.role).lastIndexOf('user');
  const keepFrom = lastUser < 0 ? turns.length - 1 : lastUser;

  // Drop whole turns from the front: a turn starts at a user message, so tool calls and their
  // results never lose their partner.
  for (let start = 1; start <= keepFrom; start++) {
    if (turns[start].role !== 'user') continue;
    const candidate = [...pinned, ...turns.slice(start)];
    if (fits(candidate, context)) {
      return { messages: candidate, context, droppedMessages: start, shortenedContext: [] };
    }
  }

  const kept = [...pinned, ...turns.slice(Math.max(0, keepFrom))];
  const droppedMessages = messages.length - kept.length;
  const shortened: string[] = [];
  let current = [...context];
  // Shorten the largest attachment until it fits or is gone, then the next largest.
  while (current.length > 0) {
    const largest = current.reduce((best, item, index) => (item.text.length > current[best].text.length ? index : best), 0);
    const item = current[largest];
    if (!shortened.includes(item.label)) shortened.push(item.label);
    const withLength = (length: number): AttachedContext[] =>
      current.map((c, i) => (i === largest ? { label: c.label, text: c.text.slice(0, length) + SHORTENED_MARK } : c));
    // Binary search for the longest prefix of this attachment that fits.
    let low = 0;
    let high = item.text.length - 1;
    let best = -1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      if (fits(kept, withLength(middle))) {
        best = middle;
        low = middle + 1;
      } else {
        high = middle - 1;
      }
    }
    if (best > 0) {
      return { messages: kept, context: withLength(best), droppedMessages, shortenedContext: shortened };
    }
    current = current.filter((_, i) => i !== largest);
    if (fits(kept, current)) return { messages: kept, context: current, droppedMessages, shortenedContext: shortened };
  }
  return undefined;
}

/** The fence that safely wraps `text` in markdown: longer than any backtick run inside it. */
export function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/** The last user message with the attached context appended, as the model reads it. */
export function attachContext(messages: readonly ChatMessage[], context: readonly AttachedContext[]): ChatMessage[] {
  const result = [...messages];
  if (context.length === 0) return result;
  const index = result.map((m) => m.role).lastIndexOf('user');
  if (index < 0) return result;
  const blocks = context.map((c) => {
    const fence = fenceFor(c.text);
    return `${c.label}\n${fence}\n${c.text}\n${fence}`;
  });
  const message = result[index];
  result[index] = { ...message, content: [message.content ?? '', ...blocks].filter((s) => s !== '').join('\n\n') };
  return result;
}
