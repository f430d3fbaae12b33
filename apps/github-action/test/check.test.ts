import { mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, expectKeyNeverShown, removeWorkspace, runAction, startSimulator, workflowCommands, type ActionRun, type RunningSimulator } from './harness';

// `check: true` through the runner's contract: the built bundle started as the runner starts it (inputs as INPUT_*,
// job env, GITHUB_OUTPUT/GITHUB_STATE/GITHUB_STEP_SUMMARY files), against the simulator on 127.0.0.1. A check
// launches nothing: every test also asserts that the simulator saw no POST /scans.

let server: RunningSimulator;
const workspaces: string[] = [];

beforeAll(async () => {
  server = await startSimulator(0.003);
});

afterAll(async () => {
  await server.close();
  for (const w of workspaces) await removeWorkspace(w);
});

async function check(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const launches = server.sim.counters.get('POST /scans');
  const run = await runAction({ 'api-key': API_KEY, 'base-url': server.baseUrl, app: 'Demo Shop', 'scan-config': 'Full', 'fail-on': 'HIGH', check: 'true', ...inputs }, { env });
  workspaces.push(run.workspace);
  expect(server.sim.counters.get('POST /scans')).toBe(launches);
  // Node warns on stderr that undici's EnvHttpProxyAgent is experimental when a proxy variable is set.
  if (Object.keys(env).length === 0) expect(run.stderr).toBe('');
  return run;
}

/** The error annotations: the summary line first (the step's failure), then one per failed check. */
function errors(run: ActionRun): { properties: string; message: string }[] {
  return workflowCommands(run.stdout, 'error');
}

async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const address = probe.address();
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('check: true', () => {
  it('passes good inputs: one line per check, result passed, the checks in the job summary, no scan and no report; the post step does nothing', async () => {
    const run = await check({});
    expect(run.code).toBe(0);
    expect(run.outputs).toEqual({ result: 'passed' });
    expect(run.stdout).toMatch(/^ok {6}gate-query: gate: /m);
    expect(run.stdout).toMatch(/^ok {6}output-folder: output-dir '.+' can be written$/m);
    expect(run.stdout).toContain(`ok      api-key: api-key is accepted by ${server.baseUrl}`);
    expect(run.stdout).toMatch(/^ok {6}target: application 'Demo Shop' \(.+\), scan configuration 'Full' \(.+\)$/m);
    expect(run.stdout).toMatch(/^skipped proxy: no proxy/m);
    expect(run.stdout).toContain('InsightAppSec check: Preflight passed: every check is ok; nothing was launched; exit 0');
    expect(errors(run)).toEqual([]);
    expect(run.summary).toContain('## InsightAppSec check');
    expect(run.summary).toMatch(/\| ok \| target \| application 'Demo Shop'/);
    // Only the three runner files: no report folder.
    expect(Object.keys(run.files).map((p) => p.slice(run.workspace.length + 1)).sort()).toEqual(['.runner-output', '.runner-state', '.runner-summary']);
    expect(run.state).toEqual({ isPost: 'true' });
    expectKeyNeverShown(run);

    // The post step, with the state the main step saved: no scan to cancel, so not one request.
    const before = server.sim.counters.total();
    const post = await runAction({ 'api-key': API_KEY, 'base-url': server.baseUrl, check: 'true' }, { state: run.state });
    workspaces.push(post.workspace);
    expect(post.code).toBe(0);
    expect(server.sim.counters.total()).toBe(before);
    expect(workflowCommands(post.stdout, 'error')).toEqual([]);
    expect(workflowCommands(post.stdout, 'warning')).toEqual([]);
  });

  it('a key the API refuses: exit 5, result api-error, the summary line first, then the failed check', async () => {
    const run = await check({ 'api-key': 'not-the-key-4242' });
    expect(run.code).toBe(5);
    expect(run.outputs.result).toBe('api-error');
    const found = errors(run);
    expect(found[0]!.message).toBe('InsightAppSec check: Preflight failed: 1 of 6 checks failed; nothing was launched; exit 5');
    expect(found).toHaveLength(2);
    expect(found[1]!.properties).toBe('title=InsightAppSec check: api-key');
    expect(found[1]!.message).toMatch(/^FAILED {2}api-key: api-key is not accepted by .+ \(401 Unauthorized\)/);
    expect(run.stdout).toMatch(/^skipped target: app and scan-config not checked/m);
    expect(run.summary).toMatch(/\| FAILED \| api-key \|/);
    // Registered with the runner's masking (which hides it from the log), and shown nowhere else.
    expect(run.stdout).toContain('::add-mask::not-the-key-4242');
    expect(run.stdout.replace('::add-mask::not-the-key-4242', '') + run.stderr + run.summary).not.toContain('not-the-key-4242');
  });

  it('an unknown app: exit 2, result config-error, naming the input and the closest name', async () => {
    const run = await check({ app: 'Demo Shopp' });
    expect(run.code).toBe(2);
    expect(run.outputs.result).toBe('config-error');
    const found = errors(run);
    expect(found).toHaveLength(2);
    expect(found[0]!.message).toMatch(/^InsightAppSec check: Preflight failed: 1 of \d+ checks failed; nothing was launched; exit 2$/);
    expect(found[1]!.message).toMatch(/^FAILED {2}target: app 'Demo Shopp' matches no application \(closest: 'Demo Shop'\)/);
    expectKeyNeverShown(run);
  });

  it('an unknown scan configuration: exit 2, naming the input and the application', async () => {
    const run = await check({ 'scan-config': 'Nightly' });
    expect(run.code).toBe(2);
    expect(run.outputs.result).toBe('config-error');
    expect(errors(run)[1]!.message).toContain("target: scan-config 'Nightly' matches no scan configuration of 'Demo Shop'");
    expectKeyNeverShown(run);
  });

  it('a gate query that does not parse: exit 2, naming gate-query, before the API is asked', async () => {
    const requests = server.sim.counters.total();
    const run = await check({ 'fail-on': '', 'gate-query': 'vulnerability.severity="HIGH"' });
    expect(run.code).toBe(2);
    expect(run.outputs.result).toBe('config-error');
    const found = errors(run);
    expect(found[1]!.message).toMatch(/^FAILED {2}settings: gate-query is not a valid query/);
    expect(server.sim.counters.total()).toBe(requests);
    expectKeyNeverShown(run);
  });

  it('an output-dir that cannot be created: exit 2, naming output-dir and the cause', async () => {
    const holder = await mkdtemp(join(tmpdir(), 'ias-gha-check-'));
    workspaces.push(holder);
    await writeFile(join(holder, 'a-file'), 'x');
    const blocker = join(holder, 'a-file', 'reports');
    const run = await check({ 'output-dir': blocker });
    expect(run.code).toBe(2);
    expect(run.outputs.result).toBe('config-error');
    const found = errors(run);
    expect(found).toHaveLength(2);
    expect(found[1]!.message).toMatch(/^FAILED {2}output-folder: output-dir '.+' cannot be written \(ENOTDIR\); choose a folder this step may write to\.$/);
    expectKeyNeverShown(run);
  });

  it('a proxy (HTTPS_PROXY) that refuses connections: named as the proxy, its password hidden, exit 5', async () => {
    const port = await closedPort();
    // An https API URL, so HTTPS_PROXY applies; the proxy refuses the connection before any TLS.
    const run = await check({ 'base-url': `https://127.0.0.1:${port + 1}/ias/v1` }, { HTTPS_PROXY: `http://ci:Pr0xy-Pass-91@127.0.0.1:${port}` });
    expect(run.code).toBe(5);
    expect(run.outputs.result).toBe('api-error');
    const found = errors(run);
    expect(found).toHaveLength(2);
    expect(found[1]!.message).toMatch(new RegExp(`^FAILED {2}proxy: the proxy http://127\\.0\\.0\\.1:${port} did not carry the request to https://127\\.0\\.0\\.1:${port + 1} \\(ECONNREFUSED\\)`));
    expect(run.stdout).toMatch(/^skipped api-key: api-key not checked: the proxy failed$/m);
    expect(run.stdout + run.stderr + run.summary).not.toContain('Pr0xy-Pass-91');
    expectKeyNeverShown(run);
  });

  it('more failed checks than the runner keeps annotations: the summary first, 9 checks annotated, a notice for the rest', async () => {
    const bad = { 'poll-interval': 'soon', 'max-pending': 'x', 'max-execution': 'x', 'max-total': 'x', 'request-timeout': 'x', 'advance-on': 'x', 'on-timeout': 'x', region: 'mars', 'fail-on': 'x', 'fail-on-statuses': 'x', reports: 'x', 'base-url': 'not a url', 'scan-id': 'nope', 'new-only': 'true' };
    const run = await check(bad);
    expect(run.code).toBe(2);
    const found = errors(run);
    expect(found).toHaveLength(10);
    expect(found[0]!.message).toMatch(/^InsightAppSec check: Preflight failed: (\d+) of \1 checks failed/);
    const failed = Number(/failed: (\d+) of/.exec(found[0]!.message)![1]);
    expect(failed).toBeGreaterThan(9);
    // Every failed check is still a log line; those past the cap without an annotation.
    expect(run.stdout.split('\n').filter((l) => /FAILED {2}settings: /.test(l))).toHaveLength(failed);
    expect(workflowCommands(run.stdout, 'notice').map((n) => n.message)).toEqual([`${failed - 9} more failed checks are listed in the log (the runner keeps 10 error annotations per step).`]);
  });

  it('a check value that is not a boolean stops the step before anything runs (exit 2)', async () => {
    const run = await check({ check: 'yes' });
    expect(run.code).toBe(2);
    expect(errors(run)[0]!.message).toMatch(/^check must be true or false/);
  });
});

