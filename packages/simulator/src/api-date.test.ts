import { describe, expect, it } from 'vitest';
import { formatApiDate, parseApiDate } from './api-date.js';

describe('API dates', () => {
  it.each([
    [Date.UTC(2026, 0, 1, 0, 0, 5, 123), '2026-01-01T00:00:05.123'],
    [Date.UTC(2026, 0, 1, 0, 0, 5, 120), '2026-01-01T00:00:05.12'],
    [Date.UTC(2026, 0, 1, 0, 0, 5, 0), '2026-01-01T00:00:05'],
  ])('formats %d without a zone and with trimmed fraction as %s', (ms, text) => {
    expect(formatApiDate(ms)).toBe(text);
  });

  it.each([
    ['2026-01-01', Date.UTC(2026, 0, 1)],
    ['2026-01-01T10:00:00', Date.UTC(2026, 0, 1, 10)],
    ['2026-01-01T10:00:00.5', Date.UTC(2026, 0, 1, 10, 0, 0, 500)],
    ['2026-01-01T10:00:00Z', Date.UTC(2026, 0, 1, 10)],
    ['2026-01-01T10:00:00+02:00', Date.UTC(2026, 0, 1, 8)],
  ])('parses %s as UTC', (text, ms) => {
    expect(parseApiDate(text)).toBe(ms);
  });

  it('rejects text that is not a date', () => {
    expect(parseApiDate('yesterday')).toBeUndefined();
  });
});
