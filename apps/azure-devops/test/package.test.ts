import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv04 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT, TASK_DIR } from './harness';
import { readZip } from './zip-reader';

const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
const schema = JSON.parse(readFileSync(join(PACKAGE_ROOT, '../../tooling/schemas/azure-pipelines-task.schema.json'), 'utf8')) as object;
const sourceTask = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'task', 'task.json'), 'utf8')) as TaskJson;
const manifest = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'vss-extension.json'), 'utf8')) as Manifest;

interface TaskJson {
  name: string;
  version: { Major: number; Minor: number; Patch: number };
  inputs: { name: string; label: string; type: string; visibleRule?: string; groupName?: string; required?: boolean; defaultValue?: string; aliases?: string[] }[];
  groups: { name: string }[];
  dataSourceBindings: { target: string; endpointId: string; dataSourceName: string; parameters?: Record<string, string> }[];
  outputVariables: { name: string }[];
  execution: Record<string, { target: string }>;
}
interface Manifest {
  version: string;
  files: { path: string }[];
  contributions: { id: string; type: string; targets: string[]; properties: Record<string, unknown> }[];
}

function validate(task: unknown): string[] {
  const ajv = new Ajv04({ strict: false, unicodeRegExp: false, allErrors: true });
  addFormats(ajv);
  const check = ajv.compile(schema);
  return check(task) ? [] : (check.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('task.json', () => {
  it('validates against the task-lib schema, as written and as packaged', () => {
    expect(validate(sourceTask)).toEqual([]);
    expect(validate(JSON.parse(readFileSync(join(TASK_DIR, 'task.json'), 'utf8')))).toEqual([]);
  });

  it('has the fields of the integration guide under their labels', () => {
    const labels = sourceTask.inputs.map((i) => i.label);
    for (const label of ['IAS Connection', 'Application', 'Scan Configuration', 'Wait for scan completion?', 'Scan Status Interval', 'Generate findings report?', 'Fail scan on timeout?', 'Timeout', 'Scan Gating', 'Vulnerability Query']) {
      expect(labels).toContain(label);
    }
    expect(sourceTask.inputs.find((i) => i.name === 'iasConnection')?.type).toBe('connectedService:insightAppSecIasCi');
  });

  it("accepts every input of the Rapid7 task (rapid7-insightappsec@1) by name or alias, with the same default", () => {
    // The names, types and defaults of the Rapid7 task's inputs (its task.json), kept as test data.
    const official = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'test', 'fixtures', 'rapid7-task-inputs.json'), 'utf8')) as { name: string; defaultValue?: string; type: string }[];
    for (const input of official) {
      const ours = sourceTask.inputs.find((i) => i.name === input.name || (i.aliases ?? []).includes(input.name));
      expect(ours, input.name).toBeDefined();
      // A boolean without a default is false for task-lib's getBoolInput, as our explicit 'false' is.
      const theirs = input.defaultValue ?? (input.type === 'boolean' ? 'false' : '');
      expect(ours?.defaultValue ?? '', input.name).toBe(theirs);
    }
  });

  it('asks for an agent that has the Node20_1 handler (3.230.2, azure-pipelines-agent #4518); Node24 agents (4.265.0) pick Node24', () => {
    expect((sourceTask as unknown as { minimumAgentVersion: string }).minimumAgentVersion).toBe('3.230.2');
  });

  it('hides dependent fields behind rules that name real inputs, and puts the extras in Advanced', () => {
    const byName = new Map(sourceTask.inputs.map((i) => [i.name, i]));
    expect(byName.get('scanStatusInterval')?.visibleRule).toBe('waitForCompletion = true');
    expect(byName.get('failOnTimeout')?.visibleRule).toBe('waitForCompletion = true');
    expect(byName.get('timeout')?.visibleRule).toBe('waitForCompletion = true && failOnTimeout = true');
    expect(byName.get('vulnerabilityQuery')?.visibleRule).toBe('scanGating = true');
    for (const input of sourceTask.inputs) {
      for (const name of (input.visibleRule ?? '').match(/[A-Za-z]+(?= *[!=])/g) ?? []) expect(byName.has(name), `${input.name} → ${name}`).toBe(true);
      if (input.groupName !== undefined) expect(sourceTask.groups.map((g) => g.name)).toContain(input.groupName);
    }
    for (const name of ['advanceOn', 'maxPending', 'onTimeoutAction', 'baseline', 'suppressions', 'reportFormats', 'outputDirectory', 'artifactName', 'redactHttpSecrets']) {
      expect(byName.get(name)?.groupName, name).toBe('advanced');
    }
    expect(byName.get('warnOnly')).toBeDefined();
  });

  it('runs on Node 24 and Node 20 agents with one bundle', () => {
    expect(sourceTask.execution).toEqual({ Node24: { target: 'index.js' }, Node20_1: { target: 'index.js' } });
  });

  it('declares every output variable the handler sets', () => {
    expect(sourceTask.outputVariables.map((o) => o.name).sort()).toEqual(
      ['scanId', 'scanStatus', 'result', 'gateResult', 'gateMatched', 'findingsTotal', 'findingsCritical', 'findingsHigh', 'findingsMedium', 'findingsLow', 'findingsInformational', 'reportDirectory'].sort(),
    );
  });

  it('binds its pick lists to data sources of its endpoint type', () => {
    const endpoint = manifest.contributions.find((c) => c.type === 'ms.vss-endpoint.service-endpoint-type');
    const sources = (endpoint?.properties.dataSources as { name: string }[]).map((d) => d.name);
    for (const binding of sourceTask.dataSourceBindings) {
      expect(sources).toContain(binding.dataSourceName);
      expect(binding.endpointId).toBe('$(iasConnection)');
    }
    expect(sourceTask.dataSourceBindings.find((b) => b.target === 'scanConfiguration')?.parameters).toEqual({ appId: '$(application)' });
  });
});

describe('vss-extension.json', () => {
  it('contributes its own endpoint type (not Rapid7\'s `ias`: type names are organisation-wide), with regions, custom URL, the API token as the secret and a TestConnection source', () => {
    const endpoint = manifest.contributions.find((c) => c.type === 'ms.vss-endpoint.service-endpoint-type');
    expect(endpoint?.targets).toEqual(['ms.vss-endpoint.endpoint-types']);
    expect(endpoint?.properties.name).toBe('insightAppSecIasCi');
    expect((endpoint?.properties.dataSources as { name: string }[]).map((d) => d.name)).toContain('TestConnection');
    const region = (endpoint?.properties.inputDescriptors as { id: string; values: { possibleValues: { value: string }[] } }[]).find((d) => d.id === 'region');
    expect(region?.values.possibleValues.map((v) => v.value)).toEqual(['us', 'us2', 'us3', 'eu', 'ca', 'au', 'ap', 'custom']);
    const [scheme] = endpoint?.properties.authenticationSchemes as { type: string; headers: { name: string; value: string }[]; inputDescriptors: { id: string; isConfidential: boolean }[] }[];
    expect(scheme?.headers).toEqual([{ name: 'X-Api-Key', value: '{{endpoint.apitoken}}' }]);
    expect(scheme?.inputDescriptors).toEqual([expect.objectContaining({ id: 'apitoken', isConfidential: true })]);
    const task = manifest.contributions.find((c) => c.type === 'ms.vss-distributed-task.task');
    expect(task?.properties.name).toBe(sourceTask.name);
    expect(manifest.files.map((f) => f.path)).toContain(sourceTask.name);
  });
});

describe('the .vsix', () => {
  const vsix = readZip(readFileSync(join(PACKAGE_ROOT, 'dist', `ias-azure-devops-${pkg.version}.vsix`)));

  it('holds the manifest, the task (task.json, bundle, lib.json) and the icon', () => {
    for (const name of ['extension.vsixmanifest', 'extension.vsomanifest', 'InsightAppSecScan/task.json', 'InsightAppSecScan/index.js', 'InsightAppSecScan/lib.json', 'images/icon.png']) {
      expect(vsix.has(name), name).toBe(true);
    }
    expect(vsix.get('images/icon.png')?.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(JSON.parse(vsix.get('InsightAppSecScan/lib.json')!.toString('utf8'))).toHaveProperty('messages.LIB_InputRequired');
    const bundle = vsix.get('InsightAppSecScan/index.js')!.toString('utf8');
    expect(bundle).toMatch(/require\("fs"\)|require\("node:fs"\)/);
    expect(bundle).not.toMatch(/^\s*(import|export) /m);
    expect(bundle).not.toContain('require("@ias/');
  });

  it('stamps the package version on the extension and the task', () => {
    const [major, minor, patch] = pkg.version.split('.').map(Number);
    expect(JSON.parse(vsix.get('InsightAppSecScan/task.json')!.toString('utf8')).version).toEqual({ Major: major, Minor: minor, Patch: patch });
    expect(vsix.get('extension.vsixmanifest')!.toString('utf8')).toContain(`Version="${pkg.version}"`);
    const vso = JSON.parse(vsix.get('extension.vsomanifest')!.toString('utf8')) as { contributions: { type: string; properties: { name: string } }[] };
    expect(vso.contributions.map((c) => c.properties.name)).toEqual(expect.arrayContaining(['insightAppSecIasCi', 'InsightAppSecScan']));
  });
});
