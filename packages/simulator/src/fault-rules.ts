import { createSeededRandom, type SeededRandom } from './seeded-random.js';

/** What a fault does. */
export const FAULT_KINDS = ['latency', 'status', 'reset', 'reset-after-commit', 'invalid-json', 'truncated-json', 'never-start', 'never-finish'] as const;
/** A fault kind. */
export type FaultKind = (typeof FAULT_KINDS)[number];

/**
 * A fault injection rule. Every request whose route matches counts as a match; the rule applies to
 * the matches selected by `times`, `every` and `probability` (all that are set must agree).
 */
export interface FaultRule {
  /** Exact route name (`'GET /scans/{id}'`); omitted means every route. */
  route?: string;
  kind: FaultKind;
  /** HTTP status for `status` faults (429, 500, 503, …). @default 500 */
  status?: number;
  /** Seconds or an HTTP date, sent as `Retry-After` with a `status` fault. */
  retryAfter?: number | string;
  /** Real-time delay before handling, for `latency` faults. @default 0 */
  delayMs?: number;
  /** Apply to the first N matching requests only. */
  times?: number;
  /** Apply to every Nth matching request (2 = the 2nd, 4th, …). */
  every?: number;
  /** Apply with this probability (0..1), drawn from a PRNG seeded with `seed`. */
  probability?: number;
  /** Seed of the probability draws. @default 1 */
  seed?: number;
}

/** The combined effect of the rules that apply to one request. */
export interface AppliedFaults {
  delayMs: number;
  reset: boolean;
  status: { status: number; retryAfter?: number | string } | null;
  resetAfterCommit: boolean;
  invalidJson: boolean;
  truncatedJson: boolean;
  neverStart: boolean;
  /** Scans launched by this request stay RUNNING until an action (STOP, CANCEL) moves them on. */
  neverFinish: boolean;
}

interface ActiveRule {
  rule: FaultRule;
  matches: number;
  random: SeededRandom | null;
}

/** Holds fault rules and decides, per request, which of them fire. */
export class FaultInjector {
  private rules: ActiveRule[] = [];

  /** Adds a rule; throws a RangeError for an unusable one. */
  add(rule: FaultRule): void {
    if (!(FAULT_KINDS as readonly string[]).includes(rule.kind)) throw new RangeError(`Unknown fault kind ${String(rule.kind)}; expected one of ${FAULT_KINDS.join(', ')}`);
    if (rule.every !== undefined && (!Number.isInteger(rule.every) || rule.every < 1)) throw new RangeError(`Fault rule "every" must be a whole number of at least 1, got ${rule.every}`);
    if (rule.times !== undefined && (!Number.isInteger(rule.times) || rule.times < 0)) throw new RangeError(`Fault rule "times" must be a whole number, got ${rule.times}`);
    if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) throw new RangeError(`Fault rule "probability" must be between 0 and 1, got ${rule.probability}`);
    this.rules.push({ rule: { ...rule }, matches: 0, random: rule.probability === undefined ? null : createSeededRandom(rule.seed ?? 1) });
  }

  /** Removes every rule. */
  clear(): void {
    this.rules = [];
  }

  /** Counts a request against every matching rule and returns the faults that fire. */
  select(route: string): AppliedFaults {
    const applied: AppliedFaults = { delayMs: 0, reset: false, status: null, resetAfterCommit: false, invalidJson: false, truncatedJson: false, neverStart: false, neverFinish: false };
    for (const active of this.rules) {
      const { rule } = active;
      if (rule.route !== undefined && rule.route !== route) continue;
      active.matches += 1;
      if (rule.times !== undefined && active.matches > rule.times) continue;
      if (rule.every !== undefined && active.matches % rule.every !== 0) continue;
      if (active.random && active.random.next() >= (rule.probability ?? 1)) continue;
      switch (rule.kind) {
        case 'latency':
          applied.delayMs += Math.max(0, rule.delayMs ?? 0);
          break;
        case 'status':
          applied.status ??= rule.retryAfter === undefined ? { status: rule.status ?? 500 } : { status: rule.status ?? 500, retryAfter: rule.retryAfter };
          break;
        case 'reset':
          applied.reset = true;
          break;
        case 'reset-after-commit':
          applied.resetAfterCommit = true;
          break;
        case 'invalid-json':
          applied.invalidJson = true;
          break;
        case 'truncated-json':
          applied.truncatedJson = true;
          break;
        case 'never-start':
          applied.neverStart = true;
          break;
        case 'never-finish':
          applied.neverFinish = true;
          break;
      }
    }
    return applied;
  }
}
