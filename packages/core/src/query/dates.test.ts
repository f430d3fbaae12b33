import { describe, expect, it } from 'vitest';
import { parseIsoDate } from './dates';

describe('parseIsoDate', () => {
  it.each([
    ['2024-01-01', Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)],
    ['2024-02-29', Date.UTC(2024, 1, 29), Date.UTC(2024, 2, 1)],
    ['2023-03-20T14:29:10', Date.UTC(2023, 2, 20, 14, 29, 10), Date.UTC(2023, 2, 20, 14, 29, 10) + 1],
    ['2023-03-20T14:29:10.686575', Date.UTC(2023, 2, 20, 14, 29, 10, 686), Date.UTC(2023, 2, 20, 14, 29, 10, 687)],
    ['2023-03-20T14:29:10.5', Date.UTC(2023, 2, 20, 14, 29, 10, 500), Date.UTC(2023, 2, 20, 14, 29, 10, 501)],
    ['2023-03-20T14:29:10Z', Date.UTC(2023, 2, 20, 14, 29, 10), Date.UTC(2023, 2, 20, 14, 29, 10) + 1],
    ['2024-01-01T00:00:00+00:00', Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1) + 1],
    ['2024-01-01T02:30:00+02:30', Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1) + 1],
    ['2023-12-31T19:00:00-05:00', Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 1) + 1],
  ])('%s is [%i, %i)', (text, start, end) => {
    expect(parseIsoDate(text)).toMatchObject({ startMs: start, endMs: end });
  });

  it.each(['', '2024', '2024-1-1', '2024-00-10', '2024-13-01', '2023-02-29', '2024-04-31', '2024-01-01 10:00:00', '2024-01-01T10:00', '2024-01-01T10:60:00', '2024-01-01T10:00:00+2', '2024-01-01T10:00:00+24:00', 'yesterday'])(
    '%s is not a date',
    (text) => {
      expect(parseIsoDate(text)).toBeUndefined();
    },
  );
});
