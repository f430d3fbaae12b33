import type { Clock, FetchLike, Logger } from '../../effects';
import { describeCause, parseRetryAfter } from '../../api/transport';
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
export function azureRetryAfterMs(headers: Headers, now: number): number | undefined {
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = Number(headers.get(name) ?? '');
    if (headers.get(name) !== null && Number.isFinite(value) && value >= 0) return value;
  }
  return parseRetryAfter(headers.get('retry-after'), now);
}

/**
 * Sends a request, retrying 408/429/5xx answers (honouring their Retry-After) and network errors. Returns the last
 * response, whatever its status; callers turn failures into errors they can explain.
 * @throws ApiError NETWORK_ERROR when the host cannot be reached after the retries, ABORTED when cancelled.
 */
export async function sendWithRetry(ctx: AzureHttpContext, route: string, url: string, init: () => RequestInit): Promise<Response> {
  const retries = ctx.retries ?? 3;
  const baseMs = ctx.retryBaseMs ?? 1000;
  const maxMs = ctx.retryMaxMs ?? 60_000;
  const context = { method: init().method ?? 'GET', url: shownUrl(url), route };
  const unsafe = azureUrlProblem(url);
  if (unsafe !== undefined) throw new ApiError('RESPONSE_INVALID', `${route} refused to send credentials: ${unsafe}.`, context);
  for (let attempt = 0; ; attempt += 1) {
    if (ctx.signal?.aborted) throw new ApiError('ABORTED', `${route} was interrupted; the run was cancelled.`, context);
    let response: Response;
    try {
      // Redirects are never followed: the request carries a client secret, a bearer token or a SAS signature, and
      // fetch would replay the body (307/308) and the headers to whatever host the Location names.
      response = await ctx.fetch(url, { ...init(), redirect: 'manual', ...(ctx.signal === undefined ? {} : { signal: ctx.signal }) });
    } catch (error) {
      if (ctx.signal?.aborted) throw new ApiError('ABORTED', `${route} was interrupted; the run was cancelled.`, context, { cause: error });
      if (attempt < retries) {
        const wait = Math.min(maxMs, baseMs * 2 ** attempt);
        ctx.logger.debug(`${route}: network error (${describeCause(error)}); retry ${attempt + 1}/${retries} in ${wait}ms`);
        await ctx.clock.sleep(wait, ctx.signal);
        continue;
      }
      throw new ApiError('NETWORK_ERROR', `${route} could not reach ${new URL(url).origin} (${describeCause(error)}) after ${attempt + 1} attempts; check the network, the proxy and the --cloud, --arm-endpoint or --authority-host values.`, context, { cause: error });
    }
    if ((response.status >= 300 && response.status < 400) || response.type === 'opaqueredirect') {
      await response.body?.cancel().catch(() => undefined);
      const location = response.headers.get('location');
      let target = 'an unnamed location';
      if (location !== null) {
        try {
          target = new URL(location, url).origin;
        } catch {
          target = 'an invalid location';
        }
      }
      throw new ApiError('RESPONSE_INVALID', `${route} answered ${response.status || 'a redirect'} from ${new URL(url).origin} to ${target}; redirects are not followed with Azure credentials, so check --authority-host, --arm-endpoint and any proxy in between.`, { ...context, status: response.status });
    }
    if (RETRYABLE.has(response.status) && attempt < retries) {
      const asked = azureRetryAfterMs(response.headers, ctx.clock.now());
      const wait = Math.min(maxMs, asked ?? baseMs * 2 ** attempt);
      await response.body?.cancel().catch(() => undefined);
      ctx.logger.debug(`${route}: ${response.status}; retry ${attempt + 1}/${retries} in ${wait}ms${asked === undefined ? '' : ' (Retry-After)'}`);
      await ctx.clock.sleep(wait, ctx.signal);
      continue;
    }
    return response;
  }
}


