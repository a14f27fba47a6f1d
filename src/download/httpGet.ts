// One GET with redirects followed by hand, so the Range header and the redirect limit apply to
// every hop (Hugging Face's resolve URLs redirect to a CDN).
import * as http from 'node:http';
import * as https from 'node:https';
import { DownloadError, downloadErrors } from './errors';

export interface GetOptions {
  readonly headers: Readonly<Record<string, string>>;
  readonly maxRedirects: number;
  /** Idle socket time (connecting or between body chunks) after which the request fails. */
  readonly stallTimeoutMs: number;
  readonly signal?: AbortSignal;
}

export interface OpenResponse {
  readonly response: http.IncomingMessage;
  readonly request: http.ClientRequest;
  readonly finalUrl: URL;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

export async function openResponse(url: URL, options: GetOptions): Promise<OpenResponse> {
  let current = url;
  let headers = { ...options.headers };
  for (let hop = 0; hop <= options.maxRedirects; hop++) {
    const { request, response } = await getOnce(current, headers, options);
    const location = response.headers.location;
    if (!REDIRECTS.has(response.statusCode ?? 0) || location === undefined) return { request, response, finalUrl: current };
    response.resume();
    const next = new URL(location, current);
    assertAllowedUrl(next);
    // Credentials go to the host they were meant for, not to a CDN it redirects to.
    if (next.host !== current.host) headers = withoutAuthorization(headers);
    current = next;
  }
  throw downloadErrors.tooManyRedirects(options.maxRedirects);
}

/** https anywhere; plain http only to this machine (tests, a local mirror). */
export function assertAllowedUrl(url: URL): void {
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return;
  throw new DownloadError('network', {
    en: `Refusing to download from ${url.protocol}//${url.host}: only https is allowed.`,
    ja: `${url.protocol}//${url.host} からはダウンロードしません（https のみ許可）。`,
  }, url.href);
}

function getOnce(url: URL, headers: Record<string, string>, options: GetOptions): Promise<{ request: http.ClientRequest; response: http.IncomingMessage }> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === 'https:' ? https : http;
    const request = client.request(url, { method: 'GET', headers, signal: options.signal });
    request.setTimeout(options.stallTimeoutMs, () => request.destroy(downloadErrors.stalled(Math.round(options.stallTimeoutMs / 1000))));
    request.once('response', (response) => resolve({ request, response }));
    request.once('error', (error) => reject(asDownloadError(error, options.signal)));
    request.end();
  });
}

export function asDownloadError(error: unknown, signal?: AbortSignal): DownloadError {
  if (error instanceof DownloadError) return error;
  if (signal?.aborted) return downloadErrors.cancelled();
  return downloadErrors.network(error instanceof Error ? error.message : String(error));
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization'));
}
