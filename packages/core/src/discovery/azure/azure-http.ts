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
  for (let attempt = 0; ; attempt += 1) {
    if (ctx.signal?.aborted) throw new ApiError('ABORTED', `${route} was interrupted; the run was cancelled.`, context);
    let response: Response;
    try {
      response = await ctx.fetch(url, { ...init(), ...(ctx.signal === undefined ? {} : { signal: ctx.signal }) });
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


