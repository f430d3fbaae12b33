/** One phase of a scan's life, relative: `ms` of `status` (Infinity for an end state or an open wait). */
export interface ScanPhase {
  status: string;
  ms: number;
  failureReason?: string;
}

/** One phase placed on the clock; `end` null means it lasts until something changes it. */
export interface ScheduleEntry {
  status: string;
  start: number;
  end: number | null;
  failureReason?: string;
}

/** The mutable record of one scan. Its status is never stored: it is read off `schedule` at a time. */
export interface ScanRecord {
  id: string;
  appId: string;
  configId: string;
  scanType: string;
  submitTime: number;
  schedule: ScheduleEntry[];
  /** Planned RUNNING time, the denominator of progress. */
  plannedRunningMs: number;
  /** Phases still to run after a PAUSE, replayed by RESUME. */
  suspended: ScanPhase[] | null;
  /** The finding set this scan links instead of its config's (history scans). */
  findingSet?: string;
  /** Share of the finding set a COMPLETE scan links (below 1 after STOP). */
  findingFraction: number;
  /** True once the end state has been applied to the vulnerabilities. */
  settled: boolean;
  pendingAction: { action: string; until: number } | null;
  /** Durations used after STOP. */
  finishingMs: { scanned: number; processed: number };
}

/** The statuses after which nothing changes. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['COMPLETE', 'FAILED']);

/** The actions `PUT /scans/{id}/action` accepts. */
export const SCAN_ACTIONS = ['PAUSE', 'RESUME', 'STOP', 'CANCEL', 'AUTHENTICATE'] as const;
/** An action name. */
export type ScanAction = (typeof SCAN_ACTIONS)[number];

const STOPPABLE = new Set(['QUEUED', 'PENDING', 'PROVISIONING', 'AUTHENTICATING', 'AWAITING_AUTHENTICATION', 'AUTHENTICATED', 'RUNNING', 'PAUSED', 'BLACKED_OUT']);

/** Lays relative phases end to end from `start`. */
export function layOut(start: number, phases: readonly ScanPhase[]): ScheduleEntry[] {
  const entries: ScheduleEntry[] = [];
  let at = start;
  for (const phase of phases) {
    const end = Number.isFinite(phase.ms) ? at + Math.max(0, phase.ms) : null;
    const entry: ScheduleEntry = { status: phase.status, start: at, end };
    if (phase.failureReason !== undefined) entry.failureReason = phase.failureReason;
    entries.push(entry);
    if (end === null) break;
    at = end;
  }
  return entries;
}

/** The schedule entry in force at `now` (the first one before the scan was submitted). */
export function entryAt(scan: ScanRecord, now: number): ScheduleEntry {
  const entries = scan.schedule;
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const entry = entries[i];
    if (entry && entry.start <= now && (entry.end === null || now < entry.end || i === entries.length - 1)) return entry;
  }
  const first = entries[0];
  if (!first) throw new Error(`Scan ${scan.id} has an empty schedule`);
  return first;
}

/** The scan's status at `now`. */
export function statusAt(scan: ScanRecord, now: number): string {
  return entryAt(scan, now).status;
}

/** When the scan reached COMPLETE or FAILED, or null while it has not. */
export function completionAt(scan: ScanRecord, now: number): number | null {
  const entry = entryAt(scan, now);
  return TERMINAL_STATUSES.has(entry.status) ? entry.start : null;
}

/** The failure_reason at `now`: set only once FAILED. */
export function failureReasonAt(scan: ScanRecord, now: number): string | null {
  const entry = entryAt(scan, now);
  return entry.status === 'FAILED' ? (entry.failureReason ?? 'SYSTEM_ERROR') : null;
}

/** Share of the planned RUNNING time spent so far, 0 to 1 (paused time does not count). */
export function progressAt(scan: ScanRecord, now: number): number {
  let running = 0;
  let reachedEnd = false;
  for (const e of scan.schedule) {
    if (e.start > now) break;
    if (e.status === 'RUNNING') running += Math.min(e.end ?? now, now) - e.start;
    if (e.status === 'SCANNED' || e.status === 'PROCESSED' || e.status === 'COMPLETE') reachedEnd = true;
  }
  if (scan.plannedRunningMs <= 0) return reachedEnd ? 1 : 0;
  return Math.max(0, Math.min(1, running / scan.plannedRunningMs));
}

/** Drops everything from `now` on, ending the schedule at `now`, and returns what was dropped. */
function truncate(scan: ScanRecord, now: number): ScheduleEntry[] {
  const kept = scan.schedule.filter((e) => e.start < now);
  const dropped = scan.schedule.filter((e) => e.start >= now);
  const last = kept[kept.length - 1];
  if (last) {
    if (last.end === null || last.end > now) {
      dropped.unshift({ ...last, start: now });
      last.end = now;
    }
  }
  scan.schedule = kept;
  return dropped;
}

function append(scan: ScanRecord, now: number, phases: readonly ScanPhase[]): void {
  scan.schedule.push(...layOut(now, phases));
}

/** Durations of transitional states, in milliseconds. */
export interface TransitionMs {
  canceling: number;
  stopping: number;
  pausing: number;
  resuming: number;
}

/**
 * Applies an action at `now`, rewriting the scan's future. Returns an explanation when the action
 * does not fit the scan's status (the caller answers 422), or null on success.
 */
export function applyAction(scan: ScanRecord, action: string, now: number, transitions: TransitionMs): string | null {
  const status = statusAt(scan, now);
  const refuse = `Cannot ${action} a scan in status ${status}`;
  if (TERMINAL_STATUSES.has(status)) return refuse;
  switch (action) {
    case 'CANCEL': {
      // A repeated CANCEL (a retry after a lost answer) changes nothing and succeeds.
      if (status === 'CANCELING') return null;
      truncate(scan, now);
      append(scan, now, [
        { status: 'CANCELING', ms: transitions.canceling },
        { status: 'FAILED', ms: Infinity, failureReason: 'CANCELED' },
      ]);
      scan.suspended = null;
      scan.pendingAction = { action, until: now + transitions.canceling };
      return null;
    }
    case 'STOP': {
      if (!STOPPABLE.has(status)) return refuse;
      scan.findingFraction = progressAt(scan, now);
      truncate(scan, now);
      append(scan, now, [
        { status: 'STOPPING', ms: transitions.stopping },
        { status: 'SCANNED', ms: scan.finishingMs.scanned },
        { status: 'PROCESSED', ms: scan.finishingMs.processed },
        { status: 'COMPLETE', ms: Infinity },
      ]);
      scan.suspended = null;
      scan.pendingAction = { action, until: now + transitions.stopping };
      return null;
    }
    case 'PAUSE': {
      if (status !== 'RUNNING') return refuse;
      const rest = truncate(scan, now);
      scan.suspended = rest.map((e) => {
        const phase: ScanPhase = { status: e.status, ms: e.end === null ? Infinity : e.end - e.start };
        if (e.failureReason !== undefined) phase.failureReason = e.failureReason;
        return phase;
      });
      append(scan, now, [
        { status: 'PAUSING', ms: transitions.pausing },
        { status: 'PAUSED', ms: Infinity },
      ]);
      scan.pendingAction = { action, until: now + transitions.pausing };
      return null;
    }
    case 'RESUME': {
      if (status !== 'PAUSED' || !scan.suspended) return refuse;
      truncate(scan, now);
      append(scan, now, [{ status: 'RESUMING', ms: transitions.resuming }, ...scan.suspended]);
      scan.suspended = null;
      scan.pendingAction = { action, until: now + transitions.resuming };
      return null;
    }
    case 'AUTHENTICATE':
      return status === 'AWAITING_AUTHENTICATION' ? null : refuse;
    default:
      return `Unknown action ${action}; expected one of ${SCAN_ACTIONS.join(', ')}`;
  }
}

/** The action still being carried out at `now`, if any. */
export function pendingActionAt(scan: ScanRecord, now: number): string | null {
  return scan.pendingAction && now < scan.pendingAction.until ? scan.pendingAction.action : null;
}

const PLATFORM_MESSAGES: Record<string, string> = {
  QUEUED: 'Scan queued, waiting for capacity',
  PENDING: 'Scan submitted to the engine group',
  PROVISIONING: 'Provisioning a scan engine',
  RUNNING: 'Gathering Seed URLs from app',
  SCANNED: 'Scanning finished, processing results',
  PROCESSED: 'Generating reports',
  COMPLETE: 'Scan complete',
  CANCELING: 'Cancel requested',
  STOPPING: 'Stop requested',
  PAUSING: 'Pause requested',
  PAUSED: 'Scan paused',
  RESUMING: 'Resume requested',
};

const ENGINE_MESSAGES: Record<string, string> = {
  PROVISIONING: 'Engine assigned',
  RUNNING: 'Initializing Scan',
  SCANNED: 'Scan finished',
  CANCELING: 'Cancelling scan',
  STOPPING: 'Stopping scan',
  PAUSING: 'Pausing scan',
  PAUSED: 'Scan paused',
  RESUMING: 'Resuming scan',
};

/** A log line of `GET /scans/{id}/engine-events` or `/platform-events`. */
export interface ScanEvent {
  time: number;
  event: string;
}

/** Events for every phase entered up to `now`; `kind` picks the platform or the engine log. */
export function eventsAt(scan: ScanRecord, now: number, kind: 'platform' | 'engine'): ScanEvent[] {
  const events: ScanEvent[] = [];
  for (const e of scan.schedule) {
    if (e.start > now) break;
    if (e.end !== null && e.end === e.start && !TERMINAL_STATUSES.has(e.status)) continue;
    if (kind === 'platform') {
      const text = e.status === 'FAILED' ? `Scan failed: ${e.failureReason ?? 'SYSTEM_ERROR'}` : (PLATFORM_MESSAGES[e.status] ?? `Scan status changed to ${e.status}`);
      events.push({ time: e.start, event: text });
    } else {
      const text = e.status === 'FAILED' ? `Scan ended with ${e.failureReason ?? 'SYSTEM_ERROR'}` : ENGINE_MESSAGES[e.status];
      if (text) events.push({ time: e.start, event: text });
      if (e.status === 'RUNNING' && (e.end === null || e.end > e.start)) events.push({ time: e.start, event: 'Crawling and attacking' });
    }
  }
  return events;
}
