import type { Vulnerability } from '../api/schemas';

/** What a secret header's value becomes. */
export const REDACTED = '***';

// Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key, X-Auth-Token, X-CSRF-Token, X-Session-Id,
// X-Client-Secret, X-Amz-Security-Token …: names that carry credentials or sessions in practice.
const SECRET_HEADER = /auth|cookie|token|api[-_]?key|secret|session|passw|credential|signature/i;

/**
 * Whether a header's value is a credential or session: Authorization, Proxy-Authorization, Cookie, Set-Cookie,
 * X-Api-Key and any header whose name contains auth, cookie, token, api-key, secret, session, password,
 * credential or signature (case-insensitive).
 */
export function isSecretHeader(name: string): boolean {
  return SECRET_HEADER.test(name);
}

/**
 * A cheap test on a vulnerability's JSON text: `false` when {@link redactVulnerabilityExchanges} cannot change it,
 * because no text in it, header names included, even looks like a secret header's name. A `\u` escape could spell
 * one, so any escape answers `true`.
 */
export function mayHoldSecretHeaders(json: string): boolean {
  return json.includes('\\u') || SECRET_HEADER.test(json);
}

/**
 * Replaces the values of secret headers in one raw HTTP message (request or response: start line, header lines,
 * blank line, body) with `***`. Folded continuation lines of a secret header are dropped. The start line and
 * the body are kept as they are; a text without a header section is returned unchanged.
 */
export function redactHttpMessage(message: string): string {
  const end = /\r?\n\r?\n/.exec(message);
  const headEnd = end === null ? message.length : end.index;
  const head = message.slice(0, headEnd);
  const lines = head.split(/(\r?\n)/);
  let changed = false;
  let inSecret = false;
  const out: string[] = [];
  // lines alternates text and separators: [line, sep, line, sep, …]; index 0 is the start line.
  for (let i = 0; i < lines.length; i += 2) {
    const line = lines[i] ?? '';
    const sep = lines[i + 1] ?? '';
    if (i === 0) {
      out.push(line, sep);
      continue;
    }
    if (/^[ \t]/.test(line) && inSecret) {
      // A folded line continues the secret header's value: drop it with its line break.
      changed = true;
      if (out.length > 0 && sep === '') out.pop();
      continue;
    }
    const colon = line.indexOf(':');
    const name = colon > 0 ? line.slice(0, colon).trim() : '';
    inSecret = name !== '' && /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name) && isSecretHeader(name);
    if (inSecret && line.slice(colon + 1).trim() !== REDACTED) {
      out.push(`${line.slice(0, colon)}: ${REDACTED}`, sep);
      changed = true;
    } else {
      out.push(line, sep);
    }
  }
  return changed ? out.join('') + message.slice(headEnd) : message;
}

/** Redacts one exchange in any of the shapes the API uses: raw text, `{request, response}`, or `headers` maps/lists. */
function redactExchange(value: unknown): unknown {
  if (typeof value === 'string') return redactHttpMessage(value);
  if (Array.isArray(value)) return value.map(redactExchange);
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const copy: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(record)) {
    if (key.toLowerCase() === 'headers') copy[key] = redactHeaders(field);
    else if (typeof field === 'string') copy[key] = /^(request|response|raw|text|message)$/i.test(key) ? redactHttpMessage(field) : field;
    else if (field !== null && typeof field === 'object') copy[key] = redactExchange(field);
    else copy[key] = field;
  }
  return copy;
}

/** `{Name: value}` or `[{name, value}]` headers with secret values replaced. */
function redactHeaders(headers: unknown): unknown {
  if (Array.isArray(headers)) {
    return headers.map((h) => {
      if (h === null || typeof h !== 'object') return typeof h === 'string' ? redactHttpMessage(`X\r\n${h}`).slice(3) : h;
      const entry = h as Record<string, unknown>;
      const name = entry['name'] ?? entry['key'];
      return typeof name === 'string' && isSecretHeader(name) && 'value' in entry ? { ...entry, value: REDACTED } : entry;
    });
  }
  if (headers === null || typeof headers !== 'object') return headers;
  return Object.fromEntries(Object.entries(headers as Record<string, unknown>).map(([name, v]) => [name, isSecretHeader(name) ? REDACTED : v]));
}

/**
 * A copy of the vulnerability whose variances' HTTP exchanges (`original_exchange`, `attack_exchanges` and any
 * other `…exchange…` field) carry `***` instead of the values of secret headers ({@link isSecretHeader}). Run once
 * per finding as it is collected, so every report written from it sees the redacted data.
 */
export function redactVulnerabilityExchanges(vulnerability: Vulnerability): Vulnerability {
  const variances = vulnerability.variances;
  if (!Array.isArray(variances) || variances.length === 0) return vulnerability;
  return {
    ...vulnerability,
    variances: variances.map((variance) => {
      const copy: Record<string, unknown> = { ...variance };
      for (const key of Object.keys(copy)) if (/exchange/i.test(key)) copy[key] = redactExchange(copy[key]);
      return copy as typeof variance;
    }),
  };
}
