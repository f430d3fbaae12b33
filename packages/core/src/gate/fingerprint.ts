/**
 * A finding's fingerprint: a short hash that stays the same when the same problem is found again by a
 * later scan (which gives it a new vulnerability id when it was fixed and came back, or when the scan ran
 * under another app or config). Baselines and suppressions use it. The recipe is in gate/README.md.
 *
 * Every fingerprint in the project is computed here, by {@link fingerprintOf}, from a {@link FingerprintRecipe}.
 * There are two recipes because their values are stored by others and must never change:
 * {@link FINDING_FINGERPRINT} (`ias-fp-1`, in baselines and suppression files) and
 * {@link SARIF_ROOT_CAUSE_FINGERPRINT} (the SARIF `partialFingerprints` value GitHub keeps alerts by; it includes
 * the app id, hashes the parts nearly as reported, and uses {@link hash64}).
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
 * FNV-1a, 64 bits, over the UTF-8 bytes of `input` (a lone surrogate counts as U+FFFD, as TextEncoder writes it);
 * 16 lower-case hex digits. Computed with four 16-bit limbs so it stays fast and exact without BigInt, and over the
 * characters' bytes as they are read, with no encoded copy of the text.
 */
export function fnv1a64(input: string): string {
  // Offset basis 0xcbf29ce484222325, least significant limb first.
  let h0 = 0x2325;
  let h1 = 0x8422;
  let h2 = 0x9ce4;
  let h3 = 0xcbf2;
  const mix = (byte: number): void => {
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
  };
  for (let i = 0; i < input.length; i += 1) {
    let code = input.charCodeAt(i);
    if (code < 0x80) {
      mix(code);
      continue;
    }
    if (code < 0x800) {
      mix(0xc0 | (code >> 6));
      mix(0x80 | (code & 0x3f));
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = input.charCodeAt(i + 1);
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const point = ((code - 0xd800) << 10) + (next - 0xdc00) + 0x10000;
        i += 1;
        mix(0xf0 | (point >> 18));
        mix(0x80 | ((point >> 12) & 0x3f));
        mix(0x80 | ((point >> 6) & 0x3f));
        mix(0x80 | (point & 0x3f));
        continue;
      }
      code = 0xfffd;
    }
    mix(0xe0 | (code >> 12));
    mix(0x80 | ((code >> 6) & 0x3f));
    mix(0x80 | (code & 0x3f));
  }
  return [h3, h2, h1, h0].map((limb) => limb.toString(16).padStart(4, '0')).join('');
}

/**
 * A 64-bit non-cryptographic string hash (two 32-bit multiply-xorshift lanes, cyrb53-style) over UTF-16 code
 * units, as 16 hex digits. Pure JS because core has no `node:crypto`; stable across platforms and versions,
 * which is all a fingerprint needs.
 */
export function hash64(text: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  // Two characters a turn, with Math.imul read once: without the optimising compiler (see runAdapter) the loop's own
  // steps and the property read cost as much as the arithmetic (a quarter less time for SARIF fingerprints).
  const imul = Math.imul;
  const length = text.length;
  let i = 0;
  for (; i + 1 < length; i += 2) {
    const c = text.charCodeAt(i);
    h1 = imul(h1 ^ c, 2654435761);
    h2 = imul(h2 ^ c, 1597334677);
    const d = text.charCodeAt(i + 1);
    h1 = imul(h1 ^ d, 2654435761);
    h2 = imul(h2 ^ d, 1597334677);
  }
  if (i < length) {
    const c = text.charCodeAt(i);
    h1 = imul(h1 ^ c, 2654435761);
    h2 = imul(h2 ^ c, 1597334677);
  }
  h1 = imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, '0') + (h1 >>> 0).toString(16).padStart(8, '0');
}

/** The parts of a finding a fingerprint may hash; a missing part counts as the empty string. */
export interface RootCause {
  appId?: string | undefined;
  moduleId?: string | undefined;
  attackId?: string | undefined;
  method?: string | undefined;
  url?: string | undefined;
  parameter?: string | undefined;
}

/** How a fingerprint is computed from a {@link RootCause}. */
export interface FingerprintRecipe {
  /** Hashed before the parts when set, so that values of different recipe versions never meet. */
  readonly version: string | undefined;
  /** The parts hashed, in this order. */
  readonly parts: readonly (keyof RootCause)[];
  /** How a part is normalised before hashing; a part without an entry is hashed as given. */
  readonly normalise: Readonly<Partial<Record<keyof RootCause, (value: string) => string>>>;
  /** Joins the version and the parts. */
  readonly separator: string;
  readonly hash: (text: string) => string;
}

/**
 * The finding fingerprint of baselines and suppressions (version `ias-fp-1`), see {@link findingFingerprint}.
 * It leaves the app id out, so a finding keeps its fingerprint when the scan runs under another app.
 */
export const FINDING_FINGERPRINT: FingerprintRecipe = {
  version: FINGERPRINT_VERSION,
  parts: ['moduleId', 'attackId', 'method', 'url', 'parameter'],
  normalise: {
    moduleId: (value) => value.trim().toLowerCase(),
    attackId: (value) => value.trim(),
    method: (value) => value.trim().toUpperCase(),
    url: normaliseFindingUrl,
  },
  separator: '\n',
  hash: fnv1a64,
};

/**
 * The SARIF result fingerprint (`partialFingerprints["insightappsecRootCause/v1"]`): app, URL, method,
 * parameter, module and attack, joined with NUL (so ("ab", "c") and ("a", "bc") stay apart) and hashed with
 * {@link hash64}; only the method is normalised (upper-cased). GitHub keeps one alert per value, so changing
 * this recipe re-opens every alert: it stays as it was when SARIF was first written.
 */
export const SARIF_ROOT_CAUSE_FINGERPRINT: FingerprintRecipe = {
  version: undefined,
  parts: ['appId', 'url', 'method', 'parameter', 'moduleId', 'attackId'],
  normalise: { method: (value) => value.toUpperCase() },
  separator: '\u0000',
  hash: hash64,
};

/** The text that {@link fingerprintOf} hashes. */
export function fingerprintText(cause: RootCause, recipe: FingerprintRecipe): string {
  // Once per finding (SARIF writes one per result): an index loop building the text, no arrays in between.
  const { parts, normalise, separator } = recipe;
  let text = recipe.version;
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i]!;
    const value = cause[part] ?? '';
    const normalised = normalise[part]?.(value) ?? value;
    text = text === undefined ? normalised : text + separator + normalised;
  }
  return text ?? '';
}

/** The fingerprint of `cause` by `recipe` (by default the finding fingerprint of baselines and suppressions). */
export function fingerprintOf(cause: RootCause, recipe: FingerprintRecipe = FINDING_FINGERPRINT): string {
  return recipe.hash(fingerprintText(cause, recipe));
}

/** The root cause of a vulnerability as {@link FINDING_FINGERPRINT} reads it: defensively, from the JSON. */
function rootCauseOf(vulnerability: unknown): RootCause {
  const record = isRecord(vulnerability) ? vulnerability : {};
  const variances = Array.isArray(record['variances']) ? (record['variances'] as unknown[]) : [];
  const first = variances[0];
  const variance = isRecord(first) ? first : {};
  const module = isRecord(variance['module']) ? variance['module'] : {};
  const attack = isRecord(variance['attack']) ? variance['attack'] : {};
  const rootCause = isRecord(record['root_cause']) ? record['root_cause'] : {};
  return {
    moduleId: text(module['id']),
    attackId: text(attack['id']),
    method: text(rootCause['method']),
    url: text(rootCause['url']),
    parameter: text(rootCause['parameter']),
  };
}

/** The text that {@link findingFingerprint} hashes, for debugging a baseline that does not match. */
export function fingerprintInput(vulnerability: Vulnerability): string {
  return fingerprintText(rootCauseOf(vulnerability), FINDING_FINGERPRINT);
}

/**
 * A stable fingerprint of a finding: the same problem at the same place gives the same value in every scan.
 *
 * Recipe (version `ias-fp-1`, {@link FINDING_FINGERPRINT}): join with a line feed (U+000A) these six parts,
 * then hash the UTF-8 bytes with FNV-1a 64-bit and write the hash as 16 lower-case hex digits:
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
  return fingerprintOf(rootCauseOf(vulnerability), FINDING_FINGERPRINT);
}
