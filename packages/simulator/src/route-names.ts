/** The API's base path. */
export const API_PREFIX = '/ias/v1';

/** Path templates the simulator knows (without the `/ias/v1` prefix), `{id}` standing for an id. */
export const PATH_TEMPLATES = [
  '/apps',
  '/apps/{id}',
  '/scan-configs',
  '/scan-configs/{id}',
  '/scan-configs/{id}/options',
  '/scans',
  '/scans/{id}',
  '/scans/{id}/action',
  '/scans/{id}/execution-details',
  '/scans/{id}/engine-events',
  '/scans/{id}/platform-events',
  '/vulnerabilities',
  '/vulnerabilities/{id}',
  '/modules',
  '/modules/{id}',
  '/modules/{id}/attacks/{id}',
  '/modules/{id}/attacks/{id}/documentation',
  '/search',
] as const;

/** A matched path: its template and the ids in order. */
export interface PathMatch {
  template: string;
  ids: string[];
}

const UUID_LIKE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function segmentsOf(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

/** Matches an API path (prefix removed) against the known templates. */
export function matchPath(path: string): PathMatch | undefined {
  const segments = segmentsOf(path);
  for (const template of PATH_TEMPLATES) {
    const parts = segmentsOf(template);
    if (parts.length !== segments.length) continue;
    const ids: string[] = [];
    let ok = true;
    for (let i = 0; i < parts.length && ok; i += 1) {
      const part = parts[i];
      const seg = segments[i] ?? '';
      if (part === '{id}') ids.push(decodeURIComponent(seg));
      else ok = part === seg;
    }
    if (ok) return { template, ids };
  }
  return undefined;
}

/**
 * The route name used by counters and fault rules: the method plus the path template, ids replaced
 * by `{id}` and the `/ias/v1` prefix removed, e.g. `routeOf('get', '/ias/v1/scans/123')` is
 * `'GET /scans/{id}'`. Unknown paths keep their segments, with UUID-shaped ones replaced by `{id}`.
 */
export function routeOf(method: string, pathname: string): string {
  const verb = method.toUpperCase();
  const clean = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const inApi = clean === API_PREFIX || clean.startsWith(`${API_PREFIX}/`);
  const path = inApi ? clean.slice(API_PREFIX.length) || '/' : clean;
  if (inApi) {
    const match = matchPath(path);
    if (match) return `${verb} ${match.template}`;
  }
  const generic = segmentsOf(path).map((s) => (UUID_LIKE.test(s) ? '{id}' : s));
  return `${verb} /${generic.join('/')}`;
}
