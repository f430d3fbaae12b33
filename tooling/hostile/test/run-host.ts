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
      ...(options.signalAfterMs === undefined ? {} : { onSpawn: (kill: (signal: NodeJS.Signals) => void) => (signalTimer = setTimeout(() => kill('SIGTERM'), options.signalAfterMs)) }),
    });
    clearTimeout(signalTimer);
    const elapsedMs = Date.now() - started;
    const files = await readTree(workDir);
    return { ...run, files, elapsedMs, killed: run.signal === 'SIGKILL' };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
}

/** Where the key occurs in what a run printed or wrote, skipping the host's own secret registration line. */
export function keyLeaks(run: HostRun, key: string, registration: string | undefined): string[] {
  const places: string[] = [];
  const texts: [string, string][] = [['stdout', run.stdout], ['stderr', run.stderr], ...[...run.files.entries()]];
  for (const [label, text] of texts) {
    const lines = text.split(/\r?\n/).filter((line) => line !== registration);
    if (lines.some((line) => line.includes(key))) places.push(label);
  }
  return places;
}
