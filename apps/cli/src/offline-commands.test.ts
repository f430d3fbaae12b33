import { describe, expect, it } from 'vitest';
import { findingFingerprint, type Vulnerability } from '@ias/core';
import { run, type CliHost } from './run';

interface Recorded {
  code: number;
  out: string;
  err: string;
  fetched: number;
}

const findings: Vulnerability[] = [
  {
    id: '11111111-1111-4111-8111-111111111111',
    severity: 'HIGH',
    status: 'UNREVIEWED',
    root_cause: { url: 'https://shop.example/login', method: 'POST', parameter: 'user' },
    variances: [{ module: { id: 'aaaaaaaa-0000-4000-8000-000000000001' }, attack: { id: 'SQLi_01' } }],
  },
  { id: '22222222-2222-4222-8222-222222222222', severity: 'LOW', status: 'VERIFIED', root_cause: { url: 'https://shop.example/', method: 'GET' } },
  { id: '33333333-3333-4333-8333-333333333333', severity: 'INFORMATIONAL', status: 'UNREVIEWED', root_cause: { url: 'https://shop.example/robots.txt', method: 'GET' } },
];

const FILES: Record<string, string> = {
  'findings.json': JSON.stringify(findings),
  'broken.json': '[\n  {"id": "a",\n',
  'object.json': '{"findings": []}',
};

async function ias(argv: string[], files: Record<string, string> = {}): Promise<Recorded> {
  let out = '';
  let err = '';
  let fetched = 0;
  const all = { ...FILES, ...files };
  const host: CliHost = {
    argv,
    env: {},
    fetch: async () => {
      fetched += 1;
      throw new Error('the offline commands must not call the network');
    },
    clock: { now: () => Date.UTC(2026, 5, 15), sleep: async () => {} },
    version: '0.0.0-test',
    runtime: 'node/test',
    isTTY: false,
    out: (text) => {
      out += text;
    },
    err: (text) => {
      err += text;
    },
    readText: async (path) => {
      const text = all[path];
      if (text === undefined) throw new Error(`ENOENT: no such file or directory, open '${path}'`);
      return text;
    },
  };
  const code = await run(host);
  return { code, out, err, fetched };
}

describe('ias query check', () => {
  it('prints the normalised query and exits 0 for a valid query', async () => {
    const result = await ias(['query', 'check', "vulnerability.severity='critical'||vulnerability.severity = 'HIGH'&&vulnerability.status='verified'"]);
    expect(result).toMatchObject({ code: 0, err: '', fetched: 0 });
    expect(result.out).toBe("vulnerability.severity = 'CRITICAL' || (vulnerability.severity = 'HIGH' && vulnerability.status = 'VERIFIED')\n");
  });

  it('notes on stderr when the query is evaluated locally only, keeping stdout to the query', async () => {
    const result = await ias(['query', 'check', "vulnerability.root_cause.url LIKE '%login%'"]);
    expect(result.code).toBe(0);
    expect(result.out).toBe("vulnerability.root_cause.url LIKE '%login%'\n");
    expect(result.err).toMatch(/^note: the gate evaluates this query locally/);
  });

  it.each([
    ["vulnerability.severity='HIGH’", '                            ^'],
    ['vulnerability.severity="HIGH"', '                       ^^^^^^'],
    ["vulnerability.severity=='HIGH'", '                      ^^'],
    ["vulnerability.severty='HIGH'", '^^^^^^^^^^^^^^^^^^^^^'],
    ["vulnerability.severity='SEVERE'", '                       ^^^^^^^^'],
    ["vulnerability.severity='HIGH' ||", '                              ^^'],
  ])('rejects %j with exit 2, the message and the caret line on stderr', async (query, caret) => {
    const result = await ias(['query', 'check', query]);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    const lines = result.err.split('\n');
    expect(lines[0]).toMatch(/[.?]$/);
    expect(lines[1]).toBe(query);
    expect(lines[2]).toBe(caret);
  });

  it('rejects an empty query with exit 2', async () => {
    const result = await ias(['query', 'check', '']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/empty/i);
  });
});

describe('ias gate --findings', () => {
  it('exits 1 and lists the matches, one line each: severity, method, url, parameter, id', async () => {
    const result = await ias(['gate', '--findings', 'findings.json', '--query', "vulnerability.severity >= 'LOW'"]);
    expect(result.code).toBe(1);
    expect(result.fetched).toBe(0);
    expect(result.out).toBe(
      [
        'HIGH POST https://shop.example/login user 11111111-1111-4111-8111-111111111111',
        'LOW GET https://shop.example/ - 22222222-2222-4222-8222-222222222222',
        "Gate FAILED: 2 findings of 3 match (vulnerability.severity >= 'LOW')",
        '',
      ].join('\n'),
    );
  });

  it('exits 0 when nothing matches, with no API key in the environment', async () => {
    const result = await ias(['gate', '--findings', 'findings.json', '--query', "vulnerability.severity='CRITICAL'"]);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toBe("Gate passed: no finding of 3 fails (vulnerability.severity = 'CRITICAL')\n");
  });

  it('--json prints { gate: { passed, matched, findings } }', async () => {
    const result = await ias(['gate', '--findings', 'findings.json', '--query', "vulnerability.severity='HIGH'", '--json']);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.out)).toEqual({
      gate: {
        passed: false,
        matched: 1,
        findings: [
          { id: '11111111-1111-4111-8111-111111111111', severity: 'HIGH', status: 'UNREVIEWED', url: 'https://shop.example/login', method: 'POST', parameter: 'user', moduleId: 'aaaaaaaa-0000-4000-8000-000000000001' },
        ],
      },
    });
    const passing = await ias(['gate', '--findings', 'findings.json', '--query', "vulnerability.severity='SAFE'", '--json']);
    expect(passing.code).toBe(0);
    expect(JSON.parse(passing.out)).toEqual({ gate: { passed: true, matched: 0, findings: [] } });
  });

  it('matches vulnerability.scans.id only against --scan-id', async () => {
    const scan = '5ca90000-0000-4000-8000-000000000001';
    const query = `vulnerability.scans.id='${scan}' && vulnerability.severity='HIGH'`;
    expect((await ias(['gate', '--findings', 'findings.json', '--query', query])).code).toBe(0);
    expect((await ias(['gate', '--findings', 'findings.json', '--query', query, '--scan-id', scan])).code).toBe(1);
  });

  it('exits 2 with the caret diagnostic for a bad query, before reading the file', async () => {
    const result = await ias(['gate', '--findings', 'missing.json', '--query', "vulnerability.severity='HIGH' OR vulnerability.severity='LOW'"]);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toContain('use || instead of OR');
    expect(result.err.split('\n')[1]).toBe("vulnerability.severity='HIGH' OR vulnerability.severity='LOW'");
  });

  it.each([
    ['broken.json', /^The findings report broken\.json is not valid JSON \(.*line 3.*\); pass the insightappsec-scan-findings\.json/],
    ['object.json', /^The findings report object\.json holds a JSON object, not an array of vulnerabilities/],
    ['missing.json', /^Cannot read missing\.json \(given to --findings\): ENOENT.*; check the path\.$/m],
  ])('exits 2 naming the file for %s', async (file, message) => {
    const result = await ias(['gate', '--findings', file, '--query', "vulnerability.severity='HIGH'"]);
    expect(result.code).toBe(2);
    expect(result.out).toBe('');
    expect(result.err).toMatch(message);
  });

  it('exits 2 when --findings or --query is missing', async () => {
    expect((await ias(['gate', '--query', "vulnerability.severity='HIGH'"])).code).toBe(2);
    expect((await ias(['gate', '--findings', 'findings.json'])).code).toBe(2);
  });
});

describe('ias gate with a baseline and suppressions', () => {
  const query = "vulnerability.severity >= 'LOW'";
  // The earlier run knew the login finding (under another id) and a finding that is now gone.
  const baseline = JSON.stringify([
    { ...findings[0], id: '99999999-9999-4999-8999-999999999999', root_cause: { url: 'https://SHOP.example:443/login/', method: 'post', parameter: 'user' } },
    { id: '88888888-8888-4888-8888-888888888888', severity: 'MEDIUM', root_cause: { url: 'https://shop.example/gone', method: 'GET' } },
  ]);

  it('--new-only fails only on findings the baseline does not know, and prints the counts', async () => {
    const result = await ias(['gate', '--findings', 'findings.json', '--query', query, '--baseline', 'baseline.json', '--new-only'], { 'baseline.json': baseline });
    expect(result.code).toBe(1);
    expect(result.out).toContain('LOW GET https://shop.example/ - 22222222-2222-4222-8222-222222222222\n');
    expect(result.out).toContain('known from the baseline: HIGH POST https://shop.example/login user 11111111-1111-4111-8111-111111111111\n');
    expect(result.out).toContain('Baseline: 2 new, 1 known, 1 fixed\n');
    expect(result.out).toContain('Gate FAILED: 1 finding of 3 match');
  });

  it('a suppression by fingerprint plus --new-only turns the verdict to passed; an expired one warns and does not suppress', async () => {
    const fingerprint = findingFingerprint(findings[1]!);
    const suppressions = [
      `- fingerprint: ${fingerprint}`,
      '  reason: the home page finding is accepted (SEC-12)',
      '- id: 33333333-3333-4333-8333-333333333333',
      '  reason: old exception',
      '  expires: 2026-01-31',
      '',
    ].join('\n');
    const files = { 'baseline.json': baseline, 'suppressions.yml': suppressions };
    const result = await ias(['gate', '--findings', 'findings.json', '--query', query, '--baseline', 'baseline.json', '--new-only', '--suppressions', 'suppressions.yml', '--json'], files);
    expect(result.code).toBe(0);
    const json = JSON.parse(result.out) as { gate: unknown; suppressed: { id: string; reason: string }[]; baseline: { new: number; known: number; fixed: number } };
    expect(json.gate).toEqual({ passed: true, matched: 0, findings: [] });
    expect(json.suppressed).toEqual([expect.objectContaining({ id: '22222222-2222-4222-8222-222222222222', reason: 'the home page finding is accepted (SEC-12)', entry: 1 })]);
    expect(json.baseline).toMatchObject({ new: 2, known: 1, fixed: 1 });
    expect(result.err).toContain('warning: Suppression entry 2 (line 3) in suppressions.yml expired on 2026-01-31 and no longer suppresses');
    // Without --new-only the known HIGH finding still fails the gate.
    expect((await ias(['gate', '--findings', 'findings.json', '--query', query, '--baseline', 'baseline.json', '--suppressions', 'suppressions.yml'], files)).code).toBe(1);
  });

  it('a malformed suppressions file exits 2 naming the line', async () => {
    const result = await ias(['gate', '--findings', 'findings.json', '--query', query, '--suppressions', 's.yml'], { 's.yml': '- id: 11111111-1111-4111-8111-111111111111\n  reson: typo\n' });
    expect(result.code).toBe(2);
    expect(result.err).toBe('The suppressions file s.yml is invalid at line 2: entry 1 has an unknown key reson; use only id, fingerprint, module, url, reason, expires.\n2 |   reson: typo\n');
  });

  it('--new-only without --baseline exits 2', async () => {
    const result = await ias(['gate', '--findings', 'findings.json', '--query', query, '--new-only']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--new-only needs a baseline/);
  });
});

describe('ias gate over hostile stored findings', () => {
  it('prints every field escaped: no line can start a host command or carry an escape', async () => {
    const hostile: Vulnerability[] = [
      {
        id: '44444444-4444-4444-8444-444444444444',
        severity: 'HIGH',
        status: 'UNREVIEWED',
        root_cause: {
          url: 'https://shop.example/\u001b[2J',
          method: 'GET\r::error::forged',
          parameter: 'q\n##vso[task.prependpath]./evil\n::set-output name=gate-result::passed\n::stop-commands::x',
        },
      },
    ];
    const result = await ias(['gate', '--findings', 'hostile.json', '--query', "vulnerability.severity='HIGH'"], { 'hostile.json': JSON.stringify(hostile) });
    expect(result.code).toBe(1);
    for (const line of result.out.split('\n')) {
      expect(line).not.toMatch(/^\s*(::|##)/);
      expect(line).not.toMatch(/##vso\[|\r/);
      expect(line.includes('\u001b')).toBe(false);
    }
    expect(result.out).toContain('q\\n#\\x23vso[task.prependpath]./evil\\n::set-output name=gate-result::passed');
  });
});
