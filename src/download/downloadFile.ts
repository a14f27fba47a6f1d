// A resumable, verified download of one large file: bytes go to `<target>.partial` (with a sidecar
// naming what they belong to), a resume asks for the rest with Range and re-hashes the prefix, and
// only a complete file whose size and SHA-256 check out is renamed to `target`. So a model path
// never holds a partial or corrupt file.
import { createHash, type Hash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import * as path from 'node:path';
import { DownloadError, downloadErrors } from './errors';
import { asDownloadError, assertAllowedUrl, openResponse } from './httpGet';
import {
  fileSize, hashPrefix, partialPath, readSidecar, removePartial, sha256OfFile, sidecarPath, writeSidecar, type PartialIdentity,
} from './partialFile';

export interface DownloadProgress {
  /** Bytes in the partial file, including those from earlier sessions. */
  readonly receivedBytes: number;
  readonly totalBytes: number | undefined;
  /** Average over this session's transfer. */
  readonly bytesPerSecond: number;
  readonly secondsLeft: number | undefined;
}

export interface DownloadOptions {
  readonly url: string;
  readonly target: string;
  /** Exact size when known (catalog); the server's size must agree. */
  readonly expectedSize?: number;
  /** Lower-case hex SHA-256 when known; a mismatch deletes the download. */
  readonly sha256?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: DownloadProgress) => void;
  readonly headers?: Readonly<Record<string, string>>;
  /** Default 5. */
  readonly maxRedirects?: number;
  /** No byte for this long fails the attempt (and a retry resumes). Default 30 s. */
  readonly stallTimeoutMs?: number;
  /** Further attempts after a transient failure (network, stall, 5xx). Default 4. */
  readonly retries?: number;
  /** First retry delay, doubled each time up to maxRetryDelayMs. Default 1 s / 30 s. */
  readonly retryDelayMs?: number;
  readonly maxRetryDelayMs?: number;
  /** Minimum time between progress calls. Default 250 ms. */
  readonly progressIntervalMs?: number;
  /** Free bytes where the file goes; default fs.statfs. */
  readonly freeSpace?: (directory: string) => Promise<number>;
}

export interface DownloadResult {
  readonly path: string;
  readonly sizeBytes: number;
  readonly sha256: string;
  /** Bytes already in the partial file when this call started. */
  readonly resumedFromBytes: number;
  /** HTTP attempts made (0 when the file was already there). */
  readonly attempts: number;
  readonly alreadyPresent: boolean;
}

/** Space kept free beyond the file itself, so finishing a download never fills the disk. */
export const DISK_MARGIN_BYTES = 256 * 1024 * 1024;

export async function downloadFile(options: DownloadOptions): Promise<DownloadResult> {
  const url = new URL(options.url);
  assertAllowedUrl(url);
  throwIfCancelled(options.signal);
  const target = path.resolve(options.target);
  const existing = await presentFile(target, options);
  if (existing) return existing;
  await fs.mkdir(path.dirname(target), { recursive: true });
  const identity = { url: url.href, expectedSize: options.expectedSize ?? null, sha256: options.sha256?.toLowerCase() ?? null };
  await discardForeignPartial(target, identity);
  const resumedFromBytes = (await fileSize(partialPath(target))) ?? 0;
  if (options.expectedSize !== undefined) await checkDiskSpace(target, options.expectedSize - resumedFromBytes, options);

  const retries = options.retries ?? 4;
  for (let attempt = 1; ; attempt++) {
    try {
      const done = await attemptDownload(url, target, identity, options);
      return { ...done, resumedFromBytes, attempts: attempt, alreadyPresent: false };
    } catch (error) {
      const failure = asDownloadError(error, options.signal);
      if (!failure.transient || attempt > retries) throw failure;
      const delay = Math.min((options.retryDelayMs ?? 1000) * 2 ** (attempt - 1), options.maxRetryDelayMs ?? 30_000);
      await sleep(delay, options.signal);
    }
  }
}

async function attemptDownload(
  url: URL,
  target: string,
  identity: Omit<PartialIdentity, 'etag' | 'totalSize'>,
  options: DownloadOptions,
): Promise<{ path: string; sizeBytes: number; sha256: string }> {
  const partial = partialPath(target);
  const sidecar = await readSidecar(target);
  let offset = (await fileSize(partial)) ?? 0;
  if (offset > 0 && sidecar?.totalSize !== null && sidecar?.totalSize !== undefined && offset > sidecar.totalSize) {
    await removePartial(target);
    offset = 0;
  }
  const hash = createHash('sha256');
  await hashPrefix(partial, offset, hash, options.signal);

  const headers: Record<string, string> = { 'user-agent': 'llm-jp-vscode', 'accept-encoding': 'identity', ...options.headers };
  if (offset > 0) {
    headers.range = `bytes=${offset}-`;
    // A changed file answers 200 with all of it instead of 206 with the rest of another file.
    if (sidecar?.etag && !sidecar.etag.startsWith('W/')) headers['if-range'] = sidecar.etag;
  }
  const { response, request } = await openResponse(url, {
    headers, maxRedirects: options.maxRedirects ?? 5, stallTimeoutMs: options.stallTimeoutMs ?? 30_000, signal: options.signal,
  });
  try {
    const status = response.statusCode ?? 0;
    const etag = typeof response.headers.etag === 'string' ? response.headers.etag : null;
    let total: number | undefined;
    if (status === 416) {
      const complete = contentRangeTotal(response.headers['content-range']);
      response.resume();
      if (offset > 0 && complete === offset) return await finish(target, offset, hash, options);
      await removePartial(target);
      throw downloadErrors.network(`range ${offset}- not satisfiable (size ${complete ?? 'unknown'}); restarting`);
    } else if (status === 206) {
      const range = parseContentRange(response.headers['content-range']);
      if (!range || range.start !== offset || (sidecar?.etag && etag && sidecar.etag !== etag)) {
        response.resume();
        await removePartial(target);
        throw downloadErrors.network('the server resumed at another position or from a changed file; restarting');
      }
      total = range.total;
    } else if (status === 200) {
      if (offset > 0) {
        // The server ignored Range (or If-Range saw a changed file): start over.
        offset = 0;
        hash.destroy();
        return await writeBody(response, target, 0, createHash('sha256'), declaredLength(response), identity, etag, options, request);
      }
      total = declaredLength(response);
    } else {
      response.resume();
      throw downloadErrors.httpStatus(status, url.href);
    }
    return await writeBody(response, target, offset, hash, total, identity, etag, options, request);
  } finally {
    if (!response.complete) request.destroy();
  }
}

async function writeBody(
  response: IncomingMessage,
  target: string,
  offset: number,
  hash: Hash,
  total: number | undefined,
  identity: Omit<PartialIdentity, 'etag' | 'totalSize'>,
  etag: string | null,
  options: DownloadOptions,
  request: { destroy(error?: Error): void },
): Promise<{ path: string; sizeBytes: number; sha256: string }> {
  if (options.expectedSize !== undefined && total !== undefined && total !== options.expectedSize) {
    await removePartial(target);
    throw downloadErrors.size(options.expectedSize, total);
  }
  if (options.expectedSize === undefined && total !== undefined) await checkDiskSpace(target, total - offset, options);
  await writeSidecar(target, { ...identity, etag, totalSize: total ?? null });

  const handle = await fs.open(partialPath(target), offset > 0 ? 'a' : 'w');
  const started = Date.now();
  let received = 0;
  let lastReport = 0;
  const report = (force: boolean): void => {
    const now = Date.now();
    if (!options.onProgress || (!force && now - lastReport < (options.progressIntervalMs ?? 250))) return;
    lastReport = now;
    const bytesPerSecond = received / Math.max(0.001, (now - started) / 1000);
    const done = offset + received;
    options.onProgress({
      receivedBytes: done,
      totalBytes: total,
      bytesPerSecond,
      secondsLeft: total !== undefined && bytesPerSecond > 0 ? (total - done) / bytesPerSecond : undefined,
    });
  };
  const onAbort = (): void => request.destroy(downloadErrors.cancelled());
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      if (total !== undefined && offset + received + chunk.length > total) {
        throw downloadErrors.size(total, offset + received + chunk.length);
      }
      await handle.write(chunk);
      hash.update(chunk);
      received += chunk.length;
      report(false);
    }
    if (!response.complete) throw downloadErrors.network('the connection closed before the end of the file');
  } catch (error) {
    throw asDownloadError(error, options.signal);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
    await handle.sync().catch(() => undefined);
    await handle.close();
    report(true);
  }
  if (total !== undefined && offset + received < total) {
    throw downloadErrors.network(`received ${offset + received} of ${total} bytes`);
  }
  return finish(target, offset + received, hash, options);
}

/** The size and checksum gate between `.partial` and the model path. */
async function finish(target: string, size: number, hash: Hash, options: DownloadOptions): Promise<{ path: string; sizeBytes: number; sha256: string }> {
  const digest = hash.digest('hex');
  if (options.expectedSize !== undefined && size !== options.expectedSize) {
    await removePartial(target);
    throw downloadErrors.size(options.expectedSize, size);
  }
  if (options.sha256 !== undefined && digest !== options.sha256.toLowerCase()) {
    await removePartial(target);
    throw downloadErrors.checksum(options.sha256.toLowerCase(), digest);
  }
  await fs.rename(partialPath(target), target);
  await fs.rm(sidecarPath(target), { force: true });
  return { path: target, sizeBytes: size, sha256: digest };
}

/** A file already at the target counts as done only if it passes the same checks. */
async function presentFile(target: string, options: DownloadOptions): Promise<DownloadResult | undefined> {
  const size = await fileSize(target);
  if (size === undefined) return undefined;
  if (options.expectedSize !== undefined && size !== options.expectedSize) {
    throw downloadErrors.targetInvalid(`${target}: ${size} bytes, expected ${options.expectedSize}`);
  }
  const digest = await sha256OfFile(target);
  if (options.sha256 !== undefined && digest !== options.sha256.toLowerCase()) {
    throw downloadErrors.targetInvalid(`${target}: sha256 ${digest}, expected ${options.sha256}`);
  }
  return { path: target, sizeBytes: size, sha256: digest, resumedFromBytes: size, attempts: 0, alreadyPresent: true };
}

async function discardForeignPartial(target: string, identity: Omit<PartialIdentity, 'etag' | 'totalSize'>): Promise<void> {
  const size = await fileSize(partialPath(target));
  if (size === undefined) {
    await fs.rm(sidecarPath(target), { force: true });
    return;
  }
  const sidecar = await readSidecar(target);
  if (!sidecar || sidecar.url !== identity.url || sidecar.expectedSize !== identity.expectedSize || sidecar.sha256 !== identity.sha256) {
    await removePartial(target);
  }
}

async function checkDiskSpace(target: string, needed: number, options: DownloadOptions): Promise<void> {
  if (needed <= 0) return;
  const directory = path.dirname(target);
  const free = await (options.freeSpace ?? statfsFree)(directory);
  if (free < needed + DISK_MARGIN_BYTES) throw downloadErrors.diskFull(needed + DISK_MARGIN_BYTES, free, directory);
}

async function statfsFree(directory: string): Promise<number> {
  const stats = await fs.statfs(directory);
  return stats.bavail * stats.bsize;
}

function declaredLength(response: IncomingMessage): number | undefined {
  const value = Number(response.headers['content-length']);
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function parseContentRange(value: string | undefined): { start: number; end: number; total: number | undefined } | undefined {
  const match = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(value ?? '');
  if (!match) return undefined;
  return { start: Number(match[1]), end: Number(match[2]), total: match[3] === '*' ? undefined : Number(match[3]) };
}

function contentRangeTotal(value: string | undefined): number | undefined {
  const match = /^bytes \*\/(\d+)$/.exec(value ?? '');
  return match ? Number(match[1]) : undefined;
}

function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw downloadErrors.cancelled();
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(downloadErrors.cancelled());
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(downloadErrors.cancelled());
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export { DownloadError };
