// Property-based tests of the query language (issue 3, "Done when"): the parser never throws anything but a
// QueryError, and formatQuery's text parses back to the same tree.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QueryError } from '../errors';
import type { ParsedQuery } from './ast';
import { formatQuery } from './format-query';
import { assertValidQuery, parseQuery } from './parse-query';
import { SEVERITIES, VULNERABILITY_STATUSES, severityRank } from './fields';

const RUNS = 1_000;
// Seeded (project rule): a failure prints its seed; IAS_FUZZ_SEED=<seed> replays it.
const SEED = Number(process.env['IAS_FUZZ_SEED'] ?? 20_261_202);
const TIMEOUT_MS = 60_000; // generous for a loaded 2-core machine; alone the file takes about a second

// ---- A generator of valid query text, in every spelling the grammar allows (README.md). ----

/** Optional and required whitespace between tokens. */
const ws0 = fc.constantFrom('', '', ' ', '  ', '\t', '\n', ' \r\n ');
const ws1 = fc.constantFrom(' ', ' ', '  ', '\t', '\n');

const anyCase = (word: string): fc.Arbitrary<string> =>
  fc.array(fc.boolean(), { minLength: word.length, maxLength: word.length }).map((upper) => [...word].map((ch, i) => (upper[i] === true ? ch.toUpperCase() : ch.toLowerCase())).join(''));

const quote = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** A value as written plus a sort key for BETWEEN (bounds must be in order). */
interface Written {
  text: string;
  key: number | string;
}

// The lexer reports a typographic quote followed by query syntax inside a string as a mistyped closing quote
// (README: the official example 'HIGH’). Generated text values avoid those characters; the heuristic has its
// own table tests.
const plainText = fc.string({ maxLength: 12, unit: fc.oneof(fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }), fc.constantFrom("'", '%', '_', 'é', '字', '\n', '\t', '😀')) }).filter((t) => !/[\u2018\u2019\u201C\u201D]/.test(t));
const stringValue: fc.Arbitrary<Written> = plainText.map((t) => ({ text: quote(t), key: t }));
const uuidValue: fc.Arbitrary<Written> = fc.tuple(fc.uuid(), fc.boolean()).map(([id, upper]) => ({ text: quote(upper ? id.toUpperCase() : id), key: id }));
const severityValue: fc.Arbitrary<Written> = fc.constantFrom(...SEVERITIES).chain((s) => anyCase(s).map((text) => ({ text: quote(text), key: severityRank(s) })));
const statusValue: fc.Arbitrary<Written> = fc.constantFrom(...VULNERABILITY_STATUSES).chain((s) => anyCase(s).map((text) => ({ text: quote(text), key: s })));
const booleanValue: fc.Arbitrary<Written> = fc.oneof(anyCase('true'), anyCase('false'), fc.constantFrom("'true'", "'FALSE'")).map((text) => ({ text, key: 0 }));
const numberValue: fc.Arbitrary<Written> = fc
  .tuple(
    fc.constantFrom('', '-'),
    fc.oneof(fc.nat({ max: 100_000 }).map(String), fc.constant('')),
    fc.oneof(fc.constant(''), fc.nat({ max: 999 }).map((n) => `.${n}`)),
    fc.boolean(),
  )
  .filter(([, int, fraction]) => int !== '' || fraction !== '')
  .map(([sign, int, fraction, quoted]) => {
    const text = `${sign}${int}${fraction}`;
    return { text: quoted ? quote(text) : text, key: Number(text) };
  });
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const dateValue: fc.Arbitrary<Written> = fc
  .tuple(
    fc.date({ min: new Date(Date.UTC(1000, 0, 1)), max: new Date(Date.UTC(9999, 11, 30)), noInvalidDate: true }),
    fc.constantFrom('seconds', 'millis', 'micros'),
    fc.constantFrom('', 'Z', '+02:00', '-05:30'),
  )
  .map(([date, precision, zone]) => {
    const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
    const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
    const fraction = precision === 'millis' ? `.${pad(date.getUTCMilliseconds(), 3)}` : precision === 'micros' ? `.${pad(date.getUTCMilliseconds(), 3)}123` : '';
    const offsetMinutes = zone === '+02:00' ? 120 : zone === '-05:30' ? -330 : 0;
    const ms = date.getTime() - (precision === 'seconds' ? date.getUTCMilliseconds() : 0) - offsetMinutes * 60_000;
    return { text: quote(`${day}T${time}${fraction}${zone}`), key: ms };
  });

type Kind = 'string' | 'uuid' | 'severity' | 'status' | 'number' | 'date' | 'boolean';
const FIELDS: Record<Kind, readonly string[]> = {
  string: ['vulnerability.root_cause.url', 'vulnerability.root_cause.method', 'vulnerability.root_cause.parameter', 'vulnerability.variances.attack.id', 'vulnerability.insight_ui_url'],
  uuid: ['vulnerability.id', 'vulnerability.app.id', 'vulnerability.scans.id', 'vulnerability.variances.module.id'],
  severity: ['vulnerability.severity'],
  status: ['vulnerability.status'],
  number: ['vulnerability.vulnerabilityScore', 'vulnerability.vulnerability_score'],
  date: ['vulnerability.first_discovered', 'vulnerability.last_discovered'],
  boolean: ['vulnerability.newly_discovered'],
};
const VALUES: Record<Kind, fc.Arbitrary<Written>> = { string: stringValue, uuid: uuidValue, severity: severityValue, status: statusValue, number: numberValue, date: dateValue, boolean: booleanValue };
const ORDERED: readonly Kind[] = ['string', 'severity', 'number', 'date'];
const EQUALITY = ['=', '!='] as const;
const ALL_OPERATORS = ['=', '!=', '>', '>=', '<', '<='] as const;

const condition: fc.Arbitrary<string> = fc.constantFrom(...(Object.keys(FIELDS) as Kind[])).chain((kind) => {
  const field = fc.constantFrom(...FIELDS[kind]);
  const value = VALUES[kind];
  const forms: fc.Arbitrary<string>[] = [
    fc.tuple(field, ws0, fc.constantFrom(...(ORDERED.includes(kind) ? ALL_OPERATORS : EQUALITY)), ws0, value).map(([f, a, op, b, v]) => `${f}${a}${op}${b}${v.text}`),
  ];
  if (kind === 'string' || kind === 'uuid') {
    forms.push(fc.tuple(field, ws1, anyCase('like'), ws1, stringValue).map(([f, a, like, b, v]) => `${f}${a}${like}${b}${v.text}`));
  }
  if (ORDERED.includes(kind)) {
    forms.push(
      fc.tuple(field, ws1, anyCase('between'), ws1, value, value, ws1, anyCase('and'), ws1).map(([f, a, between, b, x, y, c, and, d]) => {
        const [low, high] = x.key <= y.key ? [x, y] : [y, x];
        return `${f}${a}${between}${b}${low.text}${c}${and}${d}${high.text}`;
      }),
    );
  }
  return fc.oneof(...forms);
});

/** A valid query: conditions joined by && and ||, with necessary and redundant parentheses. */
function queryArbitrary(): fc.Arbitrary<string> {
  const { expr } = fc.letrec<{ expr: string; group: string }>((tie) => ({
    expr: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      condition,
      fc.tuple(fc.array(tie('group'), { minLength: 2, maxLength: 3 }), fc.constantFrom('&&', '||'), ws0).map(([parts, op, space]) => parts.join(`${space}${op}${space}`)),
    ),
    group: fc.oneof(tie('expr').map((e) => `(${e})`), condition, tie('expr').map((e) => `( ${e} )`)),
  }));
  return fc.tuple(ws0, expr, ws0).map(([a, e, b]) => `${a}${e}${b}`);
}

/** The tree without positions and spellings, which formatting changes by design. */
function shape(query: ParsedQuery): unknown {
  return JSON.parse(
    JSON.stringify(query.expression, (key, value: unknown) => {
      if (key === 'span' || key === 'operatorSpan' || key === 'written') return undefined;
      // formatQuery writes -0 as 0 (String(-0)); the two compare equal everywhere, so the trees are the same.
      if (typeof value === 'number' && Object.is(value, -0)) return 0;
      return value;
    }),
  );
}

/** Query-like noise: the characters and words the lexer and parser branch on. */
const queryish = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'vulnerability.severity', 'vulnerability.status', 'vulnerability.vulnerability_score', 'vulnerability.first_discovered', 'vulnerability.root_cause.url',
        'severity', 'vulnerability.Severity', 'vulnerability.', '.', "'HIGH'", "'high'", "'HIGH’", '‘', '“', '"', "'", "''", '=', '==', '!=', '<>', '<', '<=',
        '>', '>=', '!', '&&', '&', '||', '|', '(', ')', ',', 'AND', 'OR', 'and', 'NOT', 'IN', 'IS', 'NULL', 'LIKE', 'BETWEEN', 'true', 'FALSE', '7.5', '-1',
        '1e999', '7.5e0', '.5', '1.', '0x10', "'2024-01-01'", "'2024-02-30'", "'2024-01-01T10:00:00Z'", ' ', '\t', '\n', '\r\n',
      ),
      fc.string({ maxLength: 3 }),
    ),
    { maxLength: 14 },
  )
  .map((parts) => parts.join(''));

/** A valid query with one character deleted, replaced or inserted: the neighbourhood of real mistakes. */
const mutated = fc
  .tuple(queryArbitrary(), fc.nat(), fc.constantFrom('delete', 'replace', 'insert'), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }))
  .map(([query, at, how, ch]) => {
    const i = query.length === 0 ? 0 : at % query.length;
    if (how === 'delete') return query.slice(0, i) + query.slice(i + 1);
    if (how === 'replace') return query.slice(0, i) + ch + query.slice(i + 1);
    return query.slice(0, i) + ch + query.slice(i);
  });

const anyText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ maxLength: 40, unit: 'binary' }),
  fc.string({ maxLength: 40, unit: 'grapheme' }),
  queryish,
  mutated,
);

describe('parseQuery on arbitrary text', () => {
  it('returns a query or a QueryError with a span inside the text, and never throws', () => {
    fc.assert(
      fc.property(anyText, (source) => {
        const result = parseQuery(source);
        if (result.ok) {
          expect(result.query.source).toBe(source);
          return;
        }
        const { error } = result;
        expect(error).toBeInstanceOf(QueryError);
        expect(error.code).toBe('QUERY_INVALID');
        // parseQuery turns an internal defect into a QueryError with a cause: that must never happen.
        expect(error.cause).toBeUndefined();
        expect(error.source).toBe(source);
        expect(error.span.start).toBeGreaterThanOrEqual(0);
        expect(error.span.start).toBeLessThanOrEqual(error.span.end);
        expect(error.span.end).toBeLessThanOrEqual(source.length);
        expect(error.diagnostic).toContain('^');
        expect(error.message.length).toBeGreaterThan(0);
      }),
      { numRuns: 3 * RUNS, seed: SEED },
    );
  }, TIMEOUT_MS);

  it('assertValidQuery throws QueryError and nothing else', () => {
    fc.assert(
      fc.property(anyText, (source) => {
        try {
          assertValidQuery(source);
        } catch (error) {
          expect(error).toBeInstanceOf(QueryError);
        }
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, TIMEOUT_MS);
});

describe('formatQuery then parseQuery', () => {
  it('gives back the same tree for generated valid queries', () => {
    fc.assert(
      fc.property(queryArbitrary(), (source) => {
        const first = parseQuery(source);
        if (!first.ok) throw new Error(`the generator made an invalid query: ${first.error.message}\n${first.error.diagnostic}`);
        const text = formatQuery(first.query);
        const second = parseQuery(text);
        if (!second.ok) throw new Error(`formatQuery wrote text that does not parse: ${second.error.message}\n${second.error.diagnostic}`);
        expect(shape(second.query)).toEqual(shape(first.query));
        // Canonical text is a fixed point.
        expect(formatQuery(second.query)).toBe(text);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  }, TIMEOUT_MS);
});
