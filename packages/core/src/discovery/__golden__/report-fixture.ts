import { emptySummary, type Inventory, type InventoryApi, type SourceSyncRecord } from '../inventory';

/** Text an API name could carry in APIM: markup and markdown. */
export const HOSTILE_NAME = '<img src=x onerror=alert(1)>**bold**|`x`';
const hostile = HOSTILE_NAME;

function api(extra: Partial<InventoryApi>): InventoryApi {
  return {
    key: 'contoso/echo-api',
    source: 'default',
    service: 'contoso',
    workspace: null,
    name: 'echo-api',
    armId: '/subscriptions/s/resourceGroups/r/providers/Microsoft.ApiManagement/service/contoso/apis/echo-api',
    displayName: 'Echo',
    type: 'http',
    path: 'echo',
    protocols: ['https'],
    apiRevision: '1',
    apiVersion: null,
    versionSet: null,
    subscriptionRequired: true,
    subscriptionKeyHeader: 'Ocp-Apim-Subscription-Key',
    spec: { format: 'openapi3', file: 'specs/contoso/echo-api.json', sha256: 'a', operations: ['GET /echo/resource', 'GET /echo/status'] },
    status: 'changed',
    previousSha256: 'b',
    diff: { added: ['GET /echo/status'], removed: [] },
    skipReason: null,
    error: null,
    link: { scanConfig: 'Full', scanConfigId: 'id', scanConfigName: 'Full', lastPushedSha256: 'a', lastPushedAt: '2026-01-05T06:00:00.000Z', approvedOperations: ['GET /echo/resource'], pendingReview: { added: ['GET /echo/status'], since: '2026-01-05T06:00:00.000Z' } },
    ...extra,
  };
}

/** An inventory with an API whose name and operations carry markup, and an unreachable service. */
export function reportFixture(): { inventory: Inventory; sources: SourceSyncRecord[] } {
  const summary = { ...emptySummary(), changed: 1, unreachable: 1 };
  return {
    inventory: {
      schemaVersion: 1,
      generatedAt: '2026-01-05T06:00:00.000Z',
      tool: 'ias/test',
      sources: [],
      summary,
      services: [
        { id: 'x', name: 'contoso', source: 'default', subscriptionId: 's', resourceGroup: 'r', location: null, sku: null, gatewayUrl: 'https://contoso.azure-api.net', status: 'ok', error: null },
        { id: 'y', name: 'fabrikam', source: 'default', subscriptionId: 's', resourceGroup: 'r2', location: null, sku: null, gatewayUrl: null, status: 'unreachable', error: 'no longer listed' },
      ],
      apis: [
        api({}),
        api({ key: `fabrikam/${hostile}`, service: 'fabrikam', name: hostile, displayName: hostile, status: 'unreachable', diff: null, link: null, spec: { format: 'openapi3', file: 'f', sha256: 'c', operations: [`GET /${hostile}`] } }),
      ],
    },
    sources: [{ name: 'default', at: '2026-01-05T06:00:00.000Z', result: 'partial', subscriptions: ['s'], services: 1, apis: 2, counts: summary, reason: 'fabrikam: no longer listed' }],
  };
}

