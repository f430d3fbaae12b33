/**
 * A finding's fingerprint: a short hash that stays the same when the same problem is found again by a
 * later scan (which gives it a new vulnerability id when it was fixed and came back, or when the scan ran
 * under another app or config). Baselines and suppressions use it. The recipe is in gate/README.md.
 */
import type { Vulnerability } from '../api/schemas';

/** The version tag hashed with every fingerprint; changing the recipe changes it, so old baselines do not half-match. */
export const FINGERPRINT_VERSION = 'ias-fp-1';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/**
 * The URL as the fingerprint sees it: scheme and host lower-cased, the default port dropped, the path
 * without its trailing slash (`https://a.example/` and `https://a.example` are one URL), the query reduced
 * to its parameter names, de-duplicated and sorted, values dropped; no fragment, no user info.
 * Text that is not an absolute URL is kept as written, trimmed, with its fragment and query values removed
 * the same way.
 */
export function normaliseFindingUrl(raw: string): string {
  const trimmed = raw.trim();
  let url: URL | undefined;
  try {
    url = /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(trimmed) ? new URL(trimmed) : undefined;
  } catch {
    url = undefined;
  }
  if (url === undefined) {
    const [beforeFragment = ''] = trimmed.split('#', 1);
    const queryAt = beforeFragment.indexOf('?');
    const path = (queryAt === -1 ? beforeFragment : beforeFragment.slice(0, queryAt)).replace(/\/+$/, '');
    const names = queryAt === -1 ? [] : beforeFragment.slice(queryAt + 1).split('&').map((pair) => pair.split('=', 1)[0] ?? '');
    return path + queryNames(names);
  }
  // URL already lower-cases the scheme and host, drops the default port of http/https and sorts nothing else.
  const path = url.pathname.replace(/\/+$/, '');
  const names = [...url.searchParams.keys()];
  return `${url.protocol}//${url.host}${path}${queryNames(names)}`;
}

function queryNames(names: readonly string[]): string {
  const unique = [...new Set(names.filter((name) => name !== ''))].sort();
  return unique.length === 0 ? '' : `?${unique.join('&')}`;
}

/**
 * FNV-1a, 64 bits, over the UTF-8 bytes of `input`; 16 lower-case hex digits. Computed with four
 * 16-bit limbs so it stays fast and exact without BigInt.
 */
export function fnv1a64(input: string): string {
  const bytes = new TextEncoder().encode(input);
  // Offset basis 0xcbf29ce484222325, least significant limb first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  for (const byte of bytes) {
    h0 ^= byte;
    // Multiply by the prime 0x100000001b3 = 2^40 + 0x1b3, modulo 2^64.
    const t0 = h0 * 0x1b3;
    const t1 = h1 * 0x1b3 + (t0 >>> 16);
    const t2 = h2 * 0x1b3 + (h0 << 8) + (t1 >>> 16);
    const t3 = h3 * 0x1b3 + (h1 << 8) + (t2 >>> 16);
    h0 = t0 & 0xffff;
    h1 = t1 & 0xffff;
    h2 = t2 & 0xffff;
    h3 = t3 & 0xffff;
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, '0')).join('');
}

/** The text that {@link findingFingerprint} hashes, for debugging a baseline that does not match. */
export function fingerprintInput(vulnerability: Vulnerability): string {
  return fingerprintParts(vulnerability).join('\n');
}

function fingerprintParts(vulnerability: unknown): string[] {
  const record = isRecord(vulnerability) ? vulnerability : {};
  const variances = Array.isArray(record['variances']) ? (record['variances'] as unknown[]) : [];
  const first = variances[0];
  const variance = isRecord(first) ? first : {};
  const module = isRecord(variance['module']) ? variance['module'] : {};
  const attack = isRecord(variance['attack']) ? variance['attack'] : {};
  const rootCause = isRecord(record['root_cause']) ? record['root_cause'] : {};
  return [
    FINGERPRINT_VERSION,
    text(module['id']).trim().toLowerCase(),
    text(attack['id']).trim(),
    text(rootCause['method']).trim().toUpperCase(),
    normaliseFindingUrl(text(rootCause['url'])),
    text(rootCause['parameter']),
  ];
}

/**
 * A stable fingerprint of a finding: the same problem at the same place gives the same value in every scan.
 *
 * Recipe (version `ias-fp-1`): join with a line feed (U+000A) these six parts, then hash the UTF-8 bytes
 * with FNV-1a 64-bit and write the hash as 16 lower-case hex digits:
 * 1. `ias-fp-1`;
 * 2. the module id of the first variance (`variances[0].module.id`), trimmed, lower-cased;
 * 3. the attack id of the first variance (`variances[0].attack.id`), trimmed, case kept;
 * 4. the HTTP method (`root_cause.method`), trimmed, upper-cased;
 * 5. the URL (`root_cause.url`) normalised by {@link normaliseFindingUrl}: scheme and host lower-case, no
 *    default port, no trailing slash, query parameter names only (sorted, de-duplicated), no fragment;
 * 6. the parameter (`root_cause.parameter`) exactly as reported.
 * A missing part is the empty string. The vulnerability id, severity, status, dates and evidence are not
 * part of it: they change between scans or by review.
 * Never throws; reads the JSON defensively.
 */
export function findingFingerprint(vulnerability: Vulnerability): string {
  return fnv1a64(fingerprintParts(vulnerability).join('\n'));
}
