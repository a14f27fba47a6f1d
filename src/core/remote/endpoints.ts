// Where the OpenAI-compatible API lives on a server, from the base URL a user types: with or
// without the trailing /v1 (vLLM and llama-server both serve it under /v1), with or without a slash.

export interface ServerEndpoints {
  /** The base URL as shown to the user in messages (no credentials, no trailing slash). */
  readonly display: string;
  readonly chatCompletions: URL;
  readonly models: URL;
  /** Token counting, outside /v1 on both vLLM and llama-server (not part of the OpenAI API). */
  readonly tokenize: URL;
}

/** Throws a TypeError for a URL that is not http(s). */
export function serverEndpoints(baseUrl: string): ServerEndpoints {
  const url = new URL(baseUrl.trim());
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${url.protocol}`);
  // Credentials in the URL would end up in every message and log line.
  url.username = '';
  url.password = '';
  url.search = '';
  url.hash = '';
  let path = url.pathname.replace(/\/+$/, '');
  if (!/\/v1$/.test(path)) path += '/v1';
  const api = `${url.origin}${path}`;
  return {
    display: `${url.origin}${url.pathname.replace(/\/+$/, '')}`,
    chatCompletions: new URL(`${api}/chat/completions`),
    models: new URL(`${api}/models`),
    tokenize: new URL(`${url.origin}${path.replace(/\/v1$/, '')}/tokenize`),
  };
}
