import { describe, expect, it } from 'vitest';
import { createManualClock } from '../clock.js';
import { createAzureFake } from './azure-fake.js';
import { AZURE_FAKE_IDS, twoSubscriptionFixture, workspaceFixture } from './azure-fixtures.js';

const ORIGIN = 'http://azure.fake:8080';
const SERVICE = `/subscriptions/${AZURE_FAKE_IDS.subscriptionId}/resourceGroups/rg-apis/providers/Microsoft.ApiManagement/service/contoso`;

async function tokenOf(fake: ReturnType<typeof createAzureFake>): Promise<string> {
  const res = await fake.fetch(`${ORIGIN}/${AZURE_FAKE_IDS.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: AZURE_FAKE_IDS.clientId, client_secret: AZURE_FAKE_IDS.clientSecret, scope: `${ORIGIN}/.default` }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

describe('createAzureFake', () => {
  it('issues tokens only for the right secret and scope', async () => {
    const fake = createAzureFake();
    const bad = await fake.fetch(`${ORIGIN}/${AZURE_FAKE_IDS.tenantId}/oauth2/v2.0/token`, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: AZURE_FAKE_IDS.clientId, client_secret: 'secret-id-not-value', scope: `${ORIGIN}/.default` }),
    });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error_description: string }).error_description).toMatch(/^AADSTS7000215/);
    expect(await tokenOf(fake)).toMatch(/^fake-arm-token-/);
  });

  it('pages APIs with absolute nextLinks and ends with an empty nextLink', async () => {
    const fake = createAzureFake();
    const token = await tokenOf(fake);
    let url: string | undefined = `${ORIGIN}${SERVICE}/apis?api-version=2024-05-01&$filter=isCurrent%20eq%20true`;
    const names: string[] = [];
    const links: string[] = [];
    while (url) {
      const page = (await (await fake.fetch(url, { headers: { authorization: `Bearer ${token}` } })).json()) as { value: { name: string }[]; nextLink: string };
      names.push(...page.value.map((a) => a.name));
      links.push(page.nextLink);
      url = page.nextLink || undefined;
    }
    expect(names).toEqual(['echo-api', 'petstore', 'orders-v2', 'chat', 'legacy-soap']);
    expect(links.at(-1)).toBe('');
  });

  it('serves exports from a blob link that refuses Authorization and expires', async () => {
    const clock = createManualClock();
    const fake = createAzureFake({ clock });
    const token = await tokenOf(fake);
    const exp = (await (await fake.fetch(`${ORIGIN}${SERVICE}/apis/echo-api?format=openapi%2Bjson-link&export=true&api-version=2024-05-01`, { headers: { authorization: `Bearer ${token}` } })).json()) as { value: { link: string } };
    expect((await fake.fetch(exp.value.link, { headers: { authorization: `Bearer ${token}` } })).status).toBe(403);
    expect(((await (await fake.fetch(exp.value.link)).json()) as { openapi: string }).openapi).toBe('3.0.1');
    clock.advance(301_000);
    expect((await fake.fetch(exp.value.link)).status).toBe(403);
  });

  it('injects faults and rejects expired tokens', async () => {
    const fake = createAzureFake();
    const token = await tokenOf(fake);
    fake.faults.add({ route: 'GET /apis', status: 429, retryAfter: 1, times: 1 });
    const url = `${ORIGIN}${SERVICE}/apis?api-version=2024-05-01`;
    const throttled = await fake.fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('1');
    expect((await fake.fetch(url, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    fake.expireTokens();
    const expired = await fake.fetch(url, { headers: { authorization: `Bearer ${token}` } });
    expect(expired.status).toBe(401);
    expect(((await expired.json()) as { error: { code: string } }).error.code).toBe('ExpiredAuthenticationToken');
    expect(fake.counters.get('GET /apis')).toBe(3);
  });

  it('lists the subscriptions the app can see, and hides a service whose role was revoked', async () => {
    const fake = createAzureFake({ fixture: twoSubscriptionFixture(), pageSize: 10 });
    const token = await tokenOf(fake);
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const subs = (await (await fake.fetch(`${ORIGIN}/subscriptions?api-version=2022-12-01`, auth)).json()) as { value: { subscriptionId: string; state: string }[] };
    expect(subs.value.map((v) => [v.subscriptionId, v.state])).toEqual([
      [AZURE_FAKE_IDS.subscriptionId, 'Enabled'],
      [AZURE_FAKE_IDS.otherSubscriptionId, 'Enabled'],
      ['66666666-6666-4666-8666-666666666666', 'Disabled'],
    ]);
    const list = `${ORIGIN}/subscriptions/${AZURE_FAKE_IDS.subscriptionId}/providers/Microsoft.ApiManagement/service?api-version=2024-05-01`;
    fake.revokeRole('fabrikam');
    const names = ((await (await fake.fetch(list, auth)).json()) as { value: { name: string }[] }).value.map((v) => v.name);
    expect(names).toEqual(['contoso']);
    const direct = await fake.fetch(`${ORIGIN}/subscriptions/${AZURE_FAKE_IDS.subscriptionId}/resourceGroups/rg-other/providers/Microsoft.ApiManagement/service/fabrikam/apis?api-version=2024-05-01`, auth);
    expect(direct.status).toBe(403);
    fake.revokeRole('fabrikam', false);
    expect(((await (await fake.fetch(list, auth)).json()) as { value: unknown[] }).value.length).toBe(2);
  });

  it('lists workspaces and their APIs, and exports a workspace API', async () => {
    const fake = createAzureFake({ fixture: workspaceFixture() });
    const token = await tokenOf(fake);
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const ws = (await (await fake.fetch(`${ORIGIN}${SERVICE}/workspaces?api-version=2024-05-01`, auth)).json()) as { value: { name: string }[] };
    expect(ws.value.map((w) => w.name)).toEqual(['team-a', 'empty']);
    const apis = (await (await fake.fetch(`${ORIGIN}${SERVICE}/workspaces/team-a/apis?api-version=2024-05-01`, auth)).json()) as { value: { id: string }[] };
    expect(apis.value.map((a) => a.id)).toEqual([`${SERVICE}/workspaces/team-a/apis/billing`]);
    const exp = (await (await fake.fetch(`${ORIGIN}${SERVICE}/workspaces/team-a/apis/billing?format=openapi%2Bjson-link&export=true&api-version=2024-05-01`, auth)).json()) as { value: { link: string } };
    expect(((await (await fake.fetch(exp.value.link)).json()) as { info: { title: string } }).info.title).toBe('Billing');
  });

  it('answers an unsupported api-version with 400, redirects on request, and can send nextLinks elsewhere', async () => {
    const fake = createAzureFake({ nextLinkOrigin: 'http://elsewhere.test:1' });
    const token = await tokenOf(fake);
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const bad = await fake.fetch(`${ORIGIN}${SERVICE}/apis?api-version=2099-01-01`, auth);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('NoRegisteredProviderFound');
    const page = (await (await fake.fetch(`${ORIGIN}${SERVICE}/apis?api-version=2024-05-01`, auth)).json()) as { nextLink: string };
    expect(page.nextLink.startsWith('http://elsewhere.test:1/')).toBe(true);
    fake.faults.add({ route: 'POST /token', status: 307, location: 'http://elsewhere.test:1/token' });
    const redirected = await fake.fetch(`${ORIGIN}/${AZURE_FAKE_IDS.tenantId}/oauth2/v2.0/token`, { method: 'POST', body: '', redirect: 'manual' });
    expect(redirected.status).toBe(307);
    expect(redirected.headers.get('location')).toBe('http://elsewhere.test:1/token');
  });
});
