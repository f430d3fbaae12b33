// Agreement (issue 3, "Done when"; issue 20): core's parser and evaluator and the simulator's POST /search, two
// independent readings of the same language, must give the same verdict on every query: both refuse it, or both
// match the same findings. Each run draws a scan S and a query Q and compares the ids the simulator returns for
// `vulnerability.scans.id='S' && (Q)` with the ids evaluateQuery matches over S's findings (context scanIds [S]).
//
// Nothing is left out. The generator covers every field both sides know, every operator on every field (also
// those a field's type refuses), LIKE patterns whose result depends on letter case, != on fields that are
// often missing, and the forms both refuse where the real API is unknown (docs/query-language.md): a date alone,
// exponent numbers, field names in another case, CONTAINS.
//
// Seeded (project rule): a failure prints its seed and path; IAS_FUZZ_SEED=<seed> replays it. The per-file timeout is
// sized for a loaded 2-core machine; alone the property takes about a second.
import { createManualClock, createSimulator, generateScenario, type Scenario, type Simulator, type SimVulnerability } from '@ias/simulator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateQuery } from './evaluate';
import { SEVERITIES, VULNERABILITY_STATUSES } from './fields';
import { formatQuery } from './format-query';
import { parseQuery } from './parse-query';

const BASE = 'http://ias.sim.test/ias/v1';
const RUNS = 1_000;
const SEED = Number(process.env['IAS_FUZZ_SEED'] ?? 20_261_202);
const TIMEOUT_MS = 90_000;

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

/** The ids the simulator's search matches, or 'refused' when it answers 400. */
async function searchIds(query: string): Promise<string[] | 'refused'> {
  const response = await sim.fetch(`${BASE}/search?size=1000`, {
    method: 'POST',
    headers: { 'X-Api-Key': sim.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'VULNERABILITY', query }),
  });
  const body = (await response.json()) as { data?: { id: string }[]; message?: string };
  if (response.status === 400) return 'refused';
  if (response.status !== 200) throw new Error(`The simulator answered ${response.status} to ${query}: ${body.message ?? ''}`);
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
}, TIMEOUT_MS);

afterAll(async () => {
  await sim.close();
});

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const distinct = <T>(values: T[]): T[] => [...new Set(values)];

/** The query generator, built from the data so that conditions select some findings and not others. */
function queries(): fc.Arbitrary<string> {
  const urls = distinct(all.map((v) => v.root_cause.url));
  const methods = distinct(all.map((v) => v.root_cause.method));
  const parameters = distinct(all.flatMap((v) => (v.root_cause.parameter === undefined ? [] : [v.root_cause.parameter])));
  const modules = distinct(all.flatMap((v) => v.variances.map((x) => x.module.id)));
  const attacks = distinct(all.flatMap((v) => v.variances.map((x) => x.attack.id)));
  const scores = distinct(all.flatMap((v) => (v.vulnerability_score === null ? [] : [v.vulnerability_score])));
  const instants = distinct(all.map((v) => Date.parse(`${v.first_discovered}Z`)));
  const apps = distinct(all.map((v) => v.app.id));

  const fromPool = (pool: string[], extra: string[]): fc.Arbitrary<string> => fc.oneof(fc.constantFrom(...pool), fc.constantFrom(...extra));
  /** A LIKE pattern cut from a data value, its letters' case sometimes flipped (case matters on text, not on ids). */
  const likeOver = (pool: string[]): fc.Arbitrary<string> =>
    fc
      .tuple(fc.constantFrom(...pool), fc.nat(), fc.nat(), fc.constantFrom('%', '', '_'), fc.constantFrom('%', '', '_'), fc.boolean(), fc.constantFrom('same', 'same', 'upper', 'lower'))
      .map(([value, a, b, left, right, wildcardInside, letterCase]) => {
        const start = a % (value.length + 1);
        const end = start + (b % (value.length - start + 1));
        let core = value.slice(start, end);
        if (wildcardInside && core.length > 2) core = `${core.slice(0, 1)}_${core.slice(2)}`;
        if (letterCase === 'upper') core = core.toUpperCase();
        if (letterCase === 'lower') core = core.toLowerCase();
        return `${left}${core}${right}`;
      });
  const iso = (ms: number): string => new Date(ms).toISOString().slice(0, 23);
  const instant = fc.oneof(
    fc.constantFrom(...instants).chain((ms) => fc.constantFrom(ms - 1, ms, ms + 1, ms + 60_000)),
    fc.integer({ min: Date.UTC(2025, 11, 31), max: Date.UTC(2026, 0, 2) }),
  );
  // Date-times in every accepted form, plus a date alone (both refuse it).
  const dateText = fc
    .tuple(instant, fc.constantFrom('', 'Z', 'seconds', '+01:00', 'micros', 'day'))
    .map(([ms, form]) => {
      if (form === 'day') return iso(ms).slice(0, 10);
      if (form === 'seconds') return iso(ms - (ms % 1000)).slice(0, 19);
      if (form === '+01:00') return `${iso(ms + 3_600_000)}+01:00`;
      if (form === 'micros') return `${iso(ms)}417`;
      return `${iso(ms)}${form}`;
    });
  const score = fc.oneof(fc.constantFrom(...scores), fc.integer({ min: -10, max: 110 }).map((n) => n / 10));
  // Numbers as written: plain, quoted, and in exponent form (both refuse that).
  const numberText = fc.tuple(score, fc.constantFrom('plain', 'plain', 'plain', 'quoted', 'exponent')).map(([n, form]) => (form === 'quoted' ? quote(String(n)) : form === 'exponent' ? n.toExponential() : String(n)));

  const OPS = ['=', '!=', '>', '>=', '<', '<='] as const;
  const anyOp = (field: string, value: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(fc.constantFrom(...OPS), value).map(([op, v]) => `${field} ${op} ${v}`);
  const like = (field: string, pattern: fc.Arbitrary<string>): fc.Arbitrary<string> => pattern.map((p) => `${field} LIKE ${quote(p)}`);
  const between = (field: string, value: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(value, value).map(([a, b]) => `${field} BETWEEN ${a} AND ${b}`);
  const text = (pool: string[], extra: string[]): fc.Arbitrary<string> => fromPool(pool, extra).map(quote);
  const uuid = (pool: string[]): fc.Arbitrary<string> => fc.constantFrom(...pool, ...pool.map((m) => m.toUpperCase()), '00000000-0000-4000-8000-000000000000', 'not-a-uuid').map(quote);
  const severity = fc.constantFrom(...SEVERITIES, 'high', 'Medium', 'SEVERE').map(quote);
  const status = fc.constantFrom(...VULNERABILITY_STATUSES, 'verified', 'OPEN').map(quote);
  /** A field name as written: usually exact, sometimes in another case (both refuse that). */
  const name = (field: string): fc.Arbitrary<string> =>
    fc.constantFrom('exact', 'exact', 'exact', 'exact', 'exact', 'exact', 'exact', 'other').map((form) => (form === 'exact' ? field : field.replace(/^v/, 'V').replace(/\.([a-z])/, (_, c: string) => `.${c.toUpperCase()}`)));
  const on = (field: string, build: (name: string) => fc.Arbitrary<string>): fc.Arbitrary<string> => name(field).chain(build);

  // Mostly conditions both accept (so matches are compared), one in five from the wider set above.
  const EQ = ['=', '!='] as const;
  const cmp = (field: string, ops: readonly string[], value: fc.Arbitrary<string>): fc.Arbitrary<string> => fc.tuple(fc.constantFrom(...ops), value).map(([op, v]) => `${field} ${op} ${v}`);
  const ordered = (field: string, value: fc.Arbitrary<number>, write: (n: number) => string): fc.Arbitrary<string> =>
    fc.tuple(value, value).map(([a, b]) => `${field} BETWEEN ${write(Math.min(a, b))} AND ${write(Math.max(a, b))}`);
  const validDate = fc.tuple(instant, fc.constantFrom('', 'Z', '+01:00')).map(([ms, form]) => quote(form === '+01:00' ? `${iso(ms + 3_600_000)}+01:00` : `${iso(ms)}${form}`));
  const accepted = fc.oneof(
    cmp('vulnerability.severity', OPS, fc.constantFrom(...SEVERITIES).map(quote)),
    cmp('vulnerability.status', EQ, fc.constantFrom(...VULNERABILITY_STATUSES).map(quote)),
    cmp('vulnerability.root_cause.method', OPS, text(methods, ['get', 'PUT'])),
    like('vulnerability.root_cause.method', likeOver(methods)),
    cmp('vulnerability.root_cause.url', OPS, text(urls, ['https://generated.example/zzz'])),
    like('vulnerability.root_cause.url', likeOver(urls)),
    cmp('vulnerability.root_cause.parameter', OPS, text(parameters, ['ID', 'zzz'])),
    like('vulnerability.root_cause.parameter', likeOver(parameters)),
    cmp('vulnerability.variances.attack.id', OPS, text(attacks, ['xframeattack_1'])),
    cmp('vulnerability.vulnerability_score', OPS, score.map(String)),
    cmp('vulnerability.vulnerabilityScore', OPS, score.map(String)),
    ordered('vulnerability.vulnerability_score', score, String),
    cmp('vulnerability.first_discovered', OPS, validDate),
    ordered('vulnerability.last_discovered', instant, (ms) => quote(iso(ms))),
    cmp('vulnerability.newly_discovered', EQ, fc.constantFrom('true', 'false')),
    cmp('vulnerability.variances.module.id', EQ, fc.constantFrom(...modules, ...modules.map((m) => m.toUpperCase())).map(quote)),
    like('vulnerability.variances.module.id', likeOver(modules)),
  );
  const wide = fc.oneof(
    on('vulnerability.severity', (f) => fc.oneof(anyOp(f, severity), between(f, severity), like(f, fc.constantFrom('H%', 'high')))),
    on('vulnerability.status', (f) => fc.oneof(anyOp(f, status), between(f, status))),
    on('vulnerability.root_cause.method', (f) => fc.oneof(anyOp(f, text(methods, ['get', 'PUT', ''])), like(f, likeOver(methods)))),
    on('vulnerability.root_cause.url', (f) => fc.oneof(anyOp(f, text(urls, ['https://generated.example', 'https://generated.example/zzz', 'http://other.example/'])), like(f, likeOver(urls)), between(f, text(urls, ['https://generated.example/a'])))),
    on('vulnerability.root_cause.parameter', (f) => fc.oneof(anyOp(f, text(parameters, ['ID', 'zzz', ''])), like(f, likeOver(parameters)))),
    on('vulnerability.variances.attack.id', (f) => fc.oneof(anyOp(f, text(attacks, ['xframeattack_1'])), like(f, likeOver(attacks)))),
    on('vulnerability.vulnerability_score', (f) => fc.oneof(anyOp(f, numberText), between(f, numberText), like(f, fc.constantFrom('9%')))),
    on('vulnerability.vulnerabilityScore', (f) => anyOp(f, numberText)),
    on('vulnerability.first_discovered', (f) => fc.oneof(anyOp(f, dateText.map(quote)), between(f, dateText.map(quote)))),
    on('vulnerability.last_discovered', (f) => anyOp(f, dateText.map(quote))),
    on('vulnerability.newly_discovered', (f) => anyOp(f, fc.constantFrom('true', 'false', "'TRUE'", '1'))),
    on('vulnerability.variances.module.id', (f) => fc.oneof(anyOp(f, uuid(modules)), like(f, likeOver(modules)))),
    on('vulnerability.app.id', (f) => anyOp(f, uuid(apps))),
    fc.constantFrom("vulnerability.root_cause.url CONTAINS 'a'", "vulnerability.root_cause.method contains 'GET'"),
  );
  const condition = fc.oneof({ arbitrary: accepted, weight: 4 }, { arbitrary: wide, weight: 1 });
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
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: 4 }), queries(), async (scanIndex, source) => {
        const scan = scans[scanIndex] ?? '';
        const parsed = parseQuery(source);
        // The same text the gate sends: core's canonical form when it accepts the query, the text as written when not.
        const server = await searchIds(`vulnerability.scans.id=${quote(scan)} && (${parsed.ok ? formatQuery(parsed.query) : source})`);
        if (!parsed.ok) {
          refused += 1;
          expect(server, `core refused ${source}: ${parsed.error.message}`).toBe('refused');
          return;
        }
        const findings = findingsOf.get(scan) ?? [];
        const local = findings
          .filter((v) => evaluateQuery(parsed.query, v, { scanIds: [scan] }))
          .map((v) => String(v['id']))
          .sort();
        if (local.length > 0 && local.length < findings.length) nonTrivial += 1;
        expect(server).toEqual(local);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    // The comparison means something only if many queries split the findings, and refusals are compared too.
    expect(nonTrivial).toBeGreaterThan(RUNS / 4);
    expect(refused).toBeGreaterThan(RUNS / 10);
  }, TIMEOUT_MS);
});
