// Runs one host's built bundle against a hostile server and keeps everything it printed or wrote.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTree, runBundle } from '@ias/test-utils';
import type { Host, HostRun, Settings } from './hosts';

/** A host run with its wall time. */
export interface TimedRun extends HostRun {
  elapsedMs: number;
  /** True when the safety net had to kill the child (a hang: the run did not end by itself). */
  killed: boolean;
}

/** Spawns `node <bundle>` in a fresh folder with a minimal environment (nothing inherited but PATH) and the host's variables. */
/** `signalAfterMs`: SIGTERM this long after the run's first output. */
export async function runHost(host: Host, settings: Settings, options: { signalAfterMs?: number; killAfterMs: number }): Promise<TimedRun> {
  if (!existsSync(host.bundle)) throw new Error(`${host.bundle} is missing; build it first (turbo builds it before this suite's test task)`);
  const workDir = await mkdtemp(join(tmpdir(), 'ias-hostile-'));
  try {
    const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workDir, LANG: 'C.UTF-8', NO_COLOR: '1' };
    for (const [key, value] of Object.entries(host.env(settings, workDir))) if (value !== undefined) env[key] = value;
    const started = Date.now();
    let signalTimer: ReturnType<typeof setTimeout> | undefined;
    const run = await runBundle({
      bundle: host.bundle,
      ...(host.args === undefined ? {} : { args: host.args }),
      cwd: workDir,
      env,
      killAfterMs: options.killAfterMs,
      // The clock for the signal starts at the run's first output: by then its handlers are installed (a signal
      // during Node's start-up ends the process at once, which says nothing about the run).
      ...(options.signalAfterMs === undefined
        ? {}
        : {
            onStdout: (_text: string, kill: (signal: NodeJS.Signals) => void) => {
              signalTimer ??= setTimeout(() => kill('SIGTERM'), options.signalAfterMs);
            },
          }),
    });
    clearTimeout(signalTimer);
    const elapsedMs = Date.now() - started;
    const files = await readTree(workDir);
    return { ...run, files, elapsedMs, killed: run.signal === 'SIGKILL' };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/**
 * Where the key occurs in what a run printed or wrote, as the host shows it: the runner and the agent consume the
 * lines that register a secret (`::add-mask::…`, `##vso[task.setsecret]…`) and mask the value in every later line.
 */
export function keyLeaks(run: HostRun, key: string, registration: string | undefined): string[] {
  const places: string[] = [];
  const masked = (text: string): string[] => {
    const secrets: string[] = [];
    const shown: string[] = [];
    for (const line of text.split(/\r?\n/)) {
      const registered = /^(?:::add-mask::|##vso\[task\.setsecret\])(.*)$/.exec(line)?.[1];
      if (line === registration || registered !== undefined) {
        if (registered !== undefined && registered !== '') secrets.push(registered);
        continue;
      }
      shown.push(secrets.reduce((out, secret) => out.split(secret).join('***'), line));
    }
    return shown;
  };
  const texts: [string, string][] = [['stdout', run.stdout], ['stderr', run.stderr], ...[...run.files.entries()]];
  for (const [label, text] of texts) {
    if (masked(text).some((line) => line.includes(key))) places.push(label);
  }
  return places;
}

/** The lines of stdout as the host shows them (registered secrets masked), for searches beyond the key. */
export function shownText(run: HostRun): string {
  const secrets: string[] = [];
  return run.stdout
    .split(/\r?\n/)
    .filter((line) => {
      const registered = /^(?:::add-mask::|##vso\[task\.setsecret\])(.*)$/.exec(line)?.[1];
      if (registered !== undefined) secrets.push(registered);
      return registered === undefined;
    })
    .map((line) => secrets.reduce((out, secret) => (secret === '' ? out : out.split(secret).join('***')), line))
    .join('\n');
}
