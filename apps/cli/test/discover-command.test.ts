import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AZURE_FAKE_IDS, createAzureFake, createManualClock, createSimulator, DEMO_IDS, echoApiOpenApi3, type AzureFake, type Simulator } from '@ias/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { markerKeyOf } from '@ias/core';
import { DISCOVER_OPTIONS, interruptNotice } from '../src/discover-command';
import { run, type CliHost } from '../src/run';

let dir: string;
let azure: AzureFake;
let sim: Simulator;
let azureUrl: string;
let iasUrl: string;
let closers: (() => Promise<void>)[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ias-discover-'));
  const clock = createManualClock();
  azure = createAzureFake({ clock });
  sim = createSimulator({ scenario: 'demo', clock });
  const a = await azure.listen();
  const i = await sim.listen();
  azureUrl = a.baseUrl;
  iasUrl = i.baseUrl;
  closers = [a.close, i.close];
});

afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  await rm(dir, { recursive: true, force: true });
});

function host(argv: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const clock = createManualClock();
  const h: CliHost = {
    argv,
    env: {
      AZURE_TENANT_ID: AZURE_FAKE_IDS.tenantId,
      AZURE_CLIENT_ID: AZURE_FAKE_IDS.clientId,
      AZURE_CLIENT_SECRET: AZURE_FAKE_IDS.clientSecret,
      AZURE_SUBSCRIPTION_ID: AZURE_FAKE_IDS.subscriptionId,
      AZURE_ARM_ENDPOINT: azureUrl,
      AZURE_AUTHORITY_HOST: azureUrl,
      IAS_API_KEY: sim.apiKey,
      IAS_BASE_URL: iasUrl,
      ...env,
    },
    fetch: globalThis.fetch,
    clock: { now: () => clock.now(), sleep: async (ms) => clock.advance(ms) },
    version: '9.9.9',
    runtime: 'test',
    isTTY: false,
    out: (t) => (out += t),
    err: (t) => (err += t),
    readText: (path) => readFile(path, 'utf8'),
  };
  return { h, output: () => `${out}\n${err}`, stdout: () => out, stderr: () => err };
}

async function setScope(configId: string, url: string): Promise<void> {
  const target = `${iasUrl}/scan-configs/${configId}/options`;
  const headers = { 'x-api-key': sim.apiKey, 'content-type': 'application/json' };
  const options = (await (await fetch(target, { headers })).json()) as { crawl_config: Record<string, unknown> };
  options.crawl_config.scope_constraint_list = [{ url, exclusion: 'INCLUDE', method: 'ALL' }];
  await fetch(target, { method: 'PUT', headers, body: JSON.stringify(options) });
}

function definitionKeys(): (string | undefined)[] {
  return (sim.state.options(DEMO_IDS.full) as { web_service_config: { swagger_file_list: unknown[] } }).web_service_config.swagger_file_list.map(markerKeyOf);
}

async function allFiles(root: string): Promise<string> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const texts = await Promise.all(entries.filter((e) => e.isFile()).map((e) => readFile(join(e.parentPath, e.name), 'utf8')));
  return texts.join('\n');
}

describe('ias discover azure-apim', () => {
  it('describes every option in --help', async () => {
    const t = host(['discover', 'azure-apim', '--help']);
    expect(await run(t.h)).toBe(0);
    const text = t.output().replace(/\s+/g, ' ');
    for (const option of DISCOVER_OPTIONS) {
      expect(text).toContain(option.flag);
      if (option.env !== undefined) expect(text).toContain(`[${option.env}]`);
    }
    for (const flag of ['--fail-on-change', '--dry-run', '--push', '--force', '--json', 'AZURE_CLIENT_SECRET', 'API Management Service Reader Role']) expect(text).toContain(flag);
    expect(text).not.toContain('--client-secret');
  });

  it('syncs, writes the inventory, pushes a linked definition and keeps every secret out of the output', async () => {
    const out = join(dir, 'apim');
    const links = join(dir, 'links.yaml');
    await writeFile(links, `links:\n  contoso/echo-api:\n    scanConfig: ${DEMO_IDS.full}\n    subscriptionKeyEnv: APIM_KEY\n`);
    await setScope(DEMO_IDS.full, 'https://*.azure-api.net/*');
    const t = host(['discover', 'azure-apim', '--out', out, '--links', links, '--push', '--debug'], { APIM_KEY: 'sub-key-abcdef123456' });
    expect(await run(t.h)).toBe(0);
    const inventory = JSON.parse(await readFile(join(out, 'inventory.json'), 'utf8')) as { summary: Record<string, number> };
    expect(inventory.summary).toMatchObject({ new: 4, skipped: 2 });
    expect(await readFile(join(out, 'specs/contoso/echo-api.json'), 'utf8')).toMatch(/^\{\n {2}"components"/);
    expect(sim.state.optionWrites().map((w) => w.configId)).toEqual([DEMO_IDS.full, DEMO_IDS.full]);
    expect(t.output()).toMatch(/New, not linked: contoso\/orders-v2, contoso\/petstore, fabrikam\/inventory-api/);
    const everything = `${t.output()}\n${await allFiles(dir)}`;
    for (const secret of [AZURE_FAKE_IDS.clientSecret, sim.apiKey, 'sub-key-abcdef123456']) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/sig=|fake-arm-token/);

    const again = host(['discover', 'azure-apim', '--out', out, '--fail-on-change', '--json']);
    expect(await run(again.h)).toBe(0);
    expect(again.output()).toContain('"result":"unchanged"');
  });

  it('exits 1 with --fail-on-change when APIs are new, and writes nothing with --dry-run', async () => {
    const t = host(['discover', 'azure-apim', '--out', join(dir, 'x'), '--fail-on-change', '--dry-run']);
    expect(await run(t.h)).toBe(1);
    await expect(readdir(join(dir, 'x'))).rejects.toThrow();
  });

  it('refuses the secret as a flag without echoing it', async () => {
    const t = host(['discover', 'azure-apim', '--client-secret=hunter2-secret-value']);
    expect(await run(t.h)).toBe(2);
    expect(t.output()).toMatch(/AZURE_CLIENT_SECRET/);
    expect(t.output()).not.toContain('hunter2-secret-value');
  });

  it('exits 2 naming the missing input', async () => {
    const t = host(['discover', 'azure-apim', '--out', join(dir, 'y')], { AZURE_CLIENT_ID: '' });
    expect(await run(t.h)).toBe(2);
    expect(t.stderr()).toMatch(/--client-id is required/);
  });

  it('syncs every subscription the app can see with only tenant, client id and secret', async () => {
    const out = join(dir, 'all');
    const t = host(['discover', 'azure-apim', '--out', out], { AZURE_SUBSCRIPTION_ID: '' });
    expect(await run(t.h)).toBe(0);
    expect(azure.counters.get('GET /subscriptions')).toBe(1);
    const status = JSON.parse(await readFile(join(out, 'sync-status.json'), 'utf8')) as { sources: { result: string; subscriptions: string[] }[] };
    expect(status.sources).toEqual([expect.objectContaining({ result: 'ok', subscriptions: [AZURE_FAKE_IDS.subscriptionId] })]);
  });

  it('reads several sources from a sources file, each secret from the variable it names', async () => {
    const sources = join(dir, 'sources.yaml');
    await writeFile(
      sources,
      `sources:\n  - name: prod\n    tenantId: ${AZURE_FAKE_IDS.tenantId}\n    clientId: ${AZURE_FAKE_IDS.clientId}\n    clientSecretEnv: PROD_SECRET\n    services: [contoso]\n    armEndpoint: ${azureUrl}\n    authorityHost: ${azureUrl}\n  - name: other\n    tenantId: ${AZURE_FAKE_IDS.tenantId}\n    clientId: ${AZURE_FAKE_IDS.clientId}\n    clientSecretEnv: OTHER_SECRET\n    services: [fabrikam]\n    armEndpoint: ${azureUrl}\n    authorityHost: ${azureUrl}\n`,
    );
    const missing = host(['discover', 'azure-apim', '--sources', sources, '--out', join(dir, 's')], { PROD_SECRET: AZURE_FAKE_IDS.clientSecret });
    expect(await run(missing.h)).toBe(2);
    expect(missing.stderr()).toMatch(/source 'other' reads its client secret from OTHER_SECRET, which is not set/);
    const t = host(['discover', 'azure-apim', '--sources', sources, '--out', join(dir, 's'), '--json'], { PROD_SECRET: AZURE_FAKE_IDS.clientSecret, OTHER_SECRET: AZURE_FAKE_IDS.clientSecret });
    expect(await run(t.h)).toBe(0);
    const outcome = JSON.parse(t.stdout()) as { sources: { name: string; result: string; apis: number }[] };
    expect(outcome.sources.map((r) => [r.name, r.result, r.apis])).toEqual([
      ['prod', 'ok', 5],
      ['other', 'ok', 1],
    ]);
    expect(t.output()).not.toContain(AZURE_FAKE_IDS.clientSecret);
  });

  it('lets --include-types given as a flag win over the variable (issue 19, High)', async () => {
    const t = host(['discover', 'azure-apim', '--out', join(dir, 'types'), '--include-types', 'http,soap,websocket,graphql', '--json'], { IAS_APIM_INCLUDE_TYPES: 'http' });
    expect(await run(t.h)).toBe(0);
    const outcome = JSON.parse(t.stdout()) as { apis: { key: string; skipReason: string | null }[] };
    const soap = outcome.apis.find((a) => a.key === 'contoso/legacy-soap');
    expect(soap?.skipReason).toMatch(/no Swagger 2 or OpenAPI 3 definition could be exported/);
    expect(soap?.skipReason).not.toMatch(/--include-types http\)/);
    expect(azure.requests().some((r) => r.route === 'GET /export' && r.url.includes('/apis/legacy-soap'))).toBe(true);
  });

  it('exits 2 for an unsupported --apim-api-version and an invalid --api-filter', async () => {
    const version = host(['discover', 'azure-apim', '--out', join(dir, 'v'), '--apim-api-version', '2099-01-01']);
    expect(await run(version.h)).toBe(2);
    expect(version.stderr()).toMatch(/NoRegisteredProviderFound/);
    const filter = host(['discover', 'azure-apim', '--out', join(dir, 'f'), '--api-filter', "name eq 'x"]);
    expect(await run(filter.h)).toBe(2);
    expect(filter.stderr()).toMatch(/--api-filter .*unclosed quote/);
  });

  it('says no scan is canceled when discovery is interrupted', () => {
    expect(interruptNotice(['discover', 'azure-apim'], 'SIGINT')).toMatch(/stopping discovery \(no scan is running, none is canceled\)/);
    expect(interruptNotice(['scan', '--app', 'x'], 'SIGTERM')).toMatch(/canceling the scan/);
  });

  it('holds a new endpoint for review until ias discover approve', async () => {
    const out = join(dir, 'review');
    const links = join(dir, 'review.yaml');
    await writeFile(links, `links:\n  contoso/echo-api: ${DEMO_IDS.full}\n`);
    await setScope(DEMO_IDS.full, 'https://*.azure-api.net/*');
    expect(await run(host(['discover', 'azure-apim', '--out', out, '--links', links, '--push']).h)).toBe(0);
    azure.setSpec('contoso', 'echo-api', { openapi3: echoApiOpenApi3({ '/status': { get: { responses: { '200': { description: 'OK' } } } } }) });
    const held = host(['discover', 'azure-apim', '--out', out, '--links', links, '--push']);
    expect(await run(held.h)).toBe(0);
    expect(held.stderr()).toMatch(/WARN: contoso\/echo-api: 1 new endpoint waits for review/);
    expect(await readFile(join(out, 'inventory-report.md'), 'utf8')).toMatch(/### Pending review\n\n- \*\*contoso\/echo-api\*\*/);
    const approve = host(['discover', 'approve', 'contoso/echo-api', '--out', out]);
    expect(await run(approve.h)).toBe(0);
    expect(approve.stdout()).toMatch(/Approved the endpoints of contoso\/echo-api/);
    const after = host(['discover', 'azure-apim', '--out', out, '--links', links, '--push']);
    expect(await run(after.h)).toBe(0);
    expect(after.stdout()).toMatch(/contoso\/echo-api: attached the definition \(4 operations\)/);
    expect(await run(host(['discover', 'approve', 'nope/x', '--out', out]).h)).toBe(2);
  });

  it('keeps two APIs linked to one scan configuration, and unlink removes exactly one (issue 19, High)', async () => {
    const out = join(dir, 'two');
    const links = join(dir, 'two.yaml');
    await writeFile(links, `# reviewed by the API team\nlinks:\n  contoso/echo-api: ${DEMO_IDS.full}   # echo\n  contoso/petstore: ${DEMO_IDS.full}\n`);
    await setScope(DEMO_IDS.full, 'https://*.azure-api.net/*');
    const t = host(['discover', 'azure-apim', '--out', out, '--links', links, '--push']);
    expect(await run(t.h)).toBe(0);
    expect(definitionKeys()).toEqual(['contoso/echo-api', 'contoso/petstore']);
    const again = host(['discover', 'azure-apim', '--out', out, '--links', links, '--push']);
    expect(await run(again.h)).toBe(0);
    expect(again.stdout()).toMatch(/contoso\/petstore: 'Full' already has this definition/);
    const unlink = host(['discover', 'unlink', 'contoso/petstore', '--links', links, '--out', out]);
    expect(await run(unlink.h)).toBe(0);
    expect(unlink.stdout()).toMatch(/contoso\/petstore: removed its definition from 'Full'/);
    expect(definitionKeys()).toEqual(['contoso/echo-api']);
    expect(await readFile(links, 'utf8')).toBe(`# reviewed by the API team\nlinks:\n  contoso/echo-api: ${DEMO_IDS.full} # echo\n`);
    const third = host(['discover', 'azure-apim', '--out', out, '--links', links, '--push']);
    expect(await run(third.h)).toBe(0);
    expect(definitionKeys()).toEqual(['contoso/echo-api']);
  });

  it('exits 5 with the role to assign on a 403, on stderr', async () => {
    azure.faults.add({ route: 'GET /services', status: 403 });
    const t = host(['discover', 'azure-apim', '--out', join(dir, 'z')]);
    expect(await run(t.h)).toBe(5);
    expect(t.stderr()).toMatch(/API Management Service Reader Role/);
    expect(t.stdout()).not.toMatch(/API Management Service Reader Role|ERROR|✖/);
  });
});
