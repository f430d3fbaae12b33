import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSimulator } from '@ias/simulator';
import { afterAll, describe, expect, it } from 'vitest';

// "Stop build" as a Bamboo agent delivers it, with and without `exec` in the Script task.
// - A Script task's inline body is written to a script file that the agent runs with the task's interpreter (here
//   /bin/sh), so the process the agent started and tracks is the shell.
// - Stopping: the agent runs `kill -3 PID` on that process, waits five seconds (hard-coded), then `kill PID`
//   (SIGQUIT, then SIGTERM), as its ProcessManagement log lines quoted in Atlassian's BAM-26106 show; they name only
//   that process, so here the shell's children are not signalled (the harder case).
// Without `exec`, dash dies of the SIGQUIT and node is orphaned; with `exec`, node gets the signals itself.
// In both cases the scan must be canceled (the simulator sees the CANCEL action) and the task end as STOPPED.
const BUNDLE = fileURLToPath(new URL('../dist/ias-bamboo.js', import.meta.url));
const API_KEY = 'bamboo-stop-Key-0a1b2c3d4e5f';
const BAMBOO_KILL_GAP_MS = 5_000;
const dirs: string[] = [];

afterAll(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

interface StoppedTask {
  /** How the process the agent started ended (the shell, or node after `exec`). */
  taskExit: { code: number | null; signal: NodeJS.Signals | null };
  stdout: string;
  stderr: string;
  variables: string;
  cancels: number;
  status: string | undefined;
}

async function runAndStop(scriptLine: string): Promise<StoppedTask> {
  // Real time (timeScale 1): the scan cannot finish on its own during the test.
  const sim = createSimulator({ scenario: 'demo', timeScale: 1, apiKey: API_KEY });
  const { baseUrl, close } = await sim.listen({ host: '127.0.0.1', port: 0 });
  const dir = await mkdtemp(join(tmpdir(), 'ias-bamboo-stop-'));
  dirs.push(dir);
  const script = join(dir, 'bamboo-script.sh');
  await writeFile(script, `#!/bin/sh\n${scriptLine}\n`, { mode: 0o755 });
  try {
    const child = spawn('/bin/sh', [script], {
      cwd: dir,
      env: {
        // node from this test's own runtime, the way an agent's PATH provides it.
        PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
        bamboo_build_working_directory: dir,
        bamboo_ias_baseUrl: baseUrl,
        bamboo_ias_apiKey_password: API_KEY,
        bamboo_ias_app: 'Demo Shop',
        bamboo_ias_scanConfig: 'Full',
        bamboo_ias_pollInterval: '1s',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let stopping = false;
    let followUp: NodeJS.Timeout | undefined;
    const taskExit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (!stopping && /Scan ID: [0-9a-f-]{36}/.test(stdout)) {
        stopping = true;
        child.kill('SIGQUIT');
        followUp = setTimeout(() => {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
        }, BAMBOO_KILL_GAP_MS);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    // 'close' waits for every holder of the output pipes: with an orphaned node, until node itself has ended.
    const safety = setTimeout(() => child.kill('SIGKILL'), 60_000);
    await new Promise<void>((resolve) => child.on('close', () => resolve()));
    clearTimeout(safety);
    clearTimeout(followUp);
    expect(stopping, stdout + stderr).toBe(true);
    return {
      taskExit: await taskExit,
      stdout,
      stderr,
      variables: await readFile(join(dir, 'insightappsec-scan-variables.properties'), 'utf8'),
      cancels: sim.counters.get('PUT /scans/{id}/action'),
      status: sim.state.scans()[0]?.status,
    };
  } finally {
    await close();
    await sim.close();
  }
}

describe.concurrent('"Stop build" of a Script task running ias-bamboo', () => {
  it('without exec: the shell dies, node notices it is orphaned, cancels the scan and ends as STOPPED', async () => {
    const task = await runAndStop(`node ${BUNDLE}`);
    // The agent's process was the shell, killed by the SIGQUIT; node was not signalled at all.
    expect(task.taskExit).toEqual({ code: null, signal: 'SIGQUIT' });
    expect(task.stdout).toMatch(/Received notice that its parent process \(pid \d+, the task's shell\) ended \(build stopped\): canceling the InsightAppSec scan/);
    expect(task.cancels).toBe(1);
    expect(task.status).toMatch(/CANCELING|FAILED/);
    expect(task.variables).toContain('result=interrupted\n');
    expect(task.variables).toContain('exitCode=130\n');
    expect(task.stdout.trimEnd().split('\n').at(-1)).toMatch(/STOPPED \(build stopped\).*; exit 130$/);
  }, 60_000);

  it('with exec: node gets SIGQUIT itself, cancels the scan and exits 130 (the later SIGTERM is the same stop)', async () => {
    const task = await runAndStop(`exec node ${BUNDLE}`);
    expect(task.taskExit).toEqual({ code: 130, signal: null });
    expect(task.stdout).toContain('Received SIGQUIT (build stopped): canceling the InsightAppSec scan');
    expect(task.cancels).toBe(1);
    expect(task.status).toMatch(/CANCELING|FAILED/);
    expect(task.variables).toContain('exitCode=130\n');
  }, 60_000);
});
