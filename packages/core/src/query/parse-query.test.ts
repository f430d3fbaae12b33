import { describe, expect, it } from 'vitest';
import { QueryError } from '../errors';
import type { QueryExpression } from './ast';
import { assertValidQuery, parseQuery } from './parse-query';
import { formatQuery } from './format-query';

/** The tree without spans and as-written names: what a query means. */
function shape(expression: QueryExpression): unknown {
  return JSON.parse(JSON.stringify(expression, (key, value: unknown) => (key === 'span' || key === 'operatorSpan' || key === 'written' ? undefined : value)));
}

function errorOf(source: string): QueryError {
  const result = parseQuery(source);
  if (result.ok) throw new Error(`expected ${source} to fail`);
  return result.error;
}

describe('parseQuery: official examples', () => {
  it.each([
    ["vulnerability.severity='CRITICAL' || vulnerability.severity='HIGH'", "vulnerability.severity = 'CRITICAL' || vulnerability.severity = 'HIGH'"],
    ['vulnerability.vulnerabilityScore > 4', 'vulnerability.vulnerabilityScore > 4'],
    [
      "vulnerability.first_discovered BETWEEN '2024-01-01T00:00:00+00:00' AND '2024-02-01T00:00:00'",
      "vulnerability.first_discovered BETWEEN '2024-01-01T00:00:00+00:00' AND '2024-02-01T00:00:00'",
    ],
    ["vulnerability.scans.id='3f1c2a9e-1b2c-4d5e-8f90-a1b2c3d4e5f6'", "vulnerability.scans.id = '3f1c2a9e-1b2c-4d5e-8f90-a1b2c3d4e5f6'"],
    ["vulnerability.severity = 'MEDIUM'", "vulnerability.severity = 'MEDIUM'"],
  ])('%s parses and formats as %s', (source, formatted) => {
    const query = assertValidQuery(source);
    expect(formatQuery(query)).toBe(formatted);
  });
});

describe('parseQuery: canonical form and round trip', () => {
  it.each([
    ["vulnerability.severity='high'", "vulnerability.severity = 'HIGH'"],
    ["vulnerability.severity>='medium'&&vulnerability.status='verified'", "vulnerability.severity >= 'MEDIUM' && vulnerability.status = 'VERIFIED'"],
    ['vulnerability.vulnerability_score >= 7.5', 'vulnerability.vulnerabilityScore >= 7.5'],
    ["vulnerability.vulnerabilityScore < '4'", 'vulnerability.vulnerabilityScore < 4'],
    ['vulnerability.vulnerabilityScore <= -1', 'vulnerability.vulnerabilityScore <= -1'],
    ['vulnerability.newly_discovered = TRUE', 'vulnerability.newly_discovered = true'],
    ["vulnerability.newly_discovered != 'False'", 'vulnerability.newly_discovered != false'],
    ["vulnerability.root_cause.url like '%/login%'", "vulnerability.root_cause.url LIKE '%/login%'"],
    ["vulnerability.root_cause.parameter = 'o''brien'", "vulnerability.root_cause.parameter = 'o''brien'"],
    ["vulnerability.root_cause.parameter = ''", "vulnerability.root_cause.parameter = ''"],
    ["vulnerability.severity between 'low' and 'high'", "vulnerability.severity BETWEEN 'LOW' AND 'HIGH'"],
    ["((vulnerability.severity='HIGH'))", "vulnerability.severity = 'HIGH'"],
    [
      "(vulnerability.severity='HIGH' || vulnerability.severity='LOW') && vulnerability.status='VERIFIED'",
      "(vulnerability.severity = 'HIGH' || vulnerability.severity = 'LOW') && vulnerability.status = 'VERIFIED'",
    ],
    [
      "vulnerability.severity='HIGH' || (vulnerability.severity='LOW' || vulnerability.severity='SAFE')",
      "vulnerability.severity = 'HIGH' || vulnerability.severity = 'LOW' || vulnerability.severity = 'SAFE'",
    ],
    [
      "vulnerability.severity='CRITICAL'\n  || vulnerability.newly_discovered=true\t&& vulnerability.variances.attack.id LIKE 'XFrame%'",
      "vulnerability.severity = 'CRITICAL' || (vulnerability.newly_discovered = true && vulnerability.variances.attack.id LIKE 'XFrame%')",
    ],
  ])('%s is written %s and reads back to the same tree', (source, formatted) => {
    const query = assertValidQuery(source);
    const text = formatQuery(query);
    expect(text).toBe(formatted);
    const again = assertValidQuery(text);
    expect(shape(again.expression)).toEqual(shape(query.expression));
    expect(formatQuery(again)).toBe(text);
  });

  it('keeps the source and the type', () => {
    const source = "vulnerability.severity='HIGH'";
    expect(assertValidQuery(source)).toMatchObject({ type: 'VULNERABILITY', source });
  });

  it('records the name as written for an alias', () => {
    const query = assertValidQuery('vulnerability.vulnerability_score > 4');
    expect(query.expression).toMatchObject({ kind: 'comparison', field: { name: 'vulnerability.vulnerabilityScore', written: 'vulnerability.vulnerability_score', span: { start: 0, end: 33 } } });
  });
});

describe('parseQuery: precedence', () => {
  const a = "vulnerability.severity='CRITICAL'";
  const b = "vulnerability.status='VERIFIED'";
  const c = 'vulnerability.newly_discovered=true';
  it.each([
    [`${a} || ${b} && ${c}`, { kind: 'or', operands: [{ kind: 'comparison' }, { kind: 'and', operands: [{ kind: 'comparison' }, { kind: 'comparison' }] }] }],
    [`${a} && ${b} || ${c}`, { kind: 'or', operands: [{ kind: 'and', operands: [{ kind: 'comparison' }, { kind: 'comparison' }] }, { kind: 'comparison' }] }],
    [`(${a} || ${b}) && ${c}`, { kind: 'and', operands: [{ kind: 'or', operands: [{ kind: 'comparison' }, { kind: 'comparison' }] }, { kind: 'comparison' }] }],
    [`${a} && ${b} && ${c}`, { kind: 'and', operands: [{ kind: 'comparison' }, { kind: 'comparison' }, { kind: 'comparison' }] }],
  ])('%s groups as expected', (source, expected) => {
    expect(assertValidQuery(source).expression).toMatchObject(expected);
  });

  it('writes the implicit grouping explicitly', () => {
    expect(formatQuery(assertValidQuery(`${a} || ${b} && ${c}`))).toBe(
      "vulnerability.severity = 'CRITICAL' || (vulnerability.status = 'VERIFIED' && vulnerability.newly_discovered = true)",
    );
  });
});

describe('parseQuery: errors', () => {
  it.each([
    ['double quotes', 'vulnerability.severity="HIGH"', "Double quotes are not accepted around values; write the value in single quotes, as in 'HIGH'.", 23, 29],
    ['typographic closing quote', "vulnerability.severity='HIGH’", "The typographic quote ’ does not close a value; replace it with a straight single quote (').", 28, 29],
    [
      'typographic quote swallowing the rest',
      "vulnerability.severity='HIGH’ || vulnerability.severity='LOW'",
      "The typographic quote ’ does not close a value; replace it with a straight single quote (').",
      28,
      29,
    ],
    ['typographic opening quote', 'vulnerability.severity=‘HIGH’', "The typographic quote ‘ cannot delimit a value; replace it with a straight single quote (').", 23, 24],
    ['typographic double quotes', 'vulnerability.severity=“HIGH”', "The typographic quote “ cannot delimit a value; replace it with a straight single quote (').", 23, 24],
    ['unterminated string', "vulnerability.severity='HIGH", "The value 'HIGH has no closing quote; add a single quote (') after the value.", 23, 28],
    ['unknown field with suggestion', "vulnerability.severty='HIGH'", 'Unknown field vulnerability.severty; did you mean vulnerability.severity?', 0, 21],
    ['missing prefix', "severity='HIGH'", 'Unknown field severity; did you mean vulnerability.severity?', 0, 8],
    ['wrong case', "vulnerability.Severity='HIGH'", 'Unknown field vulnerability.Severity; did you mean vulnerability.severity?', 0, 22],
    ['bad enum value', "vulnerability.severity='SUPER'", "The value 'SUPER' is not a valid vulnerability.severity; use one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, SAFE.", 23, 30],
    [
      'bad status value',
      "vulnerability.status='NEW'",
      "The value 'NEW' is not a valid vulnerability.status; use one of UNREVIEWED, FALSE_POSITIVE, VERIFIED, IGNORED, REMEDIATED, DUPLICATE.",
      21,
      26,
    ],
    ['the word AND', "vulnerability.severity='HIGH' AND vulnerability.status='VERIFIED'", 'The word AND is not a boolean operator in IAS queries; use && instead of AND.', 30, 33],
    ['the word or', "vulnerability.severity='HIGH' or vulnerability.status='VERIFIED'", 'The word or is not a boolean operator in IAS queries; use || instead of or.', 30, 32],
    ['AND after BETWEEN', "vulnerability.vulnerabilityScore BETWEEN 1 AND 2 AND vulnerability.severity='HIGH'", 'The word AND is not a boolean operator in IAS queries; use && instead of AND.', 49, 52],
    ['leading OR', "OR vulnerability.severity='HIGH'", 'The word OR is not a boolean operator in IAS queries; use || instead of OR.', 0, 2],
    ['trailing &&', "vulnerability.severity='HIGH' &&", "The query ends after '&&'; add a condition after it or remove the '&&'.", 30, 32],
    ['trailing ||', "vulnerability.severity='HIGH' ||  ", "The query ends after '||'; add a condition after it or remove the '||'.", 30, 32],
    ['leading &&', "&& vulnerability.severity='HIGH'", "'&&' needs a condition on each side; add a condition before it or remove it.", 0, 2],
    ['doubled &&', "vulnerability.severity='HIGH' && && vulnerability.status='VERIFIED'", "'&&' needs a condition on each side; add a condition before it or remove it.", 33, 35],
    ['unclosed parenthesis', "(vulnerability.severity='HIGH'", "This '(' is never closed; add a ')' after the condition it groups.", 0, 1],
    ['unclosed empty parenthesis', "vulnerability.severity='HIGH' && (", "This '(' is never closed; add a condition and a ')' after it.", 33, 34],
    ['extra closing parenthesis', "vulnerability.severity='HIGH')", "This ')' has no matching '('; remove it or add the missing '('.", 29, 30],
    ['empty parentheses', '()', 'The parentheses are empty; put a condition inside them or remove them.', 0, 2],
    ['empty query', '', "The query is empty; write a condition such as vulnerability.severity='HIGH'.", 0, 0],
    ['blank query', '  \n ', "The query is empty; write a condition such as vulnerability.severity='HIGH'.", 0, 4],
    [
      'number field with text',
      "vulnerability.vulnerabilityScore > 'high'",
      "vulnerability.vulnerabilityScore takes a number, not 'high'; write an unquoted number such as 7.5.",
      35,
      41,
    ],
    ['number field with a boolean', 'vulnerability.vulnerabilityScore = true', 'vulnerability.vulnerabilityScore takes a number, not true; write an unquoted number such as 7.5.', 35, 39],
    ['unquoted word', 'vulnerability.severity = HIGH', "The value HIGH must be quoted; write it in single quotes, as in 'HIGH'.", 25, 29],
    ['unquoted date', 'vulnerability.first_discovered > 2024-01-01', "The value 2024-01-01 is not a number; put text and dates in single quotes, as in '2024-01-01'.", 33, 43],
    [
      'bad date',
      "vulnerability.first_discovered > '2024-02-30'",
      "The value '2024-02-30' is not a date vulnerability.first_discovered accepts; write a date-time such as 'YYYY-MM-DDThh:mm:ss' (UTC unless a zone such as Z or +02:00 follows).",
      33,
      45,
    ],
    [
      'NOT',
      "NOT vulnerability.severity='HIGH'",
      'Negation with NOT is not part of the IAS query language; write the opposite comparison instead, such as != or <.',
      0,
      3,
    ],
    [
      '!',
      "!(vulnerability.severity='HIGH')",
      'Negation with ! is not part of the IAS query language; write the opposite comparison instead, such as != or <.',
      0,
      1,
    ],
    [
      'NOT LIKE',
      "vulnerability.root_cause.url NOT LIKE '%x%'",
      'Negation with NOT is not part of the IAS query language; write the opposite comparison instead, such as != or <.',
      29,
      32,
    ],
    [
      'IN',
      "vulnerability.severity IN ('HIGH', 'LOW')",
      "The IN operator is not part of the IAS query language; write one comparison per value joined by ||, as in vulnerability.severity='A' || vulnerability.severity='B'.",
      23,
      25,
    ],
    [
      'IS NULL',
      'vulnerability.root_cause.parameter IS NULL',
      'IS NULL is not part of the IAS query language; compare the field with a value instead (a missing field never matches).',
      35,
      42,
    ],
    [
      'IS NOT NULL',
      'vulnerability.root_cause.parameter is not null',
      'IS NULL is not part of the IAS query language; compare the field with a value instead (a missing field never matches).',
      35,
      46,
    ],
    [
      'NULL as a value',
      'vulnerability.root_cause.parameter = NULL',
      'NULL is not a value in the IAS query language; compare the field with a value instead (a missing field never matches).',
      37,
      41,
    ],
    ['==', "vulnerability.severity == 'HIGH'", 'The operator == does not exist; use a single = to compare.', 23, 25],
    ['<>', "vulnerability.severity <> 'HIGH'", 'The operator <> does not exist; use != for "not equal".', 23, 25],
    ['single &', "vulnerability.severity='HIGH' & vulnerability.status='VERIFIED'", 'A single & is not an operator; use && to require both conditions.', 30, 31],
    ['single |', "vulnerability.severity='HIGH' | vulnerability.status='VERIFIED'", 'A single | is not an operator; use || to accept either condition.', 30, 31],
    [
      'missing joiner',
      "vulnerability.severity='HIGH' vulnerability.status='VERIFIED'",
      "Expected && or || after the condition but found 'vulnerability.status'; join conditions with && or ||.",
      30,
      50,
    ],
    [
      'missing operator',
      'vulnerability.severity',
      'The condition on vulnerability.severity has no operator; add one of =, !=, >, >=, <, <=, LIKE or BETWEEN and a value.',
      0,
      22,
    ],
    [
      'value instead of operator',
      "vulnerability.severity 'HIGH'",
      "Expected an operator (=, !=, >, >=, <, <=, LIKE or BETWEEN) after vulnerability.severity but found the value 'HIGH'; add the operator.",
      23,
      29,
    ],
    ['missing value', 'vulnerability.severity =', "The query ends after '=' without a value; add a value such as 'HIGH' or 4.", 23, 24],
    [
      'value first',
      "'HIGH' = vulnerability.severity",
      "Expected a field name but found the value 'HIGH'; start the condition with a field such as vulnerability.severity.",
      0,
      6,
    ],
    ['stray character', "vulnerability.severity='HIGH';", 'The character ; is not allowed here; remove it or put it inside a single-quoted value.', 29, 30],
    [
      'BETWEEN with &&',
      "vulnerability.first_discovered BETWEEN '2024-01-01' && '2024-02-01'",
      "BETWEEN needs the word AND between its two bounds but found '&&'; write vulnerability.first_discovered BETWEEN 'low' AND 'high'.",
      52,
      54,
    ],
    [
      'BETWEEN reversed',
      "vulnerability.first_discovered BETWEEN '2024-02-01T00:00:00' AND '2024-01-01T00:00:00'",
      "The bounds of BETWEEN are reversed ('2024-02-01T00:00:00' is above '2024-01-01T00:00:00'); put the lower bound first.",
      39,
      86,
    ],
    [
      'BETWEEN on severity reversed',
      "vulnerability.severity BETWEEN 'HIGH' AND 'LOW'",
      "The bounds of BETWEEN are reversed ('HIGH' is above 'LOW'); put the lower bound first.",
      31,
      47,
    ],
  ])('%s: %s', (_name, source, message, start, end) => {
    const error = errorOf(source);
    expect(error).toBeInstanceOf(QueryError);
    expect(error.code).toBe('QUERY_INVALID');
    expect(error.message).toBe(message);
    expect(error.span).toEqual({ start, end });
    expect(error.source).toBe(source);
  });

  it('lists every field when no name is close', () => {
    const error = errorOf("app.name='x'");
    expect(error.message).toMatch(/^Unknown field app\.name for type VULNERABILITY; use one of vulnerability\.id, vulnerability\.severity, .*vulnerability\.insight_ui_url\.$/);
    expect(error.span).toEqual({ start: 0, end: 8 });
  });

  it('gives a caret diagnostic under the problem', () => {
    expect(errorOf("vulnerability.severty='HIGH' && vulnerability.status='VERIFIED'").diagnostic).toBe(
      "vulnerability.severty='HIGH' && vulnerability.status='VERIFIED'\n^^^^^^^^^^^^^^^^^^^^^",
    );
    expect(errorOf("vulnerability.severity='HIGH’").diagnostic).toBe("vulnerability.severity='HIGH’\n                            ^");
  });

  it('assertValidQuery throws the same QueryError', () => {
    expect(() => assertValidQuery("vulnerability.severity='SUPER'")).toThrow(QueryError);
    expect(() => assertValidQuery("vulnerability.severity='SUPER'")).toThrow(/not a valid vulnerability\.severity/);
  });

  it.each([
    ['deep nesting', `${'('.repeat(101)}vulnerability.severity='HIGH'${')'.repeat(101)}`, 'The query nests parentheses more than 100 deep; remove the redundant ones.', 100, 101],
    ['exponent', 'vulnerability.vulnerabilityScore > 1e999', 'The number 1e999 is in exponent form, which the IAS server is not known to accept; write it as a plain decimal such as 10.', 35, 40],
    ['huge number', `vulnerability.vulnerabilityScore > ${'9'.repeat(400)}`, 'The number ' + '9'.repeat(400) + ' is too large; write a number of ordinary size.', 35, 435],
  ])('%s', (_name, source, message, start, end) => {
    const error = errorOf(source);
    expect(error.message).toBe(message);
    expect(error.span).toEqual({ start, end });
  });

  it('accepts nesting up to the limit', () => {
    expect(parseQuery(`${'('.repeat(100)}vulnerability.severity='HIGH'${')'.repeat(100)}`).ok).toBe(true);
  });

  it('parseQuery never throws, even on odd input', () => {
    for (const source of ['\u0000', "'", '"', '((((', '))))', '-', '.', '\uD83D\uDE00', 'vulnerability.', 'a'.repeat(10_000), '('.repeat(100_000)]) {
      expect(parseQuery(source).ok).toBe(false);
    }
  });
});
