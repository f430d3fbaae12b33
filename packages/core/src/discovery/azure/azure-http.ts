import type { Clock, FetchLike, Logger, FetchResponse, HeaderLookup } from '../../effects';
import { isTimeout, retrying, type AttemptVerdict, type RetryLoop } from '../../api/retry-loop';
import { DEFAULT_MAX_BODY_BYTES, describeCause, discardBody, parseRetryAfter, readBodyBounded } from '../../api/transport';
import { ApiError } from '../../errors';

/** What every Azure request needs: transport, time, logs, cancellation and the retry budget. */
export interface AzureHttpContext {
  fetch: FetchLike;
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
  /** Retries after the first attempt, on 408/429/5xx and network errors. @default 3 (as Azure's own pipeline) */
  retries?: number;
  /** First back-off delay when the server gives no Retry-After; doubles per retry. @default 1000 */
  retryBaseMs?: number;
  /** Cap on any single wait. @default 60000 */
  retryMaxMs?: number;
  /** Per-attempt deadline, covering the headers and the whole body. @default 60000 */
  timeoutMs?: number;
}

const RETRYABLE = new Set([408, 429, 500, 502, 503, 504]);

/** True for 127.0.0.0/8, `localhost` and `[::1]`: the only hosts plain http is allowed to. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/**
 * Why a URL may not carry Azure credentials (a client secret, a bearer token or a SAS signature), or `undefined`
 * when it may: it must be https, or http to a loopback host (local fakes), and hold no user:password.
 */
export function azureUrlProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return `'${shownUrl(url)}' is not a URL`;
  }
  if (parsed.username !== '' || parsed.password !== '') return `${parsed.protocol}//${parsed.host} carries a user name or password; remove it`;
  if (parsed.protocol === 'https:') return undefined;
  if (parsed.protocol === 'http:' && isLoopbackHost(parsed.hostname)) return undefined;
  return `${parsed.origin} is not https (plain http is allowed only to 127.0.0.1, localhost and [::1])`;
}

/** A URL as logs and errors may show it: no query string (SAS signatures and skip tokens stay out). */
export function shownUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url.split('?')[0] ?? '';
  }
}

/** The wait a throttled or failing response asks for: `retry-after-ms`, `x-ms-retry-after-ms`, then `Retry-After`. */
export function azureRetryAfterMs(headers: HeaderLookup, now: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = Number(headers.get(name) ?? '');
    if (headers.get(name) !== null && Number.isFinite(value) && value >= 0) return value;
  }
  return parseRetryAfter(headers.get('retry-after'), now);
}

/** An Azure answer: its response (body already read) and the body text (at most 32 MiB, cut beyond). */
export interface AzureAnswer {
  response: FetchResponse;
  text: string;
}

/**
 * Sends a request through the one retry loop ({@link retrying}): 408/429/5xx answers are retried honouring their
 * Retry-After (clamped), network errors and timeouts with back-off; each attempt, its body included, has a deadline.
 * Returns the last answer, whatever its status; callers turn failures into errors they can explain.
 * @throws ApiError NETWORK_ERROR or TIMEOUT when the host cannot be reached after the retries, ABORTED when cancelled.
 */
export async function sendWithRetry(ctx: AzureHttpContext, route: string, url: string, init: () => RequestInit): Promise<AzureAnswer> {
  const context = { method: init().method ?? 'GET', url: shownUrl(url), route };
  const unsafe = azureUrlProblem(url);
  if (unsafe !== undefined) throw new ApiError('RESPONSE_INVALID', `${route} refused to send credentials: ${unsafe}.`, context);
  const aborted = (cause: unknown): ApiError => new ApiError('ABORTED', `${route} was interrupted; the run was cancelled.`, context, { cause });
  const loop: RetryLoop = {
    clock: ctx.clock,
    logger: ctx.logger,
    signal: ctx.signal,
    route,
    retries: ctx.retries ?? 3,
    retryBaseMs: ctx.retryBaseMs ?? 1000,
    retryMaxMs: ctx.retryMaxMs ?? 60_000,
    // Azure's own pipeline waits the full back-off, without jitter.
    random: () => 1,
    timeoutMs: ctx.timeoutMs ?? 60_000,
    aborted,
    pastDeadline: () => aborted(undefined),
  };
  return retrying(loop, async (at) => {
    const failed = (error: unknown, reading: boolean): AttemptVerdict<AzureAnswer> => {
      if (ctx.signal?.aborted) throw aborted(error);
      const timedOut = at.timer.aborted || isTimeout(error);
      const what = timedOut ? `timed out after ${Math.round(at.attemptMs / 1000)}s${reading ? ' while reading the answer' : ''}` : `${reading ? 'lost the connection while reading the answer' : `could not reach ${new URL(url).origin}`} (${describeCause(error)})`;
      return {
        why: timedOut ? 'timed out' : `network error (${describeCause(error)})`,
        final: () => {
          throw new ApiError(timedOut ? 'TIMEOUT' : 'NETWORK_ERROR', `${route} ${what} after ${at.attempt} attempts; check the network, the proxy and the --cloud, --arm-endpoint or --authority-host values.`, context, { cause: error });
        },
      };
    };
    let response: FetchResponse;
    try {
      // Redirects are never followed: the request carries a client secret, a bearer token or a SAS signature, and
      // fetch would replay the body (307/308) and the headers to whatever host the Location names.
      response = await ctx.fetch(url, { ...init(), redirect: 'manual', signal: at.signal });
    } catch (error) {
      return failed(error, false);
    }
    if ((response.status >= 300 && response.status < 400) || response.type === 'opaqueredirect') throw await redirectError(route, url, response, context);
    let text: string;
    try {
      text = await readBodyBounded(response, { maxBytes: DEFAULT_MAX_BODY_BYTES, signal: at.signal, truncate: true });
    } catch (error) {
      return failed(error, true);
    }
    const answer = { response, text };
    if (!RETRYABLE.has(response.status)) return { done: answer };
    return { why: String(response.status), retryAfterMs: azureRetryAfterMs(response.headers, ctx.clock.now()), final: () => answer };
  });
}

async function redirectError(route: string, url: string, response: FetchResponse, context: { method: string; url: string; route: string }): Promise<ApiError> {
  await discardBody(response);
  const location = response.headers.get('location');
  let target = 'an unnamed location';
  if (location !== null) {
    try {
      target = new URL(location, url).origin;
    } catch {
      target = 'an invalid location';
    }
  }
  return new ApiError('RESPONSE_INVALID', `${route} answered ${response.status || 'a redirect'} from ${new URL(url).origin} to ${target}; redirects are not followed with Azure credentials, so check --authority-host, --arm-endpoint and any proxy in between.`, { ...context, status: response.status });
}
