/**
 * ISO-8601 dates as the query language and the API write them. The API sends date-times without a zone
 * and with 0 to 6 fraction digits (`2023-03-20T14:29:10.686575`); a missing zone means UTC.
 */

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?)?$/;
const DAY_MS = 86_400_000;

/** A parsed date: the half-open interval `[startMs, endMs)` it denotes, in epoch milliseconds. */
export interface DateRange {
  readonly startMs: number;
  readonly endMs: number;
  /** True for `YYYY-MM-DD` (a whole UTC day). */
  readonly dateOnly: boolean;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !isLeap(year) ? 1 : 0);
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * Parses `YYYY-MM-DD` or `YYYY-MM-DDThh:mm:ss[.f…][Z|±hh:mm]` (UTC when no zone). Fractions beyond
 * milliseconds are truncated. Returns undefined for anything else, including impossible dates.
 */
export function parseIsoDate(text: string): DateRange | undefined {
  const match = DATE.exec(text);
  if (match === null) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zone] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  const midnight = new Date(0);
  midnight.setUTCFullYear(year, month - 1, day);
  const dayStart = midnight.getTime();
  if (h === undefined || mi === undefined || s === undefined) return { startMs: dayStart, endMs: dayStart + DAY_MS, dateOnly: true };
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  let offsetMinutes = 0;
  if (zone !== undefined && zone !== 'Z') {
    const offsetHours = Number(zone.slice(1, 3));
    const offsetMins = Number(zone.slice(4, 6));
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const start = dayStart + ((hour * 60 + minute - offsetMinutes) * 60 + second) * 1000 + millis;
  return { startMs: start, endMs: start + 1, dateOnly: false };
}
