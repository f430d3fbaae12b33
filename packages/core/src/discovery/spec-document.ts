import { parse as parseYaml } from 'yaml';

/** The definition formats discovery keeps. */
export type SpecFormat = 'openapi3' | 'swagger2';

/** A parsed definition, or why it is not one discovery can use. */
export type ParsedSpec = { ok: true; format: SpecFormat; document: Record<string, unknown> } | { ok: false; reason: string };

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/**
 * Parses an exported definition: JSON, or YAML converted to JSON; Swagger 2 and OpenAPI 3 only (the body is
 * sniffed: no result format is documented for every export format).
 */
export function parseSpecText(text: string): ParsedSpec {
  let value: unknown;
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return { ok: false, reason: 'the export is empty' };
  try {
    value = trimmed.startsWith('{') ? JSON.parse(trimmed) : parseYaml(trimmed, { maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, reason: `the export is neither JSON nor YAML (${error instanceof Error ? error.message.split('\n')[0] : String(error)})` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, reason: 'the export is not an object' };
  const document = value as Record<string, unknown>;
  if (typeof document.openapi === 'string' && document.openapi.startsWith('3.')) return { ok: true, format: 'openapi3', document };
  if (String(document.swagger) === '2.0') return { ok: true, format: 'swagger2', document };
  if (typeof document.openapi === 'string') return { ok: false, reason: `OpenAPI ${document.openapi} is not supported (Swagger 2 and OpenAPI 3 only)` };
  return { ok: false, reason: 'the export is not a Swagger 2 or OpenAPI 3 definition' };
}

/** Sorts object keys recursively (arrays keep their order), so equal definitions serialize equally. */
export function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

/** Canonical JSON: keys sorted, 2-space indent, a final newline. */
export function canonicalJson(value: unknown): string {
  return `${JSON.stringify(sortKeysDeep(value), null, 2)}\n`;
}

/** SHA-256 of the UTF-8 text, lower-case hex (Web Crypto). */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The path prefix the gateway adds: OpenAPI 3's first server's path, or Swagger 2's `basePath`. */
function basePathOf(format: SpecFormat, document: Record<string, unknown>): string {
  if (format === 'swagger2') return typeof document.basePath === 'string' ? document.basePath : '';
  const servers = Array.isArray(document.servers) ? (document.servers as { url?: unknown }[]) : [];
  const first = servers[0]?.url;
  if (typeof first !== 'string') return '';
  try {
    return new URL(first).pathname;
  } catch {
    return first.startsWith('/') ? first : '';
  }
}

/** The operations of a definition as `METHOD /base/path`, sorted by path, then method. */
export function listOperations(format: SpecFormat, document: Record<string, unknown>): string[] {
  const base = basePathOf(format, document).replace(/\/+$/, '');
  const paths = typeof document.paths === 'object' && document.paths !== null ? (document.paths as Record<string, unknown>) : {};
  const rows: { path: string; method: number; text: string }[] = [];
  for (const [path, item] of Object.entries(paths)) {
    if (typeof item !== 'object' || item === null) continue;
    const full = `${base}${path.startsWith('/') ? path : `/${path}`}`;
    METHODS.forEach((method, rank) => {
      if (method in item) rows.push({ path: full, method: rank, text: `${method.toUpperCase()} ${full}` });
    });
  }
  rows.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.method - b.method));
  return rows.map((r) => r.text);
}

/**
 * A copy of the definition holding only the `allowed` operations (as {@link listOperations} names them); path items
 * left without an operation are dropped. Used to push a definition whose new endpoints still wait for review.
 */
export function keepOperations(format: SpecFormat, document: Record<string, unknown>, allowed: ReadonlySet<string>): Record<string, unknown> {
  const base = basePathOf(format, document).replace(/\/+$/, '');
  const paths = typeof document.paths === 'object' && document.paths !== null ? (document.paths as Record<string, unknown>) : {};
  const kept: Record<string, unknown> = {};
  for (const [path, item] of Object.entries(paths)) {
    if (typeof item !== 'object' || item === null) continue;
    const full = `${base}${path.startsWith('/') ? path : `/${path}`}`;
    const copy: Record<string, unknown> = {};
    let any = false;
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      const isMethod = (METHODS as readonly string[]).includes(key);
      if (!isMethod) copy[key] = value;
      else if (allowed.has(`${key.toUpperCase()} ${full}`)) {
        copy[key] = value;
        any = true;
      }
    }
    if (any) kept[path] = copy;
  }
  return { ...document, paths: kept };
}

/** The host names a definition targets (OpenAPI 3 servers, Swagger 2 host). */
export function specHosts(format: SpecFormat, document: Record<string, unknown>): string[] {
  if (format === 'swagger2') return typeof document.host === 'string' && document.host !== '' ? [(document.host.split(':')[0] ?? '').toLowerCase()] : [];
  const servers = Array.isArray(document.servers) ? (document.servers as { url?: unknown }[]) : [];
  const hosts: string[] = [];
  for (const server of servers) {
    if (typeof server.url !== 'string') continue;
    try {
      hosts.push(new URL(server.url).hostname.toLowerCase());
    } catch {
      // a relative server URL names no host
    }
  }
  return [...new Set(hosts)];
}
