// Issue 17, items 9, 13 and 14, per host: each host's built bundle is interrupted the way its runner does it
// (GitHub and Azure Pipelines send SIGINT on cancel, Bamboo's "Stop build" and a shell send SIGTERM) while one
// request of a phase is held by a proxy in front of the simulator: the launch (after the server created the scan),
// the collection of findings, and the documentation lookup. The run must end interrupted (never the gate's verdict),
// cancel the scan the launch created, and leave reports that are complete or absent.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator, DEMO_IDS } from '@ias/simulator';
import { readTree, runBundle } from '@ias/test-utils';
import { describe, expect, it } from 'vitest';
import { startHoldingProxy, type HoldRule } from './holding-proxy';
import { HOSTILE_KEY } from './hostile-scenario';
import { AZURE, BAMBOO, CLI, GITHUB, type Host } from './hosts';

const SIGNALS = new Map<Host, NodeJS.Signals>([
  [CLI, 'SIGTERM'],
  [GITHUB, 'SIGINT'],
  [AZURE, 'SIGINT'],
  [BAMBOO, 'SIGTERM'],
]);

const PHASES: { name: string; rule: HoldRule }[] = [
  { name: 'launch (POST /scans answered by the server, the answer lost)', rule: { matches: (m, p) => m === 'POST' && p.endsWith('/scans'), afterUpstream: true } },
  { name: 'collection', rule: { matches: (m, p, body) => m === 'POST' && p.endsWith('/search') && body.includes('vulnerability.scans.id') && !body.includes('&& (') } },
  { name: 'documentation', rule: { matches: (m, p) => m === 'GET' && p.includes('/documentation') } },
];

/** True when the host shows the run as interrupted. */
function interrupted(host: Host, code: number | null, stdout: string): boolean {
  if (host === AZURE) return /##vso\[task\.setvariable variable=result;[^\]]*\]interrupted$/m.test(stdout) && /##vso\[task\.complete result=Failed;/.test(stdout);
  return code === 130;
}

describe.each([CLI, GITHUB, AZURE, BAMBOO].map((h) => [h.name, h] as const))('%s', (_name, host) => {
  it.each(PHASES.map((p) => [p.name, p] as const))('interrupted during the %s', async (phase, { rule }) => {
    // The demo scenario (plain data), so each case fails on nothing but the interrupt it is about.
    const sim = createSimulator({ scenario: 'demo', apiKey: HOSTILE_KEY, timeScale: 0.002 });
    const upstream = await sim.listen({ host: '127.0.0.1', port: 0 });
    const proxy = await startHoldingProxy(upstream.baseUrl, rule);
    const work = mkdtempSync(join(tmpdir(), 'ias-interrupt-'));
    try {
      const outputDir = join(work, 'reports');
      const { args, env } = host.setup(proxy.baseUrl, work, outputDir, DEMO_IDS.shop, DEMO_IDS.full);
      for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY']) if (env[name] !== undefined) writeFileSync(env[name], '');
      const run = await runBundle({
        bundle: host.bundle,
        args,
        cwd: work,
        env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, LANG: 'C.UTF-8', NO_COLOR: '1', ...env },
        killAfterMs: 60_000,
        onSpawn: (kill) => void proxy.held.then(() => kill(SIGNALS.get(host) ?? 'SIGTERM')),
      });
      const text = `${run.stdout}\n${run.stderr}`;
      expect(interrupted(host, run.code, run.stdout), text.slice(-3000)).toBe(true);
      // Reports are complete or absent: no temporary file left, no empty file, and what exists parses.
      const files = await readTree(outputDir).catch(() => new Map<string, string>());
      for (const [name, content] of files) {
        expect(name, 'a temporary report file was left').not.toMatch(/\.partial$/);
        expect(content.length, `${name} is empty`).toBeGreaterThan(0);
        if (name.endsWith('.json') || name.endsWith('.sarif')) JSON.parse(content);
      }
      expect(JSON.parse(files.get('insightappsec-scan-result.json') ?? '{}')).toMatchObject({ result: 'interrupted', exitCode: 130 });
      if (phase.startsWith('launch')) {
        // The scan the server created is found and canceled, and the run says so.
        expect(sim.state.scans()).toHaveLength(1);
        expect(sim.counters.get('PUT /scans/{id}/action')).toBe(1);
        expect(text).toMatch(/created scan [0-9a-f-]{36}, which was canceled/);
      } else {
        // Interrupted after the collection began: none of the reports that need the documentation was finished.
        for (const name of ['insightappsec-scan.sarif', 'insightappsec-scan-report.html', 'insightappsec-scan-summary.md']) expect(files.has(name), name).toBe(false);
        const findings = files.get('insightappsec-scan-findings.json');
        // The findings report is closed only once the collection ended: absent, or holding every finding.
        if (phase === 'collection') expect(findings).toBeUndefined();
        else expect((JSON.parse(findings ?? '[]') as unknown[]).length).toBe(40);
      }
    } finally {
      rmSync(work, { recursive: true, force: true });
      await proxy.close();
      await upstream.close();
      await sim.close();
    }
  });
});
