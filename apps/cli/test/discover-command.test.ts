import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AZURE_FAKE_IDS, createAzureFake, createManualClock, createSimulator, DEMO_IDS, type AzureFake, type Simulator } from '@ias/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DISCOVER_OPTIONS } from '../src/discover-command';
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
  return { h, output: () => `${out}\n${err}` };
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
    const t = host(['discover', 'azure-apim', '--out', out, '--links', links, '--push', '--debug'], { APIM_KEY: 'sub-key-abcdef123456' });
    expect(await run(t.h)).toBe(0);
    const inventory = JSON.parse(await readFile(join(out, 'inventory.json'), 'utf8')) as { summary: Record<string, number> };
    expect(inventory.summary).toMatchObject({ new: 4, skipped: 2 });
    expect(await readFile(join(out, 'specs/contoso/echo-api.json'), 'utf8')).toMatch(/^\{\n {2}"components"/);
    expect(sim.state.optionWrites().map((w) => w.configId)).toEqual([DEMO_IDS.full]);
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
    const t = host(['discover', 'azure-apim', '--out', join(dir, 'y')], { AZURE_SUBSCRIPTION_ID: '' });
    expect(await run(t.h)).toBe(2);
    expect(t.output()).toMatch(/--subscription is required/);
  });

  it('exits 5 with the role to assign on a 403', async () => {
    azure.faults.add({ route: 'GET /services', status: 403 });
    const t = host(['discover', 'azure-apim', '--out', join(dir, 'z')]);
    expect(await run(t.h)).toBe(5);
    expect(t.output()).toMatch(/API Management Service Reader Role/);
  });
});
