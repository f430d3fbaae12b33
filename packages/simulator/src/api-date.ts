/**
 * Formats an instant the way the IAS API does: ISO-8601 in UTC without a zone designator, with
 * trailing zeros of the fraction trimmed (`2026-01-01T00:00:05.123`, `2026-01-01T00:00:05`).
 */
export function formatApiDate(epochMs: number): string {
  const iso = new Date(epochMs).toISOString().slice(0, -1);
  const [whole, fraction = ''] = iso.split('.');
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed === '' ? `${whole}` : `${whole}.${trimmed}`;
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses a request date (`YYYY-MM-DD`, `YYYY-MM-DDThh:mm[:ss[.fff]]`, optionally with `Z` or an
 * offset) as an epoch-millisecond instant; a value without a zone is UTC. Returns undefined when the
 * text is not such a date.
 */
export function parseApiDate(text: string): number | undefined {
  const match = DATE_PATTERN.exec(text.trim());
  if (!match) return undefined;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone] = match;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  let epoch = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
  if (zone && zone.toUpperCase() !== 'Z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMinutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    epoch -= sign * offsetMinutes * 60_000;
  }
  return Number.isNaN(epoch) ? undefined : epoch;
}
