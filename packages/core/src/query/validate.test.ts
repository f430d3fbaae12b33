import { describe, expect, it } from 'vitest';
import { parseQuery } from './parse-query';
import { editDistance } from '../closest-names';
import { suggestField } from './validate';

const ID = "'3f1c2a9e-1b2c-4d5e-8f90-a1b2c3d4e5f6'";

/** [field type, condition, accepted?, message fragment when rejected] for every operator on every type. */
const TABLE: readonly [string, string, true | string][] = [
  // enum, ranked (severity)
  ['enum ranked', "vulnerability.severity = 'HIGH'", true],
  ['enum ranked', "vulnerability.severity != 'HIGH'", true],
  ['enum ranked', "vulnerability.severity > 'MEDIUM'", true],
  ['enum ranked', "vulnerability.severity >= 'MEDIUM'", true],
  ['enum ranked', "vulnerability.severity < 'MEDIUM'", true],
  ['enum ranked', "vulnerability.severity <= 'MEDIUM'", true],
  ['enum ranked', "vulnerability.severity BETWEEN 'LOW' AND 'CRITICAL'", true],
  ['enum ranked', "vulnerability.severity LIKE 'H%'", 'LIKE works only on text fields and vulnerability.severity is an enum field; compare it with = instead.'],
  ['enum ranked', 'vulnerability.severity = 4', "vulnerability.severity takes a single-quoted value such as 'CRITICAL', not 4; use one of CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, SAFE."],
  // enum, unordered (status)
  ['enum', "vulnerability.status = 'false_positive'", true],
  ['enum', "vulnerability.status != 'REMEDIATED'", true],
  ['enum', "vulnerability.status > 'VERIFIED'", "The values of vulnerability.status have no order, so '>' cannot compare them; use = or != instead."],
  ['enum', "vulnerability.status >= 'VERIFIED'", "The values of vulnerability.status have no order, so '>=' cannot compare them; use = or != instead."],
  ['enum', "vulnerability.status < 'VERIFIED'", "The values of vulnerability.status have no order, so '<' cannot compare them; use = or != instead."],
  ['enum', "vulnerability.status <= 'VERIFIED'", "The values of vulnerability.status have no order, so '<=' cannot compare them; use = or != instead."],
  ['enum', "vulnerability.status BETWEEN 'IGNORED' AND 'VERIFIED'", 'The values of vulnerability.status have no order, so BETWEEN cannot compare them; use = or != instead.'],
  ['enum', "vulnerability.status LIKE '%ED'", 'LIKE works only on text fields and vulnerability.status is an enum field; compare it with = instead.'],
  // uuid
  ['uuid', `vulnerability.app.id = ${ID}`, true],
  ['uuid', `vulnerability.id != ${ID}`, true],
  ['uuid', "vulnerability.variances.module.id LIKE '3f1c%'", true],
  ['uuid', `vulnerability.scans.id > ${ID}`, "The values of vulnerability.scans.id have no order, so '>' cannot compare them; use = or != instead."],
  ['uuid', `vulnerability.app.id <= ${ID}`, "The values of vulnerability.app.id have no order, so '<=' cannot compare them; use = or != instead."],
  ['uuid', `vulnerability.app.id BETWEEN ${ID} AND ${ID}`, 'The values of vulnerability.app.id have no order, so BETWEEN cannot compare them; use = or != instead.'],
  ['uuid', "vulnerability.app.id = 'my-app'", "The value 'my-app' is not an id vulnerability.app.id accepts; write a UUID such as '1b3f1f0e-8f6c-4a5e-9d3c-2f1e0a9b7c6d'."],
  ['uuid', 'vulnerability.app.id = 42', 'vulnerability.app.id takes a single-quoted id, not 42; put the id in single quotes.'],
  // string
  ['string', "vulnerability.root_cause.url = 'http://x/page.php'", true],
  ['string', "vulnerability.root_cause.method != 'GET'", true],
  ['string', "vulnerability.root_cause.parameter > 'm'", true],
  ['string', "vulnerability.root_cause.parameter >= 'm'", true],
  ['string', "vulnerability.root_cause.parameter < 'm'", true],
  ['string', "vulnerability.root_cause.parameter <= 'm'", true],
  ['string', "vulnerability.variances.attack.id BETWEEN 'A' AND 'Z'", true],
  ['string', "vulnerability.insight_ui_url LIKE 'https://%'", true],
  ['string', 'vulnerability.root_cause.parameter = 4', "vulnerability.root_cause.parameter takes text and 4 is not quoted; write it in single quotes, as in '4'."],
  ['string', 'vulnerability.root_cause.url LIKE 4', "LIKE takes a single-quoted pattern such as '%login%', not 4; quote the pattern."],
  ['string', "vulnerability.variances.attack.id BETWEEN 'Z' AND 'A'", "The bounds of BETWEEN are reversed ('Z' is above 'A'); put the lower bound first."],
  // number
  ['number', 'vulnerability.vulnerabilityScore = 9.8', true],
  ['number', 'vulnerability.vulnerabilityScore != 0', true],
  ['number', 'vulnerability.vulnerabilityScore > 4', true],
  ['number', 'vulnerability.vulnerabilityScore >= 4', true],
  ['number', 'vulnerability.vulnerabilityScore < 4', true],
  ['number', 'vulnerability.vulnerability_score <= 10', true],
  ['number', 'vulnerability.vulnerabilityScore BETWEEN 4 AND 7', true],
  ['number', "vulnerability.vulnerabilityScore LIKE '9%'", 'LIKE works only on text fields and vulnerability.vulnerabilityScore is a number field; compare it with = instead.'],
  ['number', "vulnerability.vulnerabilityScore = 'nine'", "vulnerability.vulnerabilityScore takes a number, not 'nine'; write an unquoted number such as 7.5."],
  ['number', 'vulnerability.vulnerabilityScore BETWEEN 7 AND 4', 'The bounds of BETWEEN are reversed (7 is above 4); put the lower bound first.'],
  // date
  ['date', "vulnerability.first_discovered = '2024-01-01'", "A date alone ('2024-01-01') is not accepted, because the IAS server's reading of it is unknown; write a date-time such as '2024-01-01T00:00:00'."],
  ['date', "vulnerability.first_discovered != '2024-01-01T10:00:00Z'", true],
  ['date', "vulnerability.last_discovered > '2024-01-01T10:00:00.123'", true],
  ['date', "vulnerability.last_discovered >= '2024-01-01T10:00:00-05:00'", true],
  ['date', "vulnerability.last_discovered < '2024-01-01T10:00:00.5+01:30'", true],
  ['date', "vulnerability.last_discovered <= '2024-02-29T23:59:59'", true],
  ['date', "vulnerability.first_discovered BETWEEN '2024-01-01T00:00:00' AND '2024-01-01T00:00:00'", true],
  ['date', "vulnerability.first_discovered LIKE '2024%'", 'LIKE works only on text fields and vulnerability.first_discovered is a date field; compare it with = instead.'],
  [
    'date',
    "vulnerability.first_discovered > '01/02/2024'",
    "The value '01/02/2024' is not a date vulnerability.first_discovered accepts; write a date-time such as 'YYYY-MM-DDThh:mm:ss' (UTC unless a zone such as Z or +02:00 follows).",
  ],
  [
    'date',
    "vulnerability.first_discovered > '2023-02-29'",
    "The value '2023-02-29' is not a date vulnerability.first_discovered accepts; write a date-time such as 'YYYY-MM-DDThh:mm:ss' (UTC unless a zone such as Z or +02:00 follows).",
  ],
  [
    'date',
    "vulnerability.first_discovered > '2024-01-01T24:00:00'",
    "The value '2024-01-01T24:00:00' is not a date vulnerability.first_discovered accepts; write a date-time such as 'YYYY-MM-DDThh:mm:ss' (UTC unless a zone such as Z or +02:00 follows).",
  ],
  [
    'date',
    'vulnerability.first_discovered > 20240101',
    "The value 20240101 is not a date vulnerability.first_discovered accepts; write a date-time such as 'YYYY-MM-DDThh:mm:ss' (UTC unless a zone such as Z or +02:00 follows).",
  ],
  // boolean
  ['boolean', 'vulnerability.newly_discovered = true', true],
  ['boolean', 'vulnerability.newly_discovered != FALSE', true],
  ['boolean', 'vulnerability.newly_discovered > false', "The values of vulnerability.newly_discovered have no order, so '>' cannot compare them; use = or != instead."],
  ['boolean', 'vulnerability.newly_discovered BETWEEN false AND true', 'The values of vulnerability.newly_discovered have no order, so BETWEEN cannot compare them; use = or != instead.'],
  ['boolean', "vulnerability.newly_discovered LIKE 't%'", 'LIKE works only on text fields and vulnerability.newly_discovered is a boolean field; compare it with = instead.'],
  ['boolean', "vulnerability.newly_discovered = 'yes'", "vulnerability.newly_discovered takes true or false, not 'yes'; write true or false without quotes."],
  ['boolean', 'vulnerability.newly_discovered = 1', 'vulnerability.newly_discovered takes true or false, not 1; write true or false without quotes.'],
];

describe('validation: every operator on every field type', () => {
  it.each(TABLE)('%s: %s', (_type, source, expected) => {
    const result = parseQuery(source);
    if (expected === true) {
      expect(result.ok, result.ok ? '' : result.error.message).toBe(true);
    } else {
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.message).toBe(expected);
    }
  });
});

describe('suggestions', () => {
  it.each([
    ['vulnerability.severty', 'vulnerability.severity'],
    ['severity', 'vulnerability.severity'],
    ['app.id', 'vulnerability.app.id'],
    ['vulnerability.scan.id', 'vulnerability.scans.id'],
    ['vulnerability.VulnerabilityScore', 'vulnerability.vulnerabilityScore'],
    ['vulnerability.root_cause.paramter', 'vulnerability.root_cause.parameter'],
    ['first_discoverd', 'vulnerability.first_discovered'],
    ['vulnerability.name', undefined],
    ['scan.status', undefined],
  ])('%s suggests %s', (name, suggestion) => {
    expect(suggestField(name)).toBe(suggestion);
  });

  it.each([
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
    ['Severity', 'severity', 0],
    ['severty', 'severity', 1],
  ])('editDistance(%s, %s) = %i', (a, b, distance) => {
    expect(editDistance(a, b)).toBe(distance);
  });
});
