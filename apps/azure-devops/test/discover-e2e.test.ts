import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AZURE_FAKE_IDS, createAzureFake, createSimulator, DEMO_IDS, type AzureFake } from '@ias/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, parseVso, readTree } from './harness';

// The built discovery task (dist/extension/InsightAppSecApiDiscovery), spawned with the agent's environment contract
// (INPUT_*, and an AzureRM service principal connection as ENDPOINT_URL_/ENDPOINT_AUTH_/ENDPOINT_DATA_<id>_*,
// azure-pipelines-agent src/Agent.Worker/Handlers/Handler.cs AddEndpointVariables) against the Azure fakes and the
// IAS simulator on 127.0.0.1.
const BUNDLE = join(PACKAGE_ROOT, 'dist', 'extension', 'InsightAppSecApiDiscovery', 'index.js');
const AZURE_CONNECTION = '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
const IAS_CONNECTION = 'f1e2d3c4-b5a6-4978-8a9b-0c1d2e3f4a5b';
const API_KEY = 'ias-discover-key-1234abcd';

let azure: AzureFake;
let azureUrl: string;
let iasUrl: string;
let closers: (() => Promise<void>)[] = [];
const dirs: string[] = [];
const sim = createSimulator({ scenario: 'demo', apiKey: API_KEY });

beforeAll(async () => {
  if (!existsSync(BUNDLE)) throw new Error(`${BUNDLE} is missing; run \`pnpm --filter @ias/azure-devops build\` first`);
  azure = createAzureFake();
  const a = await azure.listen({ host: '127.0.0.1', port: 0 });
  const i = await sim.listen({ host: '127.0.0.1', port: 0 });
  azureUrl = a.baseUrl;
  iasUrl = i.baseUrl;
  closers = [a.close, i.close];
});

afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
});

async function task(inputs: Record<string, string>, sources?: string) {
  const work = sources ?? (await mkdtemp(join(tmpdir(), 'ias-ado-discover-')));
  if (sources === undefined) dirs.push(work);
  await mkdir(join(work, '_temp'), { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    SYSTEM_HOSTTYPE: 'build',
    BUILD_SOURCESDIRECTORY: work,
    AGENT_TEMPDIRECTORY: join(work, '_temp'),
    INPUT_AZURESUBSCRIPTION: AZURE_CONNECTION,
    [`ENDPOINT_URL_${AZURE_CONNECTION}`]: `${azureUrl}/`,
    [`ENDPOINT_AUTH_${AZURE_CONNECTION}`]: JSON.stringify({ scheme: 'ServicePrincipal', parameters: { tenantid: AZURE_FAKE_IDS.tenantId, serviceprincipalid: AZURE_FAKE_IDS.clientId, serviceprincipalkey: AZURE_FAKE_IDS.clientSecret, authenticationType: 'spnKey' } }),
    [`ENDPOINT_AUTH_SCHEME_${AZURE_CONNECTION}`]: 'ServicePrincipal',
    [`ENDPOINT_DATA_${AZURE_CONNECTION}_ENVIRONMENTAUTHORITYURL`]: `${azureUrl}/`,
    [`ENDPOINT_URL_${IAS_CONNECTION}`]: iasUrl,
    [`ENDPOINT_AUTH_${IAS_CONNECTION}`]: JSON.stringify({ scheme: 'Token', parameters: { apitoken: API_KEY } }),
    [`ENDPOINT_DATA_${IAS_CONNECTION}_REGION`]: 'us',
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  const child = spawn(process.execPath, [BUNDLE], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
  const code = await new Promise<number | null>((r) => child.once('close', r));
  const vso = parseVso(stdout);
  const outputs: Record<string, string> = {};
  for (const c of vso) if (c.command === 'task.setvariable' && c.properties.isOutput === 'true' && c.properties.variable) outputs[c.properties.variable] = c.message;
  return { code, stdout, stderr, vso, outputs, result: vso.find((c) => c.command === 'task.complete'), work };
}

function noSecret(run: { stdout: string; stderr: string }, files: Map<string, string>, secret: string): void {
  const lines = `${run.stdout}\n${run.stderr}`.split(/\r?\n/).filter((l) => l.includes(secret) && !l.startsWith('##vso[task.setsecret]'));
  expect(lines).toEqual([]);
  for (const [path, text] of files) expect(text.includes(secret) ? path : '').toBe('');
}

describe('the API discovery task on a build agent', () => {
  it('signs in with the AzureRM connection, discovers every subscription, uploads the report as the run summary', async () => {
    const run = await task({});
    expect(run.result?.properties.result).toBe('Succeeded');
    expect(run.outputs).toMatchObject({ result: 'changed', exitCode: '0', changed: 'true' });
    const summary = run.vso.find((c) => c.command === 'task.uploadsummary');
    expect(summary?.message).toBe(join(run.work, '.ias/apim/inventory-report.md'));
    expect(await readFile(summary?.message ?? '', 'utf8')).toContain('## API inventory');
    expect(run.vso.filter((c) => c.command === 'task.issue' && c.properties.type === 'warning').map((c) => c.message)).toContain('API new: contoso/echo-api');
    expect(azure.counters.get('GET /subscriptions')).toBeGreaterThan(0);
    noSecret(run, await readTree(run.work), AZURE_FAKE_IDS.clientSecret);
  });

  it('fails with On changes = Fail and keeps failing until the changes are accepted', async () => {
    const first = await task({});
    azure.revokeRole('fabrikam');
    const unreachable = await task({}, first.work);
    expect(unreachable.result?.properties.result).toBe('Failed');
    expect(unreachable.outputs.exitCode).toBe('5');
    expect(unreachable.result?.message).toMatch(/could not read service fabrikam/);
    azure.revokeRole('fabrikam', false);
    azure.removeApi('contoso', 'petstore');
    const gated = await task({ onChange: 'fail' }, first.work);
    expect(gated.outputs).toMatchObject({ result: 'changes-found', exitCode: '1' });
    expect((await task({ onChange: 'fail' }, first.work)).outputs.exitCode).toBe('1');
    expect((await task({ onChange: 'ignore' }, first.work)).outputs.exitCode).toBe('0');
  });

  it('pushes linked definitions through the IAS connection', async () => {
    const work = await mkdtemp(join(tmpdir(), 'ias-ado-discover-'));
    dirs.push(work);
    const target = `${iasUrl}/scan-configs/${DEMO_IDS.full}/options`;
    const headers = { 'x-api-key': API_KEY, 'content-type': 'application/json' };
    const options = (await (await fetch(target, { headers })).json()) as { crawl_config: Record<string, unknown> };
    options.crawl_config.scope_constraint_list = [{ url: 'https://*.azure-api.net/*', exclusion: 'INCLUDE', method: 'ALL' }];
    await fetch(target, { method: 'PUT', headers, body: JSON.stringify(options) });
    await writeFile(join(work, 'links.yaml'), `links:\n  contoso/echo-api: ${DEMO_IDS.full}\n`);
    const run = await task({ linksFile: join(work, 'links.yaml'), push: 'true', iasConnection: IAS_CONNECTION, onChange: 'ignore' }, work);
    expect(run.result?.properties.result).toBe('Succeeded');
    expect(run.stdout).toMatch(/contoso\/echo-api: attached the definition/);
    noSecret(run, await readTree(work), API_KEY);
  });
});
