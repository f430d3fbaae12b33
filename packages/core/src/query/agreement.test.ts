// Agreement (issue 3, "Done when"): core's evaluator and the simulator's POST /search, two independent
// readings of the same language, must match the same findings. Each run draws a scan S and a query Q and
// compares the ids the simulator returns for `vulnerability.scans.id='S' && (Q)` with the ids
// evaluateQuery matches over S's findings (context scanIds [S]).
//
// The generator covers the fields both sides support: severity, status, root_cause.method/url/parameter,
// vulnerability_score, first_discovered, newly_discovered and variances.module.id, with =, !=, >, <, >=, <=,
// LIKE, BETWEEN, &&, || and parentheses. It leaves out, on purpose, what the two define differently:
// - date-only values: core reads 'YYYY-MM-DD' as the whole UTC day (README, Semantics), the simulator as
//   midnight; only date-times are generated.
// - != on root_cause.parameter: the simulator counts a finding without a parameter as "not equal"; core
//   follows SQL (a missing field never matches, != included, README). Reported, not fixed here: the
//   simulator is not core's.
// - LIKE patterns whose result depends on letter case: the simulator's LIKE ignores case, core's is
//   case-sensitive on text fields (README). Patterns are kept only when both readings agree on every value of
//   the field in the data.
// - operators a field's type does not allow in core (status has no order, LIKE only on text and ids): core
//   rejects those queries before anything is sent.
// - numbers in exponent form: the simulator's lexer reads only digits with an optional fraction.
import { createManualClock, createSimulator, generateScenario, type Scenario, type Simulator, type SimVulnerability } from '@ias/simulator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateQuery } from './evaluate';
import { SEVERITIES, VULNERABILITY_STATUSES, severityRank } from './fields';
import { formatQuery } from './format-query';
import { parseQuery } from './parse-query';

const BASE = 'http://ias.sim.test/ias/v1';
const RUNS = 1_000;

let sim: Simulator;
const scans: string[] = [];
let all: SimVulnerability[] = [];
const findingsOf = new Map<string, Record<string, unknown>[]>();

/** One app, four scan configs over different subsets of 150 generated findings. */
function scenario(): Scenario {
  const base = generateScenario({ findings: 150, modules: 14, seed: 2026 });
  const ids = base.finding_sets['generated'] ?? [];
  const config = base.scan_configs[0];
  if (config === undefined) throw new Error('generateScenario gave no scan config');
  const sets: Record<string, string[]> = { thirds: ids.filter((_, i) => i % 3 === 0), first: ids.slice(0, 80), second: ids.slice(40), few: ids.slice(100, 110) };
  return {
    ...base,
    finding_sets: sets,
    scan_configs: Object.keys(sets).map((set, i) => ({ ...config, id: `c9000000-0000-4000-8000-00000000000${i + 1}`, name: `Scan ${set}`, finding_set: set })),
  };
}

async function launch(configId: string): Promise<string> {
  const response = await sim.fetch(`${BASE}/scans`, {
    method: 'POST',
    headers: { 'X-Api-Key': sim.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ scan_config: { id: configId } }),
  });
  if (response.status !== 201) throw new Error(`POST /scans answered ${response.status}`);
  return (response.headers.get('location') ?? '').split('/').pop() ?? '';
}

async function searchIds(query: string): Promise<string[]> {
  const response = await sim.fetch(`${BASE}/search?size=1000`, {
    method: 'POST',
    headers: { 'X-Api-Key': sim.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'VULNERABILITY', query }),
  });
  const body = (await response.json()) as { data?: { id: string }[]; message?: string };
  if (response.status !== 200) throw new Error(`The simulator rejected ${query}: ${response.status} ${body.message ?? ''}`);
  return (body.data ?? []).map((d) => d.id).sort();
}

beforeAll(async () => {
  const clock = createManualClock();
  const world = scenario();
  sim = createSimulator({ scenario: world, clock });
  // One scan per config, one after the other (so discovery dates differ), then a re-scan of the first
  // config (so newly_discovered and last_discovered change for its findings).
  for (const config of [...world.scan_configs, world.scan_configs[0]]) {
    scans.push(await launch(config?.id ?? ''));
    clock.advance(3_600_000 + 1_234);
  }
  all = sim.state.vulnerabilities();
  for (const scan of scans) {
    findingsOf.set(
      scan,
      all.filter((v) => v.scans.some((s) => s.id === scan)).map(({ scans: _scans, ...json }) => json),
    );
  }
});

afterAll(async () => {
  await sim.close();
});

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const distinct = <T>(values: T[]): T[] => [...new Set(values)];

function likeRegex(pattern: string, flags: string): RegExp {
  const body = [...pattern].map((ch) => (ch === '%' ? '.*' : ch === '_' ? '.' : ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`, flags);
}

/** The query generator, built from the data so that conditions select some findings and not others. */
function queries(): fc.Arbitrary<string> {
  const urls = distinct(all.map((v) => v.root_cause.url));
  const methods = distinct(all.map((v) => v.root_cause.method));
  const parameters = distinct(all.flatMap((v) => (v.root_cause.parameter === undefined ? [] : [v.root_cause.parameter])));
  const modules = distinct(all.flatMap((v) => v.variances.map((x) => x.module.id)));
  const scores = distinct(all.flatMap((v) => (v.vulnerability_score === null ? [] : [v.vulnerability_score])));
  const instants = distinct(all.map((v) => Date.parse(`${v.first_discovered}Z`)));

  const fromPool = (pool: string[], extra: string[]): fc.Arbitrary<string> => fc.oneof(fc.constantFrom(...pool), fc.constantFrom(...extra));
  /** A LIKE pattern cut from a data value, kept only when case does not change its matches (see the top). */
  const likeOver = (pool: string[], flags: string): fc.Arbitrary<string> =>
    fc
      .tuple(fc.constantFrom(...pool), fc.nat(), fc.nat(), fc.constantFrom('%', '', '_'), fc.constantFrom('%', '', '_'), fc.boolean())
      .map(([value, a, b, left, right, wildcardInside]) => {
        const start = a % (value.length + 1);
        const end = start + (b % (value.length - start + 1));
        let core = value.slice(start, end);
        if (wildcardInside && core.length > 2) core = `${core.slice(0, 1)}_${core.slice(2)}`;
        return `${left}${core}${right}`;
      })
      .filter((pattern) => {
        const sensitive = likeRegex(pattern, `s${flags}`);
        const insensitive = likeRegex(pattern, 'si');
        return pool.every((value) => sensitive.test(value) === insensitive.test(value));
      });
  const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 23);
  const instant = fc.oneof(
    fc.constantFrom(...instants).chain((ms) => fc.constantFrom(ms - 1, ms, ms + 1, ms + 60_000)),
    fc.integer({ min: Date.UTC(2025, 11, 31), max: Date.UTC(2026, 0, 2) }),
  );
  const dateText = fc.tuple(instant, fc.constantFrom('', 'Z', 'seconds')).map(([ms, form]) => (form === 'seconds' ? iso(ms - (ms % 1000)).slice(0, 19) : `${iso(ms)}${form}`));
  const score = fc.oneof(fc.constantFrom(...scores), fc.integer({ min: -10, max: 110 }).map((n) => n / 10));

  const ORDER = ['=', '!=', '>', '>=', '<', '<='] as const;
  const cmp = (field: string, ops: readonly string[], value: fc.Arbitrary<string>): fc.Arbitrary<string> =>
    fc.tuple(fc.constantFrom(...ops), value).map(([op, v]) => `${field} ${op} ${v}`);
  const between = <T>(field: string, value: fc.Arbitrary<T>, order: (a: T, b: T) => number, write: (v: T) => string): fc.Arbitrary<string> =>
    fc.tuple(value, value).map(([a, b]) => {
      const [low, high] = order(a, b) <= 0 ? [a, b] : [b, a];
      return `${field} BETWEEN ${write(low)} AND ${write(high)}`;
    });
  const text = (pool: string[], extra: string[]): fc.Arbitrary<string> => fromPool(pool, extra).map(quote);
  const byText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

  const condition = fc.oneof(
    cmp('vulnerability.severity', ORDER, fc.constantFrom(...SEVERITIES).map(quote)),
    between('vulnerability.severity', fc.constantFrom(...SEVERITIES), (a, b) => severityRank(a) - severityRank(b), quote),
    cmp('vulnerability.status', ['=', '!='], fc.constantFrom(...VULNERABILITY_STATUSES).map(quote)),
    cmp('vulnerability.root_cause.method', ORDER, text(methods, ['get', 'PUT', ''])),
    fc.tuple(likeOver(methods, '')).map(([p]) => `vulnerability.root_cause.method LIKE ${quote(p)}`),
    cmp('vulnerability.root_cause.url', ORDER, text(urls, ['https://generated.example', 'https://generated.example/zzz', 'http://other.example/'])),
    fc.tuple(likeOver(urls, '')).map(([p]) => `vulnerability.root_cause.url LIKE ${quote(p)}`),
    between('vulnerability.root_cause.url', fromPool(urls, ['https://generated.example/a']), byText, quote),
    cmp('vulnerability.root_cause.parameter', ['=', '>', '>=', '<', '<='], text(parameters, ['ID', 'zzz', ''])),
    fc.tuple(likeOver(parameters, '')).map(([p]) => `vulnerability.root_cause.parameter LIKE ${quote(p)}`),
    cmp('vulnerability.vulnerability_score', ORDER, score.map(String)),
    cmp('vulnerability.vulnerabilityScore', ORDER, score.map(String)),
    between('vulnerability.vulnerability_score', score, (a, b) => a - b, String),
    cmp('vulnerability.first_discovered', ORDER, dateText.map(quote)),
    between('vulnerability.first_discovered', dateText, (a, b) => Date.parse(a.endsWith('Z') ? a : `${a}Z`) - Date.parse(b.endsWith('Z') ? b : `${b}Z`), quote),
    cmp('vulnerability.newly_discovered', ['=', '!='], fc.constantFrom('true', 'false')),
    cmp('vulnerability.variances.module.id', ['=', '!='], fc.constantFrom(...modules, ...modules.map((m) => m.toUpperCase()), '00000000-0000-4000-8000-000000000000').map(quote)),
    fc.tuple(likeOver(modules, 'i')).map(([p]) => `vulnerability.variances.module.id LIKE ${quote(p)}`),
  );
  const { expr } = fc.letrec<{ expr: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      condition,
      fc.tuple(fc.array(tie('expr'), { minLength: 2, maxLength: 3 }), fc.constantFrom(' && ', ' || '), fc.boolean()).map(([parts, op, paren]) =>
        parts.map((p) => (paren ? `(${p})` : p)).join(op),
      ),
    ),
  }));
  return expr;
}

describe('core evaluateQuery and the simulator search agree', () => {
  it('has a world worth comparing: several scans over different finding sets, varied fields', () => {
    expect(scans).toHaveLength(5);
    expect(new Set([...findingsOf.values()].map((f) => f.length)).size).toBeGreaterThan(2);
    expect(new Set(all.map((v) => v.first_discovered)).size).toBeGreaterThan(2);
    expect(new Set(all.map((v) => v.newly_discovered)).size).toBe(2);
    expect(all.some((v) => v.root_cause.parameter === undefined)).toBe(true);
  });

  it(`on ${RUNS} generated (query, finding set) pairs`, async () => {
    let nonTrivial = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 4 }), queries(), async (scanIndex, source) => {
        const scan = scans[scanIndex] ?? '';
        const parsed = parseQuery(source);
        if (!parsed.ok) throw new Error(`the generator made an invalid query: ${parsed.error.message}\n${parsed.error.diagnostic}`);
        const findings = findingsOf.get(scan) ?? [];
        const local = findings
          .filter((v) => evaluateQuery(parsed.query, v, { scanIds: [scan] }))
          .map((v) => String(v['id']))
          .sort();
        const server = await searchIds(`vulnerability.scans.id=${quote(scan)} && (${formatQuery(parsed.query)})`);
        if (local.length > 0 && local.length < findings.length) nonTrivial += 1;
        expect(server).toEqual(local);
      }),
      { numRuns: RUNS },
    );
    // The comparison means something only if many queries split the findings.
    expect(nonTrivial).toBeGreaterThan(RUNS / 4);
  });
});
