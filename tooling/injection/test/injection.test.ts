// Issue 17, items 2, 12, 17 and 19, per host: the built bundle of each host runs against a simulator on loopback
// serving hostile scan data (hostile-scenario.ts) through the host's own environment contract (hosts.ts). No
// stdout line may carry an injected command where the host would run it, no ANSI escape or carriage return from
// the data may reach the log, the key the server reflects back must appear nowhere, and the run must end in the
// expected state with its result file written. RESULTS.md gets the tried/behaved counts per category.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSimulator } from '@ias/simulator';
import { readTree, runBundle } from '@ias/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { ANSI, COMMANDS, HOSTILE_KEY, hostileScenario, IDS, VECTORS } from './hostile-scenario';
import { expectedResult, HOSTS, REPO_ROOT, type Host } from './hosts';

const CATEGORIES = [...COMMANDS.map((c) => c.name), 'ANSI escape', 'carriage return', 'other command-like line', 'reflected key redacted', 'no crash, result file written'] as const;
type Category = (typeof CATEGORIES)[number];

interface Row {
  host: string;
  vector: string;
  category: Category;
  behaved: boolean;
  detail: string;
}
const rows: Row[] = [];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  files: Map<string, string>;
  resultFile: string | undefined;
}

async function runHost(host: Host, config: string): Promise<Run> {
  const sim = createSimulator({ scenario: hostileScenario(), apiKey: HOSTILE_KEY, timeScale: 0.002 });
  const { baseUrl, close } = await sim.listen({ host: '127.0.0.1', port: 0 });
  const work = mkdtempSync(join(tmpdir(), 'ias-injection-'));
  try {
    const outputDir = join(work, 'reports');
    const { args, env } = host.setup(baseUrl, work, outputDir, IDS.app, config);
    for (const name of ['GITHUB_OUTPUT', 'GITHUB_STATE', 'GITHUB_STEP_SUMMARY']) if (env[name] !== undefined) writeFileSync(env[name], '');
    const run = await runBundle({
      bundle: host.bundle,
      args,
      cwd: work,
      // A minimal environment: nothing of this machine's (proxies, IAS_*) leaks in.
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: work, LANG: 'C.UTF-8', NO_COLOR: '1', ...env },
      killAfterMs: 90_000,
    });
    const files = await readTree(work);
    return { code: run.code, stdout: run.stdout, stderr: run.stderr, files, resultFile: files.get('reports/insightappsec-scan-result.json') };
  } finally {
    rmSync(work, { recursive: true, force: true });
    await close();
    await sim.close();
  }
}

function check(host: Host, vector: string, run: Run): Row[] {
  const lines = run.stdout.split('\n');
  const out: Row[] = [];
  const push = (category: Category, bad: string[]): void => {
    out.push({ host: host.name, vector, category, behaved: bad.length === 0, detail: bad.slice(0, 3).map((l) => JSON.stringify(l.slice(0, 160))).join('; ') });
  };
  for (const command of COMMANDS) {
    push(command.name, lines.filter((l) => (command.anywhere ? l.includes(command.text) : l.trimStart().startsWith(command.text))));
  }
  push('ANSI escape', [run.stdout, run.stderr].filter((t) => t.includes(ANSI) || t.includes('\u001b[31mred')));
  push('carriage return', [run.stdout, run.stderr].filter((t) => t.includes('\r')));
  push(
    'other command-like line',
    lines.filter((l) => {
      const start = l.trimStart();
      const commandLike = start.startsWith('::') || start.startsWith('##') || l.includes('##vso[') || l.includes('##[');
      return commandLike && !(l === start && host.ownCommand(l));
    }),
  );
  const texts = [run.stdout, run.stderr, ...run.files.values()];
  const leaks = texts.flatMap((t) => t.split('\n')).filter((l) => l.includes(HOSTILE_KEY) && l !== host.registration);
  push('reflected key redacted', leaks);
  const problems: string[] = [];
  if (run.resultFile === undefined) problems.push('no result file');
  else {
    try {
      JSON.parse(run.resultFile);
    } catch {
      problems.push('result file is not JSON');
    }
  }
  if (/^\s+at .+:\d+:\d+\)?$/m.test(run.stdout + run.stderr)) problems.push('stack trace');
  push('no crash, result file written', problems);
  return out;
}

// Every host's bundle must be there (turbo builds them before this e2e tier): a missing one fails, never skips.
const missing = HOSTS.filter((h) => !existsSync(h.bundle));
if (missing.length > 0) throw new Error(`Build the bundles first (npx pnpm@10.34.8 build): missing ${missing.map((h) => h.bundle).join(', ')}`);
const built = HOSTS;

afterAll(() => {
  // The tallies are committed only from a complete run of every host (a filtered run leaves the file alone).
  if (built.length !== HOSTS.length || rows.length !== HOSTS.length * VECTORS.length * CATEGORIES.length) return;
  const lines = [
    '# Injection suite: results',
    '',
    'Written by `IAS_WRITE_RESULTS=1 pnpm --filter @ias/injection test:e2e`. Every host\'s built bundle ran through its own environment contract against the',
    'simulator on 127.0.0.1 serving hostile scan data (test/hostile-scenario.ts): the payload of issue 17 in finding fields, names,',
    'a failure reason and its scan events, and a scan status. "Behaved" means no stdout line carried the payload where the host',
    'would run it (a GitHub `::` command at the start of a line, an Azure `##vso[` anywhere), no ANSI escape or carriage return from',
    'the data reached the log, the reflected API key appeared nowhere, and the run ended in its expected state with a result file.',
    '',
    `Date: ${new Date().toISOString().slice(0, 10)}`,
    '',
    `${rows.filter((r) => r.behaved).length} of ${rows.length} attempts behaved.`,
    '',
    '| category | tried | behaved |',
    '|---|---|---|',
    ...CATEGORIES.map((c) => {
      const of = rows.filter((r) => r.category === c);
      return `| ${c.replaceAll('|', '\\|')} | ${of.length} | ${of.filter((r) => r.behaved).length} |`;
    }),
    '',
    '| host | tried | behaved |',
    '|---|---|---|',
    ...HOSTS.map((h) => {
      const of = rows.filter((r) => r.host === h.name);
      return `| ${h.name} | ${of.length} | ${of.filter((r) => r.behaved).length} |`;
    }),
    '',
  ];
  // The counts are printed on every run; RESULTS.md is rewritten only when asked (IAS_WRITE_RESULTS=1), so `npm test`
  // leaves the work tree clean.
  process.stdout.write(`\n${lines.join('\n')}\n`);
  if (process.env.IAS_WRITE_RESULTS === '1') writeFileSync(join(REPO_ROOT, 'tooling/injection/RESULTS.md'), lines.join('\n'));
});

describe.each(built.map((h) => [h.name, h] as const))('%s', (_name, host) => {
  it.each(VECTORS.map((v) => [v.name, v] as const))('hostile %s: no injected command, no escape, no key, expected end', async (_v, vector) => {
    const run = await runHost(host, vector.config);
    const found = check(host, vector.name, run);
    rows.push(...found);
    const failures = found.filter((r) => !r.behaved).map((r) => `${r.category}: ${r.detail}`);
    expect(failures, `${run.stdout.slice(-4000)}\n${run.stderr.slice(-2000)}`).toEqual([]);
    expect(host.result(run.code, run.stdout)).toBe(expectedResult(host, vector.expect));
    // The payload did reach the log, escaped: the vector was really tried.
    expect(run.stdout + run.stderr).toContain('#\\x23vso[task.prependpath]./evil');
  });
});
