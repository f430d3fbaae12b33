import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from './clock.js';
import { DEMO_IDS as DEMO, DEMO_SCAN_SECONDS } from './demo-ids.js';
import { createSimulator, type SimVulnerability, type Simulator } from './simulator.js';

const BASE = 'http://ias.sim:8080/ias/v1';
const HEADERS = { 'X-Api-Key': 'sim-api-key', 'content-type': 'application/json' };
let sim: Simulator;
let clock: ManualClock;
let scanFull = '';
let scanPayments = '';
let scanNightly = '';
let vulns: SimVulnerability[] = [];

interface Page<T = Record<string, unknown>> {
  data: T[];
  metadata: { total_data: number };
}

async function launch(configId: string): Promise<string> {
  const res = await sim.fetch(`${BASE}/scans`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ scan_config: { id: configId } }) });
  return (res.headers.get('location') ?? '').split('/').pop() ?? '';
}

async function search(type: string, query: string, params = 'size=1000'): Promise<Response> {
  return sim.fetch(`${BASE}/search?${params}`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ type, query }) });
}

async function ids(type: string, query: string, params?: string): Promise<string[]> {
  const res = await search(type, query, params);
  expect(res.status).toBe(200);
  return ((await res.json()) as Page<{ id: string }>).data.map((d) => d.id);
}

beforeAll(async () => {
  clock = createManualClock();
  sim = createSimulator({ clock });
  scanFull = await launch(DEMO.full);
  clock.advance(60_000);
  scanPayments = await launch(DEMO.paymentsFull);
  clock.advance(DEMO_SCAN_SECONDS * 1000);
  scanNightly = await launch(DEMO.bobsNightly);
  clock.advance(DEMO_SCAN_SECONDS * 1000);
  vulns = sim.state.vulnerabilities();
});

afterAll(async () => {
  await sim.close();
});

const sorted = (list: string[]): string[] => [...list].sort();
const expectIds = (v: (x: SimVulnerability) => boolean): string[] => sorted(vulns.filter(v).map((x) => x.id));

describe('POST /search VULNERABILITY', () => {
  const cases: [string, string, (v: SimVulnerability) => boolean][] = [
    ['= on severity', "vulnerability.severity='CRITICAL'", (v) => v.severity === 'CRITICAL'],
    ['spaces and lower-case keywords', "vulnerability.severity = 'HIGH'", (v) => v.severity === 'HIGH'],
    ['!= on status', "vulnerability.status!='UNREVIEWED'", (v) => v.status !== 'UNREVIEWED'],
    ['> on an unquoted number (camelCase alias)', 'vulnerability.vulnerabilityScore > 4', (v) => (v.vulnerability_score ?? 0) > 4],
    ['>= on vulnerability_score', 'vulnerability.vulnerability_score >= 8.2', (v) => (v.vulnerability_score ?? 0) >= 8.2],
    ['< on a number', 'vulnerability.vulnerability_score < 3', (v) => (v.vulnerability_score ?? 0) < 3],
    ['<= on a number', 'vulnerability.vulnerability_score <= 3.1', (v) => (v.vulnerability_score ?? 0) <= 3.1],
    ['> on severity ranks', "vulnerability.severity > 'MEDIUM'", (v) => v.severity === 'HIGH' || v.severity === 'CRITICAL'],
    ['app.id', `vulnerability.app.id='${DEMO.payments}'`, (v) => v.app.id === DEMO.payments],
    ['scans.id relation', `vulnerability.scans.id='${'SCAN_FULL'}'`, (v) => v.scans.some((s) => s.id === scanFull)],
    ['root_cause.method', "vulnerability.root_cause.method='POST'", (v) => v.root_cause.method === 'POST'],
    ['root_cause.parameter', "vulnerability.root_cause.parameter='q'", (v) => v.root_cause.parameter === 'q'],
    ['LIKE with % (case-sensitive on text)', "vulnerability.root_cause.url LIKE '%/api/v1/%'", (v) => v.root_cause.url.includes('/api/v1/')],
    ['LIKE with _', "vulnerability.root_cause.method LIKE 'P_ST'", (v) => v.root_cause.method === 'POST'],
    ['variances.module.id (any variance)', `vulnerability.variances.module.id='${DEMO.sqlInjection}'`, (v) => v.variances.some((x) => x.module.id === DEMO.sqlInjection)],
    ['variances.attack.id', "vulnerability.variances.attack.id='XFrameAttack_1'", (v) => v.variances.some((x) => x.attack.id === 'XFrameAttack_1')],
    ['newly_discovered false (re-found by a second scan)', 'vulnerability.newly_discovered = false', (v) => !v.newly_discovered],
    ['newly_discovered true', "vulnerability.newly_discovered='true'", (v) => v.newly_discovered],
    ['BETWEEN numbers', 'vulnerability.vulnerability_score BETWEEN 5 AND 8.5', (v) => (v.vulnerability_score ?? 0) >= 5 && (v.vulnerability_score ?? 0) <= 8.5],
    ['&& binds tighter than ||', `vulnerability.severity='LOW' && vulnerability.app.id='${DEMO.payments}' || vulnerability.severity='SAFE'`, (v) => (v.severity === 'LOW' && v.app.id === DEMO.payments) || v.severity === 'SAFE'],
    ['parentheses override precedence', `vulnerability.app.id='${DEMO.payments}' && (vulnerability.severity='LOW' || vulnerability.severity='CRITICAL')`, (v) => v.app.id === DEMO.payments && (v.severity === 'LOW' || v.severity === 'CRITICAL')],
  ];
  it.each(cases)('filters with %s', async (_label, query, predicate) => {
    const q = query.replace('SCAN_FULL', scanFull);
    const expected = expectIds(predicate);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(vulns.length);
    expect(sorted(await ids('VULNERABILITY', q))).toEqual(expected);
  });

  it('filters on discovery dates as instants, including BETWEEN with offsets', async () => {
    const fullDone = vulns.filter((v) => v.scans.some((s) => s.id === scanFull))[0]!.first_discovered;
    const after = await ids('VULNERABILITY', `vulnerability.first_discovered > '${fullDone}'`);
    expect(sorted(after)).toEqual(expectIds((v) => v.app.id === DEMO.payments));
    const window = await ids('VULNERABILITY', "vulnerability.last_discovered BETWEEN '2026-01-01T00:00:00+00:00' AND '2026-01-02T00:00:00Z'");
    expect(window).toHaveLength(vulns.length);
    expect(await ids('VULNERABILITY', "vulnerability.first_discovered < '2026-01-01T00:00:00'")).toEqual([]);
  });

  it('sorts by severity DESC by default and honours sort=field,ASC', async () => {
    const rank = ['SAFE', 'INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
    const res = await search('VULNERABILITY', `vulnerability.app.id='${DEMO.shop}'`);
    const severities = ((await res.json()) as Page<{ severity: string }>).data.map((d) => rank.indexOf(d.severity));
    expect(severities).toEqual([...severities].sort((a, b) => b - a));
    const asc = await search('VULNERABILITY', `vulnerability.app.id='${DEMO.shop}'`, 'size=1000&sort=vulnerability.vulnerability_score,ASC');
    const scores = ((await asc.json()) as Page<{ vulnerability_score: number }>).data.map((d) => d.vulnerability_score);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
  });
});

describe('POST /search other types', () => {
  it.each([
    ['APP', "app.name='Demo Shop'", [DEMO.shop]],
    ['APP', `app.id='${DEMO.payments}'`, [DEMO.payments]],
    ['APP', "app.name LIKE 'Demo%'", [DEMO.shop]],
    ['APP', "app.name LIKE 'demo%'", []],
    ['APP', "app.description LIKE '%JSON API%'", [DEMO.payments]],
    ['SCAN_CONFIG', "scanconfig.name='Bob''s nightly'", [DEMO.bobsNightly]],
    ['SCAN_CONFIG', "scanconfig.name='Full'", [DEMO.full]],
    ['SCAN_CONFIG', `scanconfig.name='Full' && scanconfig.app.id='${DEMO.shop}'`, [DEMO.full]],
    ['SCAN_CONFIG', `scanconfig.id='${DEMO.swagger}'`, [DEMO.swagger]],
  ])('%s %s', async (type, query, expected) => {
    expect(await ids(type, query)).toEqual(expected);
  });

  it('sorts SCAN_CONFIG results by name, so the prefix "Full" comes before "Full Audit"', async () => {
    expect(await ids('SCAN_CONFIG', "scanconfig.name LIKE 'Full%'")).toEqual([DEMO.full, DEMO.fullAudit]);
  });

  it('finds scans by app, config, status, type and times, newest first', async () => {
    expect(await ids('SCAN', `scan.app.id='${DEMO.shop}'`)).toEqual([scanNightly, scanFull]);
    expect(await ids('SCAN', `scan.scan_config.id='${DEMO.paymentsFull}'`)).toEqual([scanPayments]);
    expect(await ids('SCAN', "scan.status='COMPLETE' && scan.scan_type='REGULAR'")).toEqual([scanNightly, scanPayments, scanFull]);
    expect(await ids('SCAN', "scan.submit_time >= '2026-01-01T00:01:00' && scan.submit_time < '2026-01-01T00:02:00'")).toEqual([scanPayments]);
    expect(await ids('SCAN', "scan.completion_time BETWEEN '2026-01-01T00:00:00' AND '2026-01-02T00:00:00'")).toHaveLength(3);
    expect(await ids('SCAN', `scan.id='${scanFull.toUpperCase()}'`)).toEqual([scanFull]);
  });
});

describe('POST /search errors', () => {
  it.each([
    ['a double-quoted value', 'VULNERABILITY', 'vulnerability.severity="HIGH"', /Double quotes.*position 24/],
    ['an unknown field', 'VULNERABILITY', "vulnerability.colour='red'", /Unknown field vulnerability\.colour.*position 1/],
    ['a field of another type', 'APP', "scan.status='RUNNING'", /Unknown field scan\.status/],
    ['a missing value', 'APP', 'app.name=', /Expected a value.*position 10/],
    ['a missing operator', 'APP', "app.name 'x'", /Expected an operator/],
    ['an unclosed parenthesis', 'APP', "(app.name='x'", /Expected '\)'/],
    ['an unterminated string', 'APP', "app.name='x", /Unterminated string/],
    ['a dangling &&', 'APP', "app.name='x' &&", /Expected a field name/],
    ['BETWEEN without AND', 'VULNERABILITY', 'vulnerability.vulnerability_score BETWEEN 1 2', /Expected AND/],
    ['a bad date', 'VULNERABILITY', "vulnerability.first_discovered > 'soon'", /not a date/],
    ['a word for a number', 'VULNERABILITY', "vulnerability.vulnerabilityScore > 'high'", /needs a number/],
    ['a capitalised field name', 'VULNERABILITY', "Vulnerability.Severity='HIGH'", /case-sensitive, did you mean vulnerability\.severity/],
    ['CONTAINS', 'VULNERABILITY', "vulnerability.root_cause.url CONTAINS 'login'", /Expected an operator/],
    ['a date alone', 'VULNERABILITY', "vulnerability.first_discovered > '2026-01-01'", /a date alone is refused/],
    ['an exponent', 'VULNERABILITY', 'vulnerability.vulnerabilityScore > 7e0', /Unexpected character 'e' after number 7/],
    ['an unknown status', 'VULNERABILITY', "vulnerability.status='OPEN'", /needs one of 'UNREVIEWED'/],
    ['an order on an unordered field', 'VULNERABILITY', "vulnerability.status > 'VERIFIED'", /has no order/],
    ['reversed BETWEEN bounds', 'VULNERABILITY', 'vulnerability.vulnerabilityScore BETWEEN 9 AND 1', /reversed/],
    ['a stray character', 'APP', "app.name='x' ; drop", /Unexpected character ';'/],
  ])('answers 400 naming the problem for %s', async (_label, type, query, message) => {
    const res = await search(type, query);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { status: number; message: string };
    expect(body.status).toBe(400);
    expect(body.message).toMatch(message);
  });

  it('answers 400 for an unknown search type and for a missing type', async () => {
    expect((await search('PLANET', "planet.name='x'")).status).toBe(400);
    const res = await sim.fetch(`${BASE}/search`, { method: 'POST', headers: HEADERS, body: JSON.stringify({ query: "app.name='x'" }) });
    expect(res.status).toBe(400);
  });

  it('answers 400 for an unknown sort field', async () => {
    expect((await search('APP', "app.name='x'", 'sort=app.colour,ASC')).status).toBe(400);
  });
});
