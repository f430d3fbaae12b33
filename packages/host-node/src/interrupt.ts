/** What {@link createInterruptSignal} needs of a process. */
export interface SignalSource {
  on(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: 'SIGINT' | 'SIGTERM', listener: (signal: NodeJS.Signals) => void): unknown;
}

/** An abort signal raised by SIGINT or SIGTERM (what CI hosts send when a pipeline is cancelled). */
export interface InterruptSignal {
  readonly signal: AbortSignal;
  /** Removes the handlers. */
  dispose(): void;
}

/** How long the run may take to wind down after the first signal (cancel the scan, write the result) before `onRepeat`. */
export const INTERRUPT_GRACE_MS = 75_000;

/**
 * Turns the first SIGINT/SIGTERM into an abort (so the run cancels its scan and writes what it knows), and a second
 * one into `onRepeat` (a forced exit), for users who do not want to wait. Should the run not have ended
 * `graceMs` after the first signal (a proxy that swallows the cancel, a server that never answers), `onRepeat` is
 * called too: a signal is always answered. The timer does not keep the process alive.
 */
export function createInterruptSignal(source: SignalSource, options: { onFirst?: (signal: string) => void; onRepeat?: () => void; graceMs?: number } = {}): InterruptSignal {
  const controller = new AbortController();
  const listener = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      options.onRepeat?.();
      return;
    }
    options.onFirst?.(signal);
    controller.abort(new Error(`received ${signal}`));
    if (options.onRepeat !== undefined) {
      const force = options.onRepeat;
      const timer = setTimeout(() => force(), options.graceMs ?? INTERRUPT_GRACE_MS);
      (timer as { unref?: () => void }).unref?.();
    }
  };
  source.on('SIGINT', listener);
  source.on('SIGTERM', listener);
  return {
    signal: controller.signal,
    dispose() {
      source.off('SIGINT', listener);
      source.off('SIGTERM', listener);
    },
  };
}
