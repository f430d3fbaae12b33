import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, expectKeyNeverShown, removeWorkspace, runAction, startAction, startSimulator, workflowCommands, type RunningSimulator } from './harness';

// A canceled workflow: the runner sends SIGINT (then SIGTERM 7.5 s later, then kills). At timeScale 0.05 a demo scan
// takes a minute, so it is still running when the signal arrives.

let server: RunningSimulator;
const workspaces: string[] = [];

beforeAll(async () => {
  server = await startSimulator(0.05);
});

afterAll(async () => {
  await server.close();
  for (const w of workspaces) await removeWorkspace(w);
});

const inputs = (): Record<string, string> => ({ 'api-key': API_KEY, 'base-url': server.baseUrl, app: 'Demo Shop', 'scan-config': 'Full', 'poll-interval': '1s' });
const statusOf = (scanId: string): string | undefined => server.sim.state.scans().find((s) => s.id === scanId)?.status;

describe('cancellation', () => {
  it('cancels the simulator scan within 5 s of SIGINT and exits 130', async () => {
    const main = await startAction(inputs());
    workspaces.push(main.workspace);
    const scanId = await main.waitForScanId();
    expect(statusOf(scanId)).not.toMatch(/CANCELING|FAILED/);
    main.child.kill('SIGINT');
    await expect.poll(() => statusOf(scanId), { timeout: 5_000, interval: 50 }).toMatch(/^(CANCELING|FAILED)$/);
    const run = await main.done;
    expect(run.code).toBe(130);
    expect(run.outputs).toMatchObject({ 'scan-id': scanId, result: 'interrupted' });
    expect(run.state.scanSettled).toBe('true');
    expect(workflowCommands(run.stdout, 'error')[0]?.message).toContain(`scan ${scanId} was canceled`);
    expectKeyNeverShown(run);
  });

  it('has the post step cancel a scan the killed main step left running, from GITHUB_STATE', async () => {
    const main = await startAction(inputs());
    workspaces.push(main.workspace);
    const scanId = await main.waitForScanId();
    main.child.kill('SIGKILL');
    const killed = await main.done;
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.state).toMatchObject({ isPost: 'true', scanId });
    expect(killed.state.scanSettled).toBeUndefined();
    expect(statusOf(scanId)).not.toMatch(/CANCELING|FAILED/);

    // The runner hands the saved state to the post step as STATE_* variables, with the same inputs.
    const post = await runAction(inputs(), { state: killed.state });
    workspaces.push(post.workspace);
    expect(post.code).toBe(0);
    expect(workflowCommands(post.stdout, 'warning').map((w) => w.message)).toEqual([expect.stringContaining(`left scan ${scanId} unfinished`)]);
    expect(statusOf(scanId)).toMatch(/^(CANCELING|FAILED)$/);
    expect(post.outputs).toEqual({});
    expectKeyNeverShown(post);
  });

  it('has the post step leave alone a scan the main step settled', async () => {
    const actions = server.sim.counters.get('PUT /scans/{id}/action');
    const reads = server.sim.counters.get('GET /scans/{id}');
    const post = await runAction(inputs(), { state: { isPost: 'true', scanId: 'b0000000-0000-4000-8000-000000000001', scanSettled: 'true' } });
    workspaces.push(post.workspace);
    expect(post.code).toBe(0);
    expect(server.sim.counters.get('PUT /scans/{id}/action')).toBe(actions);
    expect(server.sim.counters.get('GET /scans/{id}')).toBe(reads);
    expect(workflowCommands(post.stdout, 'warning')).toEqual([]);
  });
});
