/** Counts requests by route name. */
export interface RequestCounters {
  /** Requests seen, all routes. */
  total(): number;
  /** Requests seen on one route (`'GET /scans/{id}'`), 0 when none. */
  get(route: string): number;
  /** A copy of every route's count. */
  snapshot(): Record<string, number>;
  /** Sets every count back to zero. */
  reset(): void;
}

/** Creates request counters; `increment` is for the simulator itself. */
export function createRequestCounters(): RequestCounters & { increment(route: string): void } {
  const counts = new Map<string, number>();
  return {
    increment(route) {
      counts.set(route, (counts.get(route) ?? 0) + 1);
    },
    total: () => [...counts.values()].reduce((sum, n) => sum + n, 0),
    get: (route) => counts.get(route) ?? 0,
    snapshot: () => Object.fromEntries(counts),
    reset: () => counts.clear(),
  };
}
