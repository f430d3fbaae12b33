import { setFlagsFromString } from 'node:v8';
import { redactSecrets } from '@ias/core';
import { exitWithVerdict } from './exit-process';

/** Something holding process handlers (an interrupt signal, a build-stop watch) to release once the run has ended. */
export interface Disposable {
  dispose(): void;
}

/** An unexpected error, as {@link runAdapter} hands it to the adapter: both texts already redacted. */
export interface InternalError {
  /** The error's message (`String(error)` for a thrown non-Error). */
  readonly message: string;
  /** The stack when there is one, else the message. */
  readonly detail: string;
}

/** What {@link runAdapter} needs of an adapter's process entry. */
export interface AdapterEntry {
  /** The adapter's run: resolves to the process's exit status. */
  main: () => Promise<number> | number;
  /**
   * The secret values known when the error is caught (API keys, client secrets, passwords), removed from the
   * error's text before it is reported. Called at catch time, so a value registered during the run counts.
   */
  secrets?: () => readonly (string | undefined)[];
  /** Tells the host about an unexpected error (stderr, a failed task or step, a verdict line), in its own words. */
  reportInternalError: (error: InternalError) => void;
  /** The exit status after an unexpected error. */
  internalErrorCode: number;
  /** Released when the run ends, however it ends. */
  interrupts?: readonly Disposable[];
  /**
   * Ends the run with a status, for a caller that does not own the process (tests, `@github/local-action` importing
   * the action). Unset, runAdapter owns the process: it tunes V8 for a short run and ends with {@link exitWithVerdict}.
   */
  exit?: (code: number) => void;
}

/**
 * The process entry of every adapter: tunes V8 for a short run (when it owns the process), runs `main`, and exits
 * with its status. Any error it throws or rejects with is
 * caught here, once: its text is redacted (every value from `secrets`, with core's `redactSecrets`), reported
 * through `reportInternalError`, and the process exits with `internalErrorCode`. The interrupt handlers are
 * released first either way.
 * @returns the status the process exits with
 */
export async function runAdapter(entry: AdapterEntry): Promise<number> {
  if (entry.exit === undefined) tuneV8ForShortRun();
  const exit = entry.exit ?? ((code: number) => exitWithVerdict(code));
  let code: number;
  try {
    code = await entry.main();
  } catch (error) {
    code = entry.internalErrorCode;
    try {
      entry.reportInternalError(describe(error, secretsOf(entry)));
    } catch {
      // Reporting failed too (a closed stream, say): the exit status still tells.
    }
  } finally {
    for (const interrupt of entry.interrupts ?? []) {
      try {
        interrupt.dispose();
      } catch {
        // Nothing more to release: the process is about to end.
      }
    }
  }
  exit(code);
  return code;
}

function secretsOf(entry: AdapterEntry): readonly (string | undefined)[] {
  try {
    return entry.secrets?.() ?? [];
  } catch {
    return [];
  }
}

function describe(error: unknown, secrets: readonly (string | undefined)[]): InternalError {
  const message = error instanceof Error ? error.message : String(error);
  const detail = error instanceof Error ? (error.stack ?? error.message) : message;
  return { message: redactSecrets(message, secrets), detail: redactSecrets(detail, secrets) };
}

/**
 * A CI step is short-lived and shares its agent. optimize-for-size: V8 grows the heap less eagerly and collects sooner
 * (5,000 findings peak at ~105 MiB instead of ~145 MiB). no-opt: no optimizing compiler, whose background compilations
 * cost ~12 MiB more (5,000 findings at ~94 MiB, 100,000 at ~106 MiB instead of ~120), for the same time at 5,000
 * findings and about a quarter more at 100,000 (tooling/bench). Both are safe to set while running, unlike V8's GC
 * threading flags, which abort the process when changed after start-up. Process-wide: only for a process the adapter
 * owns, never for a host that imports it.
 */
function tuneV8ForShortRun(): void {
  setFlagsFromString('--optimize-for-size');
  setFlagsFromString('--no-opt');
}
