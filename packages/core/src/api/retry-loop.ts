import type { Clock, Logger, HeaderLookup } from '../effects';
import { parseRetryAfter } from './transport';

/**
 * The one retry loop of every HTTP client in core (the IAS API, Entra ID, ARM and the export blob host): bounded
 * attempts, each under its own deadline, with exponential back-off and jitter between them, a server's Retry-After
 * honoured but clamped, all waits on the injected {@link Clock} (the simulator's manual clock drives them), and the
 * caller's abort signal ending attempts and waits at once. What is worth retrying and what each failure says stays
 * with each client: an attempt returns a verdict, the loop only decides when to try again.
 */

/** How often and how patiently to retry. */
export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  /** First back-off delay; doubles per retry. */
  retryBaseMs: number;
  /** Largest back-off delay, and the cap on a Retry-After wait. */
  retryMaxMs: number;
  /** Source of jitter in [0, 1): a wait is drawn from [ceiling/2, ceiling). `() => 1` waits the full ceiling. */
  random: () => number;
  /** Per-attempt deadline in ms, covering the headers and the whole body. */
  timeoutMs: number;
}

/** What one attempt may use. */
export interface AttemptContext {
  /** 1 for the first attempt. */
  attempt: number;
  /** Aborts at the attempt's deadline or when the caller's signal aborts. */
  signal: AbortSignal;
  /** Aborts at the attempt's deadline only: `timer.aborted` tells a timeout from an interrupt. */
  timer: AbortSignal;
  /** The attempt's deadline in ms. */
  attemptMs: number;
}

/** An attempt's verdict: done, or worth another attempt (`final` is the outcome once there are none left). */
export type AttemptVerdict<T> =
  | { done: T }
  | {
      /** For the debug log: `503`, `timed out`, `network error (ECONNRESET)`. */
      why: string;
      /** The wait the server asked for, in ms, when it asked. */
      retryAfterMs?: number | undefined;
      /** Throws the error to report, or returns the value to hand back, when no attempt is left. */
      final: () => T;
    };

/** The loop's surroundings. */
export interface RetryLoop extends RetryPolicy {
  clock: Clock;
  logger: Logger;
  /** The caller's interrupt: ends the attempt in flight and any wait. */
  signal?: AbortSignal | undefined;
  /** For log lines. */
  route: string;
  /** An instant on the clock (epoch ms) after which no attempt starts and no wait ends; the attempt in flight is cut at it. */
  deadline?: number | undefined;
  /** The error for an interrupt. */
  aborted: (cause: unknown) => Error;
  /** The error for an attempt that would start past the deadline. */
  pastDeadline: () => Error;
}

/** The wait before retry number `retry` (0-based): the server's Retry-After, clamped, else back-off with jitter. */
export function backoffMs(policy: Pick<RetryPolicy, 'retryBaseMs' | 'retryMaxMs' | 'random'>, retry: number, retryAfterMs: number | undefined): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.retryMaxMs);
  const ceiling = Math.min(policy.retryMaxMs, policy.retryBaseMs * 2 ** retry);
  return Math.round(ceiling / 2 + (policy.random() * ceiling) / 2);
}

/** A `Retry-After` header (seconds or an HTTP date) in ms from now, or `undefined`. */
export function retryAfterOf(headers: HeaderLookup, now: number): number | undefined {
  return parseRetryAfter(headers.get('retry-after'), now);
}

/**
 * Runs `attempt` until it is done, its verdict asks for no retry, or the retries, the deadline or the signal end it.
 * The per-attempt timer is a real-time `AbortSignal.timeout` (network I/O runs in real time, also under a manual
 * clock); waits between attempts are on `loop.clock`.
 */
export async function retrying<T>(loop: RetryLoop, attempt: (context: AttemptContext) => Promise<AttemptVerdict<T>>): Promise<T> {
  const { clock, deadline } = loop;
  for (let n = 1; ; n += 1) {
    if (loop.signal?.aborted) throw loop.aborted(loop.signal.reason);
    if (deadline !== undefined && clock.now() >= deadline) throw loop.pastDeadline();
    const attemptMs = deadline === undefined ? loop.timeoutMs : Math.max(1, Math.min(loop.timeoutMs, deadline - clock.now()));
    const timer = AbortSignal.timeout(attemptMs);
    const signal = loop.signal === undefined ? timer : AbortSignal.any([loop.signal, timer]);
    let verdict: AttemptVerdict<T>;
    try {
      verdict = await attempt({ attempt: n, signal, timer, attemptMs });
    } catch (error) {
      if (loop.signal?.aborted) throw loop.aborted(error);
      throw error;
    }
    if ('done' in verdict) return verdict.done;
    if (n > loop.retries) return verdict.final();
    const wait = backoffMs(loop, n - 1, verdict.retryAfterMs);
    if (deadline !== undefined && clock.now() + wait >= deadline) return verdict.final();
    loop.logger.debug(`${loop.route}: ${verdict.why}; retry ${n}/${loop.retries} in ${wait}ms${verdict.retryAfterMs === undefined ? '' : ' (Retry-After)'}`);
    try {
      await clock.sleep(wait, loop.signal);
    } catch (error) {
      if (loop.signal?.aborted) throw loop.aborted(error);
      throw error;
    }
  }
}

/** True when `error` is a timeout (the attempt's timer, or a transport's own). */
export function isTimeout(error: unknown): boolean {
  return error instanceof Error && (error.name === 'TimeoutError' || (error as { code?: string }).code === 'ETIMEDOUT');
}
