// The commit message in what a model answered. Reasoning from the analysis channel never gets
// here (the engine separates it), but models still wrap answers: a <think> block, a preamble
// ("Here is the commit message:", "以下はコミットメッセージです。"), a code fence, quotes,
// commentary after the fence. None of it may reach the commit box (continue #4165, PR #5828).
//
// The streaming view is the same reading of an unfinished answer, made so that the text shown
// only grows: a first line that could still turn into a preamble, a fence or a think tag is held
// back until its line ends, and so is a last line that could become a closing fence.

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';

/** Complete lines that only introduce the message. Tested after markdown emphasis is removed. */
const PREAMBLES: readonly RegExp[] = [
  /^(?:sure|certainly|okay|ok|of course|alright|absolutely)[,.!！、。][^\n]*$/i,
  /^here(?:'s| is| are)\b[^\n]*(?:commit|message|[:：])[^\n]*$/i,
  /^(?:based on|looking at|after reviewing)\b[^\n]*[:：]$/i,
  /^(?:以下|下記|こちら|次)(?:は|が|の|に)[^\n]*(?:コミット|メッセージ|[:：]|です。?|ます。?)$/,
  /^(?:以下|下記|こちら|次)(?:は|が|の|に)[^\n]*(?:コミット|メッセージ)[^\n]*$/,
  /^(?:はい|了解しました|承知しました|わかりました|かしこまりました)(?:[、。!！,][^\n]*)?$/,
  /^(?:the |a )?(?:suggested |proposed |generated )?commit message(?: is)?\s*[:：]?$/i,
  /^(?:提案する|生成した)?コミットメッセージ(?:案|の案)?(?:です|は次のとおりです)?\s*[:：。]?$/,
];

/** A label in front of the message on the same line: "Commit message: feat: …". */
const LABELS: readonly RegExp[] = [
  /^(?:the |a )?(?:suggested |proposed |generated )?commit message\s*[:：]\s*(?=\S)/i,
  /^(?:提案する|生成した)?コミットメッセージ(?:案|の案)?\s*[:：]\s*(?=\S)/,
];

/** How a first line that is not finished yet may begin if it is to become a preamble or label. */
const STARTERS: readonly string[] = [
  'sure', 'certainly', 'okay', 'ok', 'of course', 'alright', 'absolutely', 'here', 'based on', 'looking at', 'after reviewing',
  'the commit', 'a commit', 'commit message', 'the suggested', 'the proposed', 'the generated', 'suggested', 'proposed', 'generated',
  '以下', '下記', 'こちら', '次', 'はい', '了解', '承知', 'わかり', 'かしこまり', '提案', '生成した', 'コミットメッセージ', '*', '_', '#',
];

const QUOTES: Record<string, string> = { '"': '"', "'": "'", '“': '”', '「': '」', '『': '』', '`': '`' };

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Markdown emphasis or a heading mark around a line: "**Commit message:**", "### 以下は…". */
function plain(line: string): string {
  return line.trim().replace(/^#{1,6}\s+/, '').replace(/^(\*\*|__|\*|_)(.*)\1$/, '$2').replace(/^(\*\*|__)(.*?)\1\s*/, '$2 ').trim();
}

function isPreamble(line: string): boolean {
  const text = plain(line);
  return text !== '' && PREAMBLES.some((p) => p.test(text));
}

/** The line without a label in front ("Commit message: fix x" → "fix x"), or undefined. */
function withoutLabel(line: string): string | undefined {
  const text = plain(line);
  for (const label of LABELS) {
    const match = label.exec(text);
    if (match) return text.slice(match[0].length);
  }
  return undefined;
}

function couldBecomeSpecial(line: string): boolean {
  const text = line.trimStart().toLowerCase();
  if (text === '' || FENCE.test(text) || /^ {0,3}(`{1,2}|~{1,2})$/.test(text)) return true;
  if (THINK_OPEN.startsWith(text) || text.startsWith(THINK_OPEN)) return true;
  return STARTERS.some((s) => s.startsWith(text) || text.startsWith(s));
}

/** The text after <think>…</think> blocks; undefined while a think block is still open or may be opening. */
function withoutThinking(text: string, final: boolean): string | undefined {
  let rest = text;
  for (;;) {
    const start = rest.trimStart();
    if (start.startsWith(THINK_OPEN)) {
      const close = start.indexOf(THINK_CLOSE);
      if (close < 0) return final ? '' : undefined;
      rest = start.slice(close + THINK_CLOSE.length);
      continue;
    }
    if (!final && start.length > 0 && THINK_OPEN.startsWith(start)) return undefined;
    break;
  }
  if (final) {
    // A closing tag without its opening one (the template opened it): the thinking is before it.
    const close = rest.lastIndexOf(THINK_CLOSE);
    if (close >= 0) rest = rest.slice(close + THINK_CLOSE.length);
    rest = rest.replace(/<think>[\s\S]*?<\/think>/g, '');
  }
  return rest;
}

/**
 * The message lines in `text`: after thinking, preambles and an opening fence, up to a closing
 * fence. Unless `final`, the last line is unfinished and held back where it could still change
 * what comes before (a fence closing, a first line becoming a preamble).
 */
function messageLines(text: string, final: boolean): string[] {
  const normalized = (final ? text : text.replace(/\r$/, '')).replace(/\r\n?/g, '\n');
  const rest = withoutThinking(normalized, final);
  if (rest === undefined) return [];
  const lines = rest.split('\n');
  const complete = final ? lines.length : lines.length - 1;
  let i = 0;
  let fence: string | undefined;
  for (let preambles = 0; ; ) {
    while (i < complete && lines[i].trim() === '') i++;
    if (i >= lines.length) return [];
    const line = lines[i];
    if (i >= complete) {
      // A label already written stays one whatever follows; anything else that may become a
      // preamble or a fence waits for its line to end.
      const labelled = withoutLabel(line);
      if (labelled !== undefined) lines[i] = labelled;
      else if (couldBecomeSpecial(line)) return [];
      break;
    }
    const open = FENCE.exec(line);
    if (open) {
      fence = open[1];
      i++;
      break;
    }
    const labelled = withoutLabel(line);
    if (labelled !== undefined) {
      lines[i] = labelled;
      break;
    }
    // At the end, a lone line ending in a colon just before a fence introduces it.
    const next = lines.slice(i + 1).find((l) => l.trim() !== '');
    const introducesFence = final && /[:：]\s*$/.test(line) && next !== undefined && FENCE.test(next);
    if (preambles < 3 && (isPreamble(line) || introducesFence)) {
      i++;
      preambles++;
      continue;
    }
    break;
  }
  const body: string[] = [];
  for (let j = i; j < lines.length; j++) {
    const line = lines[j];
    if (fence !== undefined) {
      const close = FENCE.exec(line);
      const closes = close !== null && close[1][0] === fence[0] && close[1].length >= fence.length && line.trim() === close[1];
      if (closes && (j < complete || final)) break;
      // An unfinished line that may yet become the closing fence.
      if (j >= complete && /^ {0,3}(`+|~+)$/.test(line)) break;
    }
    body.push(line);
  }
  return body;
}

/** Trailing spaces trimmed, at most one blank line in a row, none at either end. */
function tidy(lines: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of lines) {
    const line = raw.trimEnd();
    if (line === '' && (out.length === 0 || out[out.length - 1] === '')) continue;
    out.push(line);
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  // A blank line between the subject and the body, as git expects.
  if (out.length > 1 && out[1] !== '') out.splice(1, 0, '');
  return out;
}

/** The commit message in a finished answer. */
export function cleanCommitMessage(answer: string): string {
  let text = tidy(messageLines(answer, true)).join('\n');
  const close = QUOTES[text[0]];
  if (close !== undefined && text.length > 1 && text.endsWith(close)) text = tidy(text.slice(1, -1).split('\n')).join('\n');
  return text;
}

/** The commit message in an answer still streaming: only ever grows, except for the held-back part. */
export function streamingCommitMessage(partial: string): string {
  const lines = messageLines(partial, false);
  let text = tidy(lines).join('\n');
  const close = QUOTES[text[0]];
  if (close !== undefined) {
    // An opening quote is dropped; a quote at the very end may be the closing one, so it waits.
    text = text.slice(1);
    if (text.endsWith(close)) text = text.slice(0, -1);
    text = text.trimStart();
  }
  return text;
}
