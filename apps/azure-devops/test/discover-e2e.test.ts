import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { AZURE_FAKE_IDS, createAzureFake, createSimulator, DEMO_IDS, type AzureFake } from '@ias/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeAgentFolders, runOnAgent, type AgentJob, type AgentRun } from './agent-emulator';
import { PACKAGE_ROOT, readTree } from './harness';

// The packaged discovery task (dist/extension/InsightAppSecApiDiscovery) run on the emulated agent (the same one the
// scan task's tests use, built from the agent's and task-lib's sources), with an Azure Resource Manager service
// principal connection and an InsightAppSec connection, against the Azure fakes and the IAS simulator on 127.0.0.1.
const TASK_DIR = join(PACKAGE_ROOT, 'dist', 'extension', 'InsightAppSecApiDiscovery');
const API_KEY = 'ias-discover-key-1234abcd';

let azure: AzureFake;
let azureUrl: string;
let iasUrl: string;
let closers: (() => Promise<void>)[] = [];
const runs: AgentRun[] = [];
const sim = createSimulator({ scenario: 'demo', apiKey: API_KEY });

beforeAll(async () => {
  if (!existsSync(join(TASK_DIR, 'index.js'))) throw new Error(`${TASK_DIR} is missing; run \`pnpm --filter @ias/azure-devops build\` first`);
  azure = createAzureFake();
  const a = await azure.listen({ host: '127.0.0.1', port: 0 });
  const i = await sim.listen({ host: '127.0.0.1', port: 0 });
  azureUrl = a.baseUrl;
  iasUrl = i.baseUrl;
  closers = [a.close, i.close];
});

afterAll(async () => {
  await Promise.all(closers.map((c) => c()));
  await removeAgentFolders(runs);
});

/** One pipeline run; `files` is the repository checked out (a committed inventory, links file). */
async function step(inputs: Record<string, string>, files: Record<string, string> = {}, extra: Partial<AgentJob> = {}): Promise<AgentRun> {
  const run = await runOnAgent({
    taskDir: TASK_DIR,
    inputs: { azureSubscription: 'apim-reader', ...inputs },
    files,
    connections: [
      { name: 'apim-reader', url: `${azureUrl}/`, scheme: 'ServicePrincipal', parameters: { tenantid: AZURE_FAKE_IDS.tenantId, serviceprincipalid: AZURE_FAKE_IDS.clientId, serviceprincipalkey: AZURE_FAKE_IDS.clientSecret, authenticationType: 'spnKey' }, data: { environmentAuthorityUrl: `${azureUrl}/`, environment: 'AzureCloud' } },
      { name: 'insightappsec', url: iasUrl, scheme: 'Token', parameters: { apitoken: API_KEY }, data: { region: 'us' } },
    ],
    ...extra,
  });
  runs.push(run);
  return run;
}

/** The inventory folder a run left, as files of the repository for the next run (the pipeline commits it). */
async function committed(run: AgentRun): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [path, text] of await readTree(join(run.folders.sources, '.ias/apim'))) out[relative(run.folders.sources, path)] = text;
  return out;
}

async function noSecret(run: AgentRun, secret: string): Promise<void> {
  expect(`${run.stdout}\n${run.stderr}`.split('\n').filter((l) => l.includes(secret) && !l.startsWith('##vso[task.setsecret]'))).toEqual([]);
  for (const [path, text] of await readTree(run.folders.work)) expect(text.includes(secret) ? path : '').toBe('');
}

describe('the API discovery task on an emulated agent', () => {
  it('signs in with the AzureRM connection, discovers every subscription, attaches the report as the run summary', async () => {
    const run = await step({});
    expect(run.result).toBe('Succeeded');
    expect(run.outputs).toMatchObject({ result: 'changed', exitCode: '0', changed: 'true' });
    expect(run.summaries).toEqual([join(run.folders.sources, '.ias/apim/inventory-report.md')]);
    expect(await readFile(run.summaries[0] ?? '', 'utf8')).toContain('## API inventory');
    expect(run.issues.filter((i) => i.type === 'warning').map((i) => i.message)).toContain('API new: contoso/echo-api');
    expect(azure.counters.get('GET /subscriptions')).toBeGreaterThan(0);
    await noSecret(run, AZURE_FAKE_IDS.clientSecret);
  });

  it('fails on an unreachable service, and with On changes = Fail keeps failing until the changes are accepted', async () => {
    const repo = await committed(await step({}));
    azure.revokeRole('fabrikam');
    const unreachable = await step({}, repo);
    expect(unreachable.result).toBe('Failed');
    expect(unreachable.outputs.exitCode).toBe('5');
    expect(unreachable.message).toMatch(/could not read service fabrikam/);
    azure.revokeRole('fabrikam', false);
    azure.removeApi('contoso', 'petstore');
    const gated = await step({ onChange: 'fail' }, repo);
    expect(gated.outputs).toMatchObject({ result: 'changes-found', exitCode: '1' });
    expect(gated.result).toBe('Failed');
    const accepted = await step({ onChange: 'ignore' }, repo);
    expect(accepted.outputs.exitCode).toBe('0');
    expect((await step({ onChange: 'fail' }, await committed(accepted))).outputs.exitCode).toBe('0');
  });

  it('pushes linked definitions through the IAS connection', async () => {
    const target = `${iasUrl}/scan-configs/${DEMO_IDS.full}/options`;
    const headers = { 'x-api-key': API_KEY, 'content-type': 'application/json' };
    const options = (await (await fetch(target, { headers })).json()) as { crawl_config: Record<string, unknown> };
    options.crawl_config.scope_constraint_list = [{ url: 'https://*.azure-api.net/*', exclusion: 'INCLUDE', method: 'ALL' }];
    await fetch(target, { method: 'PUT', headers, body: JSON.stringify(options) });
    const run = await step({ linksFile: '.ias/apim-links.yaml', push: 'true', iasConnection: 'insightappsec', onChange: 'ignore' }, { '.ias/apim-links.yaml': `links:\n  contoso/echo-api: ${DEMO_IDS.full}\n` });
    expect(run.result).toBe('Succeeded');
    expect(run.log.some((l) => /contoso\/echo-api: attached the definition/.test(l))).toBe(true);
    await noSecret(run, API_KEY);
  });
});
