import { randomBytes } from 'node:crypto';
import type { SimRequest, SimResponse } from '../api-handler.js';
import { createRealClock, type SimClock } from '../clock.js';
import { startListener, type ListenOptions, type RunningListener } from '../http-listener.js';
import { createRequestCounters, type RequestCounters } from '../request-counters.js';
import { createInProcessFetch, explicitOrigin, type SimOutcome } from '../in-process-fetch.js';
import { defaultAzureFixture, type AzureFixture, type FakeApi, type FakeService, type FakeSpec } from './azure-fixtures.js';

/**
 * Route names of the Azure fake, for counters and faults:
 * `POST /token`, `GET /subscriptions` (the subscriptions the app can see), `GET /services` (subscription or resource-group list), `GET /service` (one service),
 * `GET /apis`, `GET /export`, `GET /blob`.
 */
export const AZURE_ROUTES = ['POST /token', 'GET /subscriptions', 'GET /services', 'GET /service', 'GET /workspaces', 'GET /apis', 'GET /export', 'GET /blob'] as const;
/** One route of the Azure fake. */
export type AzureRoute = (typeof AZURE_ROUTES)[number];

/** A fault: answer a route with an error status instead of handling it. */
export interface AzureFaultRule {
  route?: AzureRoute;
  /** 401, 403, 404, 429, 500, 503, … */
  status: number;
  /** `Retry-After` seconds (429 and 503). */
  retryAfter?: number;
  /** The ARM error code (or the Entra `error` on `POST /token`); a sensible one per status by default. */
  code?: string;
  /** Only the first N matching requests. */
  times?: number;
  /** Only when the request path contains this text (one service or one API). */
  pathIncludes?: string;
  /** With a 3xx status: the `Location` to redirect to (e.g. another origin that should never see credentials). */
  location?: string;
}

/** Options of {@link createAzureFake}. */
export interface AzureFakeOptions {
  /** @default defaultAzureFixture() */
  fixture?: AzureFixture;
  /** @default real time */
  clock?: SimClock;
  /** Lifetime of issued tokens, seconds. @default 3599 */
  tokenLifetimeSeconds?: number;
  /** Lifetime of export links. @default 300 (the 5 minutes of APIM) */
  linkTtlSeconds?: number;
  /** Items per page of the service and API lists. @default 2 */
  pageSize?: number;
  /** Origin put in `nextLink`s instead of the request's own (a hostile ARM that sends the token elsewhere). */
  nextLinkOrigin?: string;
}

/** One request the fake saw. */
export interface AzureRequestRecord {
  route: string;
  method: string;
  /** Path and query. */
  url: string;
  hadAuthorization: boolean;
}

/** A running fake of Entra ID, ARM (API Management) and the export blob host, on one origin. */
export interface AzureFake {
  readonly fixture: AzureFixture;
  /** In-process: a drop-in for globalThis.fetch (any origin). */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** A real listener; `baseUrl` is `http://127.0.0.1:PORT`, usable as authority host and ARM endpoint. */
  listen(options?: ListenOptions): Promise<{ baseUrl: string; close(): Promise<void> }>;
  readonly counters: RequestCounters;
  readonly faults: { add(rule: AzureFaultRule): void; clear(): void };
  /** Every request seen, in order. */
  requests(): AzureRequestRecord[];
  /** Makes every token issued so far invalid, as if it had expired (the next ARM call answers 401). */
  expireTokens(): void;
  /** Replaces an API's definitions. */
  setSpec(service: string, api: string, specs: { openapi3?: FakeSpec; swagger2?: FakeSpec }): void;
  addApi(service: string, api: FakeApi): void;
  removeApi(service: string, api: string): void;
  /**
   * Revokes (or with `false` restores) the app's role on one service, as the guide assigns roles per instance:
   * the service drops out of the lists and answers 403 to direct reads.
   */
  revokeRole(service: string, revoked?: boolean): void;
  close(): Promise<void>;
}

const PROVIDER = 'providers/Microsoft.ApiManagement/service';
const SUB = '/subscriptions/([^/]+)';
const RG = '/resourceGroups/([^/]+)';
const PATTERNS = {
  token: /^\/([^/]+)\/oauth2\/v2\.0\/token$/,
  servicesBySub: new RegExp(`^${SUB}/${PROVIDER}$`, 'i'),
  servicesByRg: new RegExp(`^${SUB}${RG}/${PROVIDER}$`, 'i'),
  service: new RegExp(`^${SUB}${RG}/${PROVIDER}/([^/]+)$`, 'i'),
  apis: new RegExp(`^${SUB}${RG}/${PROVIDER}/([^/]+)/apis$`, 'i'),
  api: new RegExp(`^${SUB}${RG}/${PROVIDER}/([^/]+)/apis/([^/]+)$`, 'i'),
  workspaces: new RegExp(`^${SUB}${RG}/${PROVIDER}/([^/]+)/workspaces$`, 'i'),
  workspaceApis: new RegExp(`^${SUB}${RG}/${PROVIDER}/([^/]+)/workspaces/([^/]+)/apis$`, 'i'),
  workspaceApi: new RegExp(`^${SUB}${RG}/${PROVIDER}/([^/]+)/workspaces/([^/]+)/apis/([^/]+)$`, 'i'),
  blob: /^\/blob\/(.+)$/,
  subscriptions: /^\/subscriptions\/?$/i,
};

/** The route name of a request, for counters and faults. */
export function azureRouteOf(method: string, pathname: string, search: URLSearchParams): string {
  const verb = method.toUpperCase();
  if (PATTERNS.token.test(pathname)) return `${verb} /token`;
  if (PATTERNS.blob.test(pathname)) return `${verb} /blob`;
  if (PATTERNS.subscriptions.test(pathname)) return `${verb} /subscriptions`;
  if (PATTERNS.servicesBySub.test(pathname) || PATTERNS.servicesByRg.test(pathname)) return `${verb} /services`;
  if (PATTERNS.service.test(pathname)) return `${verb} /service`;
  if (PATTERNS.workspaces.test(pathname)) return `${verb} /workspaces`;
  if (PATTERNS.apis.test(pathname) || PATTERNS.workspaceApis.test(pathname)) return `${verb} /apis`;
  if (PATTERNS.api.test(pathname) || PATTERNS.workspaceApi.test(pathname)) return search.get('export') === 'true' ? `${verb} /export` : `${verb} /api`;
  return `${verb} ${pathname}`;
}

/** The API Management api-versions the fake answers (a subset of the real list). */
export const SUPPORTED_API_VERSIONS = ['2021-08-01', '2022-08-01', '2023-05-01-preview', '2023-09-01-preview', '2024-05-01', '2024-06-01-preview'];

const DEFAULT_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'ExpiredAuthenticationToken',
  403: 'AuthorizationFailed',
  404: 'ResourceNotFound',
  409: 'Conflict',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  502: 'BadGateway',
  503: 'ServiceUnavailable',
};

const armJson = (status: number, body: unknown, headers: Record<string, string> = {}): SimResponse => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': randomBytes(8).toString('hex'), ...headers },
  body: JSON.stringify(body),
});

const armError = (status: number, code: string, message: string, headers: Record<string, string> = {}): SimResponse => armJson(status, { error: { code, message } }, headers);

const entraError = (status: number, error: string, aadsts: string, description: string): SimResponse =>
  armJson(status, {
    error,
    error_description: `${aadsts}: ${description} Trace ID: 0f0f0f0f. Correlation ID: 1e1e1e1e. Timestamp: 2026-01-01 00:00:00Z`,
    error_codes: [Number(aadsts.replace('AADSTS', ''))],
    timestamp: '2026-01-01 00:00:00Z',
    trace_id: '0f0f0f0f-0000-4000-8000-000000000000',
    correlation_id: '1e1e1e1e-0000-4000-8000-000000000000',
  });

const storageError = (code: string, message: string): SimResponse => ({
  status: 403,
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>`,
});

/**
 * Creates a fake of the Azure endpoints API discovery uses: the Entra ID token endpoint, ARM's API Management
 * routes (services, APIs with `nextLink` paging whose last page has `"nextLink": ""`, export links) and the blob
 * host that serves exports (it refuses requests carrying an `Authorization` header and links past their expiry).
 * All of it answers on one origin, so a client points its authority host and ARM endpoint there.
 */
export function createAzureFake(options: AzureFakeOptions = {}): AzureFake {
  const fixture = options.fixture ?? defaultAzureFixture();
  const clock = options.clock ?? createRealClock();
  const tokenLifetime = options.tokenLifetimeSeconds ?? 3599;
  const linkTtlMs = (options.linkTtlSeconds ?? 300) * 1000;
  const pageSize = options.pageSize ?? 2;
  const counters = createRequestCounters();
  const tokens = new Map<string, number>();
  const blobs = new Map<string, { body: string; contentType: string; expiresAt: number }>();
  const log: AzureRequestRecord[] = [];
  let rules: { rule: AzureFaultRule; matches: number }[] = [];
  const listeners = new Set<RunningListener>();

  const serviceOf = (name: string): FakeService | undefined => fixture.services.find((s) => s.name.toLowerCase() === name.toLowerCase());
  const revoked = new Set<string>();
  const subscriptionOf = (s: FakeService): string => s.subscriptionId ?? fixture.subscriptionId;
  const knownSubscription = (id: string): boolean => id === fixture.subscriptionId || (fixture.otherSubscriptions ?? []).some((o) => o.subscriptionId === id && (o.state ?? 'Enabled') !== 'Disabled');
  const serviceId = (s: FakeService): string => `/subscriptions/${subscriptionOf(s)}/resourceGroups/${s.resourceGroup}/providers/Microsoft.ApiManagement/service/${s.name}`;

  const serviceJson = (s: FakeService): Record<string, unknown> => ({
    id: serviceId(s),
    name: s.name,
    type: 'Microsoft.ApiManagement/service',
    location: s.location ?? 'West Europe',
    sku: { name: s.sku ?? 'Developer', capacity: 1 },
    properties: {
      publisherEmail: 'apis@contoso.example',
      publisherName: 'Contoso',
      provisioningState: 'Succeeded',
      gatewayUrl: s.gatewayUrl,
      developerPortalUrl: s.gatewayUrl.replace('.azure-api.net', '.developer.azure-api.net'),
      hostnameConfigurations: [{ type: 'Proxy', hostName: new URL(s.gatewayUrl).hostname, defaultSslBinding: true }],
      publicNetworkAccess: 'Enabled',
      virtualNetworkType: 'None',
    },
  });

  const apiJson = (s: FakeService, a: FakeApi): Record<string, unknown> => ({
    id: `${serviceId(s)}/apis/${a.name}`,
    type: 'Microsoft.ApiManagement/service/apis',
    name: a.name,
    properties: {
      displayName: a.displayName,
      apiRevision: a.apiRevision ?? '1',
      ...(a.serviceUrl === undefined ? {} : { serviceUrl: a.serviceUrl }),
      path: a.path,
      protocols: a.protocols ?? ['https'],
      ...(a.type === undefined || a.type === 'http' ? {} : { type: a.type }),
      isCurrent: a.isCurrent ?? true,
      ...(a.apiVersion === undefined ? {} : { apiVersion: a.apiVersion }),
      ...(a.apiVersionSetId === undefined ? {} : { apiVersionSetId: `${serviceId(s)}${a.apiVersionSetId}` }),
      subscriptionRequired: a.subscriptionRequired ?? true,
      subscriptionKeyParameterNames: { header: 'Ocp-Apim-Subscription-Key', query: 'subscription-key' },
    },
  });

  /** A page of `items` at `$skip`, with an absolute `nextLink` (the last page carries `""`, like ARM's example). */
  const page = (req: SimRequest, items: Record<string, unknown>[]): SimResponse => {
    const skip = Math.max(0, Number(req.url.searchParams.get('$skip') ?? '0') || 0);
    const top = Math.min(pageSize, Number(req.url.searchParams.get('$top') ?? pageSize) || pageSize);
    const value = items.slice(skip, skip + top);
    let nextLink = '';
    if (skip + top < items.length) {
      const next = new URL(req.url.pathname, options.nextLinkOrigin ?? req.origin);
      for (const [k, v] of req.url.searchParams) if (k !== '$skip') next.searchParams.set(k, v);
      next.searchParams.set('$skip', String(skip + top));
      nextLink = next.toString();
    }
    return armJson(200, { value, count: items.length, nextLink });
  };

  const checkVersion = (req: SimRequest): SimResponse | undefined => {
    const version = req.url.searchParams.get('api-version');
    if (version === null || version === '') {
      return armError(400, 'MissingApiVersionParameter', "The api-version query parameter (?api-version=) is required for all requests.");
    }
    const subscriptionsList = /^\/subscriptions\/?$/i.test(req.url.pathname);
    if (!subscriptionsList && !SUPPORTED_API_VERSIONS.includes(version)) {
      return armError(400, 'NoRegisteredProviderFound', `No registered resource provider found for location 'westeurope' and API version '${version}' for type 'service'. The supported api-versions are '${SUPPORTED_API_VERSIONS.join(', ')}'.`);
    }
    return undefined;
  };

  const checkToken = (req: SimRequest): SimResponse | undefined => {
    const header = req.headers.get('authorization') ?? '';
    const token = /^Bearer\s+(.+)$/i.exec(header)?.[1];
    if (token === undefined) return armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.");
    const expiresAt = tokens.get(token);
    if (expiresAt === undefined) return armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.');
    if (clock.now() >= expiresAt) return armError(401, 'ExpiredAuthenticationToken', "The access token expiry UTC time is earlier than current UTC time.");
    return undefined;
  };

  const handleToken = (req: SimRequest, tenant: string): SimResponse => {
    if (req.method !== 'POST') return armError(405, 'MethodNotAllowed', 'Use POST.');
    const form = new URLSearchParams(req.body);
    if (tenant !== fixture.tenantId) return entraError(400, 'invalid_request', 'AADSTS90002', `Tenant '${tenant}' not found.`);
    if (form.get('grant_type') !== 'client_credentials') return entraError(400, 'unsupported_grant_type', 'AADSTS70003', 'The app requested an unsupported grant type.');
    if (form.get('client_id') !== fixture.clientId) return entraError(400, 'unauthorized_client', 'AADSTS700016', `Application with identifier '${form.get('client_id') ?? ''}' was not found in the directory.`);
    if (form.get('client_secret') !== fixture.clientSecret) return entraError(401, 'invalid_client', 'AADSTS7000215', 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.');
    const scope = form.get('scope') ?? '';
    const audience = scope.endsWith('/.default') ? scope.slice(0, -'/.default'.length) : '';
    let sameOrigin = false;
    try {
      sameOrigin = explicitOrigin(new URL(audience)) === req.origin;
    } catch {
      sameOrigin = false;
    }
    if (!sameOrigin) return entraError(400, 'invalid_scope', 'AADSTS70011', `The provided value for the input parameter 'scope' is not valid: '${scope}'.`);
    const token = `fake-arm-token-${randomBytes(12).toString('hex')}`;
    tokens.set(token, clock.now() + tokenLifetime * 1000);
    return armJson(200, { token_type: 'Bearer', expires_in: tokenLifetime, ext_expires_in: tokenLifetime, access_token: token });
  };

  const listApis = (req: SimRequest, s: FakeService): SimResponse => {
    const filter = req.url.searchParams.get('$filter') ?? '';
    if ((filter.match(/'/g) ?? []).length % 2 !== 0 || (filter.match(/\(/g) ?? []).length !== (filter.match(/\)/g) ?? []).length) {
      return armError(400, 'InvalidFilterParameter', `Invalid $filter '${filter}': syntax error.`);
    }
    let apis = s.apis;
    if (/isCurrent\s+eq\s+true/i.test(filter)) apis = apis.filter((a) => a.isCurrent ?? true);
    const byName = /name\s+eq\s+'([^']*)'/i.exec(filter)?.[1];
    if (byName !== undefined) apis = apis.filter((a) => a.name === byName);
    return page(req, apis.map((a) => apiJson(s, a)));
  };

  const exportApi = (req: SimRequest, s: FakeService, a: FakeApi): SimResponse => {
    const format = req.url.searchParams.get('format') ?? '';
    let spec: FakeSpec | undefined;
    let resultFormat: string;
    if (format === 'openapi+json-link' || format === 'openapi-link') {
      spec = a.openapi3;
      resultFormat = 'openapi-link';
    } else if (format === 'swagger-link') {
      spec = a.swagger2;
      resultFormat = 'swagger-link-json';
    } else {
      return armError(400, 'ValidationError', `Format '${format}' is not supported; use swagger-link, openapi-link, openapi+json-link, wsdl-link or wadl-link.`);
    }
    if (spec === undefined) return armError(400, 'ValidationError', `API '${a.name}' cannot be exported in format '${format}'.`);
    const sig = randomBytes(16).toString('base64url');
    const expiresAt = clock.now() + linkTtlMs;
    const yaml = typeof spec === 'string';
    blobs.set(sig, { body: yaml ? (spec as string) : JSON.stringify(spec), contentType: yaml ? 'application/yaml' : 'application/json', expiresAt });
    const link = `${req.origin}/blob/api-export/${encodeURIComponent(a.displayName)}.${yaml ? 'yaml' : 'json'}?sv=2021-08-06&sr=b&se=${encodeURIComponent(new Date(expiresAt).toISOString())}&sp=r&sig=${sig}`;
    return armJson(200, { id: `${serviceId(s)}/apis/${a.name}`, format: resultFormat, value: { link } });
  };

  const handleBlob = (req: SimRequest): SimResponse => {
    if (req.headers.has('authorization')) {
      return storageError('InvalidAuthenticationInfo', 'Authentication information is not given in the correct format; a SAS link must not carry an Authorization header.');
    }
    const blob = blobs.get(req.url.searchParams.get('sig') ?? '');
    if (blob === undefined) return storageError('AuthenticationFailed', 'Server failed to authenticate the request. Signature did not match.');
    if (clock.now() > blob.expiresAt) return storageError('AuthenticationFailed', 'Signed expiry time must be after the current time: the link has expired.');
    return { status: 200, headers: { 'content-type': blob.contentType }, body: blob.body };
  };

  const handleArm = (req: SimRequest): SimResponse => {
    const path = decodeURIComponent(req.url.pathname);
    const bad = checkVersion(req) ?? checkToken(req);
    if (bad) return bad;
    if (PATTERNS.subscriptions.test(path)) {
      const all = [{ subscriptionId: fixture.subscriptionId, displayName: 'Default', state: 'Enabled' }, ...(fixture.otherSubscriptions ?? [])];
      return page(req, all.map((o) => ({ id: `/subscriptions/${o.subscriptionId}`, subscriptionId: o.subscriptionId, tenantId: fixture.tenantId, displayName: o.displayName ?? o.subscriptionId, state: o.state ?? 'Enabled' })));
    }
    let m = PATTERNS.servicesBySub.exec(path) ?? PATTERNS.servicesByRg.exec(path);
    if (m) {
      const sub = m[1] ?? '';
      if (!knownSubscription(sub)) return armError(404, 'SubscriptionNotFound', `The subscription '${sub}' could not be found.`);
      const rg = m[2];
      const inSub = fixture.services.filter((s) => subscriptionOf(s) === sub);
      // Without a role on a service, ARM leaves it out of the list (no error).
      const services = inSub.filter((s) => !revoked.has(s.name.toLowerCase()) && (rg === undefined || s.resourceGroup.toLowerCase() === rg.toLowerCase()));
      if (rg !== undefined && !inSub.some((s) => s.resourceGroup.toLowerCase() === rg.toLowerCase())) return armError(404, 'ResourceGroupNotFound', `Resource group '${rg}' could not be found.`);
      return page(req, services.map(serviceJson));
    }
    m = PATTERNS.workspaces.exec(path) ?? PATTERNS.workspaceApis.exec(path) ?? PATTERNS.workspaceApi.exec(path);
    if (m) {
      const s = serviceOf(m[3] ?? '');
      if (s === undefined || subscriptionOf(s) !== m[1] || revoked.has(s.name.toLowerCase())) return armError(s === undefined ? 404 : 403, s === undefined ? 'ResourceNotFound' : 'AuthorizationFailed', `No access to service '${m[3] ?? ''}'.`);
      const workspaces = s.workspaces ?? [];
      if (PATTERNS.workspaces.test(path)) {
        return page(req, workspaces.map((w) => ({ id: `${serviceId(s)}/workspaces/${w.name}`, type: 'Microsoft.ApiManagement/service/workspaces', name: w.name, properties: { displayName: w.displayName ?? w.name } })));
      }
      const w = workspaces.find((x) => x.name === m?.[4]);
      if (w === undefined) return armError(404, 'ResourceNotFound', `Workspace '${m[4] ?? ''}' not found.`);
      const wsService: FakeService = { ...s, apis: w.apis };
      const wsId = (a: FakeApi): Record<string, unknown> => ({ ...apiJson(s, a), id: `${serviceId(s)}/workspaces/${w.name}/apis/${a.name}` });
      if (PATTERNS.workspaceApis.test(path)) {
        const listed = listApis(req, wsService);
        const body = JSON.parse(listed.body) as { value?: { name: string }[] };
        if (listed.status !== 200) return listed;
        return armJson(200, { ...body, value: (body.value ?? []).map((v) => wsId(w.apis.find((a) => a.name === v.name) as FakeApi)) });
      }
      const a = w.apis.find((x) => x.name === m?.[5]);
      if (a === undefined) return armJson(404, { error: { code: 'ResourceNotFound', message: 'Api not found.', details: null } });
      if (req.url.searchParams.get('export') === 'true') return exportApi(req, s, a);
      return armJson(200, wsId(a));
    }
    m = PATTERNS.service.exec(path) ?? PATTERNS.apis.exec(path) ?? PATTERNS.api.exec(path);
    if (m) {
      if (!knownSubscription(m[1] ?? '')) return armError(404, 'SubscriptionNotFound', `The subscription '${m[1] ?? ''}' could not be found.`);
      const s = serviceOf(m[3] ?? '');
      if (s !== undefined && revoked.has(s.name.toLowerCase())) {
        return armError(403, 'AuthorizationFailed', `The client '${fixture.clientId}' with object id '44444444-4444-4444-8444-444444444444' does not have authorization to perform action 'Microsoft.ApiManagement/service/apis/read' over scope '${path}' or the scope is invalid. If access was recently granted, please refresh your credentials.`);
      }
      if (s === undefined || subscriptionOf(s) !== m[1] || s.resourceGroup.toLowerCase() !== (m[2] ?? '').toLowerCase()) {
        return armError(404, 'ResourceNotFound', `The Resource 'Microsoft.ApiManagement/service/${m[3] ?? ''}' under resource group '${m[2] ?? ''}' was not found.`);
      }
      if (PATTERNS.service.test(path)) return armJson(200, serviceJson(s));
      if (PATTERNS.apis.test(path)) return listApis(req, s);
      const a = s.apis.find((x) => x.name === m?.[4]);
      if (a === undefined) return armJson(404, { error: { code: 'ResourceNotFound', message: 'Api not found.', details: null } });
      if (req.url.searchParams.get('export') === 'true') return exportApi(req, s, a);
      return armJson(200, apiJson(s, a), { etag: `"${randomBytes(4).toString('hex')}"` });
    }
    return armError(404, 'InvalidResourceType', `The resource type could not be found for path '${path}'.`);
  };

  const faultFor = (route: string, req: SimRequest): SimResponse | undefined => {
    for (const active of rules) {
      const { rule } = active;
      if (rule.route !== undefined && rule.route !== route) continue;
      if (rule.pathIncludes !== undefined && !decodeURIComponent(req.url.pathname).includes(rule.pathIncludes)) continue;
      active.matches += 1;
      if (rule.times !== undefined && active.matches > rule.times) continue;
      const headers: Record<string, string> = rule.retryAfter === undefined ? {} : { 'retry-after': String(rule.retryAfter) };
      if (rule.location !== undefined) return { status: rule.status, headers: { location: rule.location, 'content-length': '0' }, body: '' };
      if (route === 'POST /token') {
        const error = rule.code ?? (rule.status === 401 ? 'invalid_client' : 'temporarily_unavailable');
        return { ...entraError(rule.status, error, 'AADSTS7000215', 'Injected fault.'), headers: { 'content-type': 'application/json', ...headers } };
      }
      const code = rule.code ?? DEFAULT_CODES[rule.status] ?? 'Error';
      const message =
        rule.status === 403
          ? `The client '${fixture.clientId}' with object id '44444444-4444-4444-8444-444444444444' does not have authorization to perform action 'Microsoft.ApiManagement/service/apis/read' over scope '${decodeURIComponent(req.url.pathname)}' or the scope is invalid. If access was recently granted, please refresh your credentials.`
          : rule.status === 429
            ? 'The request is being throttled.'
            : `Injected ${rule.status}.`;
      return armError(rule.status, code, message, headers);
    }
    return undefined;
  };

  const dispatch = async (req: SimRequest): Promise<SimOutcome> => {
    const route = azureRouteOf(req.method, req.url.pathname, req.url.searchParams);
    counters.increment(route);
    log.push({ route, method: req.method, url: `${req.url.pathname}${req.url.search}`, hadAuthorization: req.headers.has('authorization') });
    const fault = faultFor(route, req);
    if (fault) return { kind: 'response', response: fault };
    const token = PATTERNS.token.exec(req.url.pathname);
    let response: SimResponse;
    if (token) response = handleToken(req, token[1] ?? '');
    else if (PATTERNS.blob.test(req.url.pathname)) response = req.method === 'GET' ? handleBlob(req) : storageError('UnsupportedHttpVerb', 'Use GET.');
    else if (req.method !== 'GET') response = armError(405, 'MethodNotAllowed', `${req.method} is not supported here.`);
    else response = handleArm(req);
    return { kind: 'response', response };
  };

  return {
    fixture,
    counters: { total: counters.total, get: counters.get, snapshot: counters.snapshot, reset: counters.reset },
    faults: {
      add: (rule) => {
        rules.push({ rule: { ...rule }, matches: 0 });
      },
      clear: () => {
        rules = [];
      },
    },
    requests: () => log.map((r) => ({ ...r })),
    expireTokens: () => {
      for (const key of tokens.keys()) tokens.set(key, 0);
    },
    setSpec(service, api, specs) {
      const a = serviceOf(service)?.apis.find((x) => x.name === api);
      if (a === undefined) throw new RangeError(`No API ${service}/${api} in the fixture`);
      delete a.openapi3;
      delete a.swagger2;
      Object.assign(a, specs);
    },
    addApi(service, api) {
      const s = serviceOf(service);
      if (s === undefined) throw new RangeError(`No service ${service} in the fixture`);
      s.apis.push(api);
    },
    removeApi(service, api) {
      const s = serviceOf(service);
      if (s === undefined) throw new RangeError(`No service ${service} in the fixture`);
      s.apis = s.apis.filter((a) => a.name !== api);
    },
    revokeRole(service, isRevoked = true) {
      if (serviceOf(service) === undefined) throw new RangeError(`No service ${service} in the fixture`);
      if (isRevoked) revoked.add(service.toLowerCase());
      else revoked.delete(service.toLowerCase());
    },
    fetch: createInProcessFetch(dispatch),
    async listen(listenOptions = {}) {
      const listener = await startListener(dispatch, listenOptions);
      listeners.add(listener);
      return {
        baseUrl: listener.baseUrl.replace(/\/ias\/v1$/, ''),
        close: async () => {
          listeners.delete(listener);
          await listener.close();
        },
      };
    },
    async close() {
      await Promise.all([...listeners].map((l) => l.close()));
      listeners.clear();
    },
  };
}
