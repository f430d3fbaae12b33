import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_IDS } from '@ias/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentRun } from './agent-emulator';
import { startConnectProxy } from './connect-proxy';
import { startTlsFront } from './tls-front';
import { API_KEY, createSteppingClock, findSecret, removeRunFolders, runStep, startSimulator } from './harness';
import { readZip } from './zip-reader';

// The packaged task, run on the emulated agent (test/agent-emulator.ts) against the simulator on 127.0.0.1.
let fast: Awaited<ReturnType<typeof startSimulator>>;
let stepping: Awaited<ReturnType<typeof startSimulator>>;
beforeAll(async () => {
  fast = await startSimulator({ timeScale: 0.002 });
  // Two scenario hours per clock read: a scan is done by the first status read, whatever the poll interval.
  stepping = await startSimulator({ clock: createSteppingClock(2 * 3_600_000) });
});
afterAll(async () => {
  await fast.close();
  await stepping.close();
  await removeRunFolders();
});

const COOKIE = 'demo-sess-4b9e2c71';
const BEARER = 'demo-bearer-0c5d8a13';
const GATE = "vulnerability.severity='HIGH' || vulnerability.severity='CRITICAL'";

async function expectClean(run: AgentRun): Promise<void> {
  expect(run.stderr).toBe('');
  expect(await findSecret(run)).toEqual([]);
  expect(run.commands.filter((c) => c.command === 'task.complete')).toHaveLength(1);
}
const errors = (run: AgentRun) => run.issues.filter((i) => i.type === 'error').map((i) => i.message);

describe('a build with a checkout, default inputs', () => {
  it('succeeds: empty Baseline and Suppressions rooted to the sources folder are not read as files', async () => {
    const run = await runStep({ baseUrl: stepping.baseUrl, inputs: { application: 'Demo Shop', scanConfiguration: 'Full' } });
    await expectClean(run);
    // The agent rooted the empty filePath inputs, as it does on a real build.
    expect(run.env.INPUT_BASELINE).toBe(run.folders.sources);
    expect(run.env.INPUT_SUPPRESSIONS).toBe(run.folders.sources);
    expect(run.env.INPUT_SCANSTATUSINTERVAL).toBe('5');
    expect(run.handler).toBe('Node24');
    expect(run.result).toBe('Succeeded');
    expect(run.issues).toEqual([]);
    expect(run.message).toMatch(/^Scan [0-9a-f-]{36} is COMPLETE with 40 findings; no gate is configured\.$/);
    const dir = join(run.folders.staging, 'insightappsec');
    expect(run.outputs).toMatchObject({ scanStatus: 'COMPLETE', result: 'passed', findingsTotal: '40', reportDirectory: dir });
    for (const name of ['insightappsec-scan-metrics.json', 'insightappsec-scan.sarif', 'insightappsec-scan-report.html', 'insightappsec-scan-result.json']) expect(existsSync(join(dir, name)), name).toBe(true);
    // As in the Rapid7 task: no findings file and no upload unless asked.
    expect(existsSync(join(dir, 'insightappsec-scan-findings.json'))).toBe(false);
    expect(run.artifacts).toEqual([]);
    expect(run.summaries).toEqual([join(dir, 'insightappsec-scan-summary.md')]);
    // Session cookies and bearer tokens of the scanned app never reach a report.
    const html = readFileSync(join(dir, 'insightappsec-scan-report.html'), 'utf8');
    expect(html).toContain('Cookie: ***');
    expect(await findSecret(run, [COOKIE, BEARER])).toEqual([]);
  });

  it('reads a Baseline given as a path relative to the repository', async () => {
    const first = await runStep({ baseUrl: stepping.baseUrl, inputs: { application: 'Demo Shop', scanConfiguration: 'Full', generateFindingsReport: 'true' } });
    const findings = readFileSync(join(first.folders.staging, 'insightappsec', 'insightappsec-scan-findings.json'), 'utf8');
    expect(findings).not.toContain(COOKIE);
    const run = await runStep({
      baseUrl: stepping.baseUrl,
      files: { 'security/baseline.json': findings },
      inputs: { application: 'Demo Shop', scanConfiguration: 'Full', baseline: 'security/baseline.json', scanGating: 'true', vulnerabilityQuery: GATE },
    });
    await expectClean(run);
    expect(run.env.INPUT_BASELINE).toBe(join(run.folders.sources, 'security', 'baseline.json'));
    expect(run.log.join('\n')).toMatch(/Against the baseline .*: 0 new, 40 known, 0 fixed/);
  });
});

it('keeps the HTTP secrets in the reports only when Redact HTTP secrets is off', async () => {
  const run = await runStep({ baseUrl: stepping.baseUrl, inputs: { application: 'Demo Shop', scanConfiguration: 'Full', generateFindingsReport: 'true', redactHttpSecrets: 'false' } });
  expect(run.result).toBe('Succeeded');
  const findings = readFileSync(join(run.folders.staging, 'insightappsec', 'insightappsec-scan-findings.json'), 'utf8');
  expect(findings).toContain(COOKIE);
  expect(findings).toContain(BEARER);
});

describe('a release, default inputs', () => {
  it('succeeds, with reports under $(System.ArtifactsDirectory)/insightappsec', async () => {
    const run = await runStep({ baseUrl: stepping.baseUrl, hostType: 'release', inputs: { application: 'Payments API', scanConfiguration: 'Payments smoke' } });
    await expectClean(run);
    expect(run.env.INPUT_BASELINE).toBe(run.folders.artifacts);
    expect(run.result).toBe('Succeeded');
    expect(run.outputs.reportDirectory).toBe(join(run.folders.artifacts, 'insightappsec'));
    expect(run.uploadedFiles).toEqual([]);
  });

  it('attaches a zip of the reports when uploads are on, never a build artifact', async () => {
    const run = await runStep({ baseUrl: stepping.baseUrl, hostType: 'release', inputs: { application: 'Payments API', scanConfiguration: 'Payments smoke', publishArtifacts: 'true', generateFindingsReport: 'true' } });
    await expectClean(run);
    expect(run.result).toBe('Succeeded');
    const dir = join(run.folders.artifacts, 'insightappsec');
    expect(run.artifacts).toEqual([]);
    expect(run.uploadedFiles).toEqual([`${dir}.zip`]);
    expect([...readZip(readFileSync(`${dir}.zip`)).keys()]).toEqual(expect.arrayContaining(['insightappsec-scan-metrics.json', 'insightappsec-scan-findings.json']));
  });
});

describe('a pipeline written for rapid7-insightappsec@1', () => {
  const official = {
    apiConnection: 'InsightAppSec',
    application: 'Demo Shop',
    scanConfig: 'Full',
    waitForCompletion: 'true',
    scanCheckInterval: '5',
    generateFindingsReport: 'true',
    hasTimeout: 'true',
    timeout: '120',
    hasScanGating: 'true',
    vulnQuery: GATE,
    publishPipelineArtifacts: 'true',
    artifactPerReport: 'true',
  };
  const ours = {
    iasConnection: 'InsightAppSec',
    application: 'Demo Shop',
    scanConfiguration: 'Full',
    waitForCompletion: 'true',
    scanStatusInterval: '5',
    generateFindingsReport: 'true',
    failOnTimeout: 'true',
    timeout: '120',
    scanGating: 'true',
    vulnerabilityQuery: GATE,
    publishArtifacts: 'true',
    artifactPerReport: 'true',
  };

  it('gates, reports and fails exactly as the same pipeline with our input names', async () => {
    const [a, b] = [await runStep({ baseUrl: stepping.baseUrl, inputs: official }), await runStep({ baseUrl: stepping.baseUrl, inputs: ours })];
    for (const run of [a, b]) {
      await expectClean(run);
      expect(run.agentWarnings).toEqual([]);
      expect(run.result).toBe('Failed');
      expect(run.message).toMatch(/^Gate failed: 16 of 40 findings of scan [0-9a-f-]{36} match/);
    }
    const shape = (run: AgentRun) => ({
      issues: run.issues.map((i) => i.message.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, 'ID')),
      outputs: { ...run.outputs, scanId: 'ID', reportDirectory: run.outputs.reportDirectory?.replace(run.folders.work, 'WORK') },
      artifacts: run.artifacts.map((x) => x.name).sort(),
      env: Object.fromEntries(Object.entries(run.env).filter(([k]) => k.startsWith('INPUT_') && k !== 'INPUT_IASCONNECTION').map(([k, v]) => [k, v.replace(run.folders.work, 'WORK')])),
    });
    expect(shape(a)).toEqual(shape(b));
    expect(shape(a).artifacts).toEqual(expect.arrayContaining(['insightappsec-scan-metrics.json', 'insightappsec-scan-findings.json']));
    expect(a.env.INPUT_SCANCONFIGURATION).toBe('Full');
  });

  it('with only the connection, the application and the configuration, takes the Rapid7 defaults', async () => {
    const run = await runStep({ baseUrl: stepping.baseUrl, inputs: { apiConnection: 'InsightAppSec', application: DEMO_IDS.shop, scanConfig: 'Full' } });
    await expectClean(run);
    expect(run.result).toBe('Succeeded');
    expect(run.env).toMatchObject({ INPUT_SCANSTATUSINTERVAL: '5', INPUT_GENERATEFINDINGSREPORT: 'false', INPUT_PUBLISHARTIFACTS: 'false', INPUT_FAILONTIMEOUT: 'false', INPUT_TIMEOUT: '', INPUT_MAXPENDING: '' });
    expect(run.artifacts).toEqual([]);
  });
});

describe('the run summary', () => {
  it('keeps the reason among the first 10 error issues with 16 matching findings', async () => {
    const run = await runStep({ baseUrl: stepping.baseUrl, inputs: { application: 'Demo Shop', scanConfiguration: 'Full', scanGating: 'true', vulnerabilityQuery: GATE } });
    await expectClean(run);
    expect(run.result).toBe('Failed');
    const kept = errors(run);
    expect(kept).toHaveLength(10);
    expect(run.errorCount).toBe(10);
    expect(kept[0]).toBe(run.message);
    expect(kept[0]).toMatch(/^Gate failed: 16 of 40 findings/);
    expect(kept.slice(1, 9).every((m) => /^(CRITICAL|HIGH) .+\(vulnerability [0-9a-f-]{36}\)$/.test(m))).toBe(true);
    expect(kept[9]).toBe('… and 8 more findings match the gate; see the reports.');
    expect(run.outputs).toMatchObject({ result: 'gate-failed', gateMatched: '16', findingsCritical: '7', findingsHigh: '9' });
  });

  it('ends SucceededWithIssues on a gate match when warn-only, the reason first among the warnings', async () => {
    const run = await runStep({ baseUrl: stepping.baseUrl, inputs: { application: 'Demo Shop', scanConfiguration: DEMO_IDS.bobsNightly, failOnSeverity: 'HIGH', warnOnly: 'true', publishArtifacts: 'true', artifactPerReport: 'true', reportFormats: 'metrics,findings,markdown', generateFindingsReport: 'true' } });
    await expectClean(run);
    expect(run.result).toBe('SucceededWithIssues');
    expect(run.issues.every((i) => i.type === 'warning')).toBe(true);
    expect(run.issues[0]?.message).toBe(run.message);
    expect(run.artifacts.map((a) => a.name).sort()).toEqual(['insightappsec-scan-findings.json', 'insightappsec-scan-metrics.json', 'insightappsec-scan-result.json', 'insightappsec-scan-summary.md']);
  });

  it('fails with the reason when the scan fails', async () => {
    const run = await runStep({ baseUrl: stepping.baseUrl, inputs: { application: 'Demo Shop', scanConfiguration: 'Swagger import' } });
    await expectClean(run);
    expect(run.result).toBe('Failed');
    expect(errors(run)[0]).toContain('SWAGGER_PARSING_ERROR');
    expect(run.outputs).toMatchObject({ result: 'scan-failed', scanStatus: 'FAILED' });
  });

  it('names the classic-editor field of a bad value and sends nothing', async () => {
    const before = stepping.sim.counters.total();
    const run = await runStep({ baseUrl: stepping.baseUrl, inputs: { application: 'Demo Shop', scanConfiguration: 'Full', scanStatusInterval: 'often', bogusInput: 'x' } });
    await expectClean(run);
    expect(run.agentWarnings).toEqual(["Input 'bogusInput' is not an input of the task and was ignored."]);
    expect(run.result).toBe('Failed');
    expect(errors(run)[0]).toMatch(/^Scan Status Interval 'often' is not a duration/);
    expect(stepping.sim.counters.total()).toBe(before);
  });

  it('asks for the Timeout when Fail scan on timeout? is on without one', async () => {
    const run = await runStep({ baseUrl: stepping.baseUrl, inputs: { application: 'Demo Shop', scanConfig: 'Full', hasTimeout: 'true' } });
    expect(run.result).toBe('Failed');
    expect(errors(run)[0]).toBe('Timeout is required when Fail scan on timeout? is on; give the minutes the scan may take from its launch, e.g. 120.');
  });
});

describe('time budgets and cancellation', () => {
  it('cancels the scan when the Timeout, counted from the launch, runs out', async () => {
    const before = fast.sim.counters.get('PUT /scans/{id}/action');
    const run = await runStep({ baseUrl: fast.baseUrl, inputs: { application: 'Demo Shop', scanConfiguration: 'Full Audit', scanStatusInterval: '1s', failOnTimeout: 'true', timeout: '2s' } });
    await expectClean(run);
    expect(run.result).toBe('Failed');
    expect(run.outputs.result).toBe('budget-exceeded');
    expect(errors(run)[0]).toMatch(/total budget of 2s from launch ran out while scan [0-9a-f-]{36} was/);
    expect(fast.sim.counters.get('PUT /scans/{id}/action')).toBe(before + 1);
  });

  it('never cancels a queued scan for a budget nobody set; the pipeline cancel does', async () => {
    const held = await startSimulator({ timeScale: 0.002 });
    try {
      held.sim.faults.add({ route: 'POST /scans', kind: 'never-start' });
      let cancel: (() => void) | undefined;
      let actionsBeforeCancel = -1;
      const watch = setInterval(() => {
        // Eight status reads of a PENDING scan (held by the simulator), then the pipeline is canceled.
        if (cancel !== undefined && held.sim.counters.get('GET /scans/{id}') >= 8) {
          clearInterval(watch);
          actionsBeforeCancel = held.sim.counters.get('PUT /scans/{id}/action');
          cancel();
        }
      }, 20);
      const run = await runStep({
        baseUrl: held.baseUrl,
        inputs: { application: 'Demo Shop', scanConfiguration: 'Full', scanStatusInterval: '1s' },
        onLine: (_line, agent) => {
          cancel ??= agent.cancel;
        },
      });
      clearInterval(watch);
      await expectClean(run);
      expect(actionsBeforeCancel).toBe(0);
      expect(run.signals).toEqual(['SIGINT']);
      expect(run.result).toBe('Canceled');
      expect(run.message).toMatch(/^The run was interrupted; scan [0-9a-f-]{36} was canceled\.$/);
      expect(held.sim.counters.get('PUT /scans/{id}/action')).toBe(1);
      expect(run.log.join('\n')).not.toMatch(/budget/i);
    } finally {
      await held.close();
    }
  }, 60_000);

  it('cancels the scan on SIGINT when the pipeline is canceled, within the agent’s 7.5 s', async () => {
    const before = fast.sim.counters.get('PUT /scans/{id}/action');
    const run = await runStep({
      baseUrl: fast.baseUrl,
      inputs: { application: 'Demo Shop', scanConfiguration: 'Full', scanStatusInterval: '1s' },
      onLine: (line, agent) => {
        if (line.includes('##vso[task.setvariable variable=scanId;')) agent.cancel();
      },
    });
    await expectClean(run);
    expect(run.signals).toEqual(['SIGINT']);
    expect(run.log).toContain('Received SIGINT: the pipeline was canceled; canceling the scan…');
    expect(run.outputs.result).toBe('interrupted');
    expect(fast.sim.counters.get('PUT /scans/{id}/action')).toBe(before + 1);
  });
});

describe('agent versions', () => {
  it('runs the Node20_1 handler on agents before Node 24, and is refused below 3.230.2', async () => {
    const run = await runStep({ baseUrl: stepping.baseUrl, agentVersion: '3.230.2', inputs: { application: 'Payments API', scanConfiguration: 'Payments smoke', waitForCompletion: 'false' } });
    expect(run.handler).toBe('Node20_1');
    expect(run.result).toBe('Succeeded');
    const old = await runStep({ baseUrl: stepping.baseUrl, agentVersion: '3.229.0', inputs: { application: 'Payments API', scanConfiguration: 'Payments smoke' } });
    expect(old.result).toBe('Failed');
    expect(old.issues[0]?.message).toMatch(/requires agent 3\.230\.2/);
    expect(old.exitCode).toBeNull();
  });
});

describe('the agent proxy', () => {
  let proxy: Awaited<ReturnType<typeof startConnectProxy>>;
  beforeAll(async () => {
    proxy = await startConnectProxy();
  });
  afterAll(() => proxy.close());

  it('goes through the proxy with a password full of URL delimiters, and keeps it secret', async () => {
    proxy.tunnels.length = 0;
    const password = 'p#ss/w?rd%';
    const run = await runStep({
      baseUrl: stepping.baseUrl,
      proxy: { url: proxy.url, username: 'build@corp', password },
      inputs: { application: 'Payments API', scanConfiguration: 'Payments smoke', waitForCompletion: 'false' },
    });
    await expectClean(run);
    expect(run.env.SECRET_AGENT_PROXYPASSWORD).toBe(password);
    expect(run.result).toBe('Succeeded');
    expect(proxy.tunnels.length).toBeGreaterThan(0);
    expect(proxy.tunnels[0]).toEqual({ target: new URL(stepping.baseUrl).host, auth: `Basic ${Buffer.from(`build@corp:${password}`).toString('base64')}` });
    // task-lib itself debug-prints the secret variable as it loads; the agent masks it, as the masked log shows.
    expect(await findSecret(run, [password, encodeURIComponent(password), 'p#ss/w?rd%AZP25'], { agentMasked: /^##vso\[task\.debug\]Agent\.ProxyPassword=/ })).toEqual([]);
    expect(run.log).toContain('##[debug]Agent.ProxyPassword=***');
  });

  it("honours the agent's bypass list", async () => {
    proxy.tunnels.length = 0;
    const run = await runStep({ baseUrl: stepping.baseUrl, proxy: { url: proxy.url, bypass: ['127\\.0\\.0\\.1'] }, inputs: { application: 'Payments API', scanConfiguration: 'Payments smoke', waitForCompletion: 'false' } });
    await expectClean(run);
    expect(run.result).toBe('Succeeded');
    expect(proxy.tunnels).toEqual([]);
  });
});

it('never lets the API key reach the log, even with system.debug on', async () => {
  const run = await runStep({ baseUrl: stepping.baseUrl, inputs: { application: 'Payments API', scanConfiguration: 'Payments smoke' } });
  expect(run.env.SYSTEM_DEBUG).toBe('true');
  expect(run.stdout).toContain(`##vso[task.setsecret]${API_KEY}`);
  expect(await findSecret(run)).toEqual([]);
});

describe("the agent's certificate settings", () => {
  let front: Awaited<ReturnType<typeof startTlsFront>>;
  beforeAll(async () => {
    front = await startTlsFront(stepping.baseUrl);
  });
  afterAll(() => front.close());
  const inputs = { application: 'Payments API', scanConfiguration: 'Payments smoke', waitForCompletion: 'false' };

  it('trusts the CA file of Agent.CAInfo (the agent\u2019s --sslcacert)', async () => {
    const run = await runStep({ baseUrl: front.url, tls: { caFile: front.caFile }, inputs });
    await expectClean(run);
    expect(run.env.AGENT_CAINFO).toBe(front.caFile);
    expect(run.result).toBe('Succeeded');
  });

  it('skips verification when Agent.SkipCertValidation is set (the agent\u2019s --sslskipcertvalidation), and warns', async () => {
    const run = await runStep({ baseUrl: front.url, tls: { skipCertValidation: true }, inputs });
    await expectClean(run);
    expect(run.result).toBe('Succeeded');
    expect(run.issues.filter((i) => i.type === 'warning').map((i) => i.message)).toContain('The agent skips TLS certificate validation (Agent.SkipCertValidation); the InsightAppSec API certificate is not checked either');
  });

  it('fails closed on a certificate nobody trusts', async () => {
    const run = await runStep({ baseUrl: front.url, inputs });
    expect(run.result).toBe('Failed');
    expect(run.outputs.result).toBe('api-error');
  }, 120_000);
});
