// A real HTTP server on 127.0.0.1 for downloader tests: serves buffers with Range support and
// injects faults (dropped connections, lying lengths, corrupt bytes, trickle, ignored Range,
// redirect chains, error statuses), counting every byte it sends.
import { createHash } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  /** Send this many body bytes, then destroy the socket. */
  | { readonly kind: 'drop-after'; readonly bytes: number }
  /** Declare Content-Length `extra` bytes longer than sent, then close. */
  | { readonly kind: 'wrong-length'; readonly extra: number }
  /** Flip one byte in the middle of what is sent. */
  | { readonly kind: 'corrupt' }
  /** Send `chunk` bytes every `intervalMs`. */
  | { readonly kind: 'trickle'; readonly chunk: number; readonly intervalMs: number }
  /** Send `bytes`, then go silent (socket open) for `ms`. */
  | { readonly kind: 'stall'; readonly bytes: number; readonly ms: number }
  /** Answer every request with 200 and the whole file. */
  | { readonly kind: 'ignore-range' }
  | { readonly kind: 'status'; readonly status: number };

export interface RequestRecord {
  readonly path: string;
  readonly range: string | undefined;
  readonly status: number;
}

export interface GgufServer {
  readonly origin: string;
  /** `/files/<name>`, or through `hops` redirects first. */
  url(name: string, hops?: number): string;
  /** Faults apply to the next `times` requests for the file (default: every request). */
  setFault(name: string, fault: Fault | undefined, times?: number): void;
  readonly requests: RequestRecord[];
  /** Body bytes written to sockets, for all files. */
  bytesServed(): number;
  resetCounters(): void;
  close(): Promise<void>;
}

export async function startGgufServer(files: Readonly<Record<string, Buffer>>): Promise<GgufServer> {
  const faults = new Map<string, { fault: Fault; remaining: number }>();
  const requests: RequestRecord[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let served = 0;

  const takeFault = (name: string): Fault | undefined => {
    const entry = faults.get(name);
    if (!entry) return undefined;
    entry.remaining--;
    if (entry.remaining <= 0) faults.delete(name);
    return entry.fault;
  };

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const record = (status: number): void => {
      requests.push({ path: url.pathname, range: req.headers.range, status });
    };
    const redirect = /^\/redirect\/(\d+)\/(.+)$/.exec(url.pathname);
    if (redirect) {
      const hops = Number(redirect[1]);
      const location = hops <= 1 ? `/files/${redirect[2]}` : `/redirect/${hops - 1}/${redirect[2]}`;
      record(302);
      res.writeHead(302, { location }).end();
      return;
    }
    const name = /^\/files\/(.+)$/.exec(url.pathname)?.[1];
    const body = name !== undefined ? files[name] : undefined;
    if (name === undefined || body === undefined) {
      record(404);
      res.writeHead(404).end('not found');
      return;
    }
    const fault = takeFault(name);
    if (fault?.kind === 'status') {
      record(fault.status);
      res.writeHead(fault.status).end(`status ${fault.status}`);
      return;
    }
    const etag = `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`;
    const range = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    const ifRange = req.headers['if-range'];
    const honourRange = range !== null && fault?.kind !== 'ignore-range' && (ifRange === undefined || ifRange === etag);
    let start = 0;
    let status = 200;
    const headers: http.OutgoingHttpHeaders = { etag, 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream' };
    if (honourRange) {
      start = Number(range[1]);
      if (start >= body.length) {
        record(416);
        res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        return;
      }
      status = 206;
      headers['content-range'] = `bytes ${start}-${body.length - 1}/${body.length}`;
    }
    let slice = body.subarray(start);
    if (fault?.kind === 'corrupt') {
      slice = Buffer.from(slice);
      slice[slice.length >> 1] ^= 0xff;
    }
    headers['content-length'] = slice.length + (fault?.kind === 'wrong-length' ? fault.extra : 0);
    record(status);
    res.writeHead(status, headers);
    const write = (part: Buffer, then?: () => void): void => {
      served += part.length;
      res.write(part, then);
    };
    // Close the connection mid-response; end() (not destroy()) first flushes what was written, so
    // the client receives exactly the bytes counted as served.
    const cut = (): void => {
      res.socket?.end();
    };
    if (fault?.kind === 'drop-after' || fault?.kind === 'stall') {
      if (fault.kind === 'drop-after') {
        write(slice.subarray(0, fault.bytes), cut);
      } else {
        write(slice.subarray(0, fault.bytes));
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) {
            write(slice.subarray(fault.bytes));
            res.end();
          }
        }, fault.ms);
        timers.add(timer);
      }
      return;
    }
    if (fault?.kind === 'trickle') {
      let position = 0;
      const timer = setInterval(() => {
        if (res.destroyed || position >= slice.length) {
          clearInterval(timer);
          timers.delete(timer);
          if (!res.destroyed) res.end();
          return;
        }
        write(slice.subarray(position, position + fault.chunk));
        position += fault.chunk;
      }, fault.intervalMs);
      timers.add(timer);
      return;
    }
    if (fault?.kind === 'wrong-length') write(slice, cut);
    else {
      write(slice);
      res.end();
    }
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (name, hops = 0) => (hops > 0 ? `${origin}/redirect/${hops}/${name}` : `${origin}/files/${name}`),
    setFault: (name, fault, times = Number.POSITIVE_INFINITY) => {
      if (fault) faults.set(name, { fault, remaining: times });
      else faults.delete(name);
    },
    requests,
    bytesServed: () => served,
    resetCounters: () => {
      served = 0;
      requests.length = 0;
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
