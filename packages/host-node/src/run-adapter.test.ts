import { describe, expect, it } from 'vitest';
import { exitWithVerdict } from './exit-process';
import { createInterruptSignal } from './interrupt';
import { runAdapter, type InternalError } from './run-adapter';

/** A process stand-in: the signal listeners it holds, and the exit codes asked of it. */
function fakeProcess() {
  const listeners = new Map<string, ((signal: NodeJS.Signals) => void)[]>();
  return {
    exitCode: undefined as number | string | null | undefined,
    exits: [] as number[],
    exit(code?: number) {
      this.exits.push(code ?? 0);
    },
    on(signal: string, listener: (signal: NodeJS.Signals) => void) {
      listeners.set(signal, [...(listeners.get(signal) ?? []), listener]);
    },
    off(signal: string, listener: (signal: NodeJS.Signals) => void) {
      listeners.set(signal, (listeners.get(signal) ?? []).filter((l) => l !== listener));
    },
    listenerCount: (signal: string) => listeners.get(signal)?.length ?? 0,
  };
}

describe('runAdapter', () => {
  it('exits with the status main resolves to, and reports nothing', async () => {
    const exits: number[] = [];
    const reports: InternalError[] = [];
    const code = await runAdapter({ main: async () => 3, reportInternalError: (e) => reports.push(e), internalErrorCode: 5, exit: (c) => exits.push(c) });
    expect(code).toBe(3);
    expect(exits).toEqual([3]);
    expect(reports).toEqual([]);
  });

  it('catches a rejected promise: reports the error once and exits with the internal-error code', async () => {
    const exits: number[] = [];
    const reports: InternalError[] = [];
    const code = await runAdapter({
      main: () => Promise.reject(new Error('the socket closed\nat the second line')),
      reportInternalError: (e) => reports.push(e),
      internalErrorCode: 5,
      exit: (c) => exits.push(c),
    });
    expect(code).toBe(5);
    expect(exits).toEqual([5]);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.message).toBe('the socket closed\nat the second line');
    expect(reports[0]?.detail).toMatch(/^Error: the socket closed\nat the second line\n\s+at /);
  });

  it('catches an error main throws before returning a promise, and a thrown value that is not an Error', async () => {
    const exits: number[] = [];
    const reports: InternalError[] = [];
    await runAdapter({
      main: () => {
        throw new TypeError('bad proxy variable');
      },
      reportInternalError: (e) => reports.push(e),
      internalErrorCode: 1,
      exit: (c) => exits.push(c),
    });
    await runAdapter({ main: () => Promise.reject('plain text'), reportInternalError: (e) => reports.push(e), internalErrorCode: 1, exit: (c) => exits.push(c) });
    expect(exits).toEqual([1, 1]);
    expect(reports.map((r) => r.message)).toEqual(['bad proxy variable', 'plain text']);
    expect(reports[1]?.detail).toBe('plain text');
  });

  it('redacts every secret the adapter knows when the error is caught, in the message and the stack', async () => {
    const secrets: string[] = [];
    const reports: InternalError[] = [];
    await runAdapter({
      main: async () => {
        secrets.push('k3y-value/with+chars');
        throw new Error('request to https://ias.example/?key=k3y-value%2Fwith%2Bchars failed with k3y-value/with+chars');
      },
      secrets: () => [...secrets, undefined],
      reportInternalError: (e) => reports.push(e),
      internalErrorCode: 5,
      exit: () => undefined,
    });
    expect(reports[0]?.message).toBe('request to https://ias.example/?key=*** failed with ***');
    expect(reports[0]?.detail).toContain('failed with ***');
    expect(JSON.stringify(reports)).not.toContain('k3y-value');
    expect(JSON.stringify(reports)).not.toContain('with%2Bchars');
  });

  it('still exits with the internal-error code when the secrets or the report throw', async () => {
    const exits: number[] = [];
    await runAdapter({
      main: () => Promise.reject(new Error('boom')),
      secrets: () => {
        throw new Error('no inputs');
      },
      reportInternalError: () => {
        throw new Error('stderr is closed');
      },
      internalErrorCode: 5,
      exit: (c) => exits.push(c),
    });
    expect(exits).toEqual([5]);
  });

  it('removes the interrupt handlers it is given, whether main succeeds or fails, before it exits', async () => {
    for (const main of [async () => 0, () => Promise.reject(new Error('boom'))]) {
      const proc = fakeProcess();
      const interrupt = createInterruptSignal(proc);
      expect(proc.listenerCount('SIGINT')).toBe(1);
      const seen: number[] = [];
      await runAdapter({ main, reportInternalError: () => undefined, internalErrorCode: 5, interrupts: [interrupt], exit: () => seen.push(proc.listenerCount('SIGINT') + proc.listenerCount('SIGTERM')) });
      expect(seen).toEqual([0]);
    }
  });

  it('ends a process through exitWithVerdict: the exit code is set, and exit is called after the grace period', async () => {
    const proc = fakeProcess();
    await runAdapter({ main: () => Promise.reject(new Error('boom')), reportInternalError: () => undefined, internalErrorCode: 5, exit: (code) => exitWithVerdict(code, proc, 10) });
    expect(proc.exitCode).toBe(5);
    expect(proc.exits).toEqual([]);
    await new Promise((r) => setTimeout(r, 40));
    expect(proc.exits).toEqual([5]);
  });
});
