// A real llama-server for the remote-backend tests: built once from the llama.cpp release that
// node-llama-cpp binds (scripts/llama-tools.mjs, cached in bench/.cache), run on 127.0.0.1 on a
// free port, its stdout and stderr kept: the tests read the server's own account of a request.
import { spawn, type ChildProcess } from 'node:child_process';
import * as net from 'node:net';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { REPO_ROOT } from './models';

interface LlamaTools {
  builtTools(variant: 'server'): Promise<{ server: string } | undefined>;
  missingBuildTools(): string[];
  ensureLlamaTools(options: { variant: 'server'; log?: (line: string) => void }): Promise<{ server: string; buildSeconds: number; builtAt: string }>;
}

/** The llama-server binary, or why it cannot be built here (no cmake, no compiler). */
export async function llamaServerBinary(log: (line: string) => void): Promise<{ binary: string } | { skip: string }> {
  const tools = (await import(pathToFileURL(path.join(REPO_ROOT, 'scripts', 'llama-tools.mjs')).href)) as LlamaTools;
  const cached = await tools.builtTools('server');
  if (cached) return { binary: cached.server };
  const missing = tools.missingBuildTools();
  if (missing.length > 0) return { skip: `llama-server cannot be built here: ${missing.join(', ')} missing` };
  const built = await tools.ensureLlamaTools({ variant: 'server', log });
  return { binary: built.server };
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export class LlamaServer {
  private child: ChildProcess | undefined;
  /** Everything the server printed since it was (re)started. */
  log = '';

  constructor(
    private readonly binary: string,
    private readonly model: string,
    readonly port: number,
    private readonly extraArgs: readonly string[] = [],
  ) {}

  get baseUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Starts the server and resolves once /health answers 200 (the model is loaded). */
  async start(): Promise<void> {
    this.log = '';
    // One thread and one slot: the machine has 2 cores and another process may be testing.
    const args = ['-m', this.model, '--jinja', '--host', '127.0.0.1', '--port', String(this.port), '-t', '1', '-tb', '1', '-c', '2048', '-np', '1', '--no-warmup', '-v', ...this.extraArgs];
    const child = spawn(this.binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout.on('data', (d: Buffer) => (this.log += d.toString()));
    child.stderr.on('data', (d: Buffer) => (this.log += d.toString()));
    const exited = new Promise<never>((_, reject) => child.once('exit', (code, signal) => reject(new Error(`llama-server exited (${code ?? signal}) before it was ready:\n${this.log.slice(-3000)}`))));
    const ready = (async () => {
      for (;;) {
        if (await this.healthy()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    await Promise.race([ready, exited]);
  }

  /** Kills the server without letting it close anything (SIGKILL) and waits for it to be gone. */
  async kill(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGKILL');
    await gone;
  }

  /** Resolves once the log matches `pattern`, or rejects after `ms`. */
  async waitForLog(pattern: RegExp, ms: number): Promise<RegExpMatchArray> {
    const until = Date.now() + ms;
    for (;;) {
      const match = this.log.match(pattern);
      if (match) return match;
      if (Date.now() > until) throw new Error(`llama-server never logged ${pattern}; its log ends:\n${this.log.slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  private healthy(): Promise<boolean> {
    return new Promise((resolve) => {
      const socket = net.connect(this.port, '127.0.0.1');
      socket.setTimeout(1000);
      socket.once('connect', () => {
        socket.write(`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
      });
      let reply = '';
      socket.on('data', (d) => (reply += d.toString()));
      socket.once('close', () => resolve(/^HTTP\/1\.[01] 200/.test(reply)));
      socket.once('error', () => resolve(false));
      socket.once('timeout', () => socket.destroy());
    });
  }
}
