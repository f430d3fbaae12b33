import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, startSimulator, type RunningSimulator } from './harness';

// The action run by the community's local runner, @github/local-action (github/local-action: src/commands/run.ts).
// How it works, from its source: `local-action <action dir> <entrypoint> <.env file> --post <entrypoint>` finds the
// action's package.json, asks `npm ls` where @actions/core is installed, replaces that module (quibble) with its own
// stubs, imports the entrypoint and awaits its exported `run()`, then imports the post entrypoint and awaits its
// `run()`. Inputs come from INPUT_* variables in the .env file; state lives in memory between the two steps
// (saveState/getState); outputs are printed as `::set-output name=…::value` lines and as a table; the job summary
// goes to the file GITHUB_STEP_SUMMARY names.
//
// So it needs an entry whose import has no side effects and which exports run() (src/index.ts), bundled with
// @actions/core left as an import, in its own npm layout: a temporary folder with @github/local-action and
// @actions/core installed. The same module serves as the post entrypoint, as dist/index.js does
// on the runner: run() reads `isPost` from the state the main step saved. The npm layout's versions are pinned by
// test/local-action/package-lock.json.

const LOCAL_ACTION = '7.0.1';
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

let folder: string;
let server: RunningSimulator;

function exec(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.once('error', fail);
    child.once('close', (code) => done({ code, stdout, stderr }));
  });
}

/** This machine's environment without anything a runner would set, so only the .env file speaks. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(INPUT_|STATE_|GITHUB_|RUNNER_|ACTIONS_)/.test(name)));
}

beforeAll(async () => {
  // The npm layout is installed by `npm run bootstrap` (npm ci from the committed lockfile in test/local-action), so
  // the test itself reaches nothing outside the machine; each run gets a fresh folder that links to it.
  const layout = join(root, 'test', 'local-action');
  if (!existsSync(join(layout, 'node_modules', '@github', 'local-action'))) {
    throw new Error(`@github/local-action@${LOCAL_ACTION} is not installed in ${layout}; run npm run bootstrap (it runs npm ci there).`);
  }
  // local-action swaps @actions/core by resolving it from the action's own folder (npm ls), so the action runs in that
  // folder; what a run writes there (bundle, action.yml, .env, reports, summary) is ignored by its .gitignore.
  folder = layout;
  for (const leftover of ['dist', 'insightappsec-reports', '.env', 'summary.md', 'action.yml']) await rm(join(folder, leftover), { recursive: true, force: true });

  // The run() entry, every dependency inlined except @actions/core, which local-action replaces.
  const { build } = await import('tsup');
  const { binaryPreset } = await import('../../../tooling/config/tsup.preset');
  await build({
    ...binaryPreset({
      entry: { index: join(root, 'src/index.ts') },
      outDir: join(folder, 'dist'),
      tsconfig: join(root, 'tsconfig.json'),
      external: ['@actions/core'],
      noExternal: [/^@ias\//],
      banner: { js: "import { createRequire as __iasCreateRequire } from 'node:module';\nconst require = __iasCreateRequire(import.meta.url);" },
      silent: true,
    }),
    config: false,
  });
  await copyFile(join(root, 'action.yml'), join(folder, 'action.yml'));
  server = await startSimulator(0.003);
}, 300_000);

afterAll(async () => {
  await server?.close();
});

/** Single-line `::set-output` values local-action printed (multi-line values keep their first line). */
function printedOutputs(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of stdout.matchAll(/^::set-output name=([^:]+)::(.*)$/gm)) out[match[1]!] = match[2]!;
  return out;
}

describe('@github/local-action', () => {
  it('runs the main step and the post step of the action against the simulator, with outputs and the job summary', async () => {
    const summary = join(folder, 'summary.md');
    const env = [
      `INPUT_API-KEY=${API_KEY}`,
      `INPUT_BASE-URL=${server.baseUrl}`,
      'INPUT_APP=Demo Shop',
      'INPUT_SCAN-CONFIG=Full',
      'INPUT_FAIL-ON=HIGH',
      'INPUT_POLL-INTERVAL=1s',
      `GITHUB_WORKSPACE=${folder}`,
      `GITHUB_STEP_SUMMARY=${summary}`,
      'ACTIONS_STEP_DEBUG=true',
    ];
    await writeFile(join(folder, '.env'), `${env.join('\n')}\n`);
    await writeFile(summary, '');
    const launches = server.sim.counters.get('POST /scans');
    const actions = server.sim.counters.get('PUT /scans/{id}/action');

    const bin = join(folder, 'node_modules/@github/local-action/bin/local-action.js');
    const run = await exec(process.execPath, [bin, folder, 'dist/index.js', '.env', '--post', 'dist/index.js'], folder, { ...cleanEnv(), NO_COLOR: '1', FORCE_COLOR: '0' });
    const output = `${run.stdout}\n${run.stderr}`;
    expect(output).toContain('Running Action');
    expect(output).toContain('Running Post Step');

    const outputs = printedOutputs(run.stdout);
    expect(outputs['scan-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(outputs).toMatchObject({ status: 'COMPLETE', result: 'gate-failed', 'gate-result': 'failed', 'findings-count': '40' });
    expect(outputs['sarif-file']).toBe(join(folder, 'insightappsec-reports', 'insightappsec-scan.sarif'));
    expect(run.stdout).toMatch(/::set-output name=scan-findings::\{/);
    expect(server.sim.counters.get('POST /scans')).toBe(launches + 1);
    // local-action's own record of the outputs (its stubbed setOutput), printed as a table at the end: proof that
    // the action went through its stubs, not through a real @actions/core.
    expect(run.stdout).not.toContain('No outputs were set!');
    expect(run.stdout).toMatch(new RegExp(`'scan-id'\\s*│ '${outputs['scan-id']}'`));
    expect(run.stdout).toMatch(/'result'\s*│ 'gate-failed'/);

    // The job summary is the markdown report of this scan.
    const markdown = await readFile(summary, 'utf8');
    expect(markdown).toContain('InsightAppSec scan: gate failed');
    expect(markdown).toContain(outputs['scan-id']);

    // The post step read the main step's state: the scan was settled, so it left it alone (no cancel, no launch).
    expect(run.stdout).toContain('No unfinished scan to clean up.');
    expect(server.sim.counters.get('PUT /scans/{id}/action')).toBe(actions);
    expect(output).toMatch(/Gate failed: \d+ of 40 findings/);
    expect(output).not.toContain(API_KEY.slice(8));
  }, 120_000);
});
