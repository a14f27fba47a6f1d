// Commits as `git log --format=LOG_FORMAT` prints them. Fields are separated by NUL and records
// start with a record separator (0x1e), characters that never occur in names, dates or, in
// practice, messages, so subjects and bodies with any punctuation or blank lines read back
// exactly.

/** For `git log --format=…` (or `git show -s --format=…`). */
export const LOG_FORMAT = '%x1e%H%x00%h%x00%an%x00%ae%x00%aI%x00%s%x00%b';

export interface CommitInfo {
  readonly hash: string;
  readonly shortHash: string;
  readonly author: string;
  readonly email: string;
  /** ISO 8601 author date. */
  readonly date: string;
  readonly subject: string;
  /** The message after the subject, without trailing blank lines ('' for none). */
  readonly body: string;
}

const RECORD = '\x1e';
const FIELD = '\x00';

export function parseLog(output: string): CommitInfo[] {
  const commits: CommitInfo[] = [];
  for (const record of output.split(RECORD)) {
    const fields = record.split(FIELD);
    if (fields.length < 7) continue;
    const [hash, shortHash, author, email, date, subject] = fields.map((f) => f.trim());
    if (!/^[0-9a-f]{7,64}$/i.test(hash)) continue;
    // A body may itself hold a NUL only if the message did; keep whatever follows.
    const body = fields.slice(6).join(FIELD).replace(/\r\n?/g, '\n').replace(/\s+$/, '');
    commits.push({ hash, shortHash, author, email, date, subject, body });
  }
  return commits;
}

/** A commit as the model reads it: hash, author, date, then the message. */
export function formatCommit(commit: CommitInfo): string {
  const header = `commit ${commit.hash}\nAuthor: ${commit.author} <${commit.email}>\nDate:   ${commit.date}`;
  const body = commit.body !== '' ? `\n\n${commit.body.replace(/^/gm, '    ')}` : '';
  return `${header}\n\n    ${commit.subject}${body}`;
}
