import { reasonOf, type SimRequest, type SimResponse } from './api-handler.js';

/** The outcome of one request: a response, or a dropped connection. */
export type SimOutcome = { kind: 'response'; response: SimResponse } | { kind: 'reset' };

/** Handles one request; the in-process fetch and the 127.0.0.1 listener both call it. */
export type SimDispatch = (req: SimRequest, signal?: AbortSignal) => Promise<SimOutcome>;

/** The error the in-process fetch rejects with when a fault drops the connection, like undici's. */
export function connectionResetError(): TypeError {
  return new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
}

/** `scheme://host:port` with the port written out (80/443 by scheme when the URL has none). */
export function explicitOrigin(url: URL): string {
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  return `${url.protocol}//${url.hostname}:${port}`;
}

/** A drop-in for `globalThis.fetch` that hands each request to `dispatch` without a network, honouring its signal. */
export function createInProcessFetch(dispatch: SimDispatch): (input: string | URL | Request, init?: RequestInit) => Promise<Response> {
  return async (input, init) => {
    const request = new Request(input, init);
    if (request.signal.aborted) throw request.signal.reason;
    const url = new URL(request.url);
    const body = request.method === 'GET' || request.method === 'HEAD' ? '' : await request.text();
    const outcome = await dispatch({ method: request.method, url, origin: explicitOrigin(url), headers: request.headers, body }, request.signal);
    if (request.signal.aborted) throw request.signal.reason;
    if (outcome.kind === 'reset') throw connectionResetError();
    const { status, headers, body: text } = outcome.response;
    const nullBody = status === 204 || status === 304 || request.method === 'HEAD' || text === '';
    const response = new Response(nullBody ? null : text, { status, statusText: reasonOf(status), headers });
    // A constructed Response has an empty url; clients put it in their error messages.
    Object.defineProperty(response, 'url', { value: request.url });
    return response;
  };
}
