import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_IDS, generateScenario } from '@ias/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, PACKAGE_ROOT, startSimulator } from './harness';
import { render } from './mustache';

interface DataSource {
  name: string;
  endpointUrl: string;
  requestVerb?: string;
  requestContent?: string;
  resultSelector: string;
  initialContextTemplate: string;
  callbackContextTemplate: string;
  callbackRequiredTemplate: string;
}
const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'vss-extension.json'), 'utf8')) as { contributions: { type: string; properties: { dataSources?: DataSource[]; authenticationSchemes?: { headers: { name: string; value: string }[] }[] } }[] };
const endpointType = manifest.contributions.find((c) => c.type === 'ms.vss-endpoint.service-endpoint-type')!.properties;
const source = (name: string): DataSource => endpointType.dataSources!.find((d) => d.name === name)!;
const task = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'task', 'task.json'), 'utf8')) as { dataSourceBindings: { target: string; dataSourceName: string; resultTemplate: string }[] };

/** Azure DevOps stops after this many calls per data source. */
const SERVICE_CALL_LIMIT = 5;

/**
 * Runs a data source the way the service does: initial context, render the URL (and body), select results,
 * decide from the response whether to call back and with what context. Returns the pick-list entries.
 */
async function runDataSource(ds: DataSource, endpointUrl: string, parameters: Record<string, string>, target: string): Promise<{ items: { Value: string; DisplayValue: string }[]; calls: string[] }> {
  const endpoint = { url: endpointUrl, apitoken: API_KEY };
  const [header] = endpointType.authenticationSchemes![0]!.headers;
  let context = JSON.parse(render(ds.initialContextTemplate, [{ endpoint }])) as Record<string, string>;
  const items: { Value: string; DisplayValue: string }[] = [];
  const calls: string[] = [];
  const binding = task.dataSourceBindings.find((b) => b.target === target)!;
  for (let call = 0; call < SERVICE_CALL_LIMIT; call += 1) {
    const scope = [{ endpoint, ...parameters, ...context }];
    const url = render(ds.endpointUrl, scope);
    calls.push(url);
    const response = await fetch(url, {
      method: (ds.requestVerb ?? 'GET').toUpperCase(),
      headers: { [header!.name]: render(header!.value, scope), 'content-type': 'application/json' },
      ...(ds.requestContent === undefined ? {} : { body: render(ds.requestContent, scope) }),
    });
    expect(response.status, url).toBe(200);
    const page = (await response.json()) as { data: unknown[] };
    expect(ds.resultSelector).toBe('jsonpath:$.data[*]');
    for (const item of page.data) items.push(JSON.parse(render(binding.resultTemplate, [item])) as { Value: string; DisplayValue: string });
    if (render(ds.callbackRequiredTemplate, [page]).trim() !== 'true') break;
    context = JSON.parse(render(ds.callbackContextTemplate, [page])) as Record<string, string>;
  }
  return { items, calls };
}

describe('pick-list data sources', () => {
  let server: Awaited<ReturnType<typeof startSimulator>>;
  beforeAll(async () => {
    server = await startSimulator({ scenario: generateScenario({ findings: 1, modules: 1, apps: 1200 }) });
  });
  afterAll(async () => server.close());

  it('lists all 1,200 applications, paging by index and size past the first 500', async () => {
    const { items, calls } = await runDataSource(source('InsightAppSecApps'), server.baseUrl, {}, 'application');
    expect(items).toHaveLength(1200);
    expect(new Set(items.map((i) => i.Value)).size).toBe(1200);
    expect(items.map((i) => i.DisplayValue)).toContain('Generated App 1200');
    expect(calls.map((u) => new URL(u).search)).toEqual(['?index=0&size=1000', '?index=1&size=1000']);
    expect(server.sim.counters.get('GET /apps')).toBe(2);
  });

  it('stops when there is no next page', async () => {
    const small = await startSimulator();
    try {
      const { items, calls } = await runDataSource(source('InsightAppSecApps'), small.baseUrl, {}, 'application');
      expect(items.map((i) => i.DisplayValue).sort()).toEqual(['Demo Shop', 'Payments API']);
      expect(calls).toHaveLength(1);
    } finally {
      await small.close();
    }
  });
});

describe('the scan configuration pick list', () => {
  it("lists only the chosen application's configurations", async () => {
    const server = await startSimulator();
    try {
      const { items } = await runDataSource(source('InsightAppSecScanConfigs'), server.baseUrl, { appId: DEMO_IDS.payments }, 'scanConfiguration');
      expect(items.map((i) => i.DisplayValue).sort()).toEqual(['Payments API Full', 'Payments smoke', 'Payments staging']);
      expect(items.map((i) => i.Value)).toContain(DEMO_IDS.paymentsSmoke);
    } finally {
      await server.close();
    }
  });
});
