// Git as the commit-message and summary commands read it: the same git binary VS Code's Git
// extension runs, in the repository's root, with options that make the output the same for every
// user's configuration (no colour, no external diff or textconv, standard a/ b/ prefixes).
import { execFile } from 'node:child_process';

/** Output beyond this is refused rather than read into memory (a diff this large is not described in one message). */
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;
/** Untracked files read into an "all changes" diff: more is almost always a missing .gitignore entry. */
export const MAX_UNTRACKED_FILES = 200;

const DIFF_OPTIONS = ['--no-color', '--no-ext-diff', '--no-textconv', '--submodule=short', '-M', '--src-prefix=a/', '--dst-prefix=b/'];
/** Stable quoting of unusual paths (splitDiff decodes it), whatever core.quotePath says. */
const CONFIG = ['-c', 'core.quotePath=true', '-c', 'diff.noprefix=false', '-c', 'diff.mnemonicPrefix=false', '-c', 'color.ui=false'];

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed (${exitCode ?? 'killed'}): ${stderr.trim().split('\n')[0] ?? ''}`);
  }
}

export class Git {
  constructor(
    private readonly gitPath: string,
    readonly root: string,
  ) {}

  /** Runs git; exit codes in `ok` (besides 0) count as success. Its stdin is `input` (empty by default). */
  run(args: readonly string[], options: { readonly ok?: readonly number[]; readonly signal?: AbortSignal; readonly input?: string } = {}): Promise<string> {
    return new Promise((resolve, reject) => {
      const child = execFile(
        this.gitPath,
        [...CONFIG, ...args],
        {
          cwd: this.root,
          maxBuffer: MAX_OUTPUT_BYTES,
          encoding: 'utf8',
          windowsHide: true,
          // Reading must never take the index lock VS Code's Git extension needs at the same time.
          env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
          ...(options.signal ? { signal: options.signal } : {}),
        },
        (error, stdout, stderr) => {
          if (options.signal?.aborted) return reject(new GitError(args, null, 'cancelled'));
          const code = error ? (typeof error.code === 'number' ? error.code : null) : 0;
          if (code !== null && (code === 0 || options.ok?.includes(code))) resolve(stdout);
          else reject(new GitError(args, code, stderr || (error?.message ?? '')));
        },
      );
      // git may exit before reading its stdin (most commands never do): that is no error.
      child.stdin?.on('error', () => undefined);
      child.stdin?.end(options.input ?? '');
    });
  }

  async hasHead(): Promise<boolean> {
    try {
      await this.run(['rev-parse', '--verify', '--quiet', 'HEAD']);
      return true;
    } catch {
      return false;
    }
  }

  stagedDiff(signal?: AbortSignal): Promise<string> {
    return this.run(['diff', '--cached', ...DIFF_OPTIONS], { signal });
  }

  /** Tracked files' changes, staged or not, against HEAD (against nothing before the first commit). */
  async trackedDiff(signal?: AbortSignal): Promise<string> {
    const base = (await this.hasHead()) ? 'HEAD' : await this.emptyTree(signal);
    return this.run(['diff', base, ...DIFF_OPTIONS], { signal });
  }

  /** The empty tree's id (it differs between SHA-1 and SHA-256 repositories). */
  async emptyTree(signal?: AbortSignal): Promise<string> {
    return (await this.run(['hash-object', '-t', 'tree', '--stdin'], { signal, input: '' })).trim();
  }

  /** Untracked files that .gitignore does not exclude. */
  async untrackedFiles(signal?: AbortSignal): Promise<string[]> {
    const output = await this.run(['ls-files', '--others', '--exclude-standard', '-z'], { signal });
    return output.split('\0').filter((p) => p !== '');
  }

  /** An untracked file as a diff that adds it. */
  untrackedDiff(path: string, signal?: AbortSignal): Promise<string> {
    // --no-index exits 1 when the files differ, which they always do here.
    return this.run(['diff', '--no-index', ...DIFF_OPTIONS, '--', '/dev/null', path], { ok: [1], signal });
  }

  /** The last `count` subjects, optionally by one author (an e-mail address); [] before the first commit. */
  async subjects(count: number, author?: string): Promise<string[]> {
    if (!(await this.hasHead())) return [];
    const output = await this.run(['log', `-n${count}`, '--no-merges', '--format=%s', ...(author ? [`--author=<${author}>`] : []), 'HEAD']);
    return output.split('\n').filter((s) => s.trim() !== '');
  }

  async userEmail(): Promise<string | undefined> {
    try {
      return (await this.run(['config', 'user.email'])).trim() || undefined;
    } catch {
      return undefined;
    }
  }

  /** `git log` of `revisions` in `format`. */
  log(format: string, revisions: readonly string[], signal?: AbortSignal): Promise<string> {
    return this.run(['log', `--format=${format}`, ...revisions, '--'], { signal });
  }

  /** The patch of one commit (against its first parent; a root commit against nothing). */
  commitPatch(hash: string, signal?: AbortSignal): Promise<string> {
    return this.run(['show', '--format=', '--first-parent', ...DIFF_OPTIONS, hash, '--'], { signal });
  }

  /** The combined patch from `from` to `to` (what a range changed as a whole). */
  rangePatch(from: string, to: string, signal?: AbortSignal): Promise<string> {
    return this.run(['diff', ...DIFF_OPTIONS, from, to, '--'], { signal });
  }

  /** Whether `revision` names a commit. */
  async resolves(revision: string): Promise<string | undefined> {
    try {
      return (await this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`])).trim() || undefined;
    } catch {
      return undefined;
    }
  }
}
