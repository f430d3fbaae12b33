// The bad-input table (issue 10, "What to build" 2): each case gives the BUILT CLI one bad flag or IAS_* variable
// on top of a valid run, and must exit 2 with one sentence naming the input, before anything is launched (the
// simulator sees no POST /scans). Debug logging is on and every output is searched for the API key.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { allCaptures, CANARY_API_KEY, findSecret, runCli, startSimulator } from './harness';
import { writeFragment, type BadInputRow } from './results';

/** A valid run; each case changes one input. */
const VALID = ['--app', 'Demo Shop', '--scan-config', 'Full', '--poll-interval', '1s'];

interface BadInput {
  /** The input as the user named it: a flag or a variable. */
  input: string;
  /** The bad value (`undefined`: the input is missing). */
  value: string | undefined;
  /** How the value is shown in RESULTS.md. @default the value */
  shown?: string;
  /** Text the error must contain besides the input's name (e.g. the fix). */
  mentions?: RegExp;
  /** The input's name, when the message names it differently from `input` (never, so far). */
  named?: string;
}

/** A file, so that a directory below it cannot be created. */
const scratch = mkdtempSync(join(tmpdir(), 'ias-bad-inputs-'));
const A_FILE = join(scratch, 'a-file.txt');
writeFileSync(A_FILE, 'not a directory\n');

/** 100 KB of a valid query: one condition repeated, joined by ||. */
const HUGE_QUERY = Array.from({ length: 3_103 }, () => "vulnerability.severity='HIGH'").join(' || ');

const CASES: BadInput[] = [
  // application and scan configuration
  { input: '--app', value: '' },
  { input: '--app', value: '   \t ', shown: '(whitespace)' },
  { input: 'IAS_APP', value: '' },
  { input: 'IAS_APP', value: '  ', shown: '(whitespace)' },
  { input: '--app', value: undefined, shown: '(missing)' },
  { input: '--scan-config', value: '' },
  { input: 'IAS_SCAN_CONFIG', value: ' \n ', shown: '(whitespace)' },
  { input: '--scan-config', value: undefined, shown: '(missing)' },
  // the API key
  { input: 'IAS_API_KEY', value: undefined, shown: '(unset)' },
  { input: 'IAS_API_KEY', value: '   ', shown: '(whitespace)' },
  { input: '--api-key', value: 'sk-on-the-command-line', mentions: /IAS_API_KEY/ },
  // region and base URL
  { input: '--region', value: 'eu-west' },
  { input: '--region', value: 'us!' },
  { input: 'IAS_REGION', value: 'ｅｕ', shown: 'ｅｕ (full-width letters)' },
  { input: '--base-url', value: 'ftp://ias.example/ias/v1' },
  { input: '--base-url', value: 'not a url' },
  { input: 'IAS_BASE_URL', value: 'ias.example:8443/ias/v1' },
  // scan id
  { input: '--scan-id', value: 'not-a-uuid' },
  { input: 'IAS_SCAN_ID', value: '12345' },
  { input: '--scan-id', value: '{0b6b2a1e-53c8-4c6a-9a62-3f3b4b4b0b11}' },
  { input: '--scan-id', value: '0b6b2a1e-53c8-4c6a-9a62-3f3b4b4b0b11', shown: '0b6b2a1e-53c8-4c6a-9a62-3f3b4b4b0b11 (a UUID of no scan)' },
  // durations
  { input: '--poll-interval', value: '5 minutes' },
  { input: '--poll-interval', value: '-1m' },
  { input: '--poll-interval', value: '0s' },
  { input: 'IAS_POLL_INTERVAL', value: 'soon' },
  { input: '--max-pending', value: '-5' },
  { input: '--max-pending', value: 'half an hour' },
  { input: '--max-execution', value: '2 hours' },
  { input: 'IAS_MAX_EXECUTION', value: '-30s' },
  { input: '--request-timeout', value: 'fast' },
  { input: 'IAS_REQUEST_TIMEOUT', value: '1 minute' },
  // choices and switches
  { input: '--advance-on', value: 'finished' },
  { input: 'IAS_ADVANCE_ON', value: 'later' },
  { input: '--on-timeout', value: 'ignore' },
  { input: 'IAS_ON_TIMEOUT', value: 'kill' },
  { input: '--cancel-on-interrupt', value: 'maybe' },
  { input: 'IAS_FINDINGS_REPORT', value: 'sometimes' },
  { input: '--reports', value: 'pdf' },
  { input: 'IAS_REPORTS', value: 'sarif,xlsx' },
  { input: '--fail-on', value: 'SEVERE' },
  { input: 'IAS_FAIL_ON', value: 'urgent' },
  // the gate query
  { input: '--gate-query', value: 'vulnerability.severity=‘HIGH’', mentions: /'/ },
  { input: '--gate-query', value: 'vulnerability.severity="HIGH"' },
  { input: '--gate-query', value: HUGE_QUERY, shown: `(a ${Math.round(HUGE_QUERY.length / 1024)} KB query of valid conditions)` },
  { input: 'IAS_GATE_QUERY', value: 'severity = HIGH' },
  { input: '--gate-query', value: "vulnerability.severity='HIGH' AND vulnerability.status='VERIFIED'" },
  { input: '--gate-query', value: "vulnerability.severity='HIGH' ||" },
  { input: '--gate-query', value: "vulnerability.severity='EXTREME'" },
  // the output directory
  { input: '--output-dir', value: join(A_FILE, 'reports'), shown: '(a directory below a regular file)' },
  { input: 'IAS_OUTPUT_DIR', value: join(A_FILE, 'reports'), shown: '(a directory below a regular file)' },
  // the command line itself
  { input: '--poll-interval', value: '', shown: '(flag given without a value: `--poll-interval` last)' },
  { input: '--no-such-flag', value: 'x' },
];

/** The arguments and variables of one case. */
function argsFor(c: BadInput): { args: string[]; env: Record<string, string | undefined>; outputDir: boolean } {
  const env: Record<string, string | undefined> = {};
  let args = [...VALID];
  let outputDir = true;
  const dropFlag = (flag: string): void => {
    const at = args.indexOf(flag);
    if (at !== -1) args.splice(at, 2);
  };
  if (c.input.startsWith('--')) {
    dropFlag(c.input);
    if (c.input === '--output-dir') outputDir = false;
    if (c.shown?.startsWith('(flag given without a value') === true) args = [...args, c.input];
    else if (c.value !== undefined) args.push(c.input, c.value);
  } else {
    const flag = `--${c.input.slice('IAS_'.length).toLowerCase().replaceAll('_', '-')}`;
    dropFlag(flag);
    if (c.input === 'IAS_OUTPUT_DIR') outputDir = false;
    env[c.input] = c.value;
  }
  return { args, env, outputDir };
}

/** The error lines of a run: `ERROR:` lines of the logger, and commander's `error:` lines. */
function errorLines(text: string): string[] {
  return text.split('\n').filter((l) => /(^|\] )ERROR: |^error: |^--api-key is not accepted/.test(l));
}

/** One sentence: quoted values and parenthesised asides aside, a single full stop at the end (commander's lines have none). */
function isOneSentence(line: string): boolean {
  const message = line.replace(/^\[[\d:]+\] ERROR: /, '').replace(/^error: /, '');
  const bare = message.replace(/'[^']*'/g, "''").replace(/\([^)]*\)/g, '()').replace(/"[^"]*"/g, '""');
  return !/[.!?]\s+[A-Z]/.test(bare.replace(/[.!?]\s*$/, ''));
}

const rows: BadInputRow[] = [];

afterAll(() => {
  const order = CASES.map((c) => `${c.input}=${c.shown ?? c.value}`);
  rows.sort((a, b) => order.indexOf(`${a.input}=${a.value}`) - order.indexOf(`${b.input}=${b.value}`));
  writeFragment(inject('resultsDir'), 'bad-inputs', {
    badInputs: rows,
    secrets: [{ source: 'bad-input table (built CLI, IAS_DEBUG=1)', texts: allCaptures().length, hits: findSecret(CANARY_API_KEY).length }],
  });
});

describe.concurrent('bad inputs: exit 2, one sentence naming the input, nothing launched', () => {
  it('covers at least 40 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(40);
  });

  it.each(CASES.map((c) => [`${c.input} = ${c.shown ?? JSON.stringify(c.value)}`, c] as const))('%s', async (_title, c) => {
    const running = await startSimulator({ timeScale: 0.002 });
    try {
      const { args, env, outputDir } = argsFor(c);
      const run = await runCli({ label: `bad input ${c.input}`, baseUrl: running.baseUrl, args, env, outputDir, killAfterMs: 30_000 });
      const output = `${run.stdout}\n${run.stderr}`;
      const errors = errorLines(output);
      const name = c.named ?? c.input;
      const naming = errors.filter((l) => l.includes(name));
      const launches = running.sim.counters.get('POST /scans');
      const row: BadInputRow = { host: 'CLI', input: c.input, value: c.shown ?? String(c.value), exitCode: run.code, state: `exit ${run.code}`, named: naming.length > 0, launches, pass: false };
      rows.push(row);
      expect(run.code, output).toBe(2);
      expect(launches).toBe(0);
      expect(naming, `no error line names ${name}:\n${output}`).not.toHaveLength(0);
      for (const line of naming) expect(isOneSentence(line), `not one sentence: ${line}`).toBe(true);
      if (c.mentions !== undefined) expect(naming.join('\n')).toMatch(c.mentions);
      row.pass = true;
    } finally {
      await running.close();
    }
  });
});

describe('secret hygiene over the bad-input table', () => {
  it('the canary API key appears in no output', () => {
    expect(allCaptures().length).toBeGreaterThan(0);
    expect(findSecret(CANARY_API_KEY)).toEqual([]);
  });
});
