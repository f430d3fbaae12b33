// The harness every scenario shares: a simulator listening on 127.0.0.1 in this process, the BUILT CLI spawned
// against it with a canary API key and debug logging on, and a record of everything the run printed or wrote
// (for the secret search).

import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulator, type Scenario, type Simulator } from '@ias/simulator';
import { readTree, runBundle as runNodeBundle } from '@ias/test-utils';

/** The repository root. */
export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** The CLI bundle under test: built by turbo before `test` runs (`insightappsec-ci`, the CLI package, is a dependency of this package). */
export const CLI_BUNDLE = join(REPO_ROOT, 'apps/cli/dist/ias.js');

/** A distinctive API key: any occurrence of it in an output or a file is a leak. */
export const CANARY_API_KEY = 'sk-live-CANARY-7f3a9c1e5b2d4f60-do-not-print';

/** Every text a run produced, by where it came from; the secret search reads all of them. */
export interface Capture {
  label: string;
  text: string;
}

const captures: Capture[] = [];

/** Records a text for the secret search. */
export function recordCapture(label: string, text: string): void {
  captures.push({ label, text });
}

/** Everything recorded so far. */
export function allCaptures(): readonly Capture[] {
  return captures;
}

/**
 * The host commands that register a secret so the host masks it everywhere (`::add-mask::` for GitHub,
 * `##vso[task.setsecret]` for Azure DevOps): architecture §7 asks for exactly this, and the runner consumes these
 * lines instead of showing them. The search skips a line only when it is such a command carrying the secret alone.
 */
export function isSecretRegistration(line: string, secret: string): boolean {
  return line === `::add-mask::${secret}` || line === `##vso[task.setsecret]${secret}`;
}

/** The places where `secret` occurs in the recorded texts (label and a short excerpt with the key masked). */
export function findSecret(secret: string, texts: readonly Capture[] = captures): { label: string; excerpt: string }[] {
  const hits: { label: string; excerpt: string }[] = [];
  for (const capture of texts) {
    const text = capture.text
      .split(/\r?\n/)
      .filter((line) => !isSecretRegistration(line, secret))
      .join('\n');
    let at = text.indexOf(secret);
    while (at !== -1) {
      const excerpt = text.slice(Math.max(0, at - 40), at + secret.length + 40).split(secret).join('<KEY>');
      hits.push({ label: capture.label, excerpt });
      at = text.indexOf(secret, at + secret.length);
    }
  }
  return hits;
}

/** A simulator listening on 127.0.0.1, with the canary key. */
export interface RunningSimulator {
  sim: Simulator;
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts a simulator on 127.0.0.1 (random port). */
export async function startSimulator(options: { scenario?: string | Scenario; timeScale: number }): Promise<RunningSimulator> {
  const sim = createSimulator({ scenario: options.scenario ?? 'demo', timeScale: options.timeScale, apiKey: CANARY_API_KEY });
  const { baseUrl } = await sim.listen({ host: '127.0.0.1', port: 0 });
  return { sim, baseUrl, close: () => sim.close() };
}

/** What one run of a built bundle did. */
export interface CliRun {
  /** The exit status; `null` when the process was killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** The files written below the working directory (reports, output files), by path relative to it; `reports/` is dropped. */
  files: Record<string, string>;
  outputDir: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** `ias` arguments after the command name (`scan` is added). */
  args: readonly string[];
  /** Variables beyond the defaults (IAS_API_KEY, IAS_DEBUG=1, IAS_BASE_URL when `baseUrl` is given). `undefined` removes one. */
  env?: Record<string, string | undefined>;
  baseUrl?: string;
  /** Label of the captures. */
  label: string;
  /** Called once the child runs; used to send signals. */
  onSpawn?: (child: { kill(signal: NodeJS.Signals): void; stdoutSoFar(): string }) => void;
  /** @default true: the output directory is `<tmp>/reports` and passed with --output-dir */
  outputDir?: boolean;
  /** Kills the child after this long (a hang is a failure, not a stuck suite). @default 90000 */
  killAfterMs?: number;
}

/**
 * Spawns `node apps/cli/dist/ias.js scan …` in a fresh temporary directory with a minimal environment (no proxy
 * variables, no inherited IAS_*), collects stdout, stderr and every report file, and records them all for the
 * secret search.
 */
export async function runCli(options: RunCliOptions): Promise<CliRun> {
  return runBundle({
    bundle: CLI_BUNDLE,
    label: options.label,
    ...(options.killAfterMs === undefined ? {} : { killAfterMs: options.killAfterMs }),
    ...(options.onSpawn === undefined ? {} : { onSpawn: options.onSpawn }),
    setup: (workDir) => {
      const outputDir = join(workDir, 'reports');
      const env: Record<string, string | undefined> = {
        IAS_API_KEY: CANARY_API_KEY,
        IAS_DEBUG: '1',
        ...(options.baseUrl === undefined ? {} : { IAS_BASE_URL: options.baseUrl }),
        ...options.env,
      };
      return { args: ['scan', ...(options.outputDir === false ? [] : ['--output-dir', outputDir]), ...options.args], env };
    },
  });
}

/** Options of {@link runBundle}. */
export interface RunBundleOptions {
  /** The built entry point, run with `node`. */
  bundle: string;
  label: string;
  /** Arguments and variables, given the fresh working directory. `undefined` values are left out. */
  setup(workDir: string): { args: readonly string[]; env: Record<string, string | undefined> };
  onSpawn?: RunCliOptions['onSpawn'];
  killAfterMs?: number;
}

/**
 * Spawns a built bundle with `node` in a fresh temporary directory and a minimal environment (PATH, HOME, locale and
 * what `setup` gives), collects stdout, stderr and every file written below the directory, and records them all for
 * the secret search.
 */
export async function runBundle(options: RunBundleOptions): Promise<CliRun> {
  if (!existsSync(options.bundle)) throw new Error(`${options.bundle} is missing; build it first`);
  const workDir = await mkdtemp(join(tmpdir(), 'ias-faults-'));
  const outputDir = join(workDir, 'reports');
  const { args: extra, env: given } = options.setup(workDir);
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: workDir, LANG: 'C.UTF-8', NO_COLOR: '1' };
  for (const [key, value] of Object.entries(given)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  let stdoutSoFar = '';
  const run = await runNodeBundle({
    bundle: options.bundle,
    args: extra,
    cwd: workDir,
    env,
    killAfterMs: options.killAfterMs ?? 90_000,
    ...(options.onSpawn === undefined ? {} : { onSpawn: (kill: (signal: NodeJS.Signals) => void) => options.onSpawn?.({ kill, stdoutSoFar: () => stdoutSoFar }) }),
    onStdout: (text) => {
      stdoutSoFar = text;
    },
  });
  const { code, signal, stdout, stderr } = run;
  const files: Record<string, string> = {};
  for (const [name, text] of await readTree(workDir)) files[name.startsWith('reports/') ? name.slice('reports/'.length) : name] = text;
  const args = [options.bundle, ...extra];
  recordCapture(`${options.label}: command line`, args.join(' '));
  recordCapture(`${options.label}: stdout`, stdout);
  recordCapture(`${options.label}: stderr`, stderr);
  for (const [name, text] of Object.entries(files)) recordCapture(`${options.label}: ${name}`, text);
  await rm(workDir, { recursive: true, force: true });
  return { code, signal, stdout, stderr, files, outputDir };
}

/** True when the text carries a JavaScript stack trace. */
export function hasStackTrace(text: string): boolean {
  return /^\s+at .+(\(.*:\d+:\d+\)|:\d+:\d+)$/m.test(text) || /\b(TypeError|ReferenceError|SyntaxError|RangeError): /.test(text);
}

/** Waits until `check` holds, polling every `everyMs`; rejects after `timeoutMs`. */
export async function waitUntil(check: () => boolean, timeoutMs: number, what: string, everyMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
