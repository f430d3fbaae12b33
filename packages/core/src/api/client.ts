import type { KyInstance } from 'ky';
import type { z } from 'zod';
import type { Clock, FetchLike, Logger } from '../effects';
import { silentLogger } from '../effects';
import { ApiError, redactSecrets } from '../errors';
import { errorBodySchema } from './schemas';
import { describeCause, parseRetryAfter, readBodyText } from './transport';

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
  /** Per-attempt timeout. @default 60000 */
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
  /**
   * `true`: retry on 408/429/5xx, timeouts and network errors. `'rate-limit'`: retry only a 429, which the API
   * answers without acting (for requests that must not be repeated blindly, like `POST /scans`). @default true
   */
  retry?: boolean | 'rate-limit';
}

/** A successful response. */
export interface ApiResponse<T> {
  status: number;
  data: T;
  headers: Headers;
  correlationId: string | undefined;
}

/** The IAS API client: authenticated, retrying, validating. */
export interface ApiClient {
  readonly baseUrl: string;
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

/** Creates the API client. Transport errors are wrapped once, with `cause`; no ky type leaves this module. */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const base = new URL(baseUrl);
  const logger = options.logger ?? silentLogger;
  const timeoutMs = options.timeoutMs ?? 60_000;
  const retries = options.retries ?? 5;
  const retryBaseMs = options.retryBaseMs ?? 1_000;
  const retryMaxMs = options.retryMaxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const redact = (text: string): string => redactSecrets(text, [options.apiKey]);
  // ky is loaded at the first request: evaluating it builds a Request, which makes Node load its own fetch, ~20 ms
  // that `--version`, `--help` and the offline commands should not pay (tooling/bench measures the cold start).
  let httpClient: Promise<KyInstance> | undefined;
  const http = async (url: URL, init: Parameters<KyInstance>[1]): Promise<Response> => {
    httpClient ??= import('ky').then(({ default: ky }) =>
      ky.create({
        fetch: options.fetch as typeof fetch,
        retry: 0,
        timeout: timeoutMs,
        throwHttpErrors: false,
        headers: {
          'X-Api-Key': options.apiKey,
          'User-Agent': options.userAgent,
          Accept: 'application/json',
        },
      }),
    );
    return (await httpClient)(url, init);
  };

  /** Builds the request URL; an absolute href is re-rooted on our base URL so the key never goes elsewhere. */
  const urlFor = (path: string, query: RequestOptions<unknown>['query']): URL => {
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
  };

  const backoff = (attempt: number, retryAfter: string | null): number => {
    const parsed = parseRetryAfter(retryAfter, options.clock.now());
    if (parsed !== undefined) return Math.min(parsed, retryMaxMs);
    const ceiling = Math.min(retryMaxMs, retryBaseMs * 2 ** attempt);
    return Math.round(ceiling / 2 + (random() * ceiling) / 2);
  };

  async function request<T>(req: RequestOptions<T>): Promise<ApiResponse<T>> {
    const url = urlFor(req.path, req.query);
    const shownUrl = redact(url.toString());
    const retryMode = req.retry ?? true;
    const canRetry = retryMode === true;
    const maxAttempts = retryMode === false ? 1 : retries + 1;
    const context = { method: req.method, url: shownUrl, route: req.route };
    let attempt = 0;
    for (;;) {
      attempt += 1;
      throwIfAborted(options.signal, context);
      let response: Response;
      try {
        response = await http(url, {
          method: req.method,
          ...(req.json === undefined ? {} : { json: req.json }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
      } catch (error) {
        throwIfAborted(options.signal, context, error);
        const timedOut = isTimeout(error);
        if (canRetry && attempt < maxAttempts) {
          const wait = backoff(attempt - 1, null);
          logger.debug(`${req.route}: ${timedOut ? 'timed out' : `network error (${describeCause(error)})`}; retry ${attempt}/${retries} in ${wait}ms`);
          await sleepOrAbort(options, wait, context);
          continue;
        }
        const tries = attemptsText(attempt);
        if (timedOut) {
          throw new ApiError('TIMEOUT', `${req.route} timed out after ${Math.round(timeoutMs / 1000)}s${tries}; the API did not answer in time, raise the request timeout or try again later.`, context, { cause: error });
        }
        throw new ApiError('NETWORK_ERROR', `${req.route} could not reach ${base.origin} (${describeCause(error)})${tries}; check the network, the proxy and the base URL or region.`, context, { cause: error });
      }

      const correlationId = response.headers.get('r7-correlation-id') ?? undefined;
      if (!response.ok) {
        const body = await readBodyText(response);
        const retryable = canRetry ? RETRYABLE_STATUS.has(response.status) : retryMode === 'rate-limit' && response.status === 429;
        if (retryable && attempt < maxAttempts) {
          const wait = backoff(attempt - 1, response.headers.get('retry-after'));
          logger.debug(`${req.route}: ${response.status}; retry ${attempt}/${retries} in ${wait}ms`);
          await sleepOrAbort(options, wait, context);
          continue;
        }
        throw httpError(req, response, body, { ...context, ...(correlationId === undefined ? {} : { correlationId }) }, attempt, baseUrl, redact);
      }

      if (req.schema === undefined) {
        await response.body?.cancel().catch(() => undefined);
        return { status: response.status, data: undefined as T, headers: response.headers, correlationId };
      }
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throwIfAborted(options.signal, context, error);
        if (canRetry && attempt < maxAttempts) {
          await sleepOrAbort(options, backoff(attempt - 1, null), context);
          continue;
        }
        throw new ApiError('NETWORK_ERROR', `${req.route} lost the connection while reading the response (${describeCause(error)})${attemptsText(attempt)}; check the network and try again.`, { ...context, status: response.status }, { cause: error });
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new ApiError('RESPONSE_INVALID', `${req.route} returned a body that is not valid JSON (${text.length} bytes, starting ${JSON.stringify(redact(text.slice(0, 40)))}); the API or a proxy in between sent a broken response.`, { ...context, status: response.status, bodyExcerpt: redact(text.slice(0, 300)), ...(correlationId === undefined ? {} : { correlationId }) }, { cause: error });
      }
      const parsed = req.schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const field = issue === undefined || issue.path.length === 0 ? 'the body' : `field '${issue.path.join('.')}'`;
        throw new ApiError('RESPONSE_INVALID', `${req.route} returned an unexpected shape: ${field} ${issue?.message.toLowerCase() ?? 'is invalid'}; the API may have changed, report this with the correlation id ${correlationId ?? '(none)'}.`, { ...context, status: response.status, bodyExcerpt: redact(text.slice(0, 300)), ...(correlationId === undefined ? {} : { correlationId }) });
      }
      return { status: response.status, data: parsed.data, headers: response.headers, correlationId };
    }
  }

  return { baseUrl, request };
}

function httpError(
  req: RequestOptions<unknown>,
  response: Response,
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

function attemptsText(attempt: number): string {
  return attempt > 1 ? ` after ${attempt} attempts` : '';
}


function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || (error as { code?: string }).code === 'ETIMEDOUT');
}


function throwIfAborted(signal: AbortSignal | undefined, context: { method: string; url: string; route: string }, cause?: unknown): void {
  if (signal?.aborted) {
    throw new ApiError('ABORTED', `${context.route} was interrupted; the run was cancelled.`, context, { cause: cause ?? signal.reason });
  }
}

async function sleepOrAbort(options: ApiClientOptions, ms: number, context: { method: string; url: string; route: string }): Promise<void> {
  try {
    await options.clock.sleep(ms, options.signal);
  } catch (error) {
    throwIfAborted(options.signal, context, error);
    throw error;
  }
}

export { parseRetryAfter } from './transport';
