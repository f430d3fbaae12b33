import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulator, type Simulator } from '@ias/simulator';
import { expect } from 'vitest';

/** The committed bundle the runner starts (action.yml `runs.main` and `runs.post`). */
export const BUNDLE = resolve(dirname(fileURLToPath(import.meta.url)), '../dist/index.js');

/** The node that runs the bundle: this one, or another (`IAS_GHA_NODE=/path/to/node24`) to check other runtimes. */
const NODE = process.env.IAS_GHA_NODE ?? process.execPath;

/** A distinctive key, so a leak is found by plain text search. */
export const API_KEY = 'sim-key-7f3a9c1e-SECRET-b2d4';

export interface RunningSimulator {
  sim: Simulator;
  baseUrl: string;
  close(): Promise<void>;
}

/** The simulator on 127.0.0.1, random port, on an accelerated real clock. */
export async function startSimulator(timeScale: number): Promise<RunningSimulator> {
  const sim = createSimulator({ scenario: 'demo', timeScale, apiKey: API_KEY });
  const { baseUrl, close } = await sim.listen({ host: '127.0.0.1', port: 0 });
  return {
    sim,
    baseUrl,
    close: async () => {
      await close();
      await sim.close();
    },
  };
}

/** Everything one run of the bundle left behind, as the runner would see it. */
export interface ActionRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** GITHUB_OUTPUT, parsed; the last value of a name wins, as on the runner. */
  outputs: Record<string, string>;
  /** GITHUB_STATE, parsed. */
  state: Record<string, string>;
  summary: string;
  workspace: string;
  /** Every file the run wrote (the three runner files and the reports), by path. */
  files: Record<string, string>;
}

export interface StartedAction {
  child: ChildProcess;
  workspace: string;
  done: Promise<ActionRun>;
  /** Resolves once GITHUB_STATE holds the scan id. */
  waitForScanId(timeoutMs?: number): Promise<string>;
}

/** The runner's environment name of an input: `INPUT_` + upper case, spaces to `_`, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * Starts `node dist/index.js` the way the runner does: inputs as `INPUT_*`, the runner files in a fresh workspace,
 * step debug logging on, and (for the post step) saved state as `STATE_*`. The environment is built from scratch, so
 * no proxy variable of the machine leaks in.
 */
export async function startAction(inputs: Record<string, string>, options: { state?: Record<string, string>; env?: Record<string, string> } = {}): Promise<StartedAction> {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing; run \`pnpm --filter @ias/github-action build\` first`);
  const workspace = await mkdtemp(join(tmpdir(), 'ias-gha-'));
  const files = { GITHUB_OUTPUT: join(workspace, '.runner-output'), GITHUB_STATE: join(workspace, '.runner-state'), GITHUB_STEP_SUMMARY: join(workspace, '.runner-summary') };
  for (const path of Object.values(files)) await writeFile(path, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    GITHUB_WORKSPACE: workspace,
    GITHUB_ACTIONS: 'true',
    RUNNER_DEBUG: '1',
    ...files,
    // Job-level `env:` (a proxy, say), which the runner passes to every step's process.
    ...options.env,
  };
  for (const [name, value] of Object.entries(inputs)) env[inputVariable(name)] = value;
  for (const [name, value] of Object.entries(options.state ?? {})) env[`STATE_${name}`] = value;
  const child = spawn(NODE, [BUNDLE], { cwd: workspace, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr?.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const done = new Promise<ActionRun>((resolveRun, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => {
      void (async () => {
        const all = await readTree(workspace);
        resolveRun({
          code,
          signal,
          stdout,
          stderr,
          outputs: parseFileCommands(all[files.GITHUB_OUTPUT] ?? ''),
          state: parseFileCommands(all[files.GITHUB_STATE] ?? ''),
          summary: all[files.GITHUB_STEP_SUMMARY] ?? '',
          workspace,
          files: all,
        });
      })().catch(reject);
    });
  });
  const waitForScanId = async (timeoutMs = 10_000): Promise<string> => {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      const id = parseFileCommands(await readFile(files.GITHUB_STATE, 'utf8')).scanId;
      if (id) return id;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`no scan id in GITHUB_STATE after ${timeoutMs} ms; stdout so far:\n${stdout}\n${stderr}`);
  };
  return { child, workspace, done, waitForScanId };
}

/** Runs the bundle to its end. */
export async function runAction(inputs: Record<string, string>, options: { state?: Record<string, string>; env?: Record<string, string> } = {}): Promise<ActionRun> {
  return (await startAction(inputs, options)).done;
}

/** Parses the runner's file-command format (`name<<DELIMITER`, value lines, `DELIMITER`). */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name, delimiter] = heredoc;
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i] ?? '');
      out[name!] = value.join('\n');
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return out;
}

/** Workflow commands (`::error title=…::message`) printed on stdout. */
export function workflowCommands(stdout: string, command: string): { properties: string; message: string }[] {
  const found: { properties: string; message: string }[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = new RegExp(`^::${command}( [^:]*)?::(.*)$`).exec(line);
    if (match) found.push({ properties: unescapeCommand((match[1] ?? '').trim()), message: unescapeCommand(match[2] ?? '') });
  }
  return found;
}

function unescapeCommand(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

/**
 * The key shows up once, in the `::add-mask::` command that registers it with the runner (which hides it from the
 * log), and nowhere else: not on stdout or stderr, not in the runner files, not in any report.
 */
export function expectKeyNeverShown(run: ActionRun): void {
  const lines = run.stdout.split('\n');
  expect(lines.filter((line) => line.startsWith('::add-mask::'))).toEqual([`::add-mask::${API_KEY}`]);
  const rest = [lines.filter((line) => !line.startsWith('::add-mask::')).join('\n'), run.stderr, ...Object.values(run.files)];
  for (const text of rest) expect(text).not.toContain(API_KEY);
}

export async function readTree(root: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir)) {
      const path = join(dir, entry);
      if ((await stat(path)).isDirectory()) await walk(path);
      else out[path] = await readFile(path, 'utf8');
    }
  };
  await walk(root);
  return out;
}

/** Removes a workspace. */
export async function removeWorkspace(path: string): Promise<void> {
  await rm(path, { recursive: true, force: true });
}
