import { describe, expect, it } from 'vitest';
import { applySpecToOptions, diffOptions, hostInScope, markedSpecText, markerKeyOf, removeSpecFromOptions, scopeHostPatterns } from './link-spec';
import { parseLinksFile } from './links-file';
import { canonicalJson, listOperations, parseSpecText, sha256Hex, specHosts } from './spec-document';

describe('definitions', () => {
  it('converts YAML to canonical JSON with sorted keys and hashes it', async () => {
    const parsed = parseSpecText('openapi: 3.0.1\ninfo: {version: "1", title: T}\npaths:\n  /a: {post: {}, get: {}}\n');
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const text = canonicalJson(parsed.document);
    expect(text).toBe(canonicalJson(JSON.parse(text)));
    expect(Object.keys(JSON.parse(text) as object)).toEqual(['info', 'openapi', 'paths']);
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it.each([
    ['{"swagger":"2.0","basePath":"/pets/","host":"x.azure-api.net:443","paths":{"/{id}":{"delete":{},"get":{}},"/":{"post":{}}}}', 'swagger2', ['POST /pets/', 'GET /pets/{id}', 'DELETE /pets/{id}'], ['x.azure-api.net']],
    ['{"openapi":"3.0.1","servers":[{"url":"https://c.azure-api.net/echo"}],"paths":{"/r":{"parameters":[],"get":{}}}}', 'openapi3', ['GET /echo/r'], ['c.azure-api.net']],
  ])('lists operations of %s', (text, format, operations, hosts) => {
    const parsed = parseSpecText(text);
    expect(parsed).toMatchObject({ ok: true, format });
    if (!parsed.ok) return;
    expect(listOperations(parsed.format, parsed.document)).toEqual(operations);
    expect(specHosts(parsed.format, parsed.document)).toEqual(hosts);
  });

  it.each([
    ['<definitions/>', /neither JSON nor YAML|not an object/],
    ['{"openapi":"2.5"}', /not supported/],
    ['{"wsdl":true}', /not a Swagger 2 or OpenAPI 3/],
  ])('refuses %s with a reason', (text, reason) => {
    const parsed = parseSpecText(text);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).toMatch(reason);
  });
});

describe('links file', () => {
  it('reads the long and the short form, sorted by key', () => {
    const result = parseLinksFile('links:\n  svc/b: Scan B\n  svc/a:\n    scanConfig: Scan A\n    restrictToSpec: true\n    subscriptionKeyEnv: KEY\n');
    expect(result).toEqual({ ok: true, links: [{ key: 'svc/a', scanConfig: 'Scan A', restrictToSpec: true, subscriptionKeyEnv: 'KEY' }, { key: 'svc/b', scanConfig: 'Scan B' }] });
  });

  it('names the bad entry', () => {
    const result = parseLinksFile('links:\n  svc/a:\n    scanConfig: A\n    hostName: https://x/y\n    colour: red\n', 'links.yaml');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map((e) => e.message).join('\n')).toMatch(/links\.yaml: links\.svc\/a\.hostName must be a host name[\s\S]*colour/);
  });
});

describe('options', () => {
  const options = {
    crawl_config: { seed_url_list: [{ value: 'https://shop.example.com/' }], scope_constraint_list: [{ url: 'https://*.azure-api.net/*', exclusion: 'INCLUDE' }], max_crawl_results: 10 },
    http_headers_config: { custom_headers_list: [{ value: 'X-Other: 1' }, { value: 'ocp-apim-subscription-key: old' }] },
    web_service_config: { wsdl_list: [], swagger_file_list: [{ value: 'old' }] },
    java_script_engine: 'CHROME',
  };

  it('adds the definition and the header, keeping everything else (and definitions added by hand) in place', () => {
    const out = applySpecToOptions(options, { key: 'svc/api', specText: '{}', hostName: 'gw.example.com', hostOverride: true, restrictToSpec: true, subscriptionKeyHeader: { name: 'Ocp-Apim-Subscription-Key', value: 'k3y-value' } });
    expect(Object.keys(out)).toEqual(Object.keys(options));
    expect(out.web_service_config).toEqual({ wsdl_list: [], swagger_file_list: [{ value: 'old' }, { value: markedSpecText('{}', 'svc/api'), preferred_content_type: 'application/json', host_name: 'gw.example.com' }], swagger_host_name: 'gw.example.com' });
    expect(out.http_headers_config).toEqual({ custom_headers_list: [{ value: 'X-Other: 1' }, { value: 'Ocp-Apim-Subscription-Key: k3y-value' }] });
    expect(options.web_service_config.swagger_file_list).toEqual([{ value: 'old' }]);
    const diff = diffOptions(options, out, ['k3y-value']);
    expect(diff.join('\n')).not.toContain('k3y-value');
    expect(diff).toContain('+ crawl_config.restrict_to_swagger: true');
  });

  it('merges the definitions of two APIs into one scan configuration, and removes exactly one again', () => {
    const a = applySpecToOptions(options, { key: 'svc/a', specText: '{"paths":{"/a":{}}}', hostName: 'gw.example.com', hostOverride: false, subscriptionKeyHeader: { name: 'Ocp-Apim-Subscription-Key', value: 'k' } });
    const ab = applySpecToOptions(a, { key: 'svc/b', specText: '{"paths":{"/b":{}}}', hostName: 'gw.example.com', hostOverride: false });
    const again = applySpecToOptions(ab, { key: 'svc/a', specText: '{"paths":{"/a2":{}}}', hostName: 'gw.example.com', hostOverride: false });
    const list = (o: Record<string, unknown>): unknown[] => (o.web_service_config as { swagger_file_list: unknown[] }).swagger_file_list;
    expect(list(again).map(markerKeyOf)).toEqual([undefined, 'svc/a', 'svc/b']);
    expect(String((list(again)[1] as { value: string }).value)).toContain('/a2');
    const withoutA = removeSpecFromOptions(again, 'svc/a', { subscriptionKeyHeader: 'Ocp-Apim-Subscription-Key' });
    expect(list(withoutA).map(markerKeyOf)).toEqual([undefined, 'svc/b']);
    // svc/b is still ours: the header stays until the last of this tool's definitions goes.
    expect(withoutA.http_headers_config).toEqual(again.http_headers_config);
    const none = removeSpecFromOptions(withoutA, 'svc/b', { subscriptionKeyHeader: 'Ocp-Apim-Subscription-Key', restrictToSpec: true });
    expect(list(none)).toEqual([{ value: 'old' }]);
    expect(none.http_headers_config).toEqual({ custom_headers_list: [{ value: 'X-Other: 1' }] });
    expect(none.crawl_config).toEqual(options.crawl_config);
  });

  it('checks hosts against the scope', () => {
    const scope = scopeHostPatterns(options);
    expect(scope).toEqual(['shop.example.com', '*.azure-api.net']);
    expect(hostInScope('contoso.azure-api.net', scope)).toBe(true);
    expect(hostInScope('contoso.example.org', scope)).toBe(false);
  });
});
