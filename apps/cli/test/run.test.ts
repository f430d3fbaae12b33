import { createManualClock, createSimulator } from '@ias/simulator';
import { describe, expect, it } from 'vitest';
import { run, type CliHost } from '../src/run';
import { SCAN_OPTIONS } from '../src/inputs';

function host(argv: string[], env: Record<string, string> = {}, isTTY = false) {
  const clock = createManualClock();
  const sim = createSimulator({ scenario: 'demo', clock });
  let out = '';
  let err = '';
  const files = new Map<string, string>();
  const h: CliHost = {
    argv,
    env: { IAS_API_KEY: sim.apiKey, IAS_BASE_URL: 'http://ias.sim.test/ias/v1', ...env },
    fetch: (input, init) => sim.fetch(input, init),
    clock: { now: () => clock.now(), sleep: async (ms) => clock.advance(ms) },
    version: '9.9.9',
    runtime: 'test',
    isTTY,
    out: (t) => (out += t),
    err: (t) => (err += t),
    readText: async (path) => files.get(path) ?? '',
    createSink: () => ({
      async create(name) {
        let text = '';
        return { path: `mem/${name}`, write: async (c) => void (text += c), close: async () => void files.set(name, text) };
      },
    }),
  };
  return { h, sim, files, output: () => ({ out, err }) };
}

describe('ias (in process)', () => {
  it('lists every scan option with its variable and default in --help', async () => {
    const t = host(['scan', '--help']);
    expect(await run(t.h)).toBe(0);
    // commander wraps long help lines; compare with whitespace folded
    const out = t.output().out.replace(/\s+/g, ' ');
    for (const option of SCAN_OPTIONS) {
      expect(out).toContain(option.flag);
      expect(out).toContain(`[${option.env}]`);
      if (option.shownDefault !== undefined) expect(out).toContain(`(default: ${option.shownDefault})`);
    }
    expect(out).toContain('IAS_API_KEY');
    expect(out).toContain('Exit status: 0 passed, 1 gate failed');
  });

  it('prints the version', async () => {
    const t = host(['--version']);
    expect(await run(t.h)).toBe(0);
    expect(t.output().out.trim()).toBe('9.9.9');
  });

  it('exits 2 on an unknown option', async () => {
    const t = host(['scan', '--colour', 'blue']);
    expect(await run(t.h)).toBe(2);
    expect(t.output().err).toMatch(/unknown option '--colour'/);
  });

  it('names inputs the way the user gave them: flags as flags, variables as variables', async () => {
    const t = host(['scan', '--app', 'Demo Shop', '--scan-config', 'Full'], { IAS_POLL_INTERVAL: '5 minutes', IAS_ADVANCE_ON: 'later' });
    expect(await run(t.h)).toBe(2);
    const { out } = t.output();
    expect(out).toContain("IAS_POLL_INTERVAL '5 minutes' is not a duration; use a value like 30s, 5m or 1h30m (a bare number means minutes).");
    expect(out).toContain('IAS_ADVANCE_ON must be one of submitted, started, completed.');
    expect(t.sim.counters.total()).toBe(0);
  });

  it('lets a flag win over its variable', async () => {
    const t = host(['scan', '--app', 'Demo Shop', '--scan-config', 'Full', '--advance-on', 'submitted', '--json'], { IAS_ADVANCE_ON: 'later' });
    expect(await run(t.h)).toBe(0);
    expect(JSON.parse(t.output().out)).toMatchObject({ advancedOn: 'submitted', exitCode: 0 });
  });

  it('asks for the API key when IAS_API_KEY is missing', async () => {
    const t = host(['scan', '--app', 'Demo Shop', '--scan-config', 'Full'], { IAS_API_KEY: '' });
    expect(await run(t.h)).toBe(2);
    expect(t.output().out).toContain('IAS_API_KEY is required; set the InsightAppSec API key.');
  });

  it('draws one live line on a TTY and clears it before the verdict', async () => {
    const t = host(['scan', '--app', 'Demo Shop', '--scan-config', 'Full', '--poll-interval', '5m'], {}, true);
    expect(await run(t.h)).toBe(0);
    const { out } = t.output();
    expect(out).toMatch(/⏳ Scan [0-9a-f-]{36}: RUNNING for \d+m/);
    expect(out).toMatch(/links crawled, \d+ requests, \d+ attacked, \d+ vulnerable/);
    expect(out).toContain('\r\u001b[2K');
    expect(out).toMatch(/✔ Scan [0-9a-f-]{36} is COMPLETE with 40 findings; no gate is configured\./);
  });

  it('prints one heartbeat line per poll in CI logs', async () => {
    const t = host(['scan', '--app', 'Demo Shop', '--scan-config', 'Full', '--poll-interval', '5m']);
    expect(await run(t.h)).toBe(0);
    const heartbeats = t.output().out.split('\n').filter((l) => / RUNNING for /.test(l));
    expect(heartbeats.length).toBeGreaterThanOrEqual(2);
    expect(t.output().out).not.toContain('\u001b[');
  });

  it('ias status prints the scan and exits 0; an unknown scan exits 5 with the API message', async () => {
    const t = host(['scan', '--app', 'Demo Shop', '--scan-config', 'Full', '--advance-on', 'submitted', '--json']);
    await run(t.h);
    const scanId = (JSON.parse(t.output().out) as { scanId: string }).scanId;
    const s = host(['status', '--scan-id', scanId, '--json']);
    // the same simulator: reuse its fetch
    s.h.fetch = t.h.fetch;
    expect(await run(s.h)).toBe(0);
    expect(JSON.parse(s.output().out)).toMatchObject({ scan: { id: scanId } });
    const missing = host(['status', '--scan-id', '00000000-0000-4000-8000-000000000000']);
    expect(await run(missing.h)).toBe(5);
    expect(missing.output().out).toMatch(/GET \/scans\/\{id\} failed with 404 Not Found/);
    // A hostile server's status and failure reason are printed escaped.
    const hostile = host(['status', '--scan-id', scanId]);
    hostile.h.fetch = async (input, init) => {
      const response = await t.h.fetch(input, init);
      if (!new URL(input instanceof Request ? input.url : String(input)).pathname.endsWith(`/scans/${scanId}`)) return response;
      const scan = (await response.json()) as Record<string, unknown>;
      return Response.json({ ...scan, status: 'FAILED\n::set-output name=gate-result::passed', failure_reason: 'X\r##vso[task.complete result=Succeeded]\u001b[2J', submit_time: '\n::add-mask::x' });
    };
    expect(await run(hostile.h)).toBe(0);
    for (const line of hostile.output().out.split('\n')) expect(line).not.toMatch(/^\s*(::|##)|##vso\[|\r/);
    expect(hostile.output().out.includes('\u001b')).toBe(false);
    expect(hostile.output().out).toContain('FAILED\\n::set-output');
    const bad = host(['status', '--scan-id', 'nope']);
    expect(await run(bad.h)).toBe(2);
    expect(bad.output().out).toContain('--scan-id must be a scan id (a UUID)');
  });
});
