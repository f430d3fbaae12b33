import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '@ias/core';
import { createSimulator, type Simulator } from '@ias/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMain as run } from '../src/run-main';
import { createRecordingToolkit } from './recording-toolkit';

// run() in process, with a recording toolkit and the simulator's in-process fetch (1.2 s per demo scan).

let sim: Simulator;
let workspace: string;

beforeAll(async () => {
  sim = createSimulator({ scenario: 'demo', timeScale: 0.001 });
  workspace = await mkdtemp(join(tmpdir(), 'ias-gha-run-'));
});

afterAll(async () => {
  await sim.close();
  await rm(workspace, { recursive: true, force: true });
});

function host(inputs: Record<string, string>) {
  const toolkit = createRecordingToolkit({ 'api-key': sim.apiKey, 'base-url': 'http://ias.sim.test/ias/v1', 'poll-interval': '1s', ...inputs });
  return { toolkit, fetch: sim.fetch, clock: systemClock, version: '0.0.0-test', runtime: 'node/test', workspace, readText: (path: string) => readFile(path, 'utf8') };
}

describe('run', () => {
  it('registers the key as a secret before anything else, and marks the state for the post step', async () => {
    const h = host({ app: 'Demo Shop', 'scan-config': 'Payments smoke' });
    await run(h);
    expect(h.toolkit.calls[0]).toEqual({ kind: 'secret', text: sim.apiKey });
    expect(h.toolkit.calls[1]).toEqual({ kind: 'state', name: 'isPost', text: 'true' });
  });

  it('leaves out the summary and the annotations when asked, and still fails the gate', async () => {
    const h = host({ app: 'Demo Shop', 'scan-config': 'Full', 'fail-on': 'HIGH', summary: 'false', annotations: 'false', 'output-dir': 'quiet' });
    expect(await run(h)).toBe(1);
    expect(h.toolkit.of('summary')).toEqual([]);
    expect(h.toolkit.of('error')).toEqual([]);
    expect(h.toolkit.of('notice')).toEqual([]);
    expect(h.toolkit.of('failed')).toHaveLength(1);
    expect(h.toolkit.outputs()['report-dir']).toBe(join(workspace, 'quiet'));
  });

  it('names scan-config-id when the official input holds an unknown configuration id, before any launch', async () => {
    const launches = sim.counters.get('POST /scans');
    const h = host({ 'scan-config-id': 'c0000000-0000-4000-8000-0000000000ff' });
    expect(await run(h)).toBe(2);
    expect(h.toolkit.of('failed')[0]?.text).toMatch(/^scan-config-id 'c0000000-0000-4000-8000-0000000000ff' is not the id of a scan configuration/);
    expect(h.toolkit.outputs()).toMatchObject({ result: 'config-error', 'scan-id': '', 'gate-result': 'none' });
    expect(h.toolkit.of('summary')[0]?.text).toContain('config-error (exit 2)');
    expect(sim.counters.get('POST /scans')).toBe(launches);
  });

  it('inputs refused before the scan job: the job summary is the outcome in short, and no report is written', async () => {
    const h = host({ app: 'Demo Shop', 'scan-config': 'Full', 'poll-interval': 'often', 'output-dir': 'refused' });
    expect(await run(h)).toBe(2);
    const summary = h.toolkit.of('summary')[0]?.text ?? '';
    expect(summary).toMatch(/^## ❌ InsightAppSec scan\n\n.*poll-interval.*\n\n\| \| \|\n\|---\|---\|\n\| Result \| config-error \(exit 2\) \|\n$/);
    await expect(readFile(join(workspace, 'refused', 'insightappsec-scan-summary.md'), 'utf8')).rejects.toThrow();
  });

  it('gates only new findings against a baseline from an earlier run (new-only)', async () => {
    const first = host({ app: 'Demo Shop', 'scan-config': 'Full', 'fail-on': 'HIGH', 'output-dir': 'first', summary: 'false' });
    expect(await run(first)).toBe(1);
    const again = host({ app: 'Demo Shop', 'scan-config': 'Full', 'fail-on': 'HIGH', 'output-dir': 'second', baseline: 'first/insightappsec-scan-findings.json', 'new-only': 'true', summary: 'false' });
    expect(await run(again)).toBe(0);
    expect(again.toolkit.outputs()).toMatchObject({ result: 'passed', 'findings-count': '40' });
  });

  it('asks for the app when the scan configuration is given by name only', async () => {
    const h = host({ 'scan-config': 'Full' });
    expect(await run(h)).toBe(2);
    expect(h.toolkit.of('failed')[0]?.text).toMatch(/^app is required/);
  });
});
