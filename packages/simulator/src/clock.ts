/** A source of the current time, in epoch milliseconds. The simulator reads it on every request. */
export interface SimClock {
  /** The current time in epoch milliseconds. */
  now(): number;
}

/** A clock that only moves when a test moves it. */
export interface ManualClock extends SimClock {
  /** Moves the clock forward by `ms` milliseconds (negative values move it back). */
  advance(ms: number): void;
  /** Sets the clock to an absolute epoch-millisecond instant. */
  set(epochMs: number): void;
}

/** 2026-01-01T00:00:00Z, the default start of a manual clock. */
export const DEFAULT_MANUAL_CLOCK_START = Date.UTC(2026, 0, 1, 0, 0, 0);

/**
 * Creates a manual clock for deterministic tests.
 * @param startEpochMs the initial time. @default 2026-01-01T00:00:00Z
 */
export function createManualClock(startEpochMs: number = DEFAULT_MANUAL_CLOCK_START): ManualClock {
  let current = startEpochMs;
  return {
    now: () => current,
    advance(ms: number) {
      if (!Number.isFinite(ms)) throw new RangeError(`ManualClock.advance needs a finite number of milliseconds, got ${ms}`);
      current += ms;
    },
    set(epochMs: number) {
      if (!Number.isFinite(epochMs)) throw new RangeError(`ManualClock.set needs a finite epoch-millisecond value, got ${epochMs}`);
      current = epochMs;
    },
  };
}

/** Creates a clock that reads the wall time (`Date.now()`). */
export function createRealClock(): SimClock {
  return { now: () => Date.now() };
}
