// What a failed request to an OpenAI-compatible server means to the user: HTTP statuses, network
// errors and the error bodies that vLLM, llama-server and OpenAI-style proxies send.
import { engineError } from '../generation/errors';
import type { EngineError } from '../generation/types';

/** The longest server message quoted to the user; the log gets the whole body. */
const MAX_QUOTED_CHARS = 300;

/**
 * The message in an error body: OpenAI's and llama-server's `{"error": {"message"}}`, a plain
 * `{"error": "…"}`, FastAPI's `{"detail": …}` (vLLM's own errors) or `{"message"}`. Not JSON: undefined,
 * since an HTML error page from a proxy would only clutter the message.
 */
export function serverErrorMessage(body: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const record = parsed as Record<string, unknown>;
  const error = record.error;
  const candidates = [
    typeof error === 'object' && error !== null ? (error as Record<string, unknown>).message : error,
    record.detail,
    record.message,
  ];
  for (const candidate of candidates) {
    if (typeof candidate === 'string' && candidate.trim() !== '') return quote(candidate);
    if (Array.isArray(candidate) || (typeof candidate === 'object' && candidate !== null)) return quote(JSON.stringify(candidate));
  }
  return undefined;
}

function quote(message: string): string {
  const oneLine = message.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_QUOTED_CHARS ? `${oneLine.slice(0, MAX_QUOTED_CHARS)}…` : oneLine;
}

export interface HttpFailure {
  readonly status: number;
  readonly body: string;
  /** The server's base URL as shown to the user. */
  readonly server: string;
  readonly model: string;
}

/** Statuses worth retrying after a pause: too many requests, and a server still loading its model. */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status === 503;
}

/** llama-server's words when its chat parser cannot read the model's output. */
const PARSER_FAILURE = /does not match the expected [\w-]+ format|failed to parse input/i;

/** An error the server reported for a request already under way, or in a 500 body. */
export function serverFailure(status: number, message: string, detail: string): EngineError {
  if (PARSER_FAILURE.test(message)) return engineError('server-cannot-parse', message, detail);
  return engineError('server-error', [String(status), message], detail);
}

export function httpError(failure: HttpFailure): EngineError {
  const { status, body, server, model } = failure;
  const message = serverErrorMessage(body) ?? '';
  const detail = `HTTP ${status}: ${body.slice(0, 2000)}`;
  if (status === 401) return engineError('server-unauthorized', server, detail);
  if (status === 403) return engineError('server-forbidden', [server, message], detail);
  if (status === 404) return engineError('server-model-not-found', [model, server, message], detail);
  if (status === 429) return engineError('server-rate-limited', [server, '1'], detail);
  if (status >= 500) return serverFailure(status, message, detail);
  return engineError('server-rejected', [String(status), message], detail);
}

/** Node's TLS verification failures (the CA file is the fix for most of them). */
function isTlsCode(code: string): boolean {
  return /^(CERT_|ERR_TLS_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_SSL_)/.test(code) || code.startsWith('ERR_OSSL');
}

const READABLE_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
};

/** A request that failed before any HTTP status arrived (`code` is Node's error code): TLS, or unreachable. */
export function networkError(code: string | undefined, message: string, server: string): EngineError {
  const detail = `${code ?? 'error'}: ${message}`;
  if (code !== undefined && isTlsCode(code)) return engineError('server-tls', [server, code], detail);
  const reason = (code !== undefined && READABLE_REASONS[code]) || (code ?? message);
  return engineError('server-unreachable', [server, reason], detail);
}

/**
 * How long to wait before retry `attempt` (1, 2, …): the server's Retry-After (seconds or an
 * HTTP date) when it gives one, else an exponential backoff; at most `maxMs`.
 */
export function retryDelayMs(retryAfter: string | undefined, attempt: number, options: { baseMs: number; maxMs: number; now?: number }): number {
  const backoff = options.baseMs * 2 ** (attempt - 1);
  let wanted = backoff;
  if (retryAfter !== undefined && retryAfter.trim() !== '') {
    const value = retryAfter.trim();
    if (/^\d+(\.\d+)?$/.test(value)) wanted = Number(value) * 1000;
    else {
      const at = Date.parse(value);
      if (!Number.isNaN(at)) wanted = Math.max(0, at - (options.now ?? Date.now()));
    }
  }
  return Math.min(Math.max(0, Math.round(wanted)), options.maxMs);
}
