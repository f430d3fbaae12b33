// Properties of core's query parser and evaluator, shared by the CI run (query-fuzz.test.ts, 5,000 cases per
// property) and the long run (fuzz.ts, 100,000 cases per property). Only @ias/core's root entry is used.
import { evaluateQuery, formatQuery, parseQuery, QueryError, SEVERITIES, VULNERABILITY_STATUSES, type ParsedQuery } from '@ias/core';
import fc from 'fast-check';

// ---- Generators ----

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Text without typographic quotes (the lexer reads those as a mistyped closing quote, by design). */
const plainText = fc
  .string({ maxLength: 10, unit: fc.oneof(fc.constantFrom('a', 'B', '/', '.', '-', "'", '%', '_', ' ', 'é', '字', '😀', '\n'), fc.string({ minLength: 1, maxLength: 1 })) })
  .filter((t) => !/[\u2018\u2019\u201C\u201D]/.test(t));
const uuid = fc.uuid();
const apiDate = fc
  .tuple(fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2035, 11, 31)), noInvalidDate: true }), fc.constantFrom('', '.5', '.123', '.686575'))
  .map(([d, fraction]) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${fraction}`);
const queryDate = fc.oneof(apiDate, apiDate.map((d) => `${d.slice(0, 19)}Z`)); // a date alone is refused (docs/query-language.md)
const score = fc.oneof(fc.integer({ min: -5, max: 15 }), fc.double({ min: -1, max: 11, noNaN: true }).map((n) => Math.round(n * 100) / 100));

type Kind = 'string' | 'uuid' | 'severity' | 'status' | 'number' | 'date' | 'boolean';

/** Fields by type (the VULNERABILITY catalogue of core's query README), the scan relation aside. */
const FIELDS: Record<Kind, readonly string[]> = {
  string: ['vulnerability.root_cause.url', 'vulnerability.root_cause.method', 'vulnerability.root_cause.parameter', 'vulnerability.variances.attack.id', 'vulnerability.insight_ui_url'],
  uuid: ['vulnerability.id', 'vulnerability.app.id', 'vulnerability.variances.module.id', 'vulnerability.scans.id'],
  severity: ['vulnerability.severity'],
  status: ['vulnerability.status'],
  number: ['vulnerability.vulnerabilityScore', 'vulnerability.vulnerability_score'],
  date: ['vulnerability.first_discovered', 'vulnerability.last_discovered'],
  boolean: ['vulnerability.newly_discovered'],
};
/** Fields with one value per vulnerability (not variances, not scans). */
const SINGLE: ReadonlySet<string> = new Set([
  'vulnerability.root_cause.url',
  'vulnerability.root_cause.method',
  'vulnerability.root_cause.parameter',
  'vulnerability.insight_ui_url',
  'vulnerability.id',
  'vulnerability.app.id',
  'vulnerability.severity',
  'vulnerability.status',
  'vulnerability.vulnerabilityScore',
  'vulnerability.vulnerability_score',
  'vulnerability.first_discovered',
  'vulnerability.last_discovered',
  'vulnerability.newly_discovered',
]);
const ORDERED: readonly Kind[] = ['string', 'severity', 'number', 'date'];

/** A shared pool of values, so generated data and queries often meet. */
const POOL = {
  uuids: ['0b6b2a1e-53c8-4c6a-9a62-3f3b4b4b0b11', 'a0000000-0000-4000-8000-000000000001', 'F0000000-0000-4000-8000-000000000007'],
  strings: ['GET', 'POST', 'https://shop.example/a', 'id', "it's", 'XFrameAttack_1', ''],
};

const valueOf: Record<Kind, fc.Arbitrary<string>> = {
  string: fc.oneof(fc.constantFrom(...POOL.strings), plainText).map(quote),
  uuid: fc.oneof(fc.constantFrom(...POOL.uuids), uuid).map(quote),
  severity: fc.constantFrom(...SEVERITIES, 'high', 'Critical').map(quote),
  status: fc.constantFrom(...VULNERABILITY_STATUSES, 'verified').map(quote),
  number: score.map(String),
  date: queryDate.map(quote),
  boolean: fc.constantFrom('true', 'false', 'TRUE', "'false'"),
};

/** A condition on one field: `f op v`, `f LIKE p` or `f BETWEEN a AND b` as the type allows. */
interface Condition {
  kind: Kind;
  field: string;
  text: string;
}
const conditionArb: fc.Arbitrary<Condition> = fc.constantFrom(...(Object.keys(FIELDS) as Kind[])).chain((kind) =>
  fc.constantFrom(...FIELDS[kind]).chain((field) => {
    const ops = ORDERED.includes(kind) ? ['=', '!=', '>', '>=', '<', '<='] : ['=', '!='];
    const forms: fc.Arbitrary<string>[] = [fc.tuple(fc.constantFrom(...ops), valueOf[kind]).map(([op, v]) => `${field} ${op} ${v}`)];
    if (kind === 'string' || kind === 'uuid') forms.push(fc.oneof(plainText, fc.constantFrom('%', '_%', '%a%', 'GET')).map((p) => `${field} LIKE ${quote(p)}`));
    return fc.oneof(...forms).map((text) => ({ kind, field, text }));
  }),
);

/** A valid query: conditions joined by && and ||, with parentheses. */
const queryArb: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    conditionArb.map((c) => c.text),
    fc.tuple(tie('expr'), fc.constantFrom(' && ', ' || ', '&&', '||'), tie('expr')).map(([a, op, b]) => `(${a})${op}(${b})`),
  ),
})).expr;

/** A value that is sometimes of the wrong type. */
const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<unknown> => fc.oneof({ weight: 6, arbitrary: arb }, { weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.anything({ maxDepth: 1 }) });

/** A vulnerability as the API might send it: mostly well formed, with missing, null, wrongly typed and unknown values. */
const vulnerabilityArb: fc.Arbitrary<Record<string, unknown>> = fc
  .record(
    {
      id: maybe(fc.oneof(fc.constantFrom(...POOL.uuids), uuid)),
      app: maybe(fc.record({ id: maybe(fc.oneof(fc.constantFrom(...POOL.uuids), uuid)) })),
      severity: maybe(fc.constantFrom(...SEVERITIES, 'SEVERE', 'high', 'Unknown')),
      status: maybe(fc.constantFrom(...VULNERABILITY_STATUSES, 'TRIAGED', 'verified')),
      root_cause: maybe(fc.record({ url: maybe(fc.oneof(fc.constantFrom(...POOL.strings), plainText)), method: maybe(fc.constantFrom('GET', 'POST', 'get')), parameter: maybe(fc.oneof(fc.constantFrom(...POOL.strings), plainText)) }, { requiredKeys: [] })),
      variances: maybe(fc.array(fc.record({ module: maybe(fc.record({ id: maybe(fc.oneof(fc.constantFrom(...POOL.uuids), uuid)) })), attack: maybe(fc.record({ id: maybe(fc.oneof(fc.constantFrom(...POOL.strings), plainText)) })) }, { requiredKeys: [] }), { maxLength: 3 })),
      first_discovered: maybe(fc.oneof(apiDate, fc.constant('not a date'), fc.constant(''))),
      last_discovered: maybe(apiDate),
      newly_discovered: maybe(fc.boolean()),
      vulnerability_score: maybe(fc.oneof(score, score.map(String))),
      insight_ui_url: maybe(plainText),
    },
    { requiredKeys: [] },
  )
  .map((v) => JSON.parse(JSON.stringify(v)) as Record<string, unknown>);

/** Anything at all, including non-objects. */
const anyData = fc.oneof({ weight: 5, arbitrary: vulnerabilityArb }, { weight: 1, arbitrary: fc.anything() });
const scanIds = fc.array(fc.oneof(fc.constantFrom(...POOL.uuids), uuid), { maxLength: 2 });

/** Arbitrary text, query-shaped noise and mutated valid queries. */
const queryish = fc
  .array(
    fc.oneof(
      fc.constantFrom('vulnerability.severity', 'vulnerability.status', 'vulnerability.first_discovered', 'severity', "'HIGH'", "'HIGH’", '‘', '“', '"', "'", '=', '==', '!=', '<>', '>=', '&&', '||', '&', '(', ')', 'AND', 'LIKE', 'BETWEEN', 'NOT', 'IN', 'NULL', 'true', '7.5', '1e999', '-', ' ', '\n'),
      fc.string({ maxLength: 3 }),
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(''));
const mutated = fc.tuple(queryArb, fc.nat(), fc.constantFrom('delete', 'replace', 'insert'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })).map(([q, at, how, ch]) => {
  const i = q.length === 0 ? 0 : at % q.length;
  if (how === 'delete') return q.slice(0, i) + q.slice(i + 1);
  if (how === 'replace') return q.slice(0, i) + ch + q.slice(i + 1);
  return q.slice(0, i) + ch + q.slice(i);
});
const anyText = fc.oneof(fc.string({ maxLength: 80 }), fc.string({ maxLength: 40, unit: 'binary' }), fc.string({ maxLength: 30, unit: 'grapheme' }), queryish, mutated, queryArb);

// ---- Helpers ----

function parsed(text: string): ParsedQuery {
  const result = parseQuery(text);
  if (!result.ok) throw new Error(`generated query does not parse: ${text}\n${result.error.message}\n${result.error.diagnostic}`);
  return result.query;
}

function check(condition: boolean, message: () => string): void {
  if (!condition) throw new Error(message());
}

// ---- Properties ----

/** One named property: `check(runs, seed?)` asserts it with fast-check. */
export interface QueryProperty {
  name: string;
  check(runs: number, seed?: number): void;
}

/** The properties, in the order RESULTS.md and the fuzz script list them. */
export function queryProperties(): QueryProperty[] {
  const list: QueryProperty[] = [];
  const add = <Ts extends [unknown, ...unknown[]]>(name: string, property: fc.IPropertyWithHooks<Ts>): void => {
    list.push({ name, check: (runs, seed) => fc.assert(property, { numRuns: runs, ...(seed === undefined ? {} : { seed }) }) });
  };

  add(
    'parseQuery never throws; an error is a QueryError with a span inside the text and a caret diagnostic',
    fc.property(anyText, (text) => {
      const result = parseQuery(text);
      if (result.ok) {
        check(result.query.source === text, () => 'source not kept');
        return;
      }
      const { error } = result;
      check(error instanceof QueryError && error.code === 'QUERY_INVALID', () => `not a QueryError: ${String(error)}`);
      check(error.cause === undefined, () => `internal defect reported as a query error for ${JSON.stringify(text)}: ${String(error.cause)}`);
      check(error.span.start >= 0 && error.span.start <= error.span.end && error.span.end <= text.length, () => `span ${JSON.stringify(error.span)} outside ${JSON.stringify(text)}`);
      check(error.diagnostic.includes('^') && error.message.length > 0, () => 'no diagnostic');
    }),
  );

  add(
    'generated valid queries parse, and formatQuery text parses back to a query that evaluates the same',
    fc.property(queryArb, fc.array(anyData, { maxLength: 4 }), scanIds, (text, data, ids) => {
      const query = parsed(text);
      const again = parsed(formatQuery(query));
      for (const v of data) check(evaluateQuery(query, v, { scanIds: ids }) === evaluateQuery(again, v, { scanIds: ids }), () => `formatQuery changed the meaning of ${text}`);
    }),
  );

  add(
    'evaluateQuery never throws and returns a boolean, whatever the data',
    fc.property(queryArb, anyData, fc.option(scanIds, { nil: undefined }), (text, data, ids) => {
      const query = parsed(text);
      const result = ids === undefined ? evaluateQuery(query, data) : evaluateQuery(query, data, { scanIds: ids });
      check(typeof result === 'boolean', () => `returned ${typeof result}`);
    }),
  );

  add(
    '&& and || are conjunction and disjunction, with && binding tighter',
    fc.property(conditionArb, conditionArb, conditionArb, anyData, scanIds, (a, b, c, data, ids) => {
      const ctx = { scanIds: ids };
      const ev = (t: string): boolean => evaluateQuery(parsed(t), data, ctx);
      const [x, y, z] = [ev(a.text), ev(b.text), ev(c.text)];
      check(ev(`${a.text} && ${b.text}`) === (x && y), () => 'AND');
      check(ev(`${a.text} || ${b.text}`) === (x || y), () => 'OR');
      check(ev(`${a.text} || ${b.text} && ${c.text}`) === (x || (y && z)), () => 'precedence');
      check(ev(`(${a.text} || ${b.text}) && ${c.text}`) === ((x || y) && z), () => 'parentheses');
    }),
  );

  add(
    '= and != never both hold; on a single-valued field that is present, exactly one holds',
    fc.property(
      fc.constantFrom(...(Object.keys(FIELDS) as Kind[])).chain((kind) => fc.tuple(fc.constant(kind), fc.constantFrom(...FIELDS[kind]), valueOf[kind])),
      anyData,
      scanIds,
      ([, field, value], data, ids) => {
        const ctx = { scanIds: ids };
        const eq = evaluateQuery(parsed(`${field} = ${value}`), data, ctx);
        const ne = evaluateQuery(parsed(`${field} != ${value}`), data, ctx);
        check(!(eq && ne), () => `both = and != hold for ${field} ${value} on ${JSON.stringify(data)}`);
        // Presence: some comparison of the field holds (a missing field matches nothing, != included).
        const present = evaluateQuery(parsed(`${field} = ${value} || ${field} != ${value}`), data, ctx);
        if (SINGLE.has(field) && present) check(eq !== ne, () => 'exactly one');
      },
    ),
  );

  add(
    'ordered fields: >= is > or =; <= is < or =; on single values <, = and > are a trichotomy and BETWEEN a AND b is >= a and <= b',
    fc.property(
      fc.constantFrom(...ORDERED).chain((kind) => fc.tuple(fc.constant(kind), fc.constantFrom(...FIELDS[kind]), valueOf[kind], valueOf[kind])),
      anyData,
      ([, field, value, other], data) => {
        const ev = (t: string): boolean => evaluateQuery(parsed(t), data);
        const lt = ev(`${field} < ${value}`);
        const eq = ev(`${field} = ${value}`);
        const gt = ev(`${field} > ${value}`);
        check(ev(`${field} >= ${value}`) === (gt || eq), () => `>= on ${field} ${value}`);
        check(ev(`${field} <= ${value}`) === (lt || eq), () => `<= on ${field} ${value}`);
        // A multi-valued field (variances) matches when any value does, so only single values form a trichotomy.
        if (!SINGLE.has(field)) return;
        check(Number(lt) + Number(eq) + Number(gt) <= 1, () => `more than one of <, =, > for ${field} ${value} on ${JSON.stringify(data)}`);
        // Strings in other scripts and enum values compare fine; only a present, well-typed value must fall in one of the three.
        const present = ev(`${field} = ${value} || ${field} != ${value}`);
        if (present) check(Number(lt) + Number(eq) + Number(gt) === 1, () => `none of <, =, > for ${field} ${value} on ${JSON.stringify(data)}`);
        // BETWEEN needs ordered bounds; a reversed pair is a query error, which is fine too.
        const between = parseQuery(`${field} BETWEEN ${value} AND ${other}`);
        if (between.ok) {
          check(evaluateQuery(between.query, data) === (ev(`${field} >= ${value}`) && ev(`${field} <= ${other}`)), () => `BETWEEN on ${field} ${value} ${other}`);
        }
      },
    ),
  );

  add(
    "a condition on a missing field never matches, != included; LIKE '%' matches every present text value",
    fc.property(conditionArb, vulnerabilityArb, ({ field, kind, text }, data) => {
      check(!evaluateQuery(parsed(text), {}, { scanIds: [] }), () => `${text} matched an empty vulnerability`);
      if (kind === 'string') {
        const like = evaluateQuery(parsed(`${field} LIKE '%'`), data);
        const present = evaluateQuery(parsed(`${field} = 'x' || ${field} != 'x'`), data);
        check(like === present, () => `LIKE '%' on ${field}: ${like}, present: ${present}`);
      }
    }),
  );

  return list;
}

/** Asserts every property with `runs` cases each; returns the names and runs for RESULTS.md. */
export function runQueryProperties(runs: number, seed?: number): { property: string; runs: number; pass: boolean }[] {
  return queryProperties().map(({ name, check: assertProperty }) => {
    assertProperty(runs, seed);
    return { property: name, runs, pass: true };
  });
}
