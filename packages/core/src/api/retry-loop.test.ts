import { describe, expect, it } from 'vitest';
import { silentLogger } from '../effects';
import { backoffMs, retrying, type AttemptVerdict, type RetryLoop } from './retry-loop';

/** A manual clock: sleeps resolve at once and advance `now`, recording each wait. */
function manualClock() {
  let now = 1_000_000;
  const waits: number[] = [];
  return {
    waits,
    clock: {
      now: () => now,
      sleep: async (ms: number) => {
        waits.push(ms);
        now += ms;
      },
    },
  };
}

function loopOf(clock: RetryLoop['clock'], extra: Partial<RetryLoop> = {}): RetryLoop {
  return {
    clock,
    logger: silentLogger,
    route: 'GET /x',
    retries: 3,
    retryBaseMs: 1000,
    retryMaxMs: 5000,
    random: () => 1,
    timeoutMs: 60_000,
    aborted: () => new Error('aborted'),
    pastDeadline: () => new Error('past deadline'),
    ...extra,
  };
}

describe('the retry loop', () => {
  it('backs off exponentially on the injected clock, capped, and clamps Retry-After', () => {
    const policy = { retryBaseMs: 1000, retryMaxMs: 5000, random: () => 0 };
    expect([0, 1, 2, 3].map((n) => backoffMs(policy, n, undefined))).toEqual([500, 1000, 2000, 2500]);
    expect(backoffMs(policy, 0, 120_000)).toBe(5000);
    expect(backoffMs(policy, 0, 250)).toBe(250);
  });

  it('retries until done, waiting what the server asked', async () => {
    const { clock, waits } = manualClock();
    let calls = 0;
    const value = await retrying(loopOf(clock), async (): Promise<AttemptVerdict<string>> => {
      calls += 1;
      return calls < 3 ? { why: '503', retryAfterMs: 2000, final: () => 'last' } : { done: 'ok' };
    });
    expect({ value, calls, waits }).toEqual({ value: 'ok', calls: 3, waits: [2000, 2000] });
  });

  it('ends with the final outcome after the retries, or when a wait would pass the deadline', async () => {
    const { clock, waits } = manualClock();
    const failing = async (): Promise<AttemptVerdict<string>> => ({ why: '500', final: () => 'last' });
    expect(await retrying(loopOf(clock), failing)).toBe('last');
    expect(waits).toEqual([1000, 2000, 4000]);
    const early = manualClock();
    expect(await retrying(loopOf(early.clock, { deadline: early.clock.now() + 1500 }), failing)).toBe('last');
    expect(early.waits).toEqual([1000]);
  });

  it('stops at once when the signal aborts', async () => {
    const { clock } = manualClock();
    const controller = new AbortController();
    controller.abort();
    await expect(retrying(loopOf(clock, { signal: controller.signal }), async () => ({ done: 'never' }))).rejects.toThrow('aborted');
  });
});
