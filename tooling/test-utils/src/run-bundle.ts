import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How to run a bundle. */
export interface RunBundleOptions {
  /** The bundle's path, run with `node` (this process's unless `node` says otherwise). */
  bundle: string;
  args?: readonly string[];
  cwd?: string;
  /** The whole environment of the child (nothing is inherited but what is given). */
  env: Record<string, string>;
  /** Another Node.js binary, e.g. to check a bundle on Node 24. @default process.execPath */
  node?: string;
  /** Sees the output as it arrives, to send a signal at the right moment. */
  onStdout?: (stdoutSoFar: string, kill: (signal: NodeJS.Signals) => void) => void;
  /** Gets a way to signal the child as soon as it is started. */
  onSpawn?: (kill: (signal: NodeJS.Signals) => void) => void;
  /** A safety net for a child that never ends. @default 90000 */
  killAfterMs?: number;
}

/** What a bundle did. */
export interface BundleRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs a built bundle as a child process with the given environment and collects its exit and output. */
export function runBundle(options: RunBundleOptions): Promise<BundleRun> {
  // Each run gets its own empty user cache folder unless the test gives one: the CLI keeps attack documentation
  // there between runs, and tests must not see what an earlier test (or the developer's own runs) left behind.
  const cacheHome = options.env.XDG_CACHE_HOME === undefined ? mkdtempSync(join(tmpdir(), 'ias-bundle-cache-')) : undefined;
  const env = cacheHome === undefined ? options.env : { ...options.env, XDG_CACHE_HOME: cacheHome };
  const cleanUp = (): void => {
    if (cacheHome !== undefined) rmSync(cacheHome, { recursive: true, force: true });
  };
  return new Promise((resolve, reject) => {
    const child = spawn(options.node ?? process.execPath, [options.bundle, ...(options.args ?? [])], {
      ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      options.onStdout?.(stdout, (signal) => child.kill(signal));
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    options.onSpawn?.((signal) => child.kill(signal));
    const killer = setTimeout(() => child.kill('SIGKILL'), options.killAfterMs ?? 90_000);
    child.on('error', (error) => {
      clearTimeout(killer);
      cleanUp();
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(killer);
      cleanUp();
      resolve({ code, signal, stdout, stderr });
    });
  });
}
