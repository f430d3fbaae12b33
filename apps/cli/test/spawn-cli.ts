import { fileURLToPath } from 'node:url';
import { runBundle, type BundleRun } from '@ias/test-utils';

export const CLI = fileURLToPath(new URL('../dist/ias.js', import.meta.url));

/** Runs the built CLI; `onStdout` sees output as it arrives (to send a signal at the right moment). */
export function runCli(args: string[], env: Record<string, string>, options: { cwd?: string; onStdout?: (text: string, kill: (signal: NodeJS.Signals) => void) => void } = {}): Promise<BundleRun> {
  return runBundle({ bundle: CLI, args, env: { PATH: process.env.PATH ?? '', ...env }, ...options });
}
