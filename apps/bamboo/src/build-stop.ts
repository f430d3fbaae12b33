/**
 * How "Stop build" reaches the tool. A Bamboo agent stops a running task by signalling the process it started
 * (Atlassian's BAM-26106 quotes the agent: `kill -3 PID`, five seconds, then `kill PID`, i.e. SIGQUIT then
 * SIGTERM), naming only that process; its children are not known to be signalled. A Script task's process is the shell running the
 * script, so `exec node ias-bamboo.js` gets the signals itself, while `node ias-bamboo.js` without `exec` sees its
 * shell die and keeps running, orphaned. Both are a stop here:
 *
 * - SIGQUIT, SIGTERM or SIGINT to the tool itself (with `exec`, or a Command task running node directly);
 * - the shell that started the tool going away (without `exec`): on Linux and macOS an orphan is re-parented, so
 *   `process.ppid` changes; on Windows nothing is re-parented, so the first parent is asked whether it still exists.
 *
 * The first of these aborts the run (which cancels the scan); Bamboo's SIGTERM after its SIGQUIT is the same stop,
 * not a second one. A second stop of the same kind (e.g. two Ctrl-C) calls `onRepeat`, a forced exit.
 */
export interface StopSource {
  on(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  off(signal: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown;
  /** The current parent process id (it changes when the parent dies on Linux and macOS). */
  readonly ppid: number;
  readonly platform: string;
  /** `process.kill(pid, 0)`: throws ESRCH when no such process exists. */
  kill(pid: number, signal: 0): unknown;
}

/** A stop watcher: its signal aborts when the build is stopped. */
export interface BuildStop {
  readonly signal: AbortSignal;
  dispose(): void;
}

export interface BuildStopOptions {
  /** Told once, with what happened (e.g. `SIGTERM`, or `its shell (pid 42) ended`). */
  onStop?: (why: string) => void;
  /** A second, distinct stop while the first is being handled. */
  onRepeat?: () => void;
  /** How often the parent is checked. @default 1000 */
  pollMs?: number;
}

/** Watches for "Stop build" in every form a Bamboo agent delivers it; see the module comment. */
export function watchBuildStop(source: StopSource, options: BuildStopOptions = {}): BuildStop {
  const controller = new AbortController();
  const firstParent = source.ppid;
  let first: string | undefined;
  const stop = (why: string, kind: string): void => {
    if (first !== undefined) {
      // Bamboo follows its SIGQUIT with a SIGTERM five seconds later: that is the same stop, still being handled.
      if (first === 'SIGQUIT' && kind === 'SIGTERM') return;
      if (kind === first && kind !== 'parent') options.onRepeat?.();
      return;
    }
    first = kind;
    options.onStop?.(why);
    controller.abort(new Error(`build stopped: ${why}`));
  };
  const onSignal = (signal: NodeJS.Signals): void => stop(signal, signal);
  // Windows delivers none of these but SIGINT (Ctrl-C); listening is harmless there.
  const signals: NodeJS.Signals[] = source.platform === 'win32' ? ['SIGINT', 'SIGBREAK'] : ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGHUP'];
  for (const signal of signals) source.on(signal, onSignal);

  const parentGone = (): boolean => {
    if (source.platform !== 'win32') return source.ppid !== firstParent;
    try {
      source.kill(firstParent, 0);
      return false;
    } catch (error) {
      return (error as { code?: unknown }).code === 'ESRCH';
    }
  };
  const timer = setInterval(() => {
    if (controller.signal.aborted) return;
    if (parentGone()) stop(`its parent process (pid ${firstParent}, the task's shell) ended`, 'parent');
  }, options.pollMs ?? 1_000);
  // The watch must never keep the process alive on its own.
  timer.unref();

  return {
    signal: controller.signal,
    dispose() {
      clearInterval(timer);
      for (const signal of signals) source.off(signal, onSignal);
    },
  };
}
