import { createAzureFake, createManualClock, createSimulator, AZURE_FAKE_IDS, DEMO_IDS, echoApiOpenApi3, twoSubscriptionFixture, workspaceFixture, type AzureFake, type ManualClock, type Simulator } from '@ias/simulator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Clock } from '../effects';
import { createRecordingLogger, type RecordingLogger } from '../testing/sim-harness';
import { discoverAzureApim, type DiscoverAzureApimOptions, type DiscoveryOutcome } from './discover-azure-apim';
import { approveEndpoints, createMemoryDiscoveryFiles, INVENTORY_FILE, serializeInventory, SYNC_STATUS_FILE, type Inventory } from './inventory';
import { listOperations } from './spec-document';
import { createApiClient } from '../api/client';
import { markedSpecText, markerKeyOf, unlinkApi } from './link-spec';
import { parseLinksFile, type ApiLink } from './links-file';

const SUB_KEY = 'apim-subscription-key-0f9e8d7c6b5a';

interface World {
  clock: ManualClock;
  coreClock: Clock & { slept: number[] };
  azure: AzureFake;
  azureUrl: string;
  sim: Simulator;
  iasUrl: string;
  files: ReturnType<typeof createMemoryDiscoveryFiles>;
  logger: RecordingLogger;
  outcomes: DiscoveryOutcome[];
  close(): Promise<void>;
}

let world: World;

beforeEach(async () => {
  const clock = createManualClock(Date.UTC(2026, 0, 5, 6, 0, 0));
  const slept: number[] = [];
  const coreClock = {
    slept,
    now: () => clock.now(),
    sleep: async (ms: number) => {
      slept.push(ms);
      clock.advance(ms);
    },
  };
  const azure = createAzureFake({ clock });
  const azureListener = await azure.listen({ host: '127.0.0.1', port: 0 });
  const sim = createSimulator({ scenario: 'demo', clock });
  const iasListener = await sim.listen({ host: '127.0.0.1', port: 0 });
  world = {
    clock,
    coreClock,
    azure,
    azureUrl: azureListener.baseUrl,
    sim,
    iasUrl: iasListener.baseUrl,
    files: createMemoryDiscoveryFiles(),
    logger: createRecordingLogger(),
    outcomes: [],
    close: async () => {
      await azureListener.close();
      await iasListener.close();
    },
  };
});

afterEach(async () => {
  await world.close();
});

function baseOptions(extra: Partial<DiscoverAzureApimOptions> = {}): DiscoverAzureApimOptions {
  return {
    tenantId: AZURE_FAKE_IDS.tenantId,
    clientId: AZURE_FAKE_IDS.clientId,
    clientSecret: AZURE_FAKE_IDS.clientSecret,
    subscriptions: [AZURE_FAKE_IDS.subscriptionId],
    armEndpoint: world.azureUrl,
    authorityHost: world.azureUrl,
    tool: 'ias/0.0.0-test',
    ...extra,
  };
}

async function sync(extra: Partial<DiscoverAzureApimOptions> = {}): Promise<DiscoveryOutcome> {
  const outcome = await discoverAzureApim(baseOptions(extra), {
    fetch: globalThis.fetch,
    clock: world.coreClock,
    logger: world.logger,
    files: world.files,
    readVariable: (name) => (name === 'APIM_SUB_KEY' ? SUB_KEY : undefined),
  });
  world.outcomes.push(outcome);
  return outcome;
}

let writesBefore = 0;

/** Changes a scan configuration's options through the IAS API, as a user editing it in IAS would. */
async function editInIas(configId: string, edit: (options: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const url = `${world.iasUrl}/scan-configs/${configId}/options`;
  const headers = { 'x-api-key': world.sim.apiKey, 'content-type': 'application/json' };
  const current = (await (await fetch(url, { headers })).json()) as Record<string, unknown>;
  const put = await fetch(url, { method: 'PUT', headers, body: JSON.stringify(edit(current)) });
  expect(put.status).toBeLessThan(300);
}

function addScope(options: Record<string, unknown>, url: string): Record<string, unknown> {
  const crawl = { ...(options.crawl_config as Record<string, unknown>) };
  crawl.scope_constraint_list = [...((crawl.scope_constraint_list as unknown[] | undefined) ?? []), { url, exclusion: 'INCLUDE', method: 'ALL' }];
  return { ...options, crawl_config: crawl };
}

function inventoryFile(): Inventory {
  return JSON.parse(world.files.files.get(INVENTORY_FILE) ?? 'null') as Inventory;
}

/** Everything a user could see: log lines, outcomes, files written, and what was sent to IAS. */
function everything(): string {
  return [
    world.logger.text(),
    JSON.stringify(world.outcomes),
    ...world.files.files.values(),
    ...world.sim.state.optionWrites().map((w) => w.body),
  ].join('\n');
}

describe('discoverAzureApim against the Azure fakes on 127.0.0.1', () => {
  it('builds the expected inventory on a first sync (golden file)', async () => {
    const outcome = await sync();
    expect(outcome.message).toMatch(/^Discovery finished/);
    expect(outcome.exitCode).toBe(0);
    const text = (world.files.files.get(INVENTORY_FILE) ?? '').replaceAll(world.azureUrl, 'http://127.0.0.1:PORT');
    await expect(text).toMatchFileSnapshot('./__golden__/azure-apim-inventory.json');
    await expect(world.files.files.get('specs/contoso/orders-v2.json')).toMatchFileSnapshot('./__golden__/orders-v2.json');
    expect([...world.files.files.keys()].sort()).toEqual(['inventory-report.html', 'inventory-report.md', INVENTORY_FILE, 'specs/contoso/echo-api.json', 'specs/contoso/orders-v2.json', 'specs/contoso/petstore.json', 'specs/fabrikam/inventory-api.json', SYNC_STATUS_FILE]);
    // Export links are fetched without the bearer token and never stored.
    const blobs = world.azure.requests().filter((r) => r.route === 'GET /blob');
    expect(blobs.length).toBe(4);
    expect(blobs.every((r) => !r.hadAuthorization)).toBe(true);
    expect(everything()).not.toMatch(/sig=|\/blob\//);
  });

  it('reports exactly one changed API with its operation diff and one removed API on the next sync', async () => {
    await sync();
    const firstEcho = inventoryFile().apis.find((a) => a.key === 'contoso/echo-api');
    world.azure.setSpec('contoso', 'echo-api', { openapi3: echoApiOpenApi3({ '/status': { get: { operationId: 'status', responses: { '200': { description: 'OK' } } } } }) });
    world.azure.removeApi('fabrikam', 'inventory-api');
    world.clock.advance(24 * 3600_000);
    const before = world.files.files.get(INVENTORY_FILE);
    const outcome = await sync({ failOnChange: true });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.result).toBe('changes-found');
    const inventory = outcome.inventory as Inventory;
    const changed = inventory.apis.filter((a) => a.status === 'changed');
    expect(changed.map((a) => a.key)).toEqual(['contoso/echo-api']);
    expect(changed[0]?.diff).toEqual({ added: ['GET /echo/status'], removed: [] });
    expect(changed[0]?.previousSha256).toBe(firstEcho?.spec?.sha256);
    const removed = inventory.apis.filter((a) => a.status === 'removed');
    expect(removed.map((a) => a.key)).toEqual(['fabrikam/inventory-api']);
    expect(removed[0]?.diff).toEqual({ added: [], removed: ['GET /inventory/items'] });
    expect(inventory.summary).toEqual({ new: 0, changed: 1, unchanged: 2, removed: 1, skipped: 2, error: 0, unreachable: 0 });
    // The gate leaves the inventory as it was, so rerunning the failed pipeline fails again...
    expect(world.files.files.get(INVENTORY_FILE)).toBe(before);
    expect((await sync({ failOnChange: true })).exitCode).toBe(1);
    // ...until a run without the gate accepts the changes.
    const accepted = await sync();
    expect(accepted.exitCode).toBe(0);
    expect(accepted.deleted).toEqual(['specs/fabrikam/inventory-api.json']);
    expect(world.files.files.has('specs/fabrikam/inventory-api.json')).toBe(false);
    expect((await sync({ failOnChange: true })).exitCode).toBe(0);
  });

  it('leaves the inventory byte-identical when nothing changed twice in a row', async () => {
    await sync();
    await sync();
    const second = world.files.files.get(INVENTORY_FILE);
    world.clock.advance(3600_000);
    const outcome = await sync({ failOnChange: true });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.result).toBe('unchanged');
    expect(world.files.files.get(INVENTORY_FILE)).toBe(second);
  });

  it('follows nextLink pages and stops at an empty-string nextLink', async () => {
    await sync();
    // contoso: 5 current APIs at 2 per page = 3 pages (the last has "nextLink": ""); fabrikam: 1 page; services: 1 page.
    expect(world.azure.counters.get('GET /apis')).toBe(4);
    expect(world.azure.counters.get('GET /services')).toBe(1);
    const pages = world.azure.requests().filter((r) => r.route === 'GET /apis');
    expect(pages.map((r) => new URL(r.url, 'http://x').searchParams.get('$skip'))).toEqual([null, '2', '4', null]);
  });

  it('retries a 429 after its Retry-After', async () => {
    world.azure.faults.add({ route: 'GET /apis', status: 429, retryAfter: 7, times: 1 });
    const outcome = await sync();
    expect(outcome.exitCode).toBe(0);
    expect(world.coreClock.slept).toContain(7000);
    expect(world.azure.counters.get('GET /apis')).toBe(5);
  });

  it('renews the token exactly once after a 401', async () => {
    world.azure.faults.add({ route: 'GET /services', status: 401, times: 1 });
    const outcome = await sync();
    expect(outcome.exitCode).toBe(0);
    expect(world.azure.counters.get('POST /token')).toBe(2);
  });

  it('renews an expired token once and reuses it afterwards', async () => {
    await sync();
    expect(world.azure.counters.get('POST /token')).toBe(1);
    world.azure.expireTokens();
    const outcome = await sync();
    expect(outcome.exitCode).toBe(0);
    expect(world.azure.counters.get('POST /token')).toBe(2);
  });

  it('names the role to assign on a 403', async () => {
    world.azure.faults.add({ route: 'GET /services', status: 403 });
    const outcome = await sync();
    expect(outcome.exitCode).toBe(5);
    expect(outcome.message).toContain("assign the 'API Management Service Reader Role'");
    // Only the sync status is written: the failure and its reason, per source.
    expect([...world.files.files.keys()]).toEqual([SYNC_STATUS_FILE]);
    expect(outcome.sources).toEqual([expect.objectContaining({ name: 'default', result: 'failed', reason: expect.stringContaining('API Management Service Reader Role') })]);
  });

  it('explains a 404 for a wrong resource group as an input error', async () => {
    const outcome = await sync({ resourceGroup: 'rg-typo' });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.message).toMatch(/ResourceGroupNotFound.*check the subscription id, --resource-group and --service/);
  });

  it('marks one API as error when its export keeps failing and carries on with the rest', async () => {
    world.azure.faults.add({ route: 'GET /export', status: 500, pathIncludes: '/apis/petstore' });
    const outcome = await sync();
    expect(outcome.exitCode).toBe(5);
    const inventory = inventoryFile();
    expect(inventory.apis.find((a) => a.key === 'contoso/petstore')?.status).toBe('error');
    expect(inventory.apis.filter((a) => a.status === 'new').length).toBe(3);
    expect(world.coreClock.slept.length).toBe(3);
  });

  it('gives the AADSTS hint for a wrong secret and never shows the secret', async () => {
    const outcome = await sync({ clientSecret: 'wrong-secret-0123456789' });
    expect(outcome.exitCode).toBe(5);
    expect(outcome.message).toMatch(/AADSTS7000215.*Value \(not its Secret ID\)/);
    expect(everything()).not.toContain('wrong-secret-0123456789');
  });

  it('writes nothing with dryRun', async () => {
    const outcome = await sync({ dryRun: true });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.inventory?.summary.new).toBe(4);
    expect(world.files.files.size).toBe(0);
  });
});

describe('pushing linked definitions to IAS scan configurations', () => {
  const linksYaml = `links:
  contoso/echo-api:
    scanConfig: Full
    app: Demo Shop
    restrictToSpec: true
    subscriptionKeyEnv: APIM_SUB_KEY
  contoso/petstore: ${DEMO_IDS.paymentsSmoke}
`;

  const push = (extra: Partial<DiscoverAzureApimOptions> = {}): Promise<DiscoveryOutcome> => {
    const parsed = parseLinksFile(linksYaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return sync({ links: parsed.links, push: { baseUrl: world.iasUrl, apiKey: world.sim.apiKey, userAgent: 'ias-test' }, ...extra });
  };

  beforeEach(async () => {
    // As a user would in IAS: put the APIM gateways into the scope of both linked scan configurations.
    for (const id of [DEMO_IDS.full, DEMO_IDS.paymentsSmoke]) await editInIas(id, (o) => addScope(o, 'https://*.azure-api.net/*'));
    writesBefore = world.sim.state.optionWrites().length;
  });

  it('writes the definition into the linked options and leaves sibling options byte-identical', async () => {
    const before = world.sim.state.options(DEMO_IDS.full) as Record<string, unknown>;
    const outcome = await push();
    expect(outcome.exitCode).toBe(0);
    expect(outcome.pushes.map((p) => [p.key, p.result])).toEqual([
      ['contoso/echo-api', 'pushed'],
      ['contoso/petstore', 'pushed'],
    ]);
    const writes = world.sim.state.optionWrites().slice(writesBefore);
    expect(writes.map((w) => w.configId)).toEqual([DEMO_IDS.full, DEMO_IDS.paymentsSmoke]);
    const written = JSON.parse(writes[0]?.body ?? '{}') as Record<string, Record<string, unknown>>;
    const spec = world.files.files.get('specs/contoso/echo-api.json') ?? '';
    expect(written.web_service_config?.swagger_file_list).toEqual([{ value: markedSpecText(spec, 'contoso/echo-api'), preferred_content_type: 'application/json', host_name: 'contoso.azure-api.net' }]);
    expect(written.crawl_config?.restrict_to_swagger).toBe(true);
    expect(written.http_headers_config?.custom_headers_list).toEqual([{ value: `Ocp-Apim-Subscription-Key: ${SUB_KEY}` }]);
    for (const key of Object.keys(before)) {
      if (['web_service_config', 'crawl_config', 'http_headers_config'].includes(key)) continue;
      expect(JSON.stringify(written[key])).toBe(JSON.stringify(before[key]));
    }
    const crawlBefore = before.crawl_config as Record<string, unknown>;
    for (const key of Object.keys(crawlBefore)) expect(JSON.stringify(written.crawl_config?.[key])).toBe(JSON.stringify(crawlBefore[key]));
    expect(JSON.stringify(written.http_headers_config?.user_agent)).toBe(JSON.stringify((before.http_headers_config as Record<string, unknown>).user_agent));
    expect(inventoryFile().apis.find((a) => a.key === 'contoso/echo-api')?.link).toMatchObject({ scanConfig: 'Full', scanConfigId: DEMO_IDS.full, lastPushedSha256: outcome.inventory?.apis.find((a) => a.key === 'contoso/echo-api')?.spec?.sha256 });
    // The subscription key goes to IAS, and nowhere else.
    expect(everything().split(SUB_KEY).length - 1).toBe(1);
  });

  it('pushes again only what changed, and prints the options diff on a dry run', async () => {
    await push();
    // A change inside a known endpoint (no new endpoint, so no review is needed).
    world.azure.setSpec('contoso', 'echo-api', { openapi3: echoApiOpenApi3({ '/resource': { get: { summary: 'Read it', responses: { '200': { description: 'OK' } } } } }) });
    const dry = await push({ dryRun: true });
    expect(dry.pushes.map((p) => p.result)).toEqual(['would-push', 'up-to-date']);
    expect(dry.pushes[0]?.diff).toEqual([expect.stringMatching(/^~ web_service_config\.swagger_file_list\[0\]\.value: <\d+ characters> → <\d+ characters>$/)]);
    expect(world.sim.state.optionWrites().length - writesBefore).toBe(2);
    const real = await push();
    expect(real.pushes.map((p) => p.result)).toEqual(['pushed', 'up-to-date']);
    expect(world.sim.state.optionWrites().length - writesBefore).toBe(3);
  });

  it('never lets the client secret, the IAS key or a signed link reach any output', async () => {
    await push();
    world.azure.faults.add({ route: 'GET /export', status: 500, pathIncludes: '/apis/orders-v2' });
    world.azure.faults.add({ route: 'GET /apis', status: 429, retryAfter: 1, times: 1 });
    await push({ dryRun: true });
    const all = everything();
    expect(all).not.toContain(AZURE_FAKE_IDS.clientSecret);
    expect(all).not.toContain(encodeURIComponent(AZURE_FAKE_IDS.clientSecret));
    expect(all).not.toContain(world.sim.apiKey);
    expect(all).not.toMatch(/sig=|fake-arm-token-/);
  });
});

describe('issue 19 regressions: coverage is never lost silently', () => {
  it('reports an API that loses every operation as changed, with the diff, and keeps its last definition', async () => {
    await sync();
    const spec = world.files.files.get('specs/contoso/echo-api.json');
    world.azure.setSpec('contoso', 'echo-api', { openapi3: { openapi: '3.0.1', info: { title: 'Echo API', version: '1.0' }, paths: {} } });
    const outcome = await sync({ failOnChange: true });
    expect(outcome.exitCode).toBe(1);
    const echo = outcome.inventory?.apis.find((a) => a.key === 'contoso/echo-api');
    expect(echo).toMatchObject({ status: 'changed', skipReason: 'the definition has no operations', diff: { added: [], removed: ['GET /echo/resource', 'PUT /echo/resource', 'DELETE /echo/resource/{id}'] } });
    expect(echo?.spec?.file).toBe('specs/contoso/echo-api.json');
    // Accepted: the spec file stays; the next sync of the same state is no longer a change.
    expect((await sync()).exitCode).toBe(0);
    expect(world.files.files.get('specs/contoso/echo-api.json')).toBe(spec);
    const later = await sync({ failOnChange: true });
    expect(later.exitCode).toBe(0);
    expect(later.inventory?.apis.find((a) => a.key === 'contoso/echo-api')).toMatchObject({ status: 'skipped', spec: { file: 'specs/contoso/echo-api.json' } });
  });

  it('reports an API that stops being exportable as changed, and does not push the loss over the scan configuration', async () => {
    await sync();
    world.azure.setSpec('contoso', 'petstore', {});
    const outcome = await sync({ failOnChange: true });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.inventory?.apis.find((a) => a.key === 'contoso/petstore')).toMatchObject({ status: 'changed', skipReason: expect.stringMatching(/no Swagger 2 or OpenAPI 3 definition could be exported/), diff: { removed: ['GET /petstore/pets', 'POST /petstore/pets', 'GET /petstore/pets/{petId}'] } });
    expect(world.files.files.has('specs/contoso/petstore.json')).toBe(true);
  });

  it('keeps the APIs of a service whose role was revoked as unreachable, warns, exits 5, and recovers when the role is back', async () => {
    await sync();
    world.azure.revokeRole('fabrikam');
    const outcome = await sync();
    expect(outcome.exitCode).toBe(5);
    expect(outcome.message).toMatch(/could not read service fabrikam .*kept as unreachable.*API Management Service Reader Role/);
    expect(outcome.unreachable).toEqual(['fabrikam/inventory-api']);
    const api = inventoryFile().apis.find((a) => a.key === 'fabrikam/inventory-api');
    expect(api).toMatchObject({ status: 'unreachable', spec: { file: 'specs/fabrikam/inventory-api.json' } });
    expect(inventoryFile().summary.removed).toBe(0);
    expect(world.files.files.has('specs/fabrikam/inventory-api.json')).toBe(true);
    expect(world.logger.lines.some((l) => /^warn: service fabrikam is unreachable/.test(l))).toBe(true);
    expect(JSON.parse(world.files.files.get(SYNC_STATUS_FILE) ?? '{}')).toMatchObject({ sources: [{ name: 'default', result: 'partial', reason: expect.stringContaining('fabrikam') }] });
    world.azure.revokeRole('fabrikam', false);
    const back = await sync({ failOnChange: true });
    expect(back.exitCode).toBe(0);
    expect(back.inventory?.apis.find((a) => a.key === 'fabrikam/inventory-api')?.status).toBe('unchanged');
  });

  it('treats a 403 on one service as that service unreachable, and --accept-missing as removal', async () => {
    await sync();
    world.azure.faults.add({ route: 'GET /apis', status: 403, pathIncludes: '/service/contoso/' });
    const outcome = await sync();
    expect(outcome.exitCode).toBe(5);
    expect(outcome.unreachable).toEqual(['contoso/echo-api', 'contoso/legacy-soap', 'contoso/orders-v2', 'contoso/petstore', 'contoso/chat'].sort());
    expect(outcome.inventory?.apis.find((a) => a.key === 'fabrikam/inventory-api')?.status).toBe('unchanged');
    world.azure.faults.clear();
    world.azure.revokeRole('contoso');
    const accepted = await sync({ acceptMissing: true });
    expect(accepted.inventory?.apis.filter((a) => a.service === 'contoso').every((a) => a.status === 'removed')).toBe(true);
  });
});

describe('issue 19: sources as in the seed', () => {
  it('discovers every subscription the app can see with only tenant, client id and secret', async () => {
    await world.close();
    const azure = createAzureFake({ clock: world.clock, fixture: twoSubscriptionFixture() });
    const listener = await azure.listen({ host: '127.0.0.1', port: 0 });
    const ias = await world.sim.listen({ host: '127.0.0.1', port: 0 });
    world.azure = azure;
    world.azureUrl = listener.baseUrl;
    world.close = async () => {
      await listener.close();
      await ias.close();
    };
    const outcome = await sync({ subscriptions: [] });
    expect(outcome.exitCode).toBe(0);
    // Three subscriptions at two per page; the disabled one is left out.
    expect(azure.counters.get('GET /subscriptions')).toBe(2);
    expect(outcome.inventory?.services.map((s) => `${s.name}@${s.subscriptionId}`)).toEqual([`contoso@${AZURE_FAKE_IDS.subscriptionId}`, `fabrikam@${AZURE_FAKE_IDS.subscriptionId}`, `northwind@${AZURE_FAKE_IDS.otherSubscriptionId}`]);
    expect(outcome.sources[0]).toMatchObject({ result: 'ok', subscriptions: [AZURE_FAKE_IDS.subscriptionId, AZURE_FAKE_IDS.otherSubscriptionId].sort(), services: 3, apis: 7, reason: null });
    expect(outcome.inventory?.sources[0]?.subscriptions).toBeNull();
  });

  it('syncs several sources, records each one, and keeps a failing source as unreachable', async () => {
    const good = { name: 'prod', tenantId: AZURE_FAKE_IDS.tenantId, clientId: AZURE_FAKE_IDS.clientId, clientSecret: AZURE_FAKE_IDS.clientSecret, armEndpoint: world.azureUrl, authorityHost: world.azureUrl, services: ['contoso'] };
    const other = { ...good, name: 'other', services: ['fabrikam'] };
    const first = await sync({ sources: [good, other] });
    expect(first.exitCode).toBe(0);
    expect(first.sources.map((r) => [r.name, r.result, r.apis])).toEqual([
      ['prod', 'ok', 5],
      ['other', 'ok', 1],
    ]);
    const broken = { ...other, clientSecret: 'expired-secret-value-000' };
    const second = await sync({ sources: [good, broken] });
    expect(second.exitCode).toBe(5);
    expect(second.message).toMatch(/^1 of 2 sources failed \(other: other: Entra ID refused/);
    expect(second.sources.find((r) => r.name === 'other')).toMatchObject({ result: 'failed', reason: expect.stringMatching(/AADSTS7000215/) });
    expect(second.inventory?.apis.find((a) => a.key === 'fabrikam/inventory-api')).toMatchObject({ status: 'unreachable', source: 'other' });
    expect(everything()).not.toContain('expired-secret-value-000');
  });

  it('reads the APIs of APIM workspaces when asked, keyed <service>/<api>@<workspace>', async () => {
    await world.close();
    const azure = createAzureFake({ clock: world.clock, fixture: workspaceFixture() });
    const listener = await azure.listen({ host: '127.0.0.1', port: 0 });
    world.azure = azure;
    world.azureUrl = listener.baseUrl;
    world.close = listener.close;
    const without = await sync({ services: ['contoso'] });
    expect(without.inventory?.apis.some((a) => a.workspace)).toBe(false);
    const outcome = await sync({ services: ['contoso'], workspaces: ['*'] });
    expect(outcome.exitCode).toBe(0);
    const billing = outcome.inventory?.apis.find((a) => a.key === 'contoso/billing@team-a');
    expect(billing).toMatchObject({ status: 'new', workspace: 'team-a', spec: { file: 'specs/contoso/workspaces/team-a/billing.json', operations: ['GET /team-a/billing/invoices'] } });
    expect(world.files.files.has('specs/contoso/workspaces/team-a/billing.json')).toBe(true);
    expect(azure.counters.get('GET /workspaces')).toBe(1);
  });

  it('refuses sources with the same name', async () => {
    const s = { name: 'a', tenantId: AZURE_FAKE_IDS.tenantId, clientId: AZURE_FAKE_IDS.clientId, clientSecret: 'x' };
    const outcome = await sync({ sources: [s, s] });
    expect(outcome.exitCode).toBe(2);
    expect(outcome.message).toMatch(/source 'a' is named twice/);
  });
});

describe('issue 17 item 6: Azure credentials stay on their origin', () => {
  let evil: AzureFake;
  let evilUrl: string;
  let closeEvil: () => Promise<void>;
  beforeEach(async () => {
    evil = createAzureFake({ clock: world.clock });
    const l = await evil.listen({ host: '127.0.0.1', port: 0 });
    evilUrl = l.baseUrl;
    closeEvil = l.close;
  });
  afterEach(async () => {
    await closeEvil();
  });

  it('does not replay the client secret on a 307 from the token endpoint to another origin', async () => {
    world.azure.faults.add({ route: 'POST /token', status: 307, location: `${evilUrl}/${AZURE_FAKE_IDS.tenantId}/oauth2/v2.0/token` });
    const outcome = await sync();
    expect(outcome.exitCode).toBe(5);
    expect(outcome.message).toMatch(new RegExp(`answered 307 from ${world.azureUrl} to ${evilUrl}; redirects are not followed`));
    expect(evil.requests()).toEqual([]);
  });

  it('does not follow a redirect of an ARM call either', async () => {
    world.azure.faults.add({ route: 'GET /services', status: 302, location: `${evilUrl}/subscriptions/x` });
    const outcome = await sync();
    expect(outcome.exitCode).toBe(5);
    expect(evil.requests()).toEqual([]);
  });

  it('does not send the bearer token to a nextLink on another host', async () => {
    await world.close();
    const azure = createAzureFake({ clock: world.clock, nextLinkOrigin: evilUrl });
    const listener = await azure.listen({ host: '127.0.0.1', port: 0 });
    world.azure = azure;
    world.azureUrl = listener.baseUrl;
    world.close = listener.close;
    const outcome = await sync({ services: ['contoso'] });
    expect(outcome.exitCode).not.toBe(0);
    expect(world.logger.text() + outcome.message).toMatch(new RegExp(`nextLink to ${evilUrl}, not to ${listener.baseUrl}; it is not followed`));
    expect(evil.requests()).toEqual([]);
  });

  it('refuses plain http to a host other than loopback, and credentials in the URL, before signing in', async () => {
    for (const url of ['http://login.example.test', 'https://user:pass@login.example.test']) {
      const outcome = await sync({ authorityHost: url });
      expect(outcome.exitCode).toBe(2);
      expect(outcome.message).toMatch(/--authority-host: .*(not https|user name or password)/);
    }
    expect((await sync({ armEndpoint: 'http://management.example.test' })).message).toMatch(/--arm-endpoint: http:\/\/management\.example\.test is not https/);
    expect(world.azure.requests()).toEqual([]);
  });
});

describe('issue 19: bad input and messages', () => {
  it('exits 2 for a malformed or unsupported --apim-api-version and an invalid --api-filter', async () => {
    expect((await sync({ apiVersion: 'latest' })).message).toMatch(/--apim-api-version 'latest' is not an ARM api-version/);
    const unsupported = await sync({ apiVersion: '2099-01-01' });
    expect(unsupported.exitCode).toBe(2);
    expect(unsupported.message).toMatch(/NoRegisteredProviderFound/);
    const filter = await sync({ apiFilter: "name eq 'orders" });
    expect(filter.exitCode).toBe(2);
    expect(filter.message).toMatch(/--api-filter .*unclosed quote/);
  });

  it('cuts a long ARM error at a word, and does not blame link expiry for a 503 of the blob host', async () => {
    world.azure.faults.add({ route: 'GET /services', status: 403 });
    const denied = await sync();
    expect(denied.message).toMatch(/refresh your credentials\.\); assign/);
    world.azure.faults.clear();
    world.azure.faults.add({ route: 'GET /blob', status: 503, pathIncludes: 'Petstore' });
    await sync();
    const error = world.outcomes.at(-1)?.inventory?.apis.find((a) => a.key === 'contoso/petstore')?.error ?? '';
    expect(error).toMatch(/failed with 503.*storage host is busy/);
    expect(error).not.toMatch(/5 minutes|expired/);
  });
});

describe('issue 19: linking keeps coverage', () => {
  const links = (yaml: string): ApiLink[] => {
    const parsed = parseLinksFile(yaml);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    return parsed.links;
  };
  const twoOnOne = links(`links:\n  contoso/echo-api:\n    scanConfig: ${DEMO_IDS.full}\n    subscriptionKeyEnv: APIM_SUB_KEY\n  contoso/petstore: ${DEMO_IDS.full}\n`);
  const pushTo = (l: ApiLink[], extra: Partial<DiscoverAzureApimOptions> = {}): Promise<DiscoveryOutcome> => sync({ links: l, push: { baseUrl: world.iasUrl, apiKey: world.sim.apiKey, userAgent: 'ias-test' }, ...extra });
  const definitionKeys = (): (string | undefined)[] => ((world.sim.state.options(DEMO_IDS.full) as { web_service_config: { swagger_file_list: unknown[] } }).web_service_config.swagger_file_list).map(markerKeyOf);

  beforeEach(async () => {
    await editInIas(DEMO_IDS.full, (o) => addScope(o, 'https://*.azure-api.net/*'));
    writesBefore = world.sim.state.optionWrites().length;
  });

  it('puts two APIs linked to one scan configuration both in its definitions, in one write, and never claims a lost one is attached', async () => {
    const outcome = await pushTo(twoOnOne);
    expect(outcome.exitCode).toBe(0);
    expect(outcome.pushes.map((p) => [p.key, p.result])).toEqual([
      ['contoso/echo-api', 'pushed'],
      ['contoso/petstore', 'pushed'],
    ]);
    expect(world.sim.state.optionWrites().length - writesBefore).toBe(1);
    expect(definitionKeys()).toEqual(['contoso/echo-api', 'contoso/petstore']);
    // Shown by name although the links file gives the id.
    expect(outcome.pushes[0]?.message).toMatch(/to 'Full'$/);
    const again = await pushTo(twoOnOne);
    expect(again.pushes.map((p) => p.result)).toEqual(['up-to-date', 'up-to-date']);
    expect(world.sim.state.optionWrites().length - writesBefore).toBe(1);
  });

  it('reads the live scan configuration: a definition removed in IAS is attached again', async () => {
    await pushTo(twoOnOne);
    await editInIas(DEMO_IDS.full, (o) => {
      const web = o.web_service_config as { swagger_file_list: unknown[] };
      return { ...o, web_service_config: { ...web, swagger_file_list: web.swagger_file_list.filter((e) => markerKeyOf(e) !== 'contoso/petstore') } };
    });
    const outcome = await pushTo(twoOnOne);
    expect(outcome.pushes.map((p) => [p.key, p.result])).toEqual([
      ['contoso/echo-api', 'up-to-date'],
      ['contoso/petstore', 'pushed'],
    ]);
    expect(definitionKeys()).toEqual(['contoso/echo-api', 'contoso/petstore']);
  });

  it('unlink removes exactly one API: its definition, and its header only when none of ours remain', async () => {
    await pushTo(twoOnOne);
    const client = createApiClient({ baseUrl: world.iasUrl, apiKey: world.sim.apiKey, fetch: globalThis.fetch, userAgent: 'ias-test', clock: world.coreClock });
    const petstore = twoOnOne[1] as ApiLink;
    const result = await unlinkApi(client, petstore, {}, { dryRun: false, secrets: [] });
    expect(result).toMatchObject({ result: 'unlinked', scanConfigName: 'Full' });
    expect(definitionKeys()).toEqual(['contoso/echo-api']);
    const echoLink = twoOnOne[0] as ApiLink;
    const applied = inventoryFile().apis.find((a) => a.key === 'contoso/echo-api')?.link?.applied ?? {};
    expect(applied).toEqual({ subscriptionKeyHeader: 'Ocp-Apim-Subscription-Key' });
    await unlinkApi(client, echoLink, applied, { dryRun: false, secrets: [] });
    const options = world.sim.state.options(DEMO_IDS.full) as { web_service_config: { swagger_file_list: unknown[] }; http_headers_config: { custom_headers_list?: { value: string }[] } };
    expect(options.web_service_config.swagger_file_list).toEqual([]);
    expect(JSON.stringify(options.http_headers_config)).not.toContain('Ocp-Apim-Subscription-Key');
    expect((await unlinkApi(client, echoLink, applied, { dryRun: false, secrets: [] })).result).toBe('not-attached');
  });

  it('refuses a link whose API host is outside the scan configuration scope, unless forced', async () => {
    const outside = links(`links:\n  contoso/petstore: ${DEMO_IDS.paymentsSmoke}\n`);
    const refused = await pushTo(outside);
    expect(refused.exitCode).toBe(2);
    expect(refused.pushes[0]).toMatchObject({ result: 'refused', message: expect.stringMatching(/outside the scope of scan configuration .*push with --force/) });
    expect(world.sim.state.optionWrites().length - writesBefore).toBe(0);
    const forced = await pushTo(outside, { push: { baseUrl: world.iasUrl, apiKey: world.sim.apiKey, userAgent: 'ias-test', force: true } });
    expect(forced.pushes[0]?.result).toBe('pushed');
  });

  it('warns when an API needs a subscription key and the scan configuration sends none', async () => {
    const outcome = await pushTo(links(`links:\n  contoso/petstore: ${DEMO_IDS.full}\n`));
    expect(outcome.pushes[0]?.warnings).toEqual([expect.stringMatching(/contoso\/petstore requires an APIM subscription key.*set subscriptionKeyEnv/)]);
    expect(world.logger.text()).toMatch(/warn: contoso\/petstore requires an APIM subscription key/);
  });
});

describe('issue 19: review before push for new endpoints', () => {
  const pushedOps = (): string[] => {
    const list = (world.sim.state.options(DEMO_IDS.full) as { web_service_config: { swagger_file_list: { value: string }[] } }).web_service_config.swagger_file_list;
    const doc = JSON.parse(list.find((e) => markerKeyOf(e) === 'contoso/echo-api')?.value ?? '{}') as Record<string, unknown>;
    return listOperations('openapi3', doc);
  };
  const withStatus = (extra: Record<string, unknown> = {}) => echoApiOpenApi3({ '/status': { get: { responses: { '200': { description: 'OK' } } } }, ...extra });

  beforeEach(async () => {
    await editInIas(DEMO_IDS.full, (o) => addScope(o, 'https://*.azure-api.net/*'));
  });

  it('holds new endpoints back until approved, pushes removals at once, and lists the pending review in the report', async () => {
    const links = parseLinksFile(`links:\n  contoso/echo-api: ${DEMO_IDS.full}\n`);
    if (!links.ok) throw new Error('links');
    const run = (extra: Partial<DiscoverAzureApimOptions> = {}): Promise<DiscoveryOutcome> => sync({ links: links.links, push: { baseUrl: world.iasUrl, apiKey: world.sim.apiKey, userAgent: 'ias-test' }, ...extra });
    await run();
    expect(pushedOps()).toEqual(['GET /echo/resource', 'PUT /echo/resource', 'DELETE /echo/resource/{id}']);

    world.azure.setSpec('contoso', 'echo-api', { openapi3: withStatus() });
    const held = await run();
    expect(held.exitCode).toBe(0);
    expect(held.pushes[0]).toMatchObject({ result: 'up-to-date', pendingReview: ['GET /echo/status'] });
    expect(pushedOps()).not.toContain('GET /echo/status');
    expect(inventoryFile().apis.find((a) => a.key === 'contoso/echo-api')?.link?.pendingReview).toEqual({ added: ['GET /echo/status'], since: expect.any(String) });
    expect(world.files.files.get('inventory-report.md')).toMatch(/### Pending review\n\n- \*\*contoso\/echo-api\*\* .*\n {2}- new GET /);
    expect(world.logger.text()).toMatch(/1 new endpoint waits for review before 'Full' scans it .*ias discover approve contoso\/echo-api/);

    // A removal is pushed without review; the new endpoint still waits.
    const spec = withStatus();
    delete (spec.paths as Record<string, unknown>)['/resource/{id}'];
    world.azure.setSpec('contoso', 'echo-api', { openapi3: spec });
    const removal = await run();
    expect(removal.pushes[0]?.result).toBe('pushed');
    expect(pushedOps()).toEqual(['GET /echo/resource', 'PUT /echo/resource']);

    const approved = approveEndpoints(inventoryFile(), ['contoso/echo-api']);
    expect(approved.approved).toEqual(['contoso/echo-api']);
    world.files.files.set(INVENTORY_FILE, serializeInventory(approved.inventory));
    const after = await run();
    expect(after.pushes[0]).toMatchObject({ result: 'pushed', pendingReview: [] });
    expect(pushedOps()).toEqual(['GET /echo/resource', 'PUT /echo/resource', 'GET /echo/status']);
  });

  it('pushes new endpoints at once for a link with review: auto, or with approveNew', async () => {
    const auto = parseLinksFile(`links:\n  contoso/echo-api:\n    scanConfig: ${DEMO_IDS.full}\n    review: auto\n`);
    if (!auto.ok) throw new Error('links');
    const push = { baseUrl: world.iasUrl, apiKey: world.sim.apiKey, userAgent: 'ias-test' };
    await sync({ links: auto.links, push });
    world.azure.setSpec('contoso', 'echo-api', { openapi3: withStatus() });
    expect((await sync({ links: auto.links, push })).pushes[0]?.result).toBe('pushed');
    expect(pushedOps()).toContain('GET /echo/status');
    const manual = parseLinksFile(`links:\n  contoso/echo-api: ${DEMO_IDS.full}\n`);
    if (!manual.ok) throw new Error('links');
    world.azure.setSpec('contoso', 'echo-api', { openapi3: withStatus({ '/health': { get: { responses: { '200': { description: 'OK' } } } } }) });
    expect((await sync({ links: manual.links, push, approveNew: true })).pushes[0]?.result).toBe('pushed');
    expect(pushedOps()).toContain('GET /echo/health');
  });
});
