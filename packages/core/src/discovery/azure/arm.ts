import type { FetchResponse } from '../../effects';
import { ApiError } from '../../errors';
import { sendWithRetry, shownUrl, type AzureHttpContext } from './azure-http';
import type { TokenProvider } from './token';

/** Options of {@link createArmClient}. */
export interface ArmClientOptions extends AzureHttpContext {
  /** e.g. `https://management.azure.com`. */
  armEndpoint: string;
  /** @default '2024-05-01' */
  apiVersion: string;
  tokens: TokenProvider;
}

/** A page of an ARM list. */
export interface ArmPage<T> {
  value?: T[];
  nextLink?: string | null;
}

/** The ARM calls discovery makes, authenticated, retried and explained. */
export interface ArmClient {
  /** GETs a resource path (`/subscriptions/…`) or an absolute `nextLink`; the api-version is added to paths. */
  get<T>(pathOrUrl: string, route: string, query?: Record<string, string | undefined>): Promise<T>;
  /** Every item of a list, following absolute `nextLink`s; a missing, null or empty `nextLink` ends it. */
  list<T>(path: string, route: string, query?: Record<string, string | undefined>): Promise<T[]>;
}

export const READER_ROLE = 'API Management Service Reader Role';

/**
 * Creates the ARM client. A 401 renews the token once and repeats the request; 429 and 5xx are retried with
 * their Retry-After by {@link sendWithRetry}.
 * @throws ApiError AUTH_FAILED (401 after a renewal; 403 with the role to assign), HTTP_ERROR (404 and the rest,
 * with `status` set), NETWORK_ERROR, RESPONSE_INVALID.
 */
export function createArmClient(options: ArmClientOptions): ArmClient {
  const endpoint = options.armEndpoint.replace(/\/+$/, '');

  const urlOf = (pathOrUrl: string, query: Record<string, string | undefined>): string => {
    if (/^[a-z][a-z0-9+.-]*:/i.test(pathOrUrl)) {
      // A nextLink carries the bearer token, so it must stay on the ARM origin it came from.
      let origin: string | undefined;
      try {
        origin = new URL(pathOrUrl).origin;
      } catch {
        origin = undefined;
      }
      if (origin !== new URL(endpoint).origin) {
        throw new ApiError('RESPONSE_INVALID', `ARM returned a nextLink to ${origin ?? 'an invalid URL'}, not to ${new URL(endpoint).origin}; it is not followed, so the token stays on the ARM endpoint.`, { method: 'GET', url: shownUrl(pathOrUrl), route: 'GET {nextLink}' });
      }
      return pathOrUrl;
    }
    const url = new URL(`${endpoint}${pathOrUrl}`);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
    if (!url.searchParams.has('api-version')) url.searchParams.set('api-version', options.apiVersion);
    return url.toString();
  };

  async function get<T>(pathOrUrl: string, route: string, query: Record<string, string | undefined> = {}): Promise<T> {
    const url = urlOf(pathOrUrl, query);
    let token = await options.tokens.get();
    let renewed = false;
    for (;;) {
      const bearer = token;
      const { response, text } = await sendWithRetry(options, route, url, () => ({ method: 'GET', headers: { authorization: `Bearer ${bearer}`, accept: 'application/json' } }));
      if (response.status === 401 && !renewed) {
        options.logger.debug(`${route}: 401 ${armErrorOf(text).code ?? ''}; renewing the token once`);
        renewed = true;
        token = await options.tokens.refresh(bearer);
        continue;
      }
      if (!response.ok) throw armError(route, url, response, text);
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        throw new ApiError('RESPONSE_INVALID', `${route} returned a body that is not JSON; check --arm-endpoint.`, { method: 'GET', url: shownUrl(url), route, status: response.status, bodyExcerpt: text.slice(0, 200) }, { cause: error });
      }
    }
  }

  async function list<T>(path: string, route: string, query: Record<string, string | undefined> = {}): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    let pages = 0;
    while (next !== undefined) {
      const page: ArmPage<T> = await get<ArmPage<T>>(next, route, pages === 0 ? query : {});
      items.push(...(page.value ?? []));
      pages += 1;
      // A missing, null or empty nextLink ends the list (ARM's own example ends with "nextLink": "").
      next = typeof page.nextLink === 'string' && page.nextLink.trim() !== '' ? page.nextLink : undefined;
      if (pages > 10_000) throw new ApiError('RESPONSE_INVALID', `${route} kept returning nextLinks after 10000 pages; stopping.`, { method: 'GET', url: shownUrl(path), route });
    }
    return items;
  }

  return { get, list };
}

/** The `{error:{code,message}}` body of an ARM failure, when there is one. */
export function armErrorOf(text: string): { code?: string; message?: string } {
  try {
    const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
    return {
      ...(typeof body.error?.code === 'string' ? { code: body.error.code } : {}),
      ...(typeof body.error?.message === 'string' ? { message: body.error.message } : {}),
    };
  } catch {
    return {};
  }
}

function armError(route: string, url: string, response: FetchResponse, text: string): ApiError {
  const { code, message } = armErrorOf(text);
  const status = response.status;
  const head = `${route} failed with ${status}${code === undefined ? '' : ` ${code}`}`;
  const said = message === undefined ? '' : ` (${clipAtWord(message.replace(/\s+/g, ' '), 400)})`;
  const context = { method: 'GET', url: shownUrl(url), route, status, bodyExcerpt: text.slice(0, 300), ...(response.headers.get('x-ms-request-id') ? { correlationId: response.headers.get('x-ms-request-id') ?? '' } : {}) };
  if (status === 401) {
    return new ApiError('AUTH_FAILED', `${head} even with a fresh token${said}; check --tenant-id, --client-id and that --cloud / --arm-endpoint match the tenant's cloud.`, context);
  }
  if (status === 403) {
    return new ApiError('AUTH_FAILED', `${head}${said}; assign the '${READER_ROLE}' to the app registration (its service principal) at the subscription, resource group or API Management instance, then wait a few minutes for the assignment to apply.`, context);
  }
  if (status === 404) {
    return new ApiError('HTTP_ERROR', `${head}${said}; check the subscription id, --resource-group and --service (and --cloud: other clouds answer 404).`, context);
  }
  if (status === 429 || status >= 500) {
    return new ApiError('HTTP_ERROR', `${head}${said} after retries; Azure is throttling or having trouble, run again later or lower --concurrency.`, context);
  }
  return new ApiError('HTTP_ERROR', `${head}${said}; check --api-filter and --apim-api-version.`, context);
}

/** Text cut to at most `max` characters at a word boundary, with an ellipsis when cut (never mid-word). */
export function clipAtWord(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`;
}
