import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator, DEMO_IDS, type Simulator, type SimulatorListener } from '@ias/simulator';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { interpolateComponent, runJob, type InterpolatedJob } from './gitlab-job';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const TEMPLATE = readFileSync(join(import.meta.dirname, '..', 'templates', 'insightappsec-scan.yml'), 'utf8');
const CLI = join(ROOT, 'apps', 'cli', 'dist', 'ias.js');
const KEY = 'glpat-CANARY-ias-key-0451';

const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
const validateDast = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'tooling', 'schemas', 'gitlab-dast-report-format.json'), 'utf8')) as object);

let sim: Simulator;
let listener: SimulatorListener;
let project: string;

beforeAll(async () => {
  sim = createSimulator({ scenario: 'demo', apiKey: KEY, timeScale: 0.002 });
  listener = await sim.listen({ host: '127.0.0.1', port: 0 });
});
afterAll(async () => {
  await listener.close();
  await sim.close();
});
beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), 'ias-gitlab-project-'));
  return () => rmSync(project, { recursive: true, force: true });
});

/** The one job the component defines, interpolated with the consumer's `include:inputs`. */
function job(inputs: Record<string, unknown>): InterpolatedJob {
  const jobs = interpolateComponent(TEMPLATE, { 'base-url': listener.baseUrl, ...inputs });
  expect(jobs).toHaveLength(1);
  return jobs[0] as InterpolatedJob;
}

// The runner image has ias installed in these tests (IAS_CLI); users get it through npx.
const run = (j: InterpolatedJob) => runJob(j, { projectDir: project, projectVariables: { IAS_API_KEY: KEY, IAS_POLL_INTERVAL: '1s', IAS_CLI: `${process.execPath} ${CLI}` } });

describe('the GitLab CI/CD component, run the way a GitLab runner runs a job', () => {
  it('with the official inputs: gates on vuln-query, fails the job, and hands GitLab a valid DAST report and JUnit', async () => {
    const j = job({ 'scan-config-id': DEMO_IDS.full, 'vuln-query': "vulnerability.severity='CRITICAL'" });
    expect(j).toMatchObject({ name: 'insightappsec-dast', allowFailure: false, artifacts: { when: 'always' } });
    const result = await run(j);
    expect(result.code, result.output).toBe(1);
    expect(result.output).toMatch(/Gate failed/);
    const dast = JSON.parse(result.reports.dast ?? 'null') as { vulnerabilities: { severity: string }[] };
    expect(validateDast(dast), JSON.stringify(validateDast.errors)).toBe(true);
    expect(dast.vulnerabilities).toHaveLength(40);
    expect(dast.vulnerabilities.some((v) => v.severity === 'Critical')).toBe(true);
    expect(result.reports.junit).toMatch(/^<\?xml/);
    expect(result.output).not.toContain(KEY);
  });

  it('by app and scan configuration name with no gate: the job passes', async () => {
    const result = await run(job({ app: 'Demo Shop', 'scan-config': 'Full' }));
    expect(result.code, result.output).toBe(0);
    expect(result.reports.dast).toBeDefined();
  });

  it('keeps a query with quotes, spaces and shell characters intact (inputs never pass through the shell)', async () => {
    const query = "vulnerability.severity = 'HIGH' && vulnerability.root_cause.url LIKE '%$(touch pwned)%'";
    const result = await run(job({ 'scan-config-id': DEMO_IDS.full, 'vuln-query': query }));
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain('Gate passed');
    expect(() => readFileSync(join(project, 'pwned'))).toThrow();
  });

  it('wait-for-scan-complete false ends the job once the scan is submitted', async () => {
    const before = sim.state.scans().length;
    const result = await run(job({ 'scan-config-id': DEMO_IDS.full, 'wait-for-scan-complete': false }));
    expect(result.code, result.output).toBe(0);
    expect(result.output).toMatch(/advanced once the scan was submitted/);
    expect(sim.state.scans().length).toBe(before + 1);
  });

  it('allow-failure lets the pipeline go on when the gate fails', async () => {
    const j = job({ 'scan-config-id': DEMO_IDS.full, 'fail-on': 'HIGH', 'allow-failure': true });
    expect(j.allowFailure).toBe(true);
    expect((await run(j)).code).toBe(1);
  });

  it('refuses bad inputs when the pipeline is created, before any job runs', () => {
    expect(() => job({ 'fail-on': 'SEVERE' })).toThrow(/not in the list of allowed options/);
    expect(() => job({ 'wait-for-scan-complete': 'yes' })).toThrow(/not a boolean/);
    expect(() => job({ 'scan-timeout-mins': '10' })).toThrow(/not a number/);
    expect(() => job({ 'api-key': KEY })).toThrow(/unknown input name/);
  });
});
