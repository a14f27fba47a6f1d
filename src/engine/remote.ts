// The engine backend for an OpenAI-compatible server (vLLM, llama-server): the same contract as
// EngineClient.generate (typed events, always ending with one `done` or `error`), over
// /v1/chat/completions with stream: true. node:http(s) directly, so that a CA file and TLS
// verification apply to the streaming request, and so that cancelling destroys the socket: the
// server notices the closed connection and stops generating.
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import * as tls from 'node:tls';
import { engineError } from '../core/generation/errors';
import type { EngineError, EngineEvent, GenerateRequest } from '../core/generation/types';
import { chatCompletionBody } from '../core/remote/chatRequest';
import { fitRemoteRequest } from '../core/remote/fitRequest';
import { ChatStreamTranslator } from '../core/remote/chatStream';
import { serverEndpoints, type ServerEndpoints } from '../core/remote/endpoints';
import { httpError, isRetryableStatus, networkError, retryDelayMs } from '../core/remote/serverErrors';
import { SseReader } from '../core/remote/sseReader';

export interface RemoteBackendOptions {
  /** http(s)://host:port, with or without /v1. */
  readonly baseUrl: string;
  /** The model name the server knows (vLLM: the served model name; llama-server: any). */
  readonly model: string;
  /** Sent as `Authorization: Bearer`; never logged. */
  readonly apiKey?: string;
  /** Longest silence accepted: before the response starts, and between two chunks of it. Default 120 s. */
  readonly requestTimeoutMs?: number;
  /** Verify the server's certificate (default true). */
  readonly rejectUnauthorized?: boolean;
  /** A PEM file of extra certificate authorities (an organization's own CA). */
  readonly caFile?: string;
  /** Retries of a 429 or 503 before giving up (default 3), waiting Retry-After or 1 s, 2 s, 4 s… */
  readonly maxRetries?: number;
  readonly retryBaseMs?: number;
  readonly retryMaxMs?: number;
  readonly log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** The server's context, when known: requests are cut to it before they are sent. */
  readonly contextSize?: number;
}

export type RemoteHealth =
  | {
      readonly ok: true;
      readonly models: readonly string[];
      /** Whether the configured model is among them (llama-server serves one model under any name). */
      readonly modelListed: boolean;
      readonly contextLength?: number;
    }
  | { readonly ok: false; readonly error: EngineError };

const DEFAULT_TIMEOUT_MS = 120_000;
/** Error bodies are read up to this size; a proxy's HTML page says nothing more past it. */
const MAX_ERROR_BODY = 64 * 1024;

/** A request that failed in a way the user should read about. */
class RemoteFailure extends Error {
  constructor(
    readonly error: EngineError,
    /** The HTTP status, when the server answered with one. */
    readonly status?: number,
  ) {
    super(error.message.en);
  }
}

/** Requests destroyed for silence: their stream's error is a timeout, whatever Node calls it. */
const timedOut = new WeakSet<http.ClientRequest>();

interface Opened {
  readonly request: http.ClientRequest;
  readonly response: http.IncomingMessage;
}

export class RemoteBackend {
  private readonly endpoints: ServerEndpoints;
  private readonly timeoutMs: number;
  private readonly ca: string | undefined;

  constructor(private readonly options: RemoteBackendOptions) {
    this.endpoints = serverEndpoints(options.baseUrl);
    this.timeoutMs = options.requestTimeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.ca = options.caFile ? readFileSync(options.caFile, 'utf8') : undefined;
  }

  /** The server's base URL as messages show it. */
  get server(): string {
    return this.endpoints.display;
  }

  async *generate(request: GenerateRequest, signal?: AbortSignal): AsyncGenerator<EngineEvent, void, undefined> {
    if (this.options.contextSize !== undefined) {
      const fitted = fitRemoteRequest(request, this.options.contextSize);
      if (!fitted.ok) {
        yield { type: 'error', error: engineError('prompt-too-long', String(this.options.contextSize)) };
        return;
      }
      if (fitted.notice) yield fitted.notice;
      request = fitted.request;
    }
    const body = JSON.stringify(chatCompletionBody(request, this.options.model));
    const startedAt = performance.now();
    let opened: Opened;
    try {
      opened = yield* this.openWithRetries(body, signal);
    } catch (error) {
      if (signal?.aborted) yield { type: 'done', reason: 'cancelled' };
      else yield { type: 'error', error: this.failure(error) };
      return;
    }
    const { request: req, response } = opened;
    const translator = new ChatStreamTranslator({ now: () => performance.now(), startedAt });
    const reader = new SseReader();
    const onAbort = (): void => {
      req.destroy();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (signal?.aborted) {
        yield* translator.cancel();
        return;
      }
      try {
        for await (const chunk of response as AsyncIterable<Buffer>) {
          for (const event of reader.push(chunk)) {
            for (const out of translator.push(event.data)) {
              yield out;
              if (out.type === 'error') return;
            }
          }
          // A server that keeps the connection open after [DONE] must not hold the answer back.
          if (signal?.aborted || translator.sawEnd) break;
        }
      } catch (error) {
        if (!signal?.aborted) {
          // A read that fails mid-stream (a reset, a timeout) after the answer was already complete
          // changes nothing; before that, the answer is cut.
          if (!translator.complete) {
            const detail = error instanceof Error ? error.message : String(error);
            yield timedOut.has(req)
              ? { type: 'error', error: engineError('server-timeout', [this.server, String(Math.round(this.timeoutMs / 1000))], detail) }
              : { type: 'error', error: engineError('server-stream-interrupted', this.server, detail) };
            return;
          }
        }
      }
      if (signal?.aborted) {
        yield* translator.cancel();
        return;
      }
      for (const event of reader.end()) for (const out of translator.push(event.data)) yield out;
      yield* translator.finish(this.server);
    } finally {
      signal?.removeEventListener('abort', onAbort);
      // A consumer that stops reading early (or an error above) closes the stream too.
      req.destroy();
    }
  }

  /** The model ids the server serves (GET /v1/models). Throws an Error whose message is the English text. */
  async models(signal?: AbortSignal): Promise<string[]> {
    return (await this.modelList(signal)).map((m) => m.id);
  }

  /**
   * Whether the server answers, with which models, and the configured model's context length
   * where the server says it (vLLM: `max_model_len`; llama-server: `meta.n_ctx`, the context it
   * runs with). /v1/models is served by vLLM, llama-server and the proxies in front of them.
   */
  async health(signal?: AbortSignal): Promise<RemoteHealth> {
    try {
      const list = await this.modelList(signal);
      const mine = list.find((m) => m.id === this.options.model) ?? (list.length === 1 ? list[0] : undefined);
      return {
        ok: true,
        models: list.map((m) => m.id),
        modelListed: list.some((m) => m.id === this.options.model),
        ...(mine?.contextLength !== undefined ? { contextLength: mine.contextLength } : {}),
      };
    } catch (error) {
      return { ok: false, error: this.failure(error) };
    }
  }

  /**
   * How many tokens each text takes in the server's model (plain text, no special tokens), for
   * surfaces that plan what fits the context; undefined when the server has no /tokenize (a
   * proxy, OpenAI itself), so the caller estimates instead. vLLM reads `prompt`, llama-server
   * `content`: the body carries both.
   */
  async count(texts: readonly string[], signal?: AbortSignal): Promise<number[] | undefined> {
    const counts: number[] = [];
    for (const text of texts) {
      if (text === '') {
        counts.push(0);
        continue;
      }
      const body = JSON.stringify({ model: this.options.model, prompt: text, content: text, add_special_tokens: false, add_special: false });
      let opened: Opened;
      try {
        opened = await this.open('POST', this.endpoints.tokenize, body, signal);
      } catch (error) {
        if (error instanceof RemoteFailure && error.status !== undefined && [404, 405, 501].includes(error.status)) return undefined;
        throw error;
      }
      try {
        const reply = (JSON.parse(await readBody(opened.response, 16 * 1024 * 1024)) as { count?: unknown; tokens?: unknown } | null) ?? {};
        const count = typeof reply.count === 'number' ? reply.count : Array.isArray(reply.tokens) ? reply.tokens.length : undefined;
        if (count === undefined) return undefined;
        counts.push(count);
      } catch {
        return undefined;
      } finally {
        opened.request.destroy();
      }
    }
    return counts;
  }

  private async modelList(signal: AbortSignal | undefined): Promise<{ id: string; contextLength?: number }[]> {
    const { request, response } = await this.open('GET', this.endpoints.models, undefined, signal);
    try {
      const text = await readBody(response, 4 * 1024 * 1024);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        throw new RemoteFailure(engineError('server-malformed', 'the model list is not JSON', text.slice(0, 500)));
      }
      const data = (parsed as { data?: unknown } | null)?.data;
      if (!Array.isArray(data)) throw new RemoteFailure(engineError('server-malformed', 'the model list has no "data" array', text.slice(0, 500)));
      return data.flatMap((entry: unknown) => {
        const m = entry as { id?: unknown; max_model_len?: unknown; meta?: { n_ctx?: unknown } } | null;
        if (typeof m?.id !== 'string') return [];
        const context = typeof m.max_model_len === 'number' ? m.max_model_len : typeof m.meta?.n_ctx === 'number' ? m.meta.n_ctx : undefined;
        return [{ id: m.id, ...(context !== undefined ? { contextLength: context } : {}) }];
      });
    } finally {
      request.destroy();
    }
  }

  private async *openWithRetries(body: string, signal: AbortSignal | undefined): AsyncGenerator<EngineEvent, Opened, undefined> {
    const maxRetries = this.options.maxRetries ?? 3;
    for (let attempt = 1; ; attempt++) {
      let opened: Opened | undefined;
      let retryAfter: string | undefined;
      let status: number;
      try {
        opened = await this.open('POST', this.endpoints.chatCompletions, body, signal, (s) => isRetryableStatus(s));
        status = opened.response.statusCode ?? 0;
        if (!isRetryableStatus(status)) return opened;
        const header = opened.response.headers['retry-after'];
        retryAfter = Array.isArray(header) ? header[0] : header;
        const text = await readBody(opened.response, MAX_ERROR_BODY);
        opened.request.destroy();
        if (attempt > maxRetries) {
          const error = httpError({ status, body: text, server: this.server, model: this.options.model });
          if (status === 429) throw new RemoteFailure(engineError('server-rate-limited', [this.server, String(attempt)], error.detail));
          throw new RemoteFailure(error);
        }
      } catch (error) {
        opened?.request.destroy();
        throw error;
      }
      const delay = retryDelayMs(retryAfter, attempt, { baseMs: this.options.retryBaseMs ?? 1000, maxMs: this.options.retryMaxMs ?? 30_000 });
      const seconds = Math.max(1, Math.round(delay / 1000));
      this.options.log?.('warn', `${this.server}: HTTP ${status}, retry ${attempt} of ${maxRetries} in ${delay} ms`);
      yield retryNotice(status, seconds, attempt + 1, maxRetries + 1);
      await sleep(delay, signal);
    }
  }

  /**
   * Sends one request and resolves with its response once the status is known. A status that is
   * not 2xx (and not one `keep` accepts) is read and turned into a RemoteFailure here.
   */
  private open(method: 'GET' | 'POST', url: URL, body: string | undefined, signal: AbortSignal | undefined, keep?: (status: number) => boolean): Promise<Opened> {
    return new Promise<Opened>((resolve, reject) => {
      if (signal?.aborted) {
        reject(new RemoteFailure(engineError('server-unreachable', [this.server, 'cancelled'])));
        return;
      }
      const headers: http.OutgoingHttpHeaders = {
        Accept: method === 'POST' ? 'text/event-stream' : 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } : {}),
        ...(this.options.apiKey ? { Authorization: `Bearer ${this.options.apiKey}` } : {}),
      };
      const secure = url.protocol === 'https:';
      const options: https.RequestOptions = {
        method,
        headers,
        // Node's `ca` replaces the public roots: keep them, so that a CA file adds an organization's
        // authority rather than leaving only it.
        ...(secure ? { rejectUnauthorized: this.options.rejectUnauthorized ?? true, ...(this.ca ? { ca: [...tls.rootCertificates, this.ca] } : {}) } : {}),
      };
      const req = (secure ? https : http).request(url, options);
      let settled = false;
      const onAbort = (): void => {
        req.destroy();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = (): void => {
        settled = true;
        signal?.removeEventListener('abort', onAbort);
      };
      // Idle time: before the status line, and later between two chunks of the stream.
      req.setTimeout(this.timeoutMs, () => {
        timedOut.add(req);
        req.destroy(Object.assign(new Error(`no data for ${this.timeoutMs} ms`), { code: 'LLMJP_TIMEOUT' }));
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (settled) return;
        done();
        reject(error);
      });
      req.on('response', (response) => {
        const status = response.statusCode ?? 0;
        if ((status >= 200 && status < 300) || keep?.(status)) {
          done();
          resolve({ request: req, response });
          return;
        }
        readBody(response, MAX_ERROR_BODY).then(
          (text) => {
            done();
            req.destroy();
            reject(new RemoteFailure(httpError({ status, body: text, server: this.server, model: this.options.model }), status));
          },
          (error: unknown) => {
            done();
            reject(error instanceof Error ? error : new Error(String(error)));
          },
        );
      });
      req.end(body);
    });
  }

  /** Any failure as the EngineError the user reads. */
  private failure(error: unknown): EngineError {
    if (error instanceof RemoteFailure) return error.error;
    const e = error as NodeJS.ErrnoException;
    if (e?.code === 'LLMJP_TIMEOUT') return engineError('server-timeout', [this.server, String(Math.round(this.timeoutMs / 1000))], e.message);
    return networkError(e?.code, e?.message ?? String(error), this.server);
  }
}

function retryNotice(status: number, seconds: number, attempt: number, attempts: number): Extract<EngineEvent, { type: 'notice' }> {
  const why = status === 429
    ? { en: 'The server says there are too many requests (429)', ja: 'サーバーがリクエストが多すぎると応答しました（429）' }
    : { en: `The server is busy or still loading its model (${status})`, ja: `サーバーが混雑中か、モデルを読み込み中です（${status}）` };
  return {
    type: 'notice',
    code: 'retrying',
    message: {
      en: `${why.en}: trying again in ${seconds} s (attempt ${attempt} of ${attempts}).`,
      ja: `${why.ja}。${seconds} 秒後に再試行します（${attempts} 回中 ${attempt} 回目）。`,
    },
  };
}

function readBody(response: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    response.on('data', (chunk: Buffer) => {
      if (size < limit) chunks.push(chunk);
      size += chunk.length;
    });
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8').slice(0, limit)));
    response.on('error', reject);
    response.on('aborted', () => reject(new Error('the response was aborted')));
  });
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('cancelled'));
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('cancelled'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
