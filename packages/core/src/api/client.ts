import type { z } from 'zod';
import type { Clock, FetchLike, Logger, FetchResponse, HeaderLookup } from '../effects';
import { silentLogger } from '../effects';
import { ApiError, ConfigError, IasError, redactSecrets } from '../errors';
import { isTimeout, retryAfterOf, retrying, type AttemptContext, type AttemptVerdict, type RetryLoop } from './retry-loop';
import { errorBodySchema } from './schemas';
import {
  BodyTooLargeError,
  DEFAULT_MAX_BODY_BYTES,
  describeCause,
  discardBody,
  formatBytes,
  MAX_ERROR_BODY_BYTES,
  readBodyBounded,
  readBodyText,
  REDIRECT_STATUS,
} from './transport';

/** Same-origin redirects followed for one request before it fails. */
export const MAX_REDIRECTS = 5;

/** Options of {@link createApiClient}. */
export interface ApiClientOptions {
  /** API base URL ending in `/ias/v1`. */
  baseUrl: string;
  /** The Insight platform API key; sent as `X-Api-Key`, never logged. */
  apiKey: string;
  /** The transport. */
  fetch: FetchLike;
  /** Sent as `User-Agent`, e.g. `r7:insightappsec-ias-ci-cli/0.1.0`. */
  userAgent: string;
  clock: Clock;
  /** @default silentLogger */
  logger?: Logger;
  /** Aborts every request in flight and every retry wait. */
  signal?: AbortSignal;
  /** Per-attempt deadline, covering the headers and the whole body. @default 60000 */
  timeoutMs?: number;
  /** Retries after the first attempt, for idempotent requests. @default 5 */
  retries?: number;
  /** First back-off delay; doubles per retry, with jitter. @default 1000 */
  retryBaseMs?: number;
  /** Largest back-off delay, and the cap on a `Retry-After` wait. @default 30000 */
  retryMaxMs?: number;
  /** Source of jitter in [0, 1). @default Math.random */
  random?: () => number;
}

/** One request. */
export interface RequestOptions<T> {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** A path under the base URL (`/scans/…`), or an absolute URL the API returned (a `next` link). */
  path: string;
  /** The route template for messages and logs, e.g. `GET /scans/{id}`. */
  route: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  /** Validates the JSON body; omitted means no body is read. */
  schema?: z.ZodType<T>;
  /** Turns the body text into the value `schema` validates; a throw is reported as invalid JSON. @default JSON.parse */
  parse?: (text: string) => unknown;
  /**
   * `true`: retry on 408/429/5xx, timeouts and network errors. `'rate-limit'`: retry only a 429, which the API
   * answers without acting (for requests that must not be repeated blindly, like `POST /scans`). @default true
   */
  retry?: boolean | 'rate-limit';
  /** The largest body read, in bytes; a larger one fails as RESPONSE_INVALID. @default 32 MiB */
  maxBytes?: number;
  /**
   * An instant on the client's clock (epoch ms) after which no attempt starts and no retry waits: the attempt in
   * flight is cut at it. Budgets use it so that a failing API cannot hold a run past its budget.
   */
  deadline?: number;
}

/** A successful response. */
export interface ApiResponse<T> {
  status: number;
  data: T;
  headers: HeaderLookup;
  correlationId: string | undefined;
}

/** The IAS API client: authenticated, retrying, validating. */
export interface ApiClient {
  readonly baseUrl: string;
  /** The per-attempt deadline in ms. */
  readonly timeoutMs: number;
  request<T = undefined>(options: RequestOptions<T>): Promise<ApiResponse<T>>;
}

const RETRYABLE_STATUS = new Set([408, 429, 500, 502, 503, 504]);
const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/**
 * Creates the API client. Transport errors are wrapped once, with `cause`. Retries, timeouts and Retry-After are {@link retrying}'s.
 *
 * Its outbound policy: every request goes to the base URL's origin and nowhere else. Redirects are never followed by
 * the transport (`redirect: 'manual'`); a redirect to the same origin is followed up to {@link MAX_REDIRECTS} times,
 * one to any other origin fails naming both origins (the API key is never sent there). Absolute links the API returns
 * are re-rooted on the base URL. Each attempt has one deadline for headers and body, and bodies are size-capped.
 * @throws ConfigError when the base URL carries credentials (`user:pass@`).
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const core = clientCore(options);
  async function request<T>(req: RequestOptions<T>): Promise<ApiResponse<T>> {
    return sendRequest(core, req);
  }
  return { baseUrl: core.baseUrl, timeoutMs: core.timeoutMs, request };
}

/** What every request of one client shares: its settings with their defaults, the headers and the redaction. */
interface ClientCore {
  options: ApiClientOptions;
  /** The base URL without trailing slashes. */
  baseUrl: string;
  base: URL;
  logger: Logger;
  timeoutMs: number;
  retries: number;
  retryBaseMs: number;
  retryMaxMs: number;
  random: () => number;
  redact: (text: string) => string;
  headers: Record<string, string>;
}

/** The client's settings, defaults applied. @throws ConfigError when the base URL carries credentials. */
function clientCore(options: ApiClientOptions): ClientCore {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const base = new URL(baseUrl);
  if (base.username !== '' || base.password !== '') {
    throw new ConfigError('The base URL carries credentials (user:pass@); remove them, the API key is the only credential the API takes.', [{ path: 'baseUrl', message: 'carries credentials' }]);
  }
  return {
    options,
    baseUrl,
    base,
    logger: options.logger ?? silentLogger,
    timeoutMs: options.timeoutMs ?? 60_000,
    retries: options.retries ?? 5,
    retryBaseMs: options.retryBaseMs ?? 1_000,
    retryMaxMs: options.retryMaxMs ?? 30_000,
    random: options.random ?? Math.random,
    redact: (text: string): string => redactSecrets(text, [options.apiKey]),
    headers: { 'X-Api-Key': options.apiKey, 'User-Agent': options.userAgent, Accept: 'application/json' },
  };
}

/** One exchange with the transport: never follows a redirect (`redirect: 'manual'`), the caller decides. */
function send(core: ClientCore, url: URL, method: string, json: unknown, signal: AbortSignal): Promise<FetchResponse> {
  const { headers } = core;
  return core.options.fetch(
    // A URL and an init, not a Request: the global Request class loads undici, which host-node's fetch avoids.
    url,
    {
      method,
      headers: json === undefined ? headers : { ...headers, 'Content-Type': 'application/json' },
      ...(json === undefined ? {} : { body: JSON.stringify(json) }),
      redirect: 'manual',
      signal,
    },
  );
}

/** Builds the request URL; an absolute href is re-rooted on our base URL so the key never goes elsewhere. */
function urlFor(core: ClientCore, path: string, query: RequestOptions<unknown>['query']): URL {
  const { base, baseUrl } = core;
  let url: URL;
  if (/^https?:\/\//i.test(path)) {
    const given = new URL(path);
    const marker = base.pathname.replace(/\/+$/, '');
    const at = given.pathname.indexOf(marker);
    const rest = at >= 0 ? given.pathname.slice(at + marker.length) : given.pathname;
    url = new URL(`${baseUrl}${rest}${given.search}`);
  } else {
    url = new URL(`${baseUrl}${path.startsWith('/') ? path : `/${path}`}`);
  }
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value !== undefined) url.searchParams.set(key, String(value));
  }
  return url;
}

/** The error for a request cut at its deadline (the run's budget). */
function deadlineError(req: RequestOptions<unknown>, context: RequestContext, cause?: unknown): ApiError {
  return new ApiError('TIMEOUT', `${req.route} was cut short: the run's budget ended while the API had not answered.`, context, cause === undefined ? undefined : { cause });
}

/** One request, with its retries. */
async function sendRequest<T>(core: ClientCore, req: RequestOptions<T>): Promise<ApiResponse<T>> {
  const { options, logger, redact } = core;
  const url = urlFor(core, req.path, req.query);
  const context: RequestContext = { method: req.method, url: redact(url.toString()), route: req.route };
  const loop: RetryLoop = {
    clock: options.clock,
    logger,
    signal: options.signal,
    route: req.route,
    deadline: req.deadline,
    retries: req.retry === false ? 0 : core.retries,
    retryBaseMs: core.retryBaseMs,
    retryMaxMs: core.retryMaxMs,
    random: core.random,
    timeoutMs: core.timeoutMs,
    aborted: (cause) => abortedError(context, cause),
    pastDeadline: () => deadlineError(req, context),
  };
  return retrying(loop, (at) => attempt(core, req, url, context, at));
}

/** One attempt: the request and its same-origin redirects, under `signal`. */
async function exchange(core: ClientCore, req: RequestOptions<unknown>, url: URL, signal: AbortSignal, context: RequestContext): Promise<FetchResponse> {
  const { logger, redact } = core;
  let target = url;
  let method: string = req.method;
  let json = req.json;
  for (let hop = 0; ; hop += 1) {
    const response = await send(core, target, method, json, signal);
    if (!REDIRECT_STATUS.has(response.status)) return response;
    await discardBody(response);
    const next = redirectTarget(core, req, response, target, context);
    if (hop + 1 > MAX_REDIRECTS) {
      throw new ApiError('HTTP_ERROR', `${req.route} was redirected more than ${MAX_REDIRECTS} times; the API or a proxy in between loops, check the base URL.`, { ...context, status: response.status });
    }
    // As browsers do: 303, and 301/302 after a POST, become a GET without a body; 307/308 repeat the request.
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      json = undefined;
    }
    logger.debug(`${req.route}: ${response.status}, following the redirect to ${redact(next.pathname)}`);
    target = next;
  }
}

/** Where a redirect leads, when it stays on the base URL's origin; any other origin fails, naming both. */
function redirectTarget(core: ClientCore, req: RequestOptions<unknown>, response: FetchResponse, from: URL, context: RequestContext): URL {
  const { base, redact } = core;
  const location = response.headers.get('location');
  if (location === null || location.trim() === '') {
    throw new ApiError('HTTP_ERROR', `${req.route} answered ${response.status} (a redirect) without a Location; the API or a proxy in between sent a broken response.`, { ...context, status: response.status });
  }
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new ApiError('HTTP_ERROR', `${req.route} answered ${response.status} with a Location that is not a URL; the API or a proxy in between sent a broken response.`, { ...context, status: response.status });
  }
  if (next.origin !== base.origin || next.username !== '' || next.password !== '') {
    throw new ApiError(
      'HTTP_ERROR',
      `${req.route} was redirected from ${base.origin} to another origin, ${redact(safeOrigin(next))}; the API key is only ever sent to ${base.origin}, so the redirect was not followed: check the base URL or region, or what sits between this step and the API.`,
      { ...context, status: response.status },
    );
  }
  return next;
}

/** What one attempt of `req` came to. */
async function attempt<T>(core: ClientCore, req: RequestOptions<T>, url: URL, context: RequestContext, at: AttemptContext): Promise<AttemptVerdict<ApiResponse<T>>> {
  const { options, base, baseUrl, redact } = core;
  const retryMode = req.retry ?? true;
  const pastDeadline = (): boolean => req.deadline !== undefined && options.clock.now() >= req.deadline;
  let response: FetchResponse;
  try {
    response = await exchange(core, req, url, at.signal, context);
  } catch (error) {
    throwIfAborted(options.signal, context, error);
    if (error instanceof IasError) throw error;
    const timedOut = at.timer.aborted || isTimeout(error);
    if (timedOut && pastDeadline()) throw deadlineError(req, context, error);
    const tries = attemptsText(at.attempt);
    const final = (): never => {
      throw timedOut
        ? new ApiError('TIMEOUT', `${req.route} timed out after ${formatSeconds(at.attemptMs)}${tries}; the API did not answer in time, raise the request timeout or try again later.`, context, { cause: error })
        : new ApiError('NETWORK_ERROR', `${req.route} could not reach ${base.origin} (${describeCause(error)})${tries}; check the network, the proxy and the base URL or region.`, context, { cause: error });
    };
    if (retryMode !== true) final();
    return { why: timedOut ? 'timed out' : `network error (${describeCause(error)})`, final };
  }
  const correlationId = response.headers.get('r7-correlation-id') ?? undefined;
  const ctx = { ...context, ...(correlationId === undefined ? {} : { correlationId }) };
  if (!response.ok) {
    const body = await readBodyText(response, MAX_ERROR_BODY_BYTES, at.signal);
    const retryable = retryMode === true ? RETRYABLE_STATUS.has(response.status) : retryMode === 'rate-limit' && response.status === 429;
    const final = (): never => {
      throw httpError(req, response, body, ctx, at.attempt, baseUrl, redact);
    };
    if (!retryable) final();
    return { why: String(response.status), retryAfterMs: retryAfterOf(response.headers, options.clock.now()), final };
  }
  if (req.schema === undefined) {
    await discardBody(response);
    return { done: { status: response.status, data: undefined as T, headers: response.headers, correlationId } };
  }
  return readResult(core, req, response, ctx, at, retryMode === true, pastDeadline);
}

/** Reads, parses and validates a successful answer's body. */
async function readResult<T>(core: ClientCore, req: RequestOptions<T>, response: FetchResponse, ctx: RequestContext & { correlationId?: string }, at: AttemptContext, canRetry: boolean, pastDeadline: () => boolean): Promise<AttemptVerdict<ApiResponse<T>>> {
  const { options, redact } = core;
  const { correlationId } = ctx;
  const maxBytes = req.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const context: RequestContext = { method: ctx.method, url: ctx.url, route: ctx.route };
  let text: string;
  try {
    text = await readBodyBounded(response, { maxBytes, signal: at.signal });
  } catch (error) {
    throwIfAborted(options.signal, context, error);
    if (error instanceof BodyTooLargeError) {
      throw new ApiError('RESPONSE_INVALID', `${req.route} returned a body larger than ${formatBytes(maxBytes)}, more than any real answer; the API or a proxy in between sent a broken response.`, { ...ctx, status: response.status });
    }
    const timedOut = at.timer.aborted || isTimeout(error);
    if (timedOut && pastDeadline()) throw deadlineError(req, context, error);
    const final = (): never => {
      throw timedOut
        ? new ApiError('TIMEOUT', `${req.route} timed out after ${formatSeconds(at.attemptMs)} while reading the response${attemptsText(at.attempt)}; the API sent its answer too slowly, raise the request timeout or try again later.`, { ...context, status: response.status }, { cause: error })
        : new ApiError('NETWORK_ERROR', `${req.route} lost the connection while reading the response (${describeCause(error)})${attemptsText(at.attempt)}; check the network and try again.`, { ...context, status: response.status }, { cause: error });
    };
    if (!canRetry) final();
    return { why: timedOut ? 'timed out reading the response' : `connection lost reading the response (${describeCause(error)})`, final };
  }
  let json: unknown;
  try {
    json = req.parse === undefined ? JSON.parse(text) : req.parse(text);
  } catch (error) {
    throw new ApiError('RESPONSE_INVALID', `${req.route} returned a body that is not valid JSON (${text.length} bytes, starting ${JSON.stringify(redact(text.slice(0, 40)))}); the API or a proxy in between sent a broken response.`, { ...ctx, status: response.status, bodyExcerpt: redact(text.slice(0, 300)) }, { cause: error });
  }
  const parsed = (req.schema as z.ZodType<T>).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue === undefined || issue.path.length === 0 ? 'the body' : `field '${issue.path.join('.')}'`;
    throw new ApiError('RESPONSE_INVALID', `${req.route} returned an unexpected shape: ${field} ${issue?.message.toLowerCase() ?? 'is invalid'}; the API may have changed, report this with the correlation id ${correlationId ?? '(none)'}.`, { ...ctx, status: response.status, bodyExcerpt: redact(text.slice(0, 300)) });
  }
  return { done: { status: response.status, data: parsed.data, headers: response.headers, correlationId } };
}

function httpError(
  req: RequestOptions<unknown>,
  response: FetchResponse,
  body: string,
  context: { method: string; url: string; route: string; correlationId?: string },
  attempt: number,
  baseUrl: string,
  redact: (text: string) => string,
): ApiError {
  const status = response.status;
  const statusText = STATUS_TEXT[status] ?? response.statusText ?? '';
  const head = `${req.route} failed with ${status}${statusText ? ` ${statusText}` : ''}`;
  const apiMessage = apiMessageOf(body);
  const detail = apiMessage === undefined || apiMessage.toLowerCase() === statusText.toLowerCase() ? '' : `: ${redact(apiMessage)}`;
  const ctx = { ...context, status, bodyExcerpt: redact(body.slice(0, 300)) };
  if (status === 401) {
    return new ApiError('AUTH_FAILED', `${head}; check the API key and the region (${baseUrl}).`, ctx);
  }
  if (status === 403) {
    return new ApiError('AUTH_FAILED', `${head}${detail}; the API key's role may not do this, use a key with the Read Write role for this application.`, ctx);
  }
  const tries = attemptsText(attempt);
  const correlation = context.correlationId === undefined ? '' : ` (correlation id ${context.correlationId})`;
  if (status >= 500) {
    return new ApiError('HTTP_ERROR', `${head}${detail}${tries}; the InsightAppSec API is having trouble, try again later${correlation}.`, ctx);
  }
  return new ApiError('HTTP_ERROR', `${head}${detail}${tries}; check the request's values${correlation}.`, ctx);
}

function apiMessageOf(body: string): string | undefined {
  try {
    const parsed = errorBodySchema.safeParse(JSON.parse(body));
    if (!parsed.success) return undefined;
    const explanations = (parsed.data.errors ?? [])
      .map((e) => [e.context, e.explanation].filter(Boolean).join(' '))
      .filter(Boolean);
    const message = parsed.data.message ?? undefined;
    const text = [message, ...explanations].filter(Boolean).join('; ');
    return text === '' ? undefined : text.replace(/\s+/g, ' ').slice(0, 300);
  } catch {
    return undefined;
  }
}

type RequestContext = { method: string; url: string; route: string };

function formatSeconds(ms: number): string {
  return ms < 1_000 ? `${ms}ms` : `${Math.round(ms / 1000)}s`;
}

/** An origin for a message: scheme, host and port, never credentials. */
function safeOrigin(url: URL): string {
  return url.origin === 'null' ? `${url.protocol}//${url.host}` : url.origin;
}

function attemptsText(attempt: number): string {
  return attempt > 1 ? ` after ${attempt} attempts` : '';
}


function abortedError(context: RequestContext, cause: unknown): ApiError {
  return new ApiError('ABORTED', `${context.route} was interrupted; the run was cancelled.`, context, { cause });
}

function throwIfAborted(signal: AbortSignal | undefined, context: RequestContext, cause?: unknown): void {
  if (signal?.aborted) throw abortedError(context, cause ?? signal.reason);
}

export { parseRetryAfter } from './transport';
