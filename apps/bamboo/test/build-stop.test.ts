import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchBuildStop, type StopSource } from '../src/build-stop';

// The decisions of the stop watcher on a fake process; test/stop-build.test.ts drives the real one through /bin/sh.
function fakeProcess(platform: string, ppid = 4242): StopSource & EventEmitter & { ppid: number; alive: Set<number>; emitSignal(s: NodeJS.Signals): void } {
  const emitter = new EventEmitter() as EventEmitter & { ppid: number; platform: string; alive: Set<number>; kill(pid: number, signal: 0): boolean; emitSignal(s: NodeJS.Signals): void };
  emitter.ppid = ppid;
  emitter.platform = platform;
  emitter.alive = new Set([ppid]);
  emitter.kill = (pid) => {
    if (!emitter.alive.has(pid)) throw Object.assign(new Error('kill ESRCH'), { code: 'ESRCH' });
    return true;
  };
  emitter.emitSignal = (signal) => emitter.emit(signal, signal);
  return emitter;
}

describe('watchBuildStop', () => {
  // Fake timers: the parent checks run when the test advances the clock, never on wall-clock luck.
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("treats Bamboo's SIGQUIT then SIGTERM as one stop, and a repeated signal as a forced exit", () => {
    const source = fakeProcess('linux');
    const stops: string[] = [];
    let repeats = 0;
    const watch = watchBuildStop(source, { onStop: (why) => stops.push(why), onRepeat: () => (repeats += 1), pollMs: 5 });
    source.emitSignal('SIGQUIT');
    expect(watch.signal.aborted).toBe(true);
    source.emitSignal('SIGTERM');
    expect(repeats).toBe(0);
    source.emitSignal('SIGQUIT');
    expect(repeats).toBe(1);
    expect(stops).toEqual(['SIGQUIT']);
    watch.dispose();
    expect(source.listenerCount('SIGQUIT')).toBe(0);
  });

  it('on Linux and macOS, stops when the process is re-parented (its shell died)', () => {
    const source = fakeProcess('linux');
    const stops: string[] = [];
    const watch = watchBuildStop(source, { onStop: (why) => stops.push(why), pollMs: 5 });
    vi.advanceTimersByTime(20);
    expect(watch.signal.aborted).toBe(false);
    source.ppid = 1;
    vi.advanceTimersByTime(5);
    expect(watch.signal.aborted).toBe(true);
    expect(stops).toEqual(["its parent process (pid 4242, the task's shell) ended"]);
    watch.dispose();
  });

  it('on Windows, where nothing is re-parented, stops when the first parent no longer exists', () => {
    const source = fakeProcess('win32');
    const watch = watchBuildStop(source, { pollMs: 5 });
    expect(source.listenerCount('SIGTERM')).toBe(0);
    expect(source.listenerCount('SIGINT')).toBe(1);
    vi.advanceTimersByTime(20);
    expect(watch.signal.aborted).toBe(false);
    source.alive.delete(4242);
    vi.advanceTimersByTime(5);
    expect(watch.signal.aborted).toBe(true);
    watch.dispose();
  });
});
