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
    expect(result.job.reports).toEqual(['metrics', 'findings', 'sarif', 'junit', 'markdown', 'html', 'result']);
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
    [{ reports: 'pdf' }, "--reports 'pdf' is not a report format; use all, none or a list of metrics, findings, sarif, junit, markdown, html, result"],
    [{ scanId: '42' }, '--scan-id must be a scan id (a UUID) to attach to an existing scan'],
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

  it('warns when the key would travel over plain http to a non-loopback host', () => {
    const result = parseConfig({ ...base, baseUrl: 'http://ias.example.test/ias/v1' });
    expect(result.warnings).toEqual(['baseUrl uses plain http; the API key travels unencrypted']);
    expect(parseConfig({ ...base, baseUrl: 'http://127.0.0.1:8080/ias/v1' }).warnings).toEqual([]);
  });
});
