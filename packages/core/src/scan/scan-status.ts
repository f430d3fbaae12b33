/**
 * The scan statuses and their phases (ias-api.md §3.3). Statuses are open strings: an unknown status is
 * non-terminal, and counts as "started" only once the scan has been seen running.
 */

/** States before the engine starts scanning; the pending budget covers them. */
export const PRE_START_STATUSES: ReadonlySet<string> = new Set([
  'QUEUED',
  'PENDING',
  'PROVISIONING',
  'BLACKED_OUT',
  'AUTHENTICATING',
  'AWAITING_AUTHENTICATION',
  'AUTHENTICATED',
]);

/** States that mean the scan has started (or gone past it). */
export const STARTED_STATUSES: ReadonlySet<string> = new Set([
  'RUNNING',
  'PAUSING',
  'PAUSED',
  'RESUMING',
  'STOPPING',
  'SCANNED',
  'PROCESSED',
  'CANCELING',
  'COMPLETE',
]);

/** Every status the product knows; others are logged once and treated as non-terminal. */
export const KNOWN_STATUSES: ReadonlySet<string> = new Set([...PRE_START_STATUSES, ...STARTED_STATUSES, 'FAILED']);

/** True for COMPLETE and FAILED. */
export function isTerminal(status: string): boolean {
  return status === 'COMPLETE' || status === 'FAILED';
}

/** Parses an API date-time; the API omits the zone designator, which means UTC. */
export function parseApiDate(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const text = value.trim();
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(text) || !text.includes('T') ? text : `${text}Z`;
  const ms = Date.parse(text.includes('T') ? zoned : `${text}T00:00:00Z`);
  return Number.isNaN(ms) ? undefined : ms;
}
