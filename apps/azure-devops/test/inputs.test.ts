import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultReportDirectory, isPlaceholderUrl, readTaskInputs, suppliedPath } from '../src/inputs';
import { logReasonAndMatches, oneLine, taskResultFor } from '../src/outputs';
import { formatProxyUrl } from '../src/task-lib-host';
import type { TaskHost } from '../src/task-host';

/** A recording fake of the agent: inputs, variables and one connection; every call is logged. */
function fakeHost(inputs: Record<string, string>, options: { variables?: Record<string, string>; token?: string; region?: string; url?: string } = {}): TaskHost & { calls: string[] } {
  const calls: string[] = [];
  const record = (name: string) => (...args: unknown[]) => {
    calls.push(`${name} ${args.join(' | ')}`);
  };
  return {
    calls,
    getInput: (name) => inputs[name],
    getVariable: (name) => options.variables?.[name],
    getEndpointUrl: () => options.url,
    getEndpointData: (_id, key) => (key === 'region' ? options.region : undefined),
    getEndpointToken: () => options.token,
    getProxy: () => undefined,
    getTls: () => ({ caFile: undefined, skipCertValidation: false }),
    setSecret: record('setSecret'),
    setOutput: record('setOutput'),
    info: record('info'),
    errorLine: record('errorLine'),
    debug: record('debug'),
    warning: record('warning'),
    logIssue: record('logIssue'),
    issueCount: (type) => calls.filter((c) => c.startsWith(`logIssue ${type}`) || (type === 'warning' && c.startsWith('warning '))).length,
    uploadSummary: record('uploadSummary'),
    uploadArtifact: record('uploadArtifact'),
    uploadFile: record('uploadFile'),
    complete: record('complete'),
  };
}
const connection = { token: 'k3y-value', region: 'eu' };
const base = { iasConnection: 'conn', application: 'Demo Shop', scanConfiguration: 'Full' };

describe('readTaskInputs', () => {
  it('registers the token as a secret first and maps the guide fields to core keys', () => {
    const host = fakeHost({ ...base, waitForCompletion: 'true', scanStatusInterval: '5', failOnTimeout: 'true', timeout: '90', scanGating: 'true', vulnerabilityQuery: "vulnerability.severity='LOW'", generateFindingsReport: 'false' }, connection);
    const result = readTaskInputs(host, 'linux');
    expect(host.calls[0]).toBe('setSecret k3y-value');
    expect(result.ok && result.raw).toMatchObject({ apiKey: 'k3y-value', region: 'eu', app: 'Demo Shop', scanConfig: 'Full', pollInterval: '5', maxExecution: 'none', maxPending: undefined, gateQuery: "vulnerability.severity='LOW'", findingsReport: 'false', redactHttpSecrets: true });
    // The Rapid7 task's Timeout: one budget of 90 minutes from the launch.
    expect(result.ok && result.options.timeoutMs).toBe(90 * 60_000);
  });

  it('advances on submission when not waiting, and ignores the query while Scan Gating is off', () => {
    const result = readTaskInputs(fakeHost({ ...base, waitForCompletion: 'false', scanGating: 'false', vulnerabilityQuery: "vulnerability.severity='LOW'", failOnTimeout: 'true' }, connection), 'linux');
    expect(result.ok && result.raw).toMatchObject({ advanceOn: 'submitted', gateQuery: undefined, maxExecution: 'none' });
    expect(result.ok && result.options.timeoutMs).toBeUndefined();
  });

  it('uses the connection URL for a custom region', () => {
    const result = readTaskInputs(fakeHost(base, { token: 't', region: 'custom', url: 'https://ias.proxy.example/ias/v1' }), 'linux');
    expect(result.ok && result.raw).toMatchObject({ region: undefined, baseUrl: 'https://ias.proxy.example/ias/v1' });
  });

  it('makes a relative Output directory absolute, and treats deployment jobs like releases', () => {
    const custom = readTaskInputs(fakeHost({ ...base, outputDirectory: 'out/ias' }, connection), 'linux');
    expect(custom.ok && custom.options.outputDir).toBe(join(process.cwd(), 'out', 'ias'));
    const deployment = readTaskInputs(fakeHost(base, { ...connection, variables: { 'System.HostType': 'deployment', 'System.ArtifactsDirectory': '/agent/r/a' } }), 'linux');
    expect(deployment.ok && deployment.options).toMatchObject({ hostType: 'release', outputDir: '/agent/r/a/insightappsec' });
  });

  it('stops with one sentence per problem before anything is sent', () => {
    const result = readTaskInputs(fakeHost({ ...base, scanGating: 'true' }, { region: 'us' }), 'linux');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([
      'IAS Connection has no API Token; edit the service connection and paste the InsightAppSec API key',
      "Vulnerability Query is required when Scan Gating is on, e.g. vulnerability.severity='HIGH'",
    ]);
  });
});

describe('the connection URL', () => {
  it("treats Rapid7's stored https://rapid7.com as 'use the region'", () => {
    for (const url of ['https://rapid7.com', 'https://rapid7.com/', 'http://www.rapid7.com']) expect(isPlaceholderUrl(url), url).toBe(true);
    for (const url of ['https://eu.api.insight.rapid7.com/ias/v1', 'https://gateway.example/ias/v1', 'not a url']) expect(isPlaceholderUrl(url), url).toBe(false);
    const result = readTaskInputs(fakeHost(base, { token: 't', region: 'eu', url: 'https://rapid7.com' }), 'linux');
    expect(result.ok && result.raw).toMatchObject({ region: 'eu', baseUrl: undefined });
  });
});

describe('filePath inputs', () => {
  const vars = { 'Build.SourcesDirectory': '/w/1/s', 'System.DefaultWorkingDirectory': '/w/1/s', 'System.ArtifactsDirectory': '/w/r1/a' };
  const host = (value: string) => ({ getInput: () => value, getVariable: (n: string) => (vars as Record<string, string>)[n] });
  it('count as given only when they differ from the folder the agent roots an empty one to', () => {
    expect(suppliedPath(host('/w/1/s'), 'baseline', 'build')).toBeUndefined();
    expect(suppliedPath(host('/w/1/s/'), 'baseline', 'build')).toBeUndefined();
    expect(suppliedPath(host(''), 'baseline', 'build')).toBeUndefined();
    expect(suppliedPath(host('/w/1/s/baseline.json'), 'baseline', 'build')).toBe('/w/1/s/baseline.json');
    expect(suppliedPath(host('/w/r1/a'), 'baseline', 'release')).toBeUndefined();
  });
});

describe('the run summary under the agent cap of 10 issues', () => {
  it.each([
    [0, 3, ['R', 'm1', 'm2', 'm3']],
    [0, 9, ['R', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', 'm9']],
    [0, 16, ['R', 'm1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7', 'm8', '… and 8 more findings match the gate; see the reports.']],
    [7, 16, ['R', 'm1', '… and 15 more findings match the gate; see the reports.']],
    [9, 16, ['R']],
  ] as const)('with %i warnings already, %i matches', (already, matched, expected) => {
    const host = fakeHost({}, {});
    for (let i = 0; i < already; i += 1) host.warning(`w${i}`);
    logReasonAndMatches(host, 'warning', 'R', Array.from({ length: Math.min(matched, 10) }, (_, i) => `m${i + 1}`), matched);
    expect(host.calls.filter((c) => c.startsWith('logIssue')).map((c) => c.replace('logIssue warning | ', ''))).toEqual(expected);
  });

  it('never lets scan data start a logging command', () => {
    const line = oneLine("App '##vso[task.setvariable variable=x]y'\n##[error]z\r\n::set-output name=a::b");
    expect(line).not.toMatch(/##vso\[|##\[|[\r\n]/);
    expect(line).toContain('task.setvariable variable=x');
  });
});

describe('formatProxyUrl', () => {
  it('percent-encodes the credentials that task-lib pastes in raw', () => {
    const url = formatProxyUrl('http://proxy.corp:8080', 'build@corp', 'p#ss/w?rd%');
    expect(url).toBe('http://build%40corp:p%23ss%2Fw%3Frd%25@proxy.corp:8080');
    expect(decodeURIComponent(new URL(url).password)).toBe('p#ss/w?rd%');
    expect(formatProxyUrl('http://proxy.corp:8080/', undefined, undefined)).toBe('http://proxy.corp:8080');
  });
});

describe('defaultReportDirectory', () => {
  it.each([
    ['build', 'linux', { 'Build.ArtifactStagingDirectory': '/home/vsts/work/1/a' }, '/home/vsts/work/1/a/insightappsec'],
    ['build', 'win32', { 'Build.ArtifactStagingDirectory': 'D:\\a\\1\\a' }, 'D:\\a\\1\\a\\insightappsec'],
    ['release', 'linux', { 'System.ArtifactsDirectory': '/agent/_work/r1/a/', 'Build.ArtifactStagingDirectory': '/x' }, '/agent/_work/r1/a/insightappsec'],
    ['release', 'win32', { 'System.ArtifactsDirectory': 'C:\\agent\\_work\\r1\\a' }, 'C:\\agent\\_work\\r1\\a\\insightappsec'],
    ['build', 'linux', {}, 'insightappsec'],
  ] as const)('%s on %s', (hostType, platform, variables, expected) => {
    expect(defaultReportDirectory({ getVariable: (n) => (variables as Record<string, string>)[n] }, hostType, platform)).toBe(expected);
  });
});

describe('taskResultFor', () => {
  it.each([
    ['passed', false, 'Succeeded'],
    ['gate-failed', false, 'Failed'],
    ['gate-failed', true, 'SucceededWithIssues'],
    ['scan-failed', true, 'Failed'],
    ['budget-exceeded', true, 'Failed'],
    ['api-error', false, 'Failed'],
    ['interrupted', false, 'Failed'],
  ] as const)('%s (warn-only %s) → %s', (result, warnOnly, expected) => {
    expect(taskResultFor({ result } as Parameters<typeof taskResultFor>[0], warnOnly)).toBe(expected);
  });
});
