// Reads a Harmony message header: the text between <|start|> (or the `<|start|>assistant` that
// ends the prompt) and <|message|>, which the special tokens cut into up to three runs.

/** The header text of one message, one string per run (undefined: that token did not occur). */
export interface HeaderRuns {
  /** After <|start|>: `assistant`, `assistant to=functions.NAME`; only ` to=…` for the first message. */
  readonly role: string;
  /** After <|channel|>: `final`, `commentary json`, `commentary to=functions.NAME`, … */
  readonly channel?: string;
  /** After <|constrain|>: `json`. */
  readonly constrain?: string;
  /** True when the role was given by the prompt (`<|start|>assistant`), not generated. */
  readonly implicitRole: boolean;
}

/** What the body after <|message|> is. */
export type HeaderVerdict =
  | { readonly kind: 'reasoning' }
  | { readonly kind: 'answer'; readonly channel: 'final' | 'commentary' | undefined }
  | { readonly kind: 'tool'; readonly name: string }
  | { readonly kind: 'malformed'; readonly detail: string };

const RECIPIENT_PREFIX = 'to=';
const FUNCTIONS_NAMESPACE = 'functions.';

function words(run: string | undefined): string[] {
  return run === undefined ? [] : run.split(/\s+/).filter((w) => w !== '');
}

export function interpretHeader(runs: HeaderRuns): HeaderVerdict {
  const recipients: string[] = [];
  const take = (ws: string[]): string[] => {
    const rest: string[] = [];
    for (const w of ws) {
      if (w.startsWith(RECIPIENT_PREFIX)) recipients.push(w.slice(RECIPIENT_PREFIX.length));
      else rest.push(w);
    }
    return rest;
  };

  const roleWords = take(words(runs.role));
  // The generation prompt already said `assistant`; text that repeats it is tolerated.
  const role = runs.implicitRole && roleWords.length === 0 ? 'assistant' : roleWords[0];
  if (roleWords.length > 1 || (runs.implicitRole && role !== 'assistant')) {
    return { kind: 'malformed', detail: `unexpected text in the role part of a header: '${runs.role.trim()}'` };
  }
  if (role === undefined) return { kind: 'malformed', detail: 'no role after <|start|>' };
  if (role !== 'assistant') {
    return { kind: 'malformed', detail: `the model wrote a message as '${role}', not as the assistant` };
  }

  // Words after the channel name (`json` in `commentary json`) and in the constrain run name the
  // content type; the body is read as JSON whenever there is a recipient, so they are not checked.
  const channelWords = take(words(runs.channel));
  take(words(runs.constrain));
  const channel = channelWords[0];
  if (runs.channel !== undefined && channel === undefined) {
    return { kind: 'malformed', detail: 'empty channel name after <|channel|>' };
  }
  if (channel !== undefined && channel !== 'analysis' && channel !== 'commentary' && channel !== 'final') {
    return { kind: 'malformed', detail: `unknown channel '${channel}'` };
  }

  if (recipients.length > 0) {
    const recipient = recipients[0];
    if (recipients.some((r) => r !== recipient)) {
      return { kind: 'malformed', detail: `a header names two recipients: ${recipients.join(', ')}` };
    }
    if (!recipient.startsWith(FUNCTIONS_NAMESPACE) || recipient.length === FUNCTIONS_NAMESPACE.length) {
      return { kind: 'malformed', detail: `recipient '${recipient}' is not a function (functions.NAME)` };
    }
    return { kind: 'tool', name: recipient.slice(FUNCTIONS_NAMESPACE.length) };
  }
  if (channel === 'analysis') return { kind: 'reasoning' };
  // A commentary message without a recipient is a preamble the model means the user to read
  // before its tool calls; a message without a channel breaks the template's rule, but its body
  // is still the model talking to the user, so both are shown as answer text.
  return { kind: 'answer', channel };
}
