import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from './release-lib';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, { branches?: string[]; tags?: string[] } | null>;
  permissions?: Record<string, string>;
  jobs: Record<string, { 'runs-on': string; 'timeout-minutes'?: number; steps: Step[] }>;
}

const workflow = (name: string): Workflow => parse(readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8')) as Workflow;
const runs = (steps: Step[]): string[] => steps.flatMap((s) => (s.run === undefined ? [] : [s.run]));

describe("the repository's own GitHub workflows", () => {
  it('ci.yml runs .ci/run on pushes to main and on pull requests, on Node 20, with read-only permissions', () => {
    const ci = workflow('ci.yml');
    expect(ci.on.push?.branches).toEqual(['main']);
    expect(ci.on).toHaveProperty('pull_request');
    expect(ci.permissions).toEqual({ contents: 'read' });
    const [job] = Object.values(ci.jobs);
    expect(job?.['timeout-minutes']).toBeLessThanOrEqual(90);
    expect(job?.steps[0]?.uses).toMatch(/^actions\/checkout@v\d+$/);
    expect(job?.steps.find((s) => s.uses?.startsWith('actions/setup-node@'))?.with?.['node-version']).toBe(20);
    expect(runs(job?.steps ?? [])).toContain('bash .ci/run');
  });

  it('release.yml, on a version tag, tests, checks the tag against the version, collects with checksums and publishes', () => {
    const release = workflow('release.yml');
    expect(release.on.push?.tags).toEqual(['v*.*.*']);
    expect(release.permissions).toEqual({ contents: 'write' });
    const [job] = Object.values(release.jobs);
    const commands = runs(job?.steps ?? []);
    const order = ['bash .ci/run', 'release -- --check', 'tooling/sea/build.mjs', 'release -- --collect', 'sha256sum -c SHA256SUMS', 'gh release create', 'npm publish'];
    const positions = order.map((needle) => commands.findIndex((c) => c.includes(needle)));
    expect(positions.every((p) => p >= 0), `missing steps: ${order.filter((_, i) => positions[i] === -1).join(', ')}`).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(commands.join('\n')).toContain('$GITHUB_REF_NAME');
    // Secrets reach only the steps that need them, through env, never on a command line.
    for (const step of job?.steps ?? []) expect(step.run ?? '').not.toMatch(/\$\{\{\s*secrets\./);
  });
});
