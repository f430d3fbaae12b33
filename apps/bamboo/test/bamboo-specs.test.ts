import { readFileSync } from 'node:fs';
import { parseConfig } from '@ias/core';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readBambooInputs } from '../src/inputs';
import { environmentName } from '../src/settings';

// The Specs example users copy: it must parse, and hold the scan task, the artifacts and the JUnit parser.
const text = readFileSync(new URL('../bamboo-specs/bamboo.yml', import.meta.url), 'utf8');
const specs = parse(text) as Record<string, unknown>;

interface Job {
  requirements?: unknown[];
  tasks?: Record<string, unknown>[];
  'final-tasks'?: Record<string, unknown>[];
  artifacts?: { name?: string; pattern?: string; shared?: boolean }[];
}

function job(): Job {
  const stages = specs.stages as Record<string, { jobs: string[] }>[];
  const jobName = Object.values(stages[0]!)[0]!.jobs[0]!;
  return specs[jobName] as Job;
}

describe('bamboo-specs/bamboo.yml', () => {
  it('is a version 2 plan with a stage whose job is defined', () => {
    expect(specs.version).toBe(2);
    expect(specs.plan).toMatchObject({ 'project-key': expect.any(String), key: expect.any(String), name: expect.any(String) });
    expect(job()).toBeDefined();
  });

  it('checks the settings first (the plugin validated them on save), then runs the scan from a script task', () => {
    const scripts = (job().tasks ?? []).filter((t) => 'script' in t).map((t) => t.script as { scripts: string[]; interpreter: string });
    expect(scripts).toHaveLength(2);
    expect(scripts.every((s) => s.interpreter === 'SHELL')).toBe(true);
    expect(scripts[0]!.scripts.join('\n')).toMatch(/^exec node \S*ias-bamboo\.js check$/m);
    expect(scripts[1]!.scripts.join('\n')).toMatch(/^exec node \S*ias-bamboo\.js$/m);
  });

  it('parses the JUnit file in a final task, so failed builds show their findings too', () => {
    const parser = job()['final-tasks']?.find((t) => 'test-parser' in t)?.['test-parser'] as { type: string; 'test-results': string };
    expect(parser).toEqual({ type: 'junit', 'test-results': 'insightappsec-scan-junit.xml' });
  });

  it('collects every report file as the shared artifact "reports", the official plugin\'s name', () => {
    expect(job().artifacts).toEqual([{ name: 'reports', pattern: 'insightappsec-scan-*', shared: true }]);
  });

  it('sets only variables the task knows, never the API key, and they form a valid configuration', () => {
    const variables = specs.variables as Record<string, string>;
    expect(Object.keys(variables).some((k) => /password|apikey/i.test(k))).toBe(false);
    const env: Record<string, string> = { bamboo_ias_apiKey_password: 'key-from-a-global-variable' };
    for (const [name, value] of Object.entries(variables)) env[environmentName(name)] = String(value);
    const inputs = readBambooInputs([], env, '/tmp/build');
    expect(inputs.warnings).toEqual([]);
    expect(inputs.errors).toEqual([]);
    const parsed = parseConfig(inputs.raw, { names: inputs.names });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) {
      expect(parsed.job).toMatchObject({ app: 'Demo Shop', scanConfig: 'Full', advanceOn: 'completed', pollIntervalMs: 60_000, maxPendingMs: 30 * 60_000, maxExecutionMs: 120 * 60_000 });
      expect(parsed.job.gateQuery).toBe("vulnerability.severity='HIGH' || vulnerability.severity='CRITICAL'");
    }
  });
});
