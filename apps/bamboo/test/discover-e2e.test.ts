import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AZURE_FAKE_IDS, createAzureFake, createSimulator, DEMO_IDS, type AzureFake } from '@ias/simulator';
import { readTree, runBundle } from '@ias/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// End to end: the built discovery bundle, spawned the way a Bamboo Script task runs it (plan variables as bamboo_*,
// the build working directory as cwd), against the Azure fakes and the IAS simulator on 127.0.0.1.
const BUNDLE = fileURLToPath(new URL('../dist/ias-bamboo-discover.js', import.meta.url));
const API_KEY = 'bamboo-discover-Key-1a2b3c';

let azure: AzureFake;
let azureUrl: string;
let iasUrl: string;
let closers: (() => Promise<void>)[] = [];
const dirs: string[] = [];
const sim = createSimulator({ scenario: 'demo', apiKey: API_KEY });

beforeAll(async () => {
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

async function task(variables: Record<string, string>, existing?: string) {
  const dir = existing ?? (await mkdtemp(join(tmpdir(), 'ias-bamboo-discover-')));
  if (existing === undefined) dirs.push(dir);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    bamboo_build_working_directory: dir,
    bamboo_ias_discover_tenantId: AZURE_FAKE_IDS.tenantId,
    bamboo_ias_discover_clientId: AZURE_FAKE_IDS.clientId,
    bamboo_ias_discover_clientSecret_password: AZURE_FAKE_IDS.clientSecret,
    bamboo_ias_discover_armEndpoint: azureUrl,
    bamboo_ias_discover_authorityHost: azureUrl,
    ...variables,
  };
  const result = await runBundle({ bundle: BUNDLE, args: [], cwd: dir, env });
  return { ...result, dir, files: await readTree(dir) };
}

describe('ias-bamboo-discover end to end', () => {
  it('syncs with only tenant, client id and secret, writes the inventory and its reports, and never prints the secret', async () => {
    const run = await task({});
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/WARNING: API new: contoso\/echo-api/);
    expect(run.stdout).toMatch(/InsightAppSec discovery verdict: CHANGED; exit 0\n$/);
    expect(await readFile(join(run.dir, '.ias/apim/inventory-report.html'), 'utf8')).toContain('<h1>API inventory');
    const everything = [run.stdout, run.stderr, ...run.files.values()].join('\n');
    expect(everything).not.toContain(AZURE_FAKE_IDS.clientSecret);
  });

  it('fails the build on changes with ias.discover.onChange=fail, and on a rerun, until accepted', async () => {
    const first = await task({});
    azure.addApi('fabrikam', { name: 'orders', displayName: 'Orders', path: 'orders', openapi3: { openapi: '3.0.1', info: { title: 'o', version: '1' }, paths: { '/o': { get: { responses: { '200': { description: 'OK' } } } } } } });
    const gated = await task({ bamboo_ias_discover_onChange: 'fail' }, first.dir);
    expect(gated.code).toBe(1);
    expect(gated.stderr).toMatch(/ERROR: Discovery found changes and --fail-on-change is set/);
    expect((await task({ bamboo_ias_discover_onChange: 'fail' }, first.dir)).code).toBe(1);
    expect((await task({}, first.dir)).code).toBe(0);
    expect((await task({ bamboo_ias_discover_onChange: 'fail' }, first.dir)).code).toBe(0);
    azure.removeApi('fabrikam', 'orders');
  });

  it('reads a sources file and pushes linked definitions with the plan API key', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ias-bamboo-discover-'));
    dirs.push(dir);
    const target = `${iasUrl}/scan-configs/${DEMO_IDS.full}/options`;
    const headers = { 'x-api-key': API_KEY, 'content-type': 'application/json' };
    const options = (await (await fetch(target, { headers })).json()) as { crawl_config: Record<string, unknown> };
    options.crawl_config.scope_constraint_list = [{ url: 'https://*.azure-api.net/*', exclusion: 'INCLUDE', method: 'ALL' }];
    await fetch(target, { method: 'PUT', headers, body: JSON.stringify(options) });
    await writeFile(join(dir, 'sources.yaml'), `sources:\n  - name: prod\n    tenantId: ${AZURE_FAKE_IDS.tenantId}\n    clientId: ${AZURE_FAKE_IDS.clientId}\n    clientSecretEnv: bamboo_apim_prod_password\n    armEndpoint: ${azureUrl}\n    authorityHost: ${azureUrl}\n`);
    await writeFile(join(dir, 'links.yaml'), `links:\n  contoso/echo-api: ${DEMO_IDS.full}\n`);
    const run = await task(
      {
        bamboo_ias_discover_clientSecret_password: '',
        bamboo_ias_discover_sources: 'sources.yaml',
        bamboo_apim_prod_password: AZURE_FAKE_IDS.clientSecret,
        bamboo_ias_discover_links: 'links.yaml',
        bamboo_ias_discover_push: 'true',
        bamboo_ias_apiKey_password: API_KEY,
        bamboo_ias_baseUrl: iasUrl,
        bamboo_ias_discover_onChange: 'ignore',
      },
      dir,
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/contoso\/echo-api: attached the definition \(3 operations\) to 'Full'/);
    const everything = [run.stdout, run.stderr, ...run.files.values()].join('\n');
    for (const secret of [AZURE_FAKE_IDS.clientSecret, API_KEY]) expect(everything).not.toContain(secret);
  });

  it('refuses a bad onChange before reading anything', async () => {
    const run = await task({ bamboo_ias_discover_onChange: 'sometimes' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/ias\.discover\.onChange must be warn, fail or ignore/);
  });
});
