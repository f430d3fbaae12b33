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
  initialContextTemplate?: string;
  callbackContextTemplate?: string;
  callbackRequiredTemplate?: string;
}
const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'vss-extension.json'), 'utf8')) as { contributions: { type: string; properties: { dataSources?: DataSource[]; authenticationSchemes?: { headers: { name: string; value: string }[] }[] } }[] };
const endpointType = manifest.contributions.find((c) => c.type === 'ms.vss-endpoint.service-endpoint-type')!.properties;
const source = (name: string): DataSource => endpointType.dataSources!.find((d) => d.name === name)!;
const task = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'task', 'task.json'), 'utf8')) as { dataSourceBindings: { target: string; dataSourceName: string; resultTemplate: string }[] };

/** Azure DevOps makes at most this many calls for one data source request (the first and its callbacks). */
const SERVICE_CALL_LIMIT = 5;

/**
 * Runs a data source the way the service does: the initial context, the URL (and body) rendered with the endpoint,
 * the parameters and the context; results selected; then the callback templates rendered with the context and the
 * `response` (body fields, and `response.headers`), as in Microsoft's documented examples; at most
 * {@link SERVICE_CALL_LIMIT} calls.
 */
async function runDataSource(ds: DataSource, endpointUrl: string, parameters: Record<string, string>, target: string | undefined, apiKey = API_KEY): Promise<{ items: { Value: string; DisplayValue: string }[]; calls: string[]; statuses: number[] }> {
  const endpoint = { url: endpointUrl, apitoken: apiKey };
  const [header] = endpointType.authenticationSchemes![0]!.headers;
  let context = JSON.parse(render(ds.initialContextTemplate ?? '{}', [{ endpoint }])) as Record<string, string>;
  const items: { Value: string; DisplayValue: string }[] = [];
  const calls: string[] = [];
  const statuses: number[] = [];
  const binding = task.dataSourceBindings.find((b) => b.target === target);
  for (let call = 0; call < SERVICE_CALL_LIMIT; call += 1) {
    const scope = [{ endpoint, ...parameters, ...context }];
    const url = render(ds.endpointUrl, scope);
    calls.push(url);
    const response = await fetch(url, {
      method: (ds.requestVerb ?? 'GET').toUpperCase(),
      headers: { [header!.name]: render(header!.value, scope), 'content-type': 'application/json' },
      ...(ds.requestContent === undefined ? {} : { body: render(ds.requestContent, scope) }),
    });
    statuses.push(response.status);
    if (response.status !== 200) break;
    const page = (await response.json()) as { data: unknown[] } & Record<string, unknown>;
    expect(ds.resultSelector).toBe('jsonpath:$.data[*]');
    if (binding !== undefined) for (const item of page.data) items.push(JSON.parse(render(binding.resultTemplate, [item])) as { Value: string; DisplayValue: string });
    if (ds.callbackRequiredTemplate === undefined || ds.callbackContextTemplate === undefined) break;
    const callbackScope = [{ endpoint, ...parameters, ...context, response: { ...page, headers: Object.fromEntries(response.headers) } }];
    if (render(ds.callbackRequiredTemplate, callbackScope).trim() !== 'true') break;
    context = JSON.parse(render(ds.callbackContextTemplate, callbackScope)) as Record<string, string>;
  }
  return { items, calls, statuses };
}

describe('the template stand-in', () => {
  it("evaluates Microsoft's documented paging forms", () => {
    expect(render('{"skip": "{{add skip 50}}"}', [{ skip: '100' }])).toBe('{"skip": "150"}');
    expect(render('{{isTokenPresent response.headers.x-ms-continuationtoken}}', [{ response: { headers: { 'x-ms-continuationtoken': 'abc' } } }])).toBe('true');
    expect(render('{{isTokenPresent response.headers.x-ms-continuationtoken}}', [{ response: { headers: {} } }])).toBe('false');
  });
});

describe('pick-list data sources', () => {
  let server: Awaited<ReturnType<typeof startSimulator>>;
  beforeAll(async () => {
    server = await startSimulator({ scenario: generateScenario({ findings: 1, modules: 1, apps: 1200 }) });
  });
  afterAll(async () => server.close());

  it('lists all 1,200 applications, paging by index past the first 1,000', async () => {
    const { items, calls } = await runDataSource(source('InsightAppSecApps'), server.baseUrl, {}, 'application');
    expect(items).toHaveLength(1200);
    expect(new Set(items.map((i) => i.Value)).size).toBe(1200);
    expect(items.map((i) => i.DisplayValue)).toContain('Generated App 1200');
    expect(calls.map((u) => new URL(u).search)).toEqual(['?index=0&size=1000', '?index=1&size=1000']);
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

  it("lists 5,000 of 6,500 applications: the service's cap of 5 calls", async () => {
    const big = await startSimulator({ scenario: generateScenario({ findings: 1, modules: 1, apps: 6500 }) });
    try {
      const { items, calls } = await runDataSource(source('InsightAppSecApps'), big.baseUrl, {}, 'application');
      expect(calls.map((u) => new URL(u).searchParams.get('index'))).toEqual(['0', '1', '2', '3', '4']);
      expect(items).toHaveLength(5000);
    } finally {
      await big.close();
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

describe('the TestConnection data source (the Verify button)', () => {
  it('succeeds with a good key and fails with a bad one, in one small call', async () => {
    const server = await startSimulator();
    try {
      const good = await runDataSource(source('TestConnection'), server.baseUrl, {}, undefined);
      expect(good.statuses).toEqual([200]);
      expect(new URL(good.calls[0]!).search).toBe('?index=0&size=1');
      const bad = await runDataSource(source('TestConnection'), server.baseUrl, {}, undefined, 'not-the-key');
      expect(bad.statuses).toEqual([401]);
    } finally {
      await server.close();
    }
  });
});
