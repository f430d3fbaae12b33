import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultReportDirectory, readTaskInputs } from '../src/inputs';
import { taskResultFor } from '../src/outputs';
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
    setSecret: record('setSecret'),
    setOutput: record('setOutput'),
    info: record('info'),
    errorLine: record('errorLine'),
    debug: record('debug'),
    warning: record('warning'),
    logIssue: record('logIssue'),
    uploadSummary: record('uploadSummary'),
    uploadArtifact: record('uploadArtifact'),
    uploadFile: record('uploadFile'),
    setResult: record('setResult'),
  };
}
const connection = { token: 'k3y-value', region: 'eu' };
const base = { iasConnection: 'conn', application: 'Demo Shop', scanConfiguration: 'Full' };

describe('readTaskInputs', () => {
  it('registers the token as a secret first and maps the guide fields to core keys', () => {
    const host = fakeHost({ ...base, waitForCompletion: 'true', scanStatusInterval: '5', failOnTimeout: 'true', timeout: '90', scanGating: 'true', vulnerabilityQuery: "vulnerability.severity='LOW'", generateFindingsReport: 'false' }, connection);
    const result = readTaskInputs(host, 'linux');
    expect(host.calls[0]).toBe('setSecret k3y-value');
    expect(result.ok && result.raw).toMatchObject({ apiKey: 'k3y-value', region: 'eu', app: 'Demo Shop', scanConfig: 'Full', pollInterval: '5', maxExecution: '90', gateQuery: "vulnerability.severity='LOW'", findingsReport: false });
  });

  it('advances on submission when not waiting, and ignores the query while Scan Gating is off', () => {
    const result = readTaskInputs(fakeHost({ ...base, waitForCompletion: 'false', scanGating: 'false', vulnerabilityQuery: "vulnerability.severity='LOW'", failOnTimeout: 'true' }, connection), 'linux');
    expect(result.ok && result.raw).toMatchObject({ advanceOn: 'submitted', gateQuery: undefined, maxExecution: 'none' });
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
