const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/;

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Reads a date-time of the query language as an epoch-millisecond instant: `YYYY-MM-DDThh:mm:ss`, an optional
 * fraction (cut to milliseconds, as the API's own dates are compared) and an optional `Z` or `±hh:mm` (UTC without
 * one). A date alone is refused: whether the real API reads `'2026-01-01'` as midnight or as the whole day is
 * unknown, so the simulator does not pick a reading (docs/query-language.md). Impossible dates are refused too.
 */
export function parseQueryDate(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (m === null) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (month < 1 || month > 12) return undefined;
  const days = month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 0);
  if (day < 1 || day > days || hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = m[7] ?? '';
  const millis = Number(fraction.slice(0, 3).padEnd(3, '0'));
  let offset = 0;
  const zone = m[8];
  if (zone !== undefined && zone !== 'Z') {
    const h = Number(zone.slice(1, 3));
    const mm = Number(zone.slice(4, 6));
    if (h > 23 || mm > 59) return undefined;
    offset = (zone[0] === '-' ? -1 : 1) * (h * 60 + mm) * 60_000;
  }
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, millis);
  return date.getTime() - offset;
}
