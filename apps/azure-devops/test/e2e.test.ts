import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { DEMO_IDS } from '@ias/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, assertNoSecret, CONNECTION, removeRunFolders, runTask, startSimulator, type TaskRun } from './harness';
import { readZip } from './zip-reader';

// The built handler, spawned with the agent's environment contract, against the simulator on 127.0.0.1.
let server: Awaited<ReturnType<typeof startSimulator>>;
beforeAll(async () => {
  server = await startSimulator({ timeScale: 0.002 });
});
afterAll(async () => {
  await server.close();
  await removeRunFolders();
});

const commands = (run: TaskRun, command: string) => run.vso.filter((c) => c.command === command);
const complete = (run: TaskRun) => commands(run, 'task.complete')[0];

async function expectClean(run: TaskRun): Promise<void> {
  expect(run.stderr).toBe('');
  expect(await assertNoSecret(run)).toEqual([]);
  expect(commands(run, 'task.complete')).toHaveLength(1);
}

describe('the task on a build agent', () => {
  it('passes a clean scan of an application given by UUID, with reports in <staging>/insightappsec', async () => {
    const run = await runTask({
      baseUrl: server.baseUrl,
      inputs: { application: DEMO_IDS.payments, scanConfiguration: 'Payments smoke', scanGating: 'true', vulnerabilityQuery: "vulnerability.severity='HIGH'" },
    });
    await expectClean(run);
    expect(complete(run)?.properties.result).toBe('Succeeded');
    expect(complete(run)?.message).toMatch(/^Gate passed: none of the 0 findings/);

    // The token is registered before anything talks to the API.
    const lines = run.stdout.split(/\r?\n/);
    const secretLine = lines.findIndex((l) => l.startsWith('##vso[task.setsecret]'));
    expect(lines[secretLine]).toBe(`##vso[task.setsecret]${API_KEY}`);
    expect(secretLine).toBeLessThan(lines.findIndex((l) => l.startsWith("Application 'Payments API'")));
    expect(secretLine).toBeLessThan(run.vso.find((c) => c.command === 'task.setvariable')!.line);

    const dir = join(run.staging, 'insightappsec');
    for (const name of ['insightappsec-scan-metrics.json', 'insightappsec-scan-findings.json', 'insightappsec-scan-summary.md', 'insightappsec-scan.sarif', 'insightappsec-scan-result.json']) {
      expect(existsSync(join(dir, name)), name).toBe(true);
    }
    expect(JSON.parse(readFileSync(join(dir, 'insightappsec-scan-metrics.json'), 'utf8'))).toEqual({ metrics: { severity: {}, module: {} } });
    expect(run.outputs).toMatchObject({ scanStatus: 'COMPLETE', result: 'passed', gateResult: 'passed', findingsTotal: '0', reportDirectory: dir });
    expect(run.outputs.scanId).toMatch(/^[0-9a-f-]{36}$/);
    expect(commands(run, 'task.uploadsummary').map((c) => c.message)).toEqual([join(dir, 'insightappsec-scan-summary.md')]);
    expect(commands(run, 'artifact.upload')).toEqual([expect.objectContaining({ properties: { containerfolder: 'insightappsec', artifactname: 'insightappsec' }, message: dir })]);
  });

  it('fails on a gate match by application name, with capped error annotations', async () => {
    const run = await runTask({
      baseUrl: server.baseUrl,
      inputs: { application: 'Demo Shop', scanConfiguration: 'Full', scanGating: 'true', vulnerabilityQuery: "vulnerability.severity='HIGH' || vulnerability.severity='CRITICAL'", publishArtifacts: 'false' },
    });
    await expectClean(run);
    expect(complete(run)?.properties.result).toBe('Failed');
    expect(complete(run)?.message).toMatch(/^Gate failed: 16 of 40 findings of scan [0-9a-f-]{36} match/);
    const issues = commands(run, 'task.logissue');
    expect(issues).toHaveLength(11);
    expect(issues.every((i) => i.properties.type === 'error')).toBe(true);
    expect(issues[0]?.message).toMatch(/^(CRITICAL|HIGH) .+\(vulnerability [0-9a-f-]{36}\)$/);
    expect(issues[10]?.message).toBe('… and 6 more findings match the gate; see the reports.');
    expect(run.outputs).toMatchObject({ result: 'gate-failed', gateResult: 'failed', gateMatched: '16', findingsTotal: '40', findingsCritical: '7', findingsHigh: '9' });
    expect(commands(run, 'artifact.upload')).toEqual([]);
    // Reports are written even though the gate failed.
    expect(existsSync(join(run.staging, 'insightappsec', 'insightappsec-scan-metrics.json'))).toBe(true);
  });

  it('ends SucceededWithIssues on a gate match when warn-only, uploading one artifact per report', async () => {
    const run = await runTask({
      baseUrl: server.baseUrl,
      inputs: { application: 'Demo Shop', scanConfiguration: DEMO_IDS.bobsNightly, failOnSeverity: 'HIGH', warnOnly: 'true', artifactPerReport: 'true', reportFormats: 'metrics,findings,markdown' },
    });
    await expectClean(run);
    expect(complete(run)?.properties.result).toBe('SucceededWithIssues');
    expect(commands(run, 'task.logissue').every((i) => i.properties.type === 'warning')).toBe(true);
    const uploads = commands(run, 'artifact.upload').map((c) => c.properties.artifactname).sort();
    expect(uploads).toEqual(['insightappsec-scan-findings.json', 'insightappsec-scan-metrics.json', 'insightappsec-scan-result.json', 'insightappsec-scan-summary.md']);
  });

  it('fails with the reason when the scan fails', async () => {
    const run = await runTask({ baseUrl: server.baseUrl, inputs: { application: 'Demo Shop', scanConfiguration: 'Swagger import' } });
    await expectClean(run);
    expect(complete(run)?.properties.result).toBe('Failed');
    expect(complete(run)?.message).toContain('SWAGGER_PARSING_ERROR');
    expect(run.outputs).toMatchObject({ result: 'scan-failed', scanStatus: 'FAILED' });
    expect(run.outputs.scanId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('cancels the scan and fails when the Timeout runs out', async () => {
    const before = server.sim.counters.get('PUT /scans/{id}/action');
    const run = await runTask({ baseUrl: server.baseUrl, inputs: { application: 'Demo Shop', scanConfiguration: 'Full Audit', failOnTimeout: 'true', timeout: '1s' } });
    await expectClean(run);
    expect(complete(run)?.properties.result).toBe('Failed');
    expect(run.outputs.result).toBe('budget-exceeded');
    expect(server.sim.counters.get('PUT /scans/{id}/action')).toBe(before + 1);
    const scan = server.sim.state.scans().find((s) => (s as { id: string }).id === run.outputs.scanId) as { status: string } | undefined;
    expect(['CANCELING', 'FAILED']).toContain(scan?.status);
  });

  it('cancels the scan when the pipeline is canceled (SIGINT)', async () => {
    const before = server.sim.counters.get('PUT /scans/{id}/action');
    let sent = false;
    const run = await runTask({
      baseUrl: server.baseUrl,
      inputs: { application: 'Demo Shop', scanConfiguration: 'Full' },
      onStdout: (stdout, kill) => {
        if (!sent && stdout.includes('##vso[task.setvariable variable=scanId;')) {
          sent = true;
          kill('SIGINT');
        }
      },
    });
    await expectClean(run);
    expect(run.stdout).toContain('Received SIGINT: the pipeline was canceled; canceling the scan');
    expect(complete(run)?.properties.result).toBe('Failed');
    expect(complete(run)?.message).toMatch(/^The run was interrupted; scan [0-9a-f-]{36} was canceled\.$/);
    expect(run.outputs.result).toBe('interrupted');
    expect(server.sim.counters.get('PUT /scans/{id}/action')).toBe(before + 1);
  });

  it('advances right after the launch when not waiting for completion', async () => {
    const run = await runTask({ baseUrl: server.baseUrl, inputs: { application: 'Payments API', scanConfiguration: 'Payments smoke', waitForCompletion: 'false' } });
    await expectClean(run);
    expect(complete(run)?.properties.result).toBe('Succeeded');
    expect(run.outputs).toMatchObject({ result: 'passed', gateResult: 'not-evaluated', findingsTotal: '0' });
    expect(commands(run, 'task.uploadsummary')).toEqual([]);
  });

  it('names the classic-editor field of a bad value and sends nothing', async () => {
    const before = server.sim.counters.total();
    const run = await runTask({ baseUrl: server.baseUrl, inputs: { application: 'Demo Shop', scanConfiguration: 'Full', scanStatusInterval: 'often' } });
    await expectClean(run);
    expect(complete(run)?.properties.result).toBe('Failed');
    expect(complete(run)?.message).toMatch(/^Scan Status Interval 'often' is not a duration/);
    expect(server.sim.counters.total()).toBe(before);
  });

  it('a service connection whose authorization is not JSON: one sentence naming the connection, no stack trace, no token shown, nothing sent', async () => {
    const before = server.sim.counters.total();
    const run = await runTask({
      baseUrl: server.baseUrl,
      inputs: { application: 'Demo Shop', scanConfiguration: 'Full' },
      env: { [`ENDPOINT_AUTH_${CONNECTION}`]: `scheme=Token;apitoken=${API_KEY}` },
    });
    await expectClean(run);
    expect(complete(run)?.properties.result).toBe('Failed');
    expect(complete(run)?.message).toMatch(/^IAS Connection has no API Token/);
    expect(run.stdout).not.toMatch(/Internal error|^\s+at /m);
    expect(server.sim.counters.total()).toBe(before);
  });

  it('names an unknown application', async () => {
    const run = await runTask({ baseUrl: server.baseUrl, inputs: { application: 'No Such App', scanConfiguration: 'Full' } });
    await expectClean(run);
    expect(complete(run)?.properties.result).toBe('Failed');
    expect(complete(run)?.message).toContain('Application');
    expect(run.outputs.result).toBe('config-error');
  });
});

describe('the task in a release pipeline', () => {
  it('writes to $(System.ArtifactsDirectory)/insightappsec and attaches a zip of the reports', async () => {
    const run = await runTask({ baseUrl: server.baseUrl, hostType: 'release', inputs: { application: 'Payments API', scanConfiguration: 'Payments smoke' } });
    await expectClean(run);
    expect(complete(run)?.properties.result).toBe('Succeeded');
    const dir = join(run.temp, 'r', 'insightappsec');
    expect(run.outputs.reportDirectory).toBe(dir);
    expect(commands(run, 'artifact.upload')).toEqual([]);
    expect(commands(run, 'task.uploadfile').map((c) => c.message)).toEqual([`${dir}.zip`]);
    const zip = readZip(readFileSync(`${dir}.zip`));
    expect([...zip.keys()]).toEqual(expect.arrayContaining(['insightappsec-scan-metrics.json', 'insightappsec-scan-findings.json', 'insightappsec-scan-summary.md']));
  });
});

describe('the agent proxy', () => {
  let proxy: Server;
  let proxyUrl: string;
  const tunnels: { target: string; auth: string | undefined }[] = [];
  beforeAll(async () => {
    proxy = createServer((_req, res) => res.writeHead(405).end());
    proxy.on('connect', (req, socket) => {
      tunnels.push({ target: req.url ?? '', auth: req.headers['proxy-authorization'] });
      const [host, port] = (req.url ?? '').split(':');
      const upstream = connect(Number(port), host === '127.0.0.1' ? host : '127.0.0.1', () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
      upstream.on('error', () => socket.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  });
  afterAll(() => proxy.close());

  it('goes through the proxy with its credentials, and keeps the proxy password secret', async () => {
    tunnels.length = 0;
    const run = await runTask({
      baseUrl: server.baseUrl,
      inputs: { application: 'Payments API', scanConfiguration: 'Payments smoke', waitForCompletion: 'false' },
      env: { AGENT_PROXYURL: proxyUrl, AGENT_PROXYUSERNAME: 'builder', AGENT_PROXYPASSWORD: 'pr0xy-s3cret' },
    });
    await expectClean(run);
    expect(complete(run)?.properties.result).toBe('Succeeded');
    expect(tunnels.length).toBeGreaterThan(0);
    expect(tunnels[0]).toEqual({ target: new URL(server.baseUrl).host, auth: `Basic ${Buffer.from('builder:pr0xy-s3cret').toString('base64')}` });
    expect(run.stdout).toContain('##vso[task.setsecret]pr0xy-s3cret');
  });

  it("honours the agent's bypass list", async () => {
    tunnels.length = 0;
    const run = await runTask({
      baseUrl: server.baseUrl,
      inputs: { application: 'Payments API', scanConfiguration: 'Payments smoke', waitForCompletion: 'false' },
      env: { AGENT_PROXYURL: proxyUrl, AGENT_PROXYBYPASSLIST: JSON.stringify(['127\\.0\\.0\\.1']) },
    });
    await expectClean(run);
    expect(complete(run)?.properties.result).toBe('Succeeded');
    expect(tunnels).toEqual([]);
  });
});
