/**
 * The field catalogue of the VULNERABILITY search type: names, value types, where each field lives in the
 * vulnerability JSON, and whether Rapid7 sources show the server accepting it (ias-api §6.2).
 */

/** Severities, highest first (ias-api §3.6). */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'SAFE'] as const;

/** A known severity. The API may send others: code that reads data keeps them as plain strings. */
export type Severity = (typeof SEVERITIES)[number];

/** Vulnerability statuses (ias-api §3.6). They have no order. */
export const VULNERABILITY_STATUSES = ['UNREVIEWED', 'FALSE_POSITIVE', 'VERIFIED', 'IGNORED', 'REMEDIATED', 'DUPLICATE'] as const;

/** A known vulnerability status. */
export type VulnerabilityStatus = (typeof VULNERABILITY_STATUSES)[number];

/**
 * The rank of a severity for ordering: CRITICAL 5, HIGH 4, MEDIUM 3, LOW 2, INFORMATIONAL 1, SAFE 0.
 * Case-insensitive. An unknown severity (a value the API added later) ranks -1, below SAFE, so it never
 * crashes a comparison and never counts as serious.
 */
export function severityRank(sev: string): number {
  const index = (SEVERITIES as readonly string[]).indexOf(sev.toUpperCase());
  return index === -1 ? -1 : SEVERITIES.length - 1 - index;
}

/** The value types of catalogue fields. */
export const FIELD_TYPES = ['string', 'uuid', 'enum', 'number', 'date', 'boolean'] as const;

/** A field's value type: `uuid` is a string compared case-insensitively; `enum` has a closed value list. */
export type FieldType = (typeof FIELD_TYPES)[number];

/**
 * Where a field's value comes from: a path in the vulnerability JSON, a path inside each element of
 * `variances` (the condition matches when any variance matches), or the scans the collector knows the
 * vulnerability belongs to (`vulnerability.scans.id` is a server-side relation absent from the JSON).
 */
export type FieldSource =
  | { readonly kind: 'json'; readonly path: readonly string[] }
  | { readonly kind: 'variances'; readonly path: readonly string[] }
  | { readonly kind: 'scans' };

/** One searchable field. */
export interface FieldSpec {
  /** The canonical name, with the `vulnerability.` prefix. */
  readonly name: string;
  readonly type: FieldType;
  /** The allowed values of an enum field, in upper case. */
  readonly values?: readonly string[];
  /** True when the values are ordered by {@link severityRank}. */
  readonly ranked?: boolean;
  readonly source: FieldSource;
  /** True when a Rapid7 or third-party source shows the server accepting this field (ias-api §6.2). */
  readonly serverConfirmed: boolean;
  /** For an alias: the canonical name it stands for. */
  readonly aliasOf?: string;
  readonly description: string;
}

/** The prefix of every VULNERABILITY field. */
export const VULNERABILITY_PREFIX = 'vulnerability.';

const json = (...path: string[]): FieldSource => ({ kind: 'json', path });
const eachVariance = (...path: string[]): FieldSource => ({ kind: 'variances', path });

/**
 * The VULNERABILITY fields, keyed by name. `vulnerability.vulnerability_score` is an alias: validation
 * rewrites it to `vulnerability.vulnerabilityScore`, the spelling the GitHub README shows the server
 * accepting (the JSON calls the field `vulnerability_score`; ias-api §6.2).
 */
export const VULNERABILITY_FIELDS = {
  'vulnerability.id': { name: 'vulnerability.id', type: 'uuid', source: json('id'), serverConfirmed: false, description: 'the vulnerability id' },
  'vulnerability.severity': {
    name: 'vulnerability.severity',
    type: 'enum',
    values: SEVERITIES,
    ranked: true,
    source: json('severity'),
    serverConfirmed: true,
    description: 'CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL or SAFE; ordered by rank',
  },
  'vulnerability.status': {
    name: 'vulnerability.status',
    type: 'enum',
    values: VULNERABILITY_STATUSES,
    source: json('status'),
    serverConfirmed: true,
    description: 'the review status; unordered',
  },
  'vulnerability.app.id': { name: 'vulnerability.app.id', type: 'uuid', source: json('app', 'id'), serverConfirmed: true, description: 'the application id' },
  'vulnerability.scans.id': {
    name: 'vulnerability.scans.id',
    type: 'uuid',
    source: { kind: 'scans' },
    serverConfirmed: true,
    description: 'a scan that found the vulnerability (a relation; locally, the scans the collector read it from)',
  },
  'vulnerability.root_cause.url': { name: 'vulnerability.root_cause.url', type: 'string', source: json('root_cause', 'url'), serverConfirmed: false, description: 'the vulnerable URL' },
  'vulnerability.root_cause.method': { name: 'vulnerability.root_cause.method', type: 'string', source: json('root_cause', 'method'), serverConfirmed: false, description: 'the HTTP method' },
  'vulnerability.root_cause.parameter': {
    name: 'vulnerability.root_cause.parameter',
    type: 'string',
    source: json('root_cause', 'parameter'),
    serverConfirmed: false,
    description: 'the vulnerable parameter (often absent)',
  },
  'vulnerability.variances.module.id': {
    name: 'vulnerability.variances.module.id',
    type: 'uuid',
    source: eachVariance('module', 'id'),
    serverConfirmed: false,
    description: 'the attack module of any variance',
  },
  'vulnerability.variances.attack.id': {
    name: 'vulnerability.variances.attack.id',
    type: 'string',
    source: eachVariance('attack', 'id'),
    serverConfirmed: false,
    description: 'the attack of any variance, such as XFrameAttack_1',
  },
  'vulnerability.first_discovered': { name: 'vulnerability.first_discovered', type: 'date', source: json('first_discovered'), serverConfirmed: true, description: 'when first found (UTC)' },
  'vulnerability.last_discovered': { name: 'vulnerability.last_discovered', type: 'date', source: json('last_discovered'), serverConfirmed: false, description: 'when last found (UTC)' },
  'vulnerability.newly_discovered': { name: 'vulnerability.newly_discovered', type: 'boolean', source: json('newly_discovered'), serverConfirmed: false, description: 'true when new in this scan' },
  'vulnerability.vulnerabilityScore': {
    name: 'vulnerability.vulnerabilityScore',
    type: 'number',
    source: json('vulnerability_score'),
    serverConfirmed: true,
    description: 'the CVSS-like score, 0.0 to 10.0',
  },
  'vulnerability.vulnerability_score': {
    name: 'vulnerability.vulnerability_score',
    type: 'number',
    source: json('vulnerability_score'),
    serverConfirmed: false,
    aliasOf: 'vulnerability.vulnerabilityScore',
    description: 'alias of vulnerability.vulnerabilityScore (the JSON name)',
  },
  'vulnerability.insight_ui_url': { name: 'vulnerability.insight_ui_url', type: 'string', source: json('insight_ui_url'), serverConfirmed: false, description: 'the link to the InsightAppSec UI' },
} as const satisfies Record<string, FieldSpec>;

/** The name of a VULNERABILITY field, alias included. */
export type VulnerabilityFieldName = keyof typeof VULNERABILITY_FIELDS;

/** Every field name of the catalogue, in catalogue order. */
export const VULNERABILITY_FIELD_NAMES = Object.keys(VULNERABILITY_FIELDS) as readonly VulnerabilityFieldName[];

/**
 * The canonical field names a query may send to the server: only those that Rapid7 or third-party sources
 * show in use (ias-api §6.2). Every other field is evaluated locally.
 */
export const SERVER_CONFIRMED_FIELDS: readonly VulnerabilityFieldName[] = VULNERABILITY_FIELD_NAMES.filter(
  (name) => VULNERABILITY_FIELDS[name].serverConfirmed,
);

/** Looks a field up by its exact name (field names are case-sensitive); aliases resolve to themselves. */
export function findField(name: string): FieldSpec | undefined {
  return Object.hasOwn(VULNERABILITY_FIELDS, name) ? (VULNERABILITY_FIELDS as Record<string, FieldSpec>)[name] : undefined;
}

/** True when `name` is a canonical field that sources show the server accepting. */
export function isServerConfirmedField(name: string): boolean {
  return findField(name)?.serverConfirmed === true;
}
