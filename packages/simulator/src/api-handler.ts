import { randomUUID } from 'node:crypto';
import { formatApiDate } from './api-date.js';
import { buildPage, parsePageRequest } from './pagination.js';
import { QueryError } from './query/query-error.js';
import { appJson, scanConfigJson, scanJson, vulnerabilityJson } from './resource-json.js';
import { API_PREFIX, matchPath } from './route-names.js';
import {
  applyAction,
  eventsAt,
  pendingActionAt,
  progressAt,
  SCAN_ACTIONS,
  statusAt,
  type ScanRecord,
} from './scan-lifecycle.js';
import { isSearchType, scanView, SEARCH_TYPES, type SearchIndex, type SearchRows, type SearchType } from './search-index.js';
import type { SimState } from './sim-state.js';

/** A request as the simulator sees it, whichever transport carried it. */
export interface SimRequest {
  method: string;
  url: URL;
  /** `scheme://host:port` with the port always explicit. */
  origin: string;
  headers: Headers;
  body: string;
}

/** A response before transport: the body is text (empty for 201/204). */
export interface SimResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** What a handler needs besides the request. */
export interface HandlerContext {
  state: SimState;
  index: SearchIndex;
  now: number;
  apiKey: string;
  /** Set by a `never-start` fault: scans launched by this request stay PENDING. */
  neverStart: boolean;
  /** Set by a `never-finish` fault: scans launched by this request stay RUNNING until an action. */
  neverFinish: boolean;
}

/** A 422 validation problem. */
interface ValidationIssue {
  type: 'OBJECT' | 'PROPERTY';
  context: string;
  explanation: string;
}

const SCAN_TYPES = ['REGULAR', 'VERIFICATION', 'INCREMENTAL', 'VALIDATION'];

const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  405: 'Method Not Allowed',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** The standard reason phrase of a status code. */
export function reasonOf(status: number): string {
  return REASONS[status] ?? `HTTP ${status}`;
}

/** A JSON response. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): SimResponse {
  return { status, headers, body: JSON.stringify(body) };
}

/** The standard error body `{status, message}` (422 adds `errors`). */
export function errorResponse(status: number, message: string, errors?: ValidationIssue[]): SimResponse {
  return json(status, errors ? { status, message, errors } : { status, message });
}

const empty = (status: number, headers: Record<string, string> = {}): SimResponse => ({ status, headers, body: '' });

function isAuthorized(req: SimRequest, apiKey: string): boolean {
  return req.headers.get('x-api-key') === apiKey;
}

/** Handles one request against the state. Never throws for a client mistake: it answers 4xx. */
export function handleApiRequest(req: SimRequest, ctx: HandlerContext): SimResponse {
  const method = req.method.toUpperCase();
  const pathname = req.url.pathname.length > 1 ? req.url.pathname.replace(/\/+$/, '') : req.url.pathname;
  if (pathname === '/validate') {
    if (method !== 'GET') return errorResponse(405, `${method} /validate is not supported`);
    return isAuthorized(req, ctx.apiKey) ? json(200, { message: 'Authorized' }) : json(401, { message: 'Unauthorized' });
  }
  if (!isAuthorized(req, ctx.apiKey)) return errorResponse(401, 'Unauthorized');
  if (pathname !== API_PREFIX && !pathname.startsWith(`${API_PREFIX}/`)) return errorResponse(404, `No route for ${method} ${pathname}`);
  const path = pathname.slice(API_PREFIX.length) || '/';
  const match = matchPath(path);
  if (!match) return errorResponse(404, `No route for ${method} ${pathname}`);
  const route = new ApiRoutes(req, ctx, `${req.origin}${API_PREFIX}`);
  const handler = route.handlerFor(method, match.template);
  if (!handler) return errorResponse(405, `${method} is not supported on ${API_PREFIX}${match.template}`);
  try {
    return handler(match.ids);
  } catch (error) {
    if (error instanceof QueryError) return errorResponse(400, error.message);
    if (error instanceof BadBody) return errorResponse(400, error.message);
    throw error;
  }
}

class BadBody extends Error {}

type Handler = (ids: string[]) => SimResponse;

/** The endpoints, bound to one request. */
class ApiRoutes {
  constructor(
    private readonly req: SimRequest,
    private readonly ctx: HandlerContext,
    private readonly base: string,
  ) {}

  handlerFor(method: string, template: string): Handler | undefined {
    const table: Record<string, Handler> = {
      'GET /apps': () => this.listing('APP', '/apps', (r) => r.id),
      'GET /apps/{id}': ([id]) => this.getApp(id ?? ''),
      'GET /scan-configs': () => this.listing('SCAN_CONFIG', '/scan-configs', (r) => r.id),
      'GET /scan-configs/{id}': ([id]) => this.getScanConfig(id ?? ''),
      'GET /scan-configs/{id}/options': ([id]) => this.getOptions(id ?? ''),
      'PUT /scan-configs/{id}/options': ([id]) => this.putOptions(id ?? ''),
      'GET /scans': () => this.listing('SCAN', '/scans', (r) => r.scan.id),
      'POST /scans': () => this.launchScan(),
      'GET /scans/{id}': ([id]) => this.withScan(id, (scan) => json(200, scanJson(scanView(scan, this.ctx.now), `${this.base}/scans/${scan.id}`))),
      'DELETE /scans/{id}': ([id]) => this.withScan(id, (scan) => this.deleteScan(scan)),
      'GET /scans/{id}/action': ([id]) => this.withScan(id, (scan) => this.getAction(scan)),
      'PUT /scans/{id}/action': ([id]) => this.withScan(id, (scan) => this.putAction(scan)),
      'GET /scans/{id}/execution-details': ([id]) => this.withScan(id, (scan) => this.executionDetails(scan)),
      'GET /scans/{id}/engine-events': ([id]) => this.withScan(id, (scan) => this.events(scan, 'engine')),
      'GET /scans/{id}/platform-events': ([id]) => this.withScan(id, (scan) => this.events(scan, 'platform')),
      'GET /vulnerabilities': () => this.listing('VULNERABILITY', '/vulnerabilities', (r) => r.finding.id),
      'GET /vulnerabilities/{id}': ([id]) => this.getVulnerability(id ?? ''),
      'GET /modules': () => json(200, this.ctx.state.modules.map((m) => ({ id: m.id, name: m.name, description: m.description }))),
      'GET /modules/{id}': ([id]) => this.getModule(id ?? ''),
      'GET /modules/{id}/attacks/{id}': ([m, a]) => this.getAttack(m ?? '', a ?? '', false),
      'GET /modules/{id}/attacks/{id}/documentation': ([m, a]) => this.getAttack(m ?? '', a ?? '', true),
      'POST /search': () => this.search(),
    };
    return table[`${method} ${template}`];
  }

  private body(): unknown {
    if (this.req.body.trim() === '') return undefined;
    try {
      return JSON.parse(this.req.body) as unknown;
    } catch {
      throw new BadBody('The request body is not valid JSON');
    }
  }

  private sortParam(): string | undefined {
    const all = this.req.url.searchParams.getAll('sort').filter((s) => s.trim() !== '');
    return all.length === 0 ? undefined : all.join(',');
  }

  private page<T extends SearchType>(type: T, query: string | undefined, collectionPath: string, itemHref: (row: SearchRows[T]) => string): SimResponse {
    const page = parsePageRequest(this.req.url.searchParams);
    if ('error' in page) return errorResponse(400, page.error);
    const rows = this.ctx.index.run(type, query, this.sortParam(), this.ctx.now);
    const slice = rows.slice(page.index * page.size, page.index * page.size + page.size);
    const data = slice.map((row) => this.rowJson(type, row, itemHref(row)));
    return json(200, buildPage(data, rows.length, page, `${this.base}${collectionPath}`));
  }

  private rowJson<T extends SearchType>(type: T, row: SearchRows[T], href: string): Record<string, unknown> {
    switch (type) {
      case 'APP':
        return appJson(row as SearchRows['APP'], href);
      case 'SCAN_CONFIG':
        return scanConfigJson(row as SearchRows['SCAN_CONFIG'], href);
      case 'SCAN':
        return scanJson(row as SearchRows['SCAN'], href);
      default:
        return vulnerabilityJson(row as SearchRows['VULNERABILITY'], href);
    }
  }

  private listing<T extends SearchType>(type: T, path: string, idOf: (row: SearchRows[T]) => string): SimResponse {
    return this.page(type, undefined, path, (row) => `${this.base}${path}/${idOf(row)}`);
  }

  private search(): SimResponse {
    const body = this.body();
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return errorResponse(400, 'The search body must be a JSON object {"type", "query"}');
    const { type, query } = body as { type?: unknown; query?: unknown };
    if (type === undefined) return errorResponse(400, `The search type is required (one of ${SEARCH_TYPES.join(', ')})`);
    if (!isSearchType(type)) return errorResponse(400, `Unknown search type ${JSON.stringify(type)}; expected one of ${SEARCH_TYPES.join(', ')}`);
    if (typeof query !== 'string') return errorResponse(400, 'The search query is required and must be a string');
    const idOf = (row: SearchRows[SearchType]): string => ('finding' in row ? row.finding.id : 'scan' in row ? row.scan.id : row.id);
    return this.page(type, query, '/search', (row) => `${this.base}/search/${idOf(row)}`);
  }

  private getApp(id: string): SimResponse {
    const app = this.ctx.state.appsById.get(id);
    return app ? json(200, appJson(app, `${this.base}/apps/${app.id}`)) : errorResponse(404, `App ${id} not found`);
  }

  private getScanConfig(id: string): SimResponse {
    const config = this.ctx.state.configsById.get(id);
    return config ? json(200, scanConfigJson(config, `${this.base}/scan-configs/${config.id}`)) : errorResponse(404, `Scan config ${id} not found`);
  }

  private getOptions(id: string): SimResponse {
    if (!this.ctx.state.configsById.has(id)) return errorResponse(404, `Scan config ${id} not found`);
    return json(200, this.ctx.state.options.get(id) ?? {});
  }

  private putOptions(id: string): SimResponse {
    if (!this.ctx.state.configsById.has(id)) return errorResponse(404, `Scan config ${id} not found`);
    const body = this.body();
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return errorResponse(422, 'Validation failed', [{ type: 'OBJECT', context: 'options', explanation: 'The options document must be a JSON object' }]);
    }
    this.ctx.state.options.set(id, body);
    this.ctx.state.optionWrites.push({ configId: id, body: this.req.body });
    return empty(200);
  }

  private launchScan(): SimResponse {
    const body = this.body();
    const issues: ValidationIssue[] = [];
    const record = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    const configRef = record['scan_config'];
    const configId = typeof configRef === 'object' && configRef !== null ? (configRef as Record<string, unknown>)['id'] : undefined;
    if (typeof configId !== 'string' || configId === '') {
      issues.push({ type: 'PROPERTY', context: 'scan_config.id', explanation: 'must not be null' });
      return errorResponse(422, 'Validation failed', issues);
    }
    const config = this.ctx.state.configsById.get(configId);
    if (!config) {
      issues.push({ type: 'PROPERTY', context: 'scan_config.id', explanation: `Scan config ${configId} does not exist` });
      return errorResponse(422, 'Validation failed', issues);
    }
    const appRef = record['app'];
    const appId = typeof appRef === 'object' && appRef !== null ? (appRef as Record<string, unknown>)['id'] : undefined;
    if (appId !== undefined && appId !== config.app_id) {
      issues.push({ type: 'PROPERTY', context: 'app.id', explanation: `App ${String(appId)} does not own scan config ${config.id}` });
    }
    const scanType = record['scan_type'];
    if (scanType !== undefined && (typeof scanType !== 'string' || !SCAN_TYPES.includes(scanType))) {
      issues.push({ type: 'PROPERTY', context: 'scan_type', explanation: `must be one of ${SCAN_TYPES.join(', ')}` });
    }
    for (const problem of config.errors ?? []) issues.push({ type: 'OBJECT', context: 'scan_config', explanation: problem });
    if (issues.length > 0) return errorResponse(422, 'Validation failed', issues);
    const scan = this.ctx.state.launch(config, this.ctx.now, {
      ...(typeof scanType === 'string' ? { scanType } : {}),
      neverStart: this.ctx.neverStart,
      neverFinish: this.ctx.neverFinish,
    });
    return empty(201, { location: `${this.base}/scans/${scan.id}` });
  }

  private withScan(id: string | undefined, then: (scan: ScanRecord) => SimResponse): SimResponse {
    const scan = this.ctx.state.scans.get(id ?? '');
    return scan ? then(scan) : errorResponse(404, `Scan ${id ?? ''} not found`);
  }

  private deleteScan(scan: ScanRecord): SimResponse {
    const status = statusAt(scan, this.ctx.now);
    if (status !== 'FAILED') {
      const explanation = `Only FAILED scans can be deleted; this one is ${status}`;
      return errorResponse(422, explanation, [{ type: 'OBJECT', context: 'scan', explanation }]);
    }
    this.ctx.state.scans.delete(scan.id);
    this.ctx.state.version += 1;
    return empty(204);
  }

  private getAction(scan: ScanRecord): SimResponse {
    const action = pendingActionAt(scan, this.ctx.now);
    return action ? json(200, { action }) : empty(204);
  }

  private putAction(scan: ScanRecord): SimResponse {
    const body = this.body();
    const action = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['action'] : undefined;
    if (typeof action !== 'string' || !(SCAN_ACTIONS as readonly string[]).includes(action)) {
      return errorResponse(422, 'Validation failed', [{ type: 'PROPERTY', context: 'action', explanation: `must be one of ${SCAN_ACTIONS.join(', ')}` }]);
    }
    const refusal = applyAction(scan, action, this.ctx.now, this.ctx.state.transitions);
    if (refusal) return errorResponse(422, refusal, [{ type: 'PROPERTY', context: 'action', explanation: refusal }]);
    this.ctx.state.version += 1;
    return empty(200);
  }

  private executionDetails(scan: ScanRecord): SimResponse {
    const now = this.ctx.now;
    const p = progressAt(scan, now);
    const status = statusAt(scan, now);
    const active = p > 0 && p < 1 && (status === 'RUNNING' || status === 'PAUSING' || status === 'RESUMING');
    const found = Math.round(this.ctx.state.findingIdsOf(scan).length * (status === 'COMPLETE' ? 1 : p));
    return json(200, {
      logged_in: p > 0,
      links_in_queue: active ? Math.round(40 * (1 - p)) + 1 : 0,
      links_crawled: Math.round(151 * p),
      attacks_in_queue: active ? Math.round(1200 * (1 - p)) : 0,
      attacked: Math.round(8860 * p),
      vulnerable: found,
      requests: Math.round(2049 * p),
      failed_requests: Math.round(12 * p),
      network_speed: status === 'RUNNING' ? 2048 : 0,
      drip_delay: 0,
    });
  }

  private events(scan: ScanRecord, kind: 'engine' | 'platform'): SimResponse {
    return json(200, eventsAt(scan, this.ctx.now, kind).map((e) => ({ time: formatApiDate(e.time), event: e.event })));
  }

  private getVulnerability(id: string): SimResponse {
    const v = this.ctx.state.vulnerabilities.get(id);
    return v ? json(200, vulnerabilityJson(v, `${this.base}/vulnerabilities/${id}`)) : errorResponse(404, `Vulnerability ${id} not found`);
  }

  private getModule(id: string): SimResponse {
    const m = this.ctx.state.modulesById.get(id);
    if (!m) return errorResponse(404, `Module ${id} not found`);
    return json(200, { id: m.id, name: m.name, description: m.description, links: [{ rel: 'self', href: `${this.base}/modules/${m.id}` }] });
  }

  private getAttack(moduleId: string, attackId: string, documentation: boolean): SimResponse {
    if (!this.ctx.state.modulesById.has(moduleId)) return errorResponse(404, `Module ${moduleId} not found`);
    const attack = this.ctx.state.attacks.get(`${moduleId}/${attackId}`);
    if (!attack) return errorResponse(404, `Attack ${attackId} not found in module ${moduleId}`);
    if (documentation) {
      const doc = attack.documentation ?? { references: {}, description: `<p>${attack.description}</p>`, recommendation: 'Review the affected code and apply the vendor guidance.' };
      return json(200, { references: doc.references, description: doc.description, recommendation: doc.recommendation });
    }
    const href = `${this.base}/modules/${moduleId}/attacks/${encodeURIComponent(attack.id)}`;
    return json(200, { id: attack.id, type: attack.type, class: attack.class, description: attack.description, links: [{ rel: 'self', href }] });
  }
}

/** A new correlation id for the `r7-correlation-id` header. */
export function newCorrelationId(): string {
  return randomUUID();
}
