import type { ApiClient } from '../api/client';
import { getExecutionDetails, getScan, getScanEvents, submitScanAction } from '../api/resources';
import { failureAdvice } from './failure-reasons';
import type { Scan } from '../api/schemas';
import type { AdvanceOn, OnTimeout } from '../config/schema';
import { formatDuration } from '../config/duration';
import type { Clock, Logger } from '../effects';
import { ApiError, ScanError } from '../errors';
import type { RunEventListener } from './run-events';
import { isTerminal, KNOWN_STATUSES, STARTED_STATUSES } from './scan-status';

/** Options of {@link waitForScan}. */
export interface WaitForScanOptions {
  advanceOn: AdvanceOn;
  pollIntervalMs: number;
  /** Budget for every state before RUNNING, measured from `launchedAt`. `undefined`: none. */
  maxPendingMs: number | undefined;
  /** Budget from the first started state to COMPLETE. `undefined`: none. */
  maxExecutionMs: number | undefined;
  /**
   * One budget for the whole wait, whatever the state, measured from `launchedAt` (the official GitHub action's
   * `scan-timeout-mins`). `undefined` (or left out): none.
   */
  maxTotalMs?: number | undefined;
  onTimeout: OnTimeout;
  /** When the scan was launched (epoch ms, on `clock`). */
  launchedAt: number;
  clock: Clock;
  logger: Logger;
  onEvent?: RunEventListener;
  /** Read execution details for progress events while the scan runs. @default true when `onEvent` is set */
  progressDetails?: boolean;
  /** Called with every status read, so the caller always knows the last one. */
  onStatus?: (status: string) => void;
  signal?: AbortSignal;
  /** How long to wait for the scan to settle after a cancel or stop. @default 300000 */
  graceMs?: number;
  /** Consecutive failed polls tolerated (each already retried by the client). @default 5 */
  maxPollFailures?: number;
}

/** The budgets a wait enforces: before RUNNING, from RUNNING, and the whole wait from launch. */
type Budget = 'pending' | 'execution' | 'total';

/** How the wait ended without an error. */
export interface WaitResult {
  scan: Scan;
  /** `completed` when the scan is COMPLETE; otherwise the advance mode that ended the wait early. */
  reason: 'completed' | 'submitted' | 'started';
  /** Set when a budget ran out and `onTimeout: stop` brought the scan to COMPLETE: the step still fails. */
  stoppedOnBudget?: Budget;
  startedRunningAt: number | undefined;
}

/**
 * Follows a scan until it reaches the state the advance mode asks for, enforcing the pending and execution
 * budgets on the clock (checked at least every poll, and exactly when a budget ends between two polls).
 * @throws ScanError SCAN_FAILED when the scan fails, SCAN_TIMEOUT when a budget runs out (after cancelling or
 * stopping the scan as `onTimeout` says).
 */
export async function waitForScan(client: ApiClient, scanId: string, options: WaitForScanOptions): Promise<WaitResult> {
  const { clock, logger } = options;
  if (options.advanceOn === 'submitted') {
    return { scan: await getScan(client, scanId), reason: 'submitted', startedRunningAt: undefined };
  }
  const maxFailures = options.maxPollFailures ?? 5;
  let previous: string | undefined;
  let startedAt: number | undefined;
  let failures = 0;
  let last: Scan | undefined;
  const unknownSeen = new Set<string>();
  /** When the budget that applies now ends, if one does. */
  const budgetEnd = (): { budget: 'pending' | 'execution'; at: number } | undefined => {
    if (startedAt === undefined) return options.maxPendingMs === undefined ? undefined : { budget: 'pending', at: options.launchedAt + options.maxPendingMs };
    return options.maxExecutionMs === undefined ? undefined : { budget: 'execution', at: startedAt + options.maxExecutionMs };
  };
  for (;;) {
    let scan: Scan;
    // A poll never outlives the budget: a failing or hanging API is cut at the budget's end, which is then acted on.
    const end = budgetEnd();
    try {
      // A poll before the budget's end is cut at it; the poll at the end itself (did the scan make it?) gets one
      // request timeout.
      const deadline = end === undefined ? undefined : clock.now() < end.at ? end.at : clock.now() + client.timeoutMs;
      scan = await getScan(client, scanId, { deadline });
      failures = 0;
    } catch (error) {
      if (options.signal?.aborted) throw error;
      if (end !== undefined && clock.now() >= end.at && error instanceof ApiError && ['NETWORK_ERROR', 'TIMEOUT', 'HTTP_ERROR'].includes(error.code)) {
        logger.warn(`Could not read the scan's status (${error.message})`);
        return await onBudget(client, last ?? ({ id: scanId, status: previous ?? 'UNKNOWN' } as Scan), end.budget, clock.now(), startedAt, options, false);
      }
      if (!isTransientPollError(error) || failures + 1 >= maxFailures) throw error;
      failures += 1;
      const wait = end === undefined ? options.pollIntervalMs : Math.max(0, Math.min(options.pollIntervalMs, end.at - clock.now()));
      logger.warn(`Could not read the scan's status (${(error as ApiError).message}); polling again in ${formatDuration(wait)}`);
      await clock.sleep(wait, options.signal);
      continue;
    }
    last = scan;
    const now = clock.now();
    const status = scan.status;
    options.onStatus?.(status);
    if (status !== previous) {
      announceStatus(scanId, status, previous, now, options, unknownSeen);
      previous = status;
    }
    if (startedAt === undefined && STARTED_STATUSES.has(status)) startedAt = now;
    if (options.onEvent !== undefined && !isTerminal(status)) {
      await emitProgress(client, scanId, status, { now, started: startedAt !== undefined, deadline: budgetEnd()?.at }, options);
    }
    if (status === 'FAILED') {
      await logLastEvents(client, scanId, logger);
      throw scanFailed(scan, now - options.launchedAt);
    }
    if (options.advanceOn === 'started' && startedAt !== undefined) return { scan, reason: 'started', startedRunningAt: startedAt };
    if (status === 'COMPLETE') return { scan, reason: 'completed', startedRunningAt: startedAt };

    const { overrun, nextPollMs } = checkBudgets(now, startedAt, options);
    if (overrun !== undefined) return await onBudget(client, scan, overrun, now, startedAt, options);
    await clock.sleep(nextPollMs, options.signal);
  }
}

/** Reports a new status: an event, a log line, and a warning for a scan awaiting authentication or an unknown status. */
function announceStatus(scanId: string, status: string, previous: string | undefined, now: number, options: WaitForScanOptions, unknownSeen: Set<string>): void {
  const { logger } = options;
  options.onEvent?.({ type: 'status', scanId, status, previous, elapsedMs: now - options.launchedAt });
  logger.info(`Scan ${scanId}: ${status}${previous === undefined ? '' : ` (was ${previous})`} after ${formatDuration(now - options.launchedAt)}`);
  if (status === 'AWAITING_AUTHENTICATION') {
    logger.warn(`Scan ${scanId} is waiting for someone to complete its authentication in the InsightAppSec UI; the pending budget keeps running`);
  }
  if (!KNOWN_STATUSES.has(status) && !unknownSeen.has(status)) {
    unknownSeen.add(status);
    logger.warn(`Scan status '${status}' is new to this tool; treating it as still in progress`);
  }
}

/** Emits a progress event, with the execution details (read until `deadline`, best effort) once the scan runs. */
async function emitProgress(client: ApiClient, scanId: string, status: string, at: { now: number; started: boolean; deadline: number | undefined }, options: WaitForScanOptions): Promise<void> {
  const { now, started, deadline } = at;
  const details = started && options.progressDetails !== false ? await getExecutionDetails(client, scanId, { deadline }).catch(() => undefined) : undefined;
  options.onEvent?.({ type: 'progress', scanId, status, elapsedMs: now - options.launchedAt, ...(details === undefined ? {} : { details }) });
}

/** The budget that has run out at `now`, if any, and otherwise how long to sleep before the next poll. */
function checkBudgets(now: number, startedAt: number | undefined, options: WaitForScanOptions): { overrun: Budget | undefined; nextPollMs: number } {
  const pendingEnds = startedAt === undefined && options.maxPendingMs !== undefined ? options.launchedAt + options.maxPendingMs : undefined;
  const executionEnds = startedAt !== undefined && options.maxExecutionMs !== undefined ? startedAt + options.maxExecutionMs : undefined;
  const totalEnds = options.maxTotalMs !== undefined ? options.launchedAt + options.maxTotalMs : undefined;
  const overrun: Budget | undefined =
    pendingEnds !== undefined && now >= pendingEnds
      ? 'pending'
      : executionEnds !== undefined && now >= executionEnds
        ? 'execution'
        : totalEnds !== undefined && now >= totalEnds
          ? 'total'
          : undefined;
  const ends = [pendingEnds, executionEnds, totalEnds].filter((t): t is number => t !== undefined);
  const deadline = ends.length === 0 ? undefined : Math.min(...ends);
  const nextPollMs = deadline === undefined ? options.pollIntervalMs : Math.max(0, Math.min(options.pollIntervalMs, deadline - now));
  return { overrun, nextPollMs };
}

async function onBudget(
  client: ApiClient,
  scan: Scan,
  budget: Budget,
  now: number,
  startedAt: number | undefined,
  options: WaitForScanOptions,
  reachable = true,
): Promise<WaitResult> {
  const limit = budget === 'pending' ? options.maxPendingMs : budget === 'execution' ? options.maxExecutionMs : options.maxTotalMs;
  const name = budget === 'total' ? 'total budget' : `${budget} budget`;
  const what = `The ${name} of ${formatDuration(limit ?? 0)}${budget === 'total' ? ' from launch' : ''} ran out while scan ${scan.id} was ${scan.status}`;
  options.onEvent?.({ type: 'budget', budget, action: options.onTimeout });
  const elapsedMs = now - options.launchedAt;
  if (options.onTimeout === 'fail') {
    throw new ScanError('SCAN_TIMEOUT', `${what}; the scan was left running, as the on-timeout setting 'fail' asks; cancel it in InsightAppSec if it is not wanted.`, { scanId: scan.id, lastStatus: scan.status, elapsedMs });
  }
  // A scan that never started has nothing to stop and collect: it is canceled instead.
  const action = options.onTimeout === 'cancel' || startedAt === undefined ? 'CANCEL' : 'STOP';
  options.logger.warn(`${what}; sending ${action}${action === 'CANCEL' && options.onTimeout === 'stop' ? ' (a scan that never started has nothing to stop and collect)' : ''}`);
  // The action gets one request timeout: a budget that ran out is not extended by retries against a failing API.
  try {
    await submitScanAction(client, scan.id, action, { deadline: options.clock.now() + client.timeoutMs });
  } catch (error) {
    if (options.signal?.aborted || !(error instanceof ApiError)) throw error;
    throw new ScanError(
      'SCAN_TIMEOUT',
      `${what}; the ${action === 'CANCEL' ? 'cancel' : 'stop'} could not be sent (${error.message.replace(/\.$/, '')}), so the scan may still be running: ${action === 'CANCEL' ? 'cancel' : 'stop'} it in InsightAppSec.`,
      { scanId: scan.id, lastStatus: scan.status, elapsedMs },
      { cause: error },
    );
  }
  // When the status could not be read, waiting for the scan to settle would only extend the run past its budget.
  const settled = reachable ? await settle(client, scan, options) : scan;
  if (action === 'STOP' && settled.status === 'COMPLETE') {
    options.logger.warn(`Scan ${scan.id} stopped and completed; its findings so far are collected and gated, and the step fails on the budget`);
    return { scan: settled, reason: 'completed', stoppedOnBudget: budget, startedRunningAt: startedAt };
  }
  const result = action === 'CANCEL' ? (settled.status === 'FAILED' ? 'the scan was canceled' : `the scan was asked to cancel and is ${settled.status}`) : `the scan was asked to stop and is ${settled.status}`;
  throw new ScanError('SCAN_TIMEOUT', `${what}; ${result}.`, { scanId: scan.id, lastStatus: settled.status, elapsedMs, ...(settled.failure_reason ? { failureReason: settled.failure_reason } : {}) });
}

/**
 * Polls until the scan is terminal or the grace period ends; returns the last scan seen. Polls that fail are
 * retried within the grace period only, and its end cuts a poll in flight.
 */
async function settle(client: ApiClient, from: Scan, options: WaitForScanOptions): Promise<Scan> {
  const graceEnds = options.clock.now() + (options.graceMs ?? 300_000);
  const step = Math.min(options.pollIntervalMs, 5_000);
  let scan = from;
  for (;;) {
    try {
      scan = await getScan(client, from.id, { deadline: graceEnds });
    } catch (error) {
      if (options.signal?.aborted || !isTransientPollError(error)) throw error;
      if (options.clock.now() >= graceEnds) return scan;
    }
    if (isTerminal(scan.status) || options.clock.now() >= graceEnds) return scan;
    await options.clock.sleep(Math.max(0, Math.min(step, graceEnds - options.clock.now())), options.signal);
  }
}

/** A failed poll worth polling again: a network error, a timeout, a 5xx, or a 408/429 (the API asking us to slow down). */
function isTransientPollError(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  // A timeout or a dropped connection while reading a body carries the 200 it started with: still transient.
  if (error.code === 'NETWORK_ERROR' || error.code === 'TIMEOUT') return true;
  if (error.code !== 'HTTP_ERROR') return false;
  return error.status === undefined || error.status >= 500 || error.status === 429 || error.status === 408;
}

function scanFailed(scan: Scan, elapsedMs: number): ScanError {
  const reason = scan.failure_reason ?? 'UNKNOWN';
  return new ScanError('SCAN_FAILED', `Scan ${scan.id} failed with reason ${reason}; ${failureAdvice(reason)}.`, { scanId: scan.id, lastStatus: scan.status, failureReason: reason, elapsedMs });
}

/** Logs the last engine and platform events of a failed scan, the evidence behind its failure reason. */
async function logLastEvents(client: ApiClient, scanId: string, logger: Logger): Promise<void> {
  for (const kind of ['platform', 'engine'] as const) {
    try {
      const events = await getScanEvents(client, scanId, kind);
      const last = events.slice(-5);
      if (last.length === 0) continue;
      logger.info(`Last ${kind} events of scan ${scanId}:`);
      for (const event of last) logger.info(`  ${event.time ?? ''} ${event.event ?? ''}`.trimEnd());
    } catch (error) {
      logger.debug(`Could not read the ${kind} events of scan ${scanId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
