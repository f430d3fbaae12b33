import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors';
import { assertConfig, parseConfig } from './parse-config';

const base = { apiKey: 'secret-key-123', app: 'Demo Shop', scanConfig: 'Full' };

describe('parseConfig', () => {
  it('applies the documented defaults', () => {
    const result = parseConfig(base);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.job).toMatchObject({
      region: 'us',
      baseUrl: 'https://us.api.insight.rapid7.com/ias/v1',
      advanceOn: 'completed',
      pollIntervalMs: 30_000,
      maxPendingMs: undefined,
      maxExecutionMs: undefined,
      onTimeout: 'cancel',
      cancelOnInterrupt: true,
      findingsReport: true,
      ruleDocs: true,
      gateQuery: undefined,
      failOn: undefined,
    });
    expect(result.job.reports).toEqual(['metrics', 'findings', 'sarif', 'junit', 'markdown', 'html', 'gitlab', 'result']);
  });

  it('builds the base URL from the region, and lets a base URL override it', () => {
    const eu = assertConfig({ ...base, region: 'EU' });
    expect(eu.baseUrl).toBe('https://eu.api.insight.rapid7.com/ias/v1');
    const custom = assertConfig({ ...base, region: 'eu', baseUrl: 'http://127.0.0.1:4010/ias/v1/' });
    expect(custom.baseUrl).toBe('http://127.0.0.1:4010/ias/v1');
  });

  it.each([
    [{ pollInterval: '5' }, 'pollIntervalMs', 300_000],
    [{ pollInterval: '45s' }, 'pollIntervalMs', 45_000],
    [{ maxPending: 'none' }, 'maxPendingMs', undefined],
    [{ maxPending: '' }, 'maxPendingMs', undefined],
    [{ maxPending: '30m' }, 'maxPendingMs', 1_800_000],
    [{ maxExecution: '2h' }, 'maxExecutionMs', 7_200_000],
    [{ advanceOn: 'STARTED' }, 'advanceOn', 'started'],
    [{ onTimeout: 'Stop' }, 'onTimeout', 'stop'],
    [{ failOn: 'high' }, 'failOn', 'HIGH'],
    [{ cancelOnInterrupt: 'no' }, 'cancelOnInterrupt', false],
    [{ findingsReport: false }, 'findingsReport', false],
    [{ ruleDocs: 'false' }, 'ruleDocs', false],
    [{ reports: 'metrics, result' }, 'reports', ['metrics', 'result']],
    [{ reports: 'none' }, 'reports', ['result']],
  ])('coerces %j', (input, key, expected) => {
    const job = assertConfig({ ...base, ...input });
    expect(job[key as keyof typeof job]).toEqual(expected);
  });

  it('reads fail-on statuses as a comma list; a status written with a space (the UI label) is one status, never two', () => {
    expect(assertConfig({ ...base, failOnStatuses: 'FALSE POSITIVE' }).ignoredStatuses).toEqual(['FALSE_POSITIVE']);
    expect(assertConfig({ ...base, failOnStatuses: 'False Positive, ignored' }).ignoredStatuses).toEqual(['FALSE_POSITIVE', 'IGNORED']);
    expect(assertConfig({ ...base, failOnStatuses: 'FALSE_POSITIVE IGNORED' }).ignoredStatuses).toEqual(['FALSE_POSITIVE', 'IGNORED']);
    expect(assertConfig({ ...base, failOnStatuses: ' none ' }).ignoredStatuses).toEqual([]);
  });

  it('drops the findings report when it is turned off', () => {
    expect(assertConfig({ ...base, findingsReport: 'false' }).reports).not.toContain('findings');
  });

  it.each([
    [{ pollInterval: 'soon' }, "--poll-interval 'soon' is not a duration; use a value like 30s, 5m or 1h30m (a bare number means minutes)"],
    [{ pollInterval: '500ms' }, "--poll-interval '500ms' is too short; use at least 1s"],
    [{ advanceOn: 'later' }, '--advance-on must be one of submitted, started, completed'],
    [{ onTimeout: 'explode' }, '--on-timeout must be one of cancel, stop, fail'],
    [{ region: 'us east' }, '--region must be a region code such as us, eu or ap (letters and digits only)'],
    [{ baseUrl: 'ftp://x' }, '--base-url must be an http(s) URL such as https://us.api.insight.rapid7.com/ias/v1'],
    [{ failOn: 'SEVERE' }, '--fail-on must be a severity: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, SAFE'],
    [{ reports: 'pdf' }, "--reports 'pdf' is not a report format; use all, none or a list of metrics, findings, sarif, junit, markdown, html, gitlab, result"],
    [{ scanId: '42' }, '--scan-id must be a scan id (a UUID) to attach to an existing scan'],
    [{ reports: 'all,none' }, "--reports 'all,none' combines none with other formats; use none alone, all, or a list of metrics, findings, sarif, junit, markdown, html, gitlab, result"],
    [{ reports: 'none sarif' }, "--reports 'none,sarif' combines none with other formats; use none alone, all, or a list of metrics, findings, sarif, junit, markdown, html, gitlab, result"],
    [{ failOnStatuses: 'FALSE POSITIVES' }, "--fail-on-statuses 'FALSE POSITIVES' is not a finding status; separate statuses with commas, e.g. FALSE_POSITIVE,IGNORED,DUPLICATE"],
    [{ gateQuery: 'vulnerability.severity="HIGH"' }, "--gate-query is not a valid query: Double quotes are not accepted around values; write the value in single quotes, as in 'HIGH'"],
    [{ gateQuery: "vulnerability.severity='HIGH’" }, "--gate-query is not a valid query: The typographic quote ’ does not close a value; replace it with a straight single quote (')"],
    [{ gateQuery: "vulnerability.severty='HIGH'" }, '--gate-query is not a valid query: Unknown field vulnerability.severty; did you mean vulnerability.severity?'],
    [{ cancelOnInterrupt: 'maybe' }, "--cancel-on-interrupt 'maybe' is not a yes/no value; use true or false"],
  ])('rejects %j naming the input', (input, message) => {
    const names = {
      pollInterval: '--poll-interval',
      advanceOn: '--advance-on',
      onTimeout: '--on-timeout',
      region: '--region',
      baseUrl: '--base-url',
      failOn: '--fail-on',
      failOnStatuses: '--fail-on-statuses',
      reports: '--reports',
      scanId: '--scan-id',
      gateQuery: '--gate-query',
      cancelOnInterrupt: '--cancel-on-interrupt',
    } as const;
    const result = parseConfig({ ...base, ...input }, { names });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.message)).toEqual([message]);
  });

  it('refuses a gate query over the length limit before anything is launched', () => {
    const query = Array.from({ length: 400 }, () => "vulnerability.severity='HIGH'").join(' || ');
    const result = parseConfig({ ...base, gateQuery: query }, { names: { gateQuery: '--gate-query' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.message).toBe(`--gate-query is ${query.length} characters long, over the limit of 10000; use fewer, broader conditions or the severity threshold`);
  });

  it('carries the caret diagnostic of a bad gate query', () => {
    const result = parseConfig({ ...base, gateQuery: "vulnerability.severity='HIGH' AND vulnerability.status='VERIFIED'" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.detail).toBe("vulnerability.severity='HIGH' AND vulnerability.status='VERIFIED'\n                              ^^^");
  });

  it('reports every missing required input, and never echoes the key', () => {
    const result = parseConfig({ apiKey: '' }, { names: { apiKey: 'IAS_API_KEY', app: '--app', scanConfig: '--scan-config' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual(['IAS_API_KEY', '--scan-config']);
    expect(result.errors[0]?.message).toBe('IAS_API_KEY is required; set the InsightAppSec API key');
  });

  it('needs the app unless the scan configuration is given by its id', () => {
    const names = { app: '--app', scanConfig: '--scan-config' };
    const byName = parseConfig({ apiKey: 'k-123456', scanConfig: 'Full' }, { names });
    expect(byName.ok).toBe(false);
    if (!byName.ok) expect(byName.errors[0]?.message).toBe('--app is required unless --scan-config is a scan configuration id; give the application name or id');
    const byId = parseConfig({ apiKey: 'k-123456', scanConfig: 'c0000000-0000-4000-8000-000000000001' }, { names });
    expect(byId.ok).toBe(true);
    if (byId.ok) expect(byId.job.app).toBeUndefined();
  });

  it('assertConfig throws one ConfigError whose message counts the other problems', () => {
    expect(() => assertConfig({ apiKey: 'k', app: 'a', scanConfig: 'c', pollInterval: 'x', onTimeout: 'y' })).toThrowError(ConfigError);
    try {
      assertConfig({ apiKey: 'k', app: 'a', scanConfig: 'c', pollInterval: 'x', onTimeout: 'y' });
    } catch (error) {
      expect((error as ConfigError).message).toMatch(/^pollInterval 'x' is not a duration.*\(and 1 more problem\)\.$/);
      expect((error as ConfigError).issues).toHaveLength(2);
    }
  });

  it('refuses plain http to a non-loopback host as bad input (issue 17, item 1), and allows it on loopback', () => {
    const result = parseConfig({ ...base, baseUrl: 'http://ias.example.com/ias/v1' }, { names: { baseUrl: '--base-url' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.message).toBe('--base-url must use https for ias.example.com (plain http is only for loopback hosts such as 127.0.0.1); the API key would travel unencrypted');
    for (const url of ['http://127.0.0.1:8080/ias/v1', 'http://localhost:1/ias/v1', 'http://[::1]:9/ias/v1', 'http://ias.sim.test/ias/v1', 'https://ias.example.com/ias/v1']) {
      expect(parseConfig({ ...base, baseUrl: url }).ok, url).toBe(true);
    }
  });

  it('refuses a base URL with credentials, never repeating them (issue 17, items 1 and 15)', () => {
    const result = parseConfig({ ...base, baseUrl: 'https://admin:hunter2-pw@us.api.insight.rapid7.com/ias/v1' }, { names: { baseUrl: 'IAS_BASE_URL' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.message).toBe('IAS_BASE_URL must not carry credentials (user:pass@); remove them, the API key is the only credential the API takes');
    expect(JSON.stringify(result)).not.toContain('hunter2-pw');
    expect(parseConfig({ ...base, baseUrl: 'http://user@127.0.0.1:1/ias/v1' }).ok).toBe(false);
  });

  it.each([
    ['a CR/LF', 'key-123\r\nX-Injected: 1', 'contains a line break'],
    ['an inner newline', 'key\n123', 'contains a line break'],
    ['a NUL', 'key\u0000123', 'contains a control character'],
    ['non-Latin-1 text', 'kéy-✓-123', 'outside Latin-1'],
  ])('refuses an API key with %s before anything is sent, without printing it (issue 17, item 16)', (_label, apiKey, problem) => {
    const result = parseConfig({ ...base, apiKey }, { names: { apiKey: 'IAS_API_KEY' } });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]?.message).toMatch(/^IAS_API_KEY /);
    expect(result.errors[0]?.message).toContain(problem);
    expect(result.errors[0]?.message).not.toContain('key-123');
    expect(result.errors[0]?.message).not.toContain('123');
  });

  it.each([
    ['pollInterval', '600h'],
    ['requestTimeout', '600h'],
    ['maxPending', '25d'],
    ['maxExecution', '2147483648ms'],
  ] as const)('refuses %s %s, past the longest timer (issue 17, item 10)', (key, value) => {
    const result = parseConfig({ ...base, [key]: value });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors[0]?.message).toBe(`${key} '${value}' is too long; use at most 596h31m24s (about 24 days)`);
  });

  it('trims a trailing newline from an API key (a key read from a file), as before', () => {
    expect(assertConfig({ ...base, apiKey: 'key-123\n' }).apiKey).toBe('key-123');
  });

  it('accepts the longest timer exactly', () => {
    expect(assertConfig({ ...base, maxExecution: '2147483647ms' }).maxExecutionMs).toBe(2_147_483_647);
  });
});
