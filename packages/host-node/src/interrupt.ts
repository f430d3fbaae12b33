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

/**
 * Turns the first SIGINT/SIGTERM into an abort (so the run cancels its scan and writes what it knows), and a second
 * one into `onRepeat` (a forced exit), for users who do not want to wait.
 */
export function createInterruptSignal(source: SignalSource, options: { onFirst?: (signal: string) => void; onRepeat?: () => void } = {}): InterruptSignal {
  const controller = new AbortController();
  const listener = (signal: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      options.onRepeat?.();
      return;
    }
    options.onFirst?.(signal);
    controller.abort(new Error(`received ${signal}`));
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
