/**
 * The default world of the Azure API Management fake: one tenant, one app registration, one subscription,
 * two APIM services and a handful of APIs that cover what discovery must handle (OpenAPI 3 as JSON and as
 * YAML, Swagger 2 only, a non-current revision, websocket and SOAP APIs, enough items to need paging).
 */

/** A definition the blob host serves: a JSON document or YAML text. */
export type FakeSpec = Record<string, unknown> | string;

/** One API of a fake APIM service. */
export interface FakeApi {
  /** The API id (`name`); a non-current revision is `name;rev=N`. */
  name: string;
  displayName: string;
  path: string;
  /** `http`, `soap`, `websocket`, `graphql`, … @default 'http' */
  type?: string;
  protocols?: string[];
  serviceUrl?: string;
  apiRevision?: string;
  isCurrent?: boolean;
  apiVersion?: string;
  apiVersionSetId?: string;
  subscriptionRequired?: boolean;
  /** Served for `format=openapi+json-link` (and `openapi-link`); omitted = that export fails with 400. */
  openapi3?: FakeSpec;
  /** Served for `format=swagger-link`; omitted = that export fails with 400. */
  swagger2?: FakeSpec;
}

/** One fake APIM service. */
export interface FakeService {
  name: string;
  /** @default the fixture's subscriptionId */
  subscriptionId?: string;
  resourceGroup: string;
  location?: string;
  sku?: string;
  gatewayUrl: string;
  apis: FakeApi[];
  /** APIM workspaces of the service, each with its own APIs (listed apart from the service's). */
  workspaces?: { name: string; displayName?: string; apis: FakeApi[] }[];
}

/** Everything the fake knows. */
export interface AzureFixture {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
  /** Further subscriptions the app can see (`GET /subscriptions` lists them after `subscriptionId`). */
  otherSubscriptions?: { subscriptionId: string; displayName?: string; state?: string }[];
  services: FakeService[];
}

/** Well-known values of the default fixture. */
export const AZURE_FAKE_IDS = {
  tenantId: '11111111-1111-4111-8111-111111111111',
  clientId: '22222222-2222-4222-8222-222222222222',
  clientSecret: 'fake~AzureClientSecret.Value-0123456789',
  subscriptionId: '33333333-3333-4333-8333-333333333333',
  /** A second subscription, used by {@link twoSubscriptionFixture}. */
  otherSubscriptionId: '55555555-5555-4555-8555-555555555555',
} as const;

const securitySchemes = {
  apiKeyHeader: { type: 'apiKey', name: 'Ocp-Apim-Subscription-Key', in: 'header' },
  apiKeyQuery: { type: 'apiKey', name: 'subscription-key', in: 'query' },
};

/** The echo API as APIM exports it in OpenAPI 3 (keys deliberately not sorted). */
export function echoApiOpenApi3(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    openapi: '3.0.1',
    info: { title: 'Echo API', version: '1.0', description: 'Echoes what it is sent.' },
    servers: [{ url: 'https://contoso.azure-api.net/echo' }],
    paths: {
      '/resource': {
        get: { summary: 'Retrieve resource', operationId: 'retrieve-resource', responses: { '200': { description: 'OK' } } },
        put: { summary: 'Modify resource', operationId: 'modify-resource', responses: { '200': { description: 'OK' } } },
      },
      '/resource/{id}': {
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
        delete: { summary: 'Remove resource', operationId: 'remove-resource', responses: { '204': { description: 'Gone' } } },
      },
      ...extra,
    },
    components: { securitySchemes },
    security: [{ apiKeyHeader: [] }, { apiKeyQuery: [] }],
  };
}

const petstoreSwagger2 = {
  swagger: '2.0',
  info: { title: 'Swagger Petstore', version: '1.0.0' },
  host: 'contoso.azure-api.net',
  basePath: '/petstore',
  schemes: ['https'],
  securityDefinitions: securitySchemes,
  security: [{ apiKeyHeader: [] }, { apiKeyQuery: [] }],
  paths: {
    '/pets': {
      post: { operationId: 'addPet', responses: { '201': { description: 'Created' } } },
      get: { operationId: 'listPets', responses: { '200': { description: 'OK' } } },
    },
    '/pets/{petId}': { get: { operationId: 'showPetById', parameters: [{ name: 'petId', in: 'path', required: true, type: 'string' }], responses: { '200': { description: 'OK' } } } },
  },
};

const ordersYaml = `openapi: 3.0.1
info:
  title: Orders
  version: "2"
servers:
  - url: https://contoso.azure-api.net/orders/v2
paths:
  /orders:
    get:
      operationId: list-orders
      responses:
        "200":
          description: OK
    post:
      operationId: create-order
      responses:
        "201":
          description: Created
  /orders/{orderId}:
    get:
      operationId: get-order
      parameters:
        - name: orderId
          in: path
          required: true
          schema:
            type: string
      responses:
        "200":
          description: OK
components:
  securitySchemes:
    apiKeyHeader:
      type: apiKey
      name: Ocp-Apim-Subscription-Key
      in: header
`;

const inventoryOpenApi3 = {
  openapi: '3.0.1',
  info: { title: 'Inventory', version: '1.0' },
  servers: [{ url: 'https://fabrikam.azure-api.net/inventory' }],
  paths: { '/items': { get: { operationId: 'list-items', responses: { '200': { description: 'OK' } } } } },
};

/** A fresh copy of the default fixture (tests may change it freely). */
export function defaultAzureFixture(): AzureFixture {
  return {
    tenantId: AZURE_FAKE_IDS.tenantId,
    clientId: AZURE_FAKE_IDS.clientId,
    clientSecret: AZURE_FAKE_IDS.clientSecret,
    subscriptionId: AZURE_FAKE_IDS.subscriptionId,
    services: [
      {
        name: 'contoso',
        resourceGroup: 'rg-apis',
        location: 'West Europe',
        sku: 'Developer',
        gatewayUrl: 'https://contoso.azure-api.net',
        apis: [
          { name: 'echo-api', displayName: 'Echo API', path: 'echo', serviceUrl: 'http://echoapi.cloudapp.net/api', subscriptionRequired: true, openapi3: echoApiOpenApi3(), swagger2: { swagger: '2.0', info: { title: 'Echo API', version: '1.0' }, paths: {} } },
          { name: 'echo-api;rev=2', displayName: 'Echo API', path: 'echo', apiRevision: '2', isCurrent: false, openapi3: echoApiOpenApi3() },
          { name: 'petstore', displayName: 'Swagger Petstore', path: 'petstore', subscriptionRequired: true, swagger2: petstoreSwagger2 },
          { name: 'orders-v2', displayName: 'Orders', path: 'orders/v2', apiVersion: 'v2', apiVersionSetId: '/apiVersionSets/orders', subscriptionRequired: false, openapi3: ordersYaml },
          { name: 'chat', displayName: 'Chat', path: 'chat', type: 'websocket', protocols: ['wss'] },
          { name: 'legacy-soap', displayName: 'Legacy SOAP', path: 'legacy', type: 'soap' },
        ],
      },
      {
        name: 'fabrikam',
        resourceGroup: 'rg-other',
        location: 'North Europe',
        sku: 'Premium',
        gatewayUrl: 'https://fabrikam.azure-api.net',
        apis: [{ name: 'inventory-api', displayName: 'Inventory', path: 'inventory', subscriptionRequired: true, openapi3: inventoryOpenApi3 }],
      },
    ],
  };
}

/**
 * The default fixture plus a second subscription holding a third service (`northwind`), and a disabled
 * subscription: what a sync that names no subscription must find through `GET /subscriptions`.
 */
export function twoSubscriptionFixture(): AzureFixture {
  const fixture = defaultAzureFixture();
  fixture.otherSubscriptions = [
    { subscriptionId: AZURE_FAKE_IDS.otherSubscriptionId, displayName: 'Second' },
    { subscriptionId: '66666666-6666-4666-8666-666666666666', displayName: 'Old', state: 'Disabled' },
  ];
  fixture.services.push({
    name: 'northwind',
    subscriptionId: AZURE_FAKE_IDS.otherSubscriptionId,
    resourceGroup: 'rg-nw',
    gatewayUrl: 'https://northwind.azure-api.net',
    apis: [{ name: 'customers', displayName: 'Customers', path: 'customers', subscriptionRequired: false, openapi3: { openapi: '3.0.1', info: { title: 'Customers', version: '1' }, servers: [{ url: 'https://northwind.azure-api.net/customers' }], paths: { '/customers': { get: { responses: { '200': { description: 'OK' } } } } } } }],
  });
  return fixture;
}

/** The default fixture with a workspace `team-a` on `contoso` holding one API (`billing`). */
export function workspaceFixture(): AzureFixture {
  const fixture = defaultAzureFixture();
  const contoso = fixture.services[0];
  if (contoso !== undefined) {
    contoso.workspaces = [
      {
        name: 'team-a',
        displayName: 'Team A',
        apis: [{ name: 'billing', displayName: 'Billing', path: 'team-a/billing', subscriptionRequired: true, openapi3: { openapi: '3.0.1', info: { title: 'Billing', version: '1' }, servers: [{ url: 'https://contoso.azure-api.net/team-a/billing' }], paths: { '/invoices': { get: { responses: { '200': { description: 'OK' } } } } } } }],
      },
      { name: 'empty', apis: [] },
    ];
  }
  return fixture;
}
