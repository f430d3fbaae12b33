import { closeOpenFetches } from './open-fetches';

/** What {@link exitWithVerdict} needs of a process (tests pass a fake). */
export interface ExitTarget {
  exitCode?: number | string | null | undefined;
  exit(code?: number): never | void;
}

/** How long a process may linger after its verdict before it is ended. */
export const EXIT_GRACE_MS = 2_000;

/**
 * Ends the process with `code` once the run has its verdict: sets the exit code, closes every proxy dispatcher, and
 * arms a last, unreferenced deadline that calls `exit(code)` should anything still hold the event loop (a socket a
 * misbehaving proxy keeps open, a timer a library forgot). A process with nothing left to do exits at once, as usual.
 */
export function exitWithVerdict(code: number, target: ExitTarget = process, graceMs: number = EXIT_GRACE_MS): void {
  target.exitCode = code;
  const timer = setTimeout(() => target.exit(code), graceMs);
  timer.unref();
  void closeOpenFetches();
}
