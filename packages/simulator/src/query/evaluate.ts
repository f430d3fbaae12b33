import { parseQueryDate } from './query-date.js';
import { fieldNames, lookupField, lookupFieldIgnoringCase, severityRank, type FieldCatalog, type FieldDef, type FieldKind, type FieldScalar } from './fields.js';
import type { QueryNode, QueryValue } from './parser.js';
import { QueryError } from './query-error.js';

/** A compiled query: true when a row matches. */
export type RowPredicate<Row> = (row: Row) => boolean;

/** A value in comparable form. */
export type Comparable = string | number | boolean;

function resolveField<Row>(catalog: FieldCatalog<Row>, name: string, offset: number): FieldDef<Row> {
  const field = lookupField(catalog, name);
  if (!field) {
    const other = lookupFieldIgnoringCase(catalog, name);
    if (other !== undefined) throw new QueryError(`Unknown field ${name}; field names are case-sensitive, did you mean ${other}?`, offset);
    throw new QueryError(`Unknown field ${name} for search type ${catalog.type} (known: ${fieldNames(catalog).join(', ')})`, offset);
  }
  return field;
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DECIMAL = /^\s*-?(?:\d+(?:\.\d+)?|\.\d+)\s*$/;
/** Kinds whose values have an order (`<`, `>`, BETWEEN); ids, unordered enums and booleans have none. */
const ORDERED: ReadonlySet<FieldKind> = new Set<FieldKind>(['string', 'number', 'date', 'severity']);

/** Options of {@link compileQuery}. */
export interface CompileOptions {
  /** Compare fields marked `foldCaseFallback` (names) with `=` ignoring case. */
  foldNames?: boolean;
}

/** Turns a literal into the comparable form of a field kind; throws QueryError when it cannot be. */
function coerce<Row>(field: FieldDef<Row>, name: string, value: QueryValue): Comparable {
  switch (field.kind) {
    case 'number': {
      if (value.kind === 'number') return value.value;
      if (value.kind === 'string' && DECIMAL.test(value.value)) return Number(value.value);
      throw new QueryError(`${name} needs a number written in plain decimals`, value.offset);
    }
    case 'date': {
      if (value.kind !== 'string') throw new QueryError(`${name} needs a quoted date-time such as '2026-01-31T00:00:00'`, value.offset);
      const ms = parseQueryDate(value.value);
      if (ms === undefined) {
        throw new QueryError(`'${value.value}' is not a date-time ${name} accepts (use YYYY-MM-DDThh:mm:ss, optionally with a fraction and Z or ±hh:mm; a date alone is refused)`, value.offset);
      }
      return ms;
    }
    case 'boolean': {
      if (value.kind === 'boolean') return value.value;
      if (value.kind === 'string' && /^(true|false)$/i.test(value.value)) return value.value.toLowerCase() === 'true';
      throw new QueryError(`${name} needs true or false`, value.offset);
    }
    case 'id':
      if (value.kind !== 'string' || !UUID.test(value.value)) throw new QueryError(`${name} needs a quoted UUID`, value.offset);
      return value.value.toLowerCase();
    case 'severity':
    case 'enum': {
      const allowed = field.values ?? [];
      if (value.kind !== 'string' || !allowed.includes(value.value.toUpperCase())) {
        throw new QueryError(`${name} needs one of ${allowed.map((v) => `'${v}'`).join(', ')}`, value.offset);
      }
      return value.value.toUpperCase();
    }
    case 'string':
      if (value.kind !== 'string') throw new QueryError(`${name} needs a single-quoted string`, value.offset);
      return value.value;
  }
}

function normalise(kind: FieldKind, v: FieldScalar): Comparable | null {
  if (v === null) return null;
  switch (kind) {
    case 'id':
      return typeof v === 'string' ? v.toLowerCase() : null;
    case 'severity':
    case 'enum':
      return typeof v === 'string' ? v.toUpperCase() : null;
    case 'string':
      return typeof v === 'string' ? v : null;
    case 'number':
    case 'date':
      return typeof v === 'number' && Number.isFinite(v) ? v : null;
    case 'boolean':
      return typeof v === 'boolean' ? v : null;
  }
}

function order(kind: FieldKind, a: Comparable, b: Comparable): number {
  if (kind === 'severity') return severityRank(String(a)) - severityRank(String(b));
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** The present values of a field (a missing or wrongly typed value is left out). */
function valuesOf<Row>(field: FieldDef<Row>, row: Row): Comparable[] {
  const raw = field.get(row);
  const list: readonly FieldScalar[] = Array.isArray(raw) ? raw : [raw as FieldScalar];
  const out: Comparable[] = [];
  for (const v of list) {
    const n = normalise(field.kind, v);
    if (n !== null) out.push(n);
  }
  return out;
}

function likeRegex(pattern: string, ignoreCase: boolean): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, ignoreCase ? 'isu' : 'su');
}

function requireOrder<Row>(field: FieldDef<Row>, name: string, what: string, offset: number): void {
  if (!ORDERED.has(field.kind)) throw new QueryError(`${name} has no order, so ${what} cannot compare it; use = or !=`, offset);
}

/**
 * Compiles a parsed query against a field catalog: resolves every field, checks and converts every
 * value, and returns a predicate. Throws QueryError (unknown field, bad value) with its position.
 *
 * The rules (shared with core through the query-case table, see docs/query-language.md): field names are exact;
 * a missing value never matches, `!=` included (`!=` holds when values are present and none equals); LIKE works
 * on text (case-sensitive) and ids (case-insensitive) only; ordering works on text, numbers, date-times and
 * severities only; BETWEEN bounds must be in order.
 */
export function compileQuery<Row>(node: QueryNode, catalog: FieldCatalog<Row>, options: CompileOptions = {}): RowPredicate<Row> {
  switch (node.kind) {
    case 'and': {
      const l = compileQuery(node.left, catalog, options);
      const r = compileQuery(node.right, catalog, options);
      return (row) => l(row) && r(row);
    }
    case 'or': {
      const l = compileQuery(node.left, catalog, options);
      const r = compileQuery(node.right, catalog, options);
      return (row) => l(row) || r(row);
    }
    case 'compare': {
      const field = resolveField(catalog, node.field, node.fieldOffset);
      if (node.op !== '=' && node.op !== '!=') requireOrder(field, node.field, `'${node.op}'`, node.value.offset);
      const target = coerce(field, node.field, node.value);
      if (options.foldNames === true && field.foldCaseFallback === true && node.op === '=' && typeof target === 'string') {
        const folded = target.toLowerCase();
        return (row) => valuesOf(field, row).some((v) => String(v).toLowerCase() === folded);
      }
      const test = (v: Comparable): boolean => {
        const c = order(field.kind, v, target);
        switch (node.op) {
          case '=':
          case '!=':
            return c === 0;
          case '<':
            return c < 0;
          case '<=':
            return c <= 0;
          case '>':
            return c > 0;
          case '>=':
            return c >= 0;
        }
      };
      if (node.op === '!=') {
        return (row) => {
          const values = valuesOf(field, row);
          return values.length > 0 && !values.some(test);
        };
      }
      return (row) => valuesOf(field, row).some(test);
    }
    case 'like': {
      const field = resolveField(catalog, node.field, node.fieldOffset);
      if (field.kind !== 'string' && field.kind !== 'id') throw new QueryError(`LIKE works only on text and id fields, not on ${node.field}`, node.fieldOffset);
      if (node.value.kind !== 'string') throw new QueryError('LIKE needs a single-quoted pattern', node.value.offset);
      const regex = likeRegex(node.value.value, field.kind === 'id');
      return (row) => valuesOf(field, row).some((v) => regex.test(String(v)));
    }
    case 'between': {
      const field = resolveField(catalog, node.field, node.fieldOffset);
      requireOrder(field, node.field, 'BETWEEN', node.fieldOffset);
      const low = coerce(field, node.field, node.low);
      const high = coerce(field, node.field, node.high);
      if (order(field.kind, low, high) > 0) throw new QueryError(`The bounds of BETWEEN on ${node.field} are reversed`, node.low.offset);
      return (row) => valuesOf(field, row).some((v) => order(field.kind, v, low) >= 0 && order(field.kind, v, high) <= 0);
    }
  }
}

/** True when the query compares a name field (`foldCaseFallback`) with `=`, so a case-folded rerun is meaningful. */
export function comparesNames<Row>(node: QueryNode, catalog: FieldCatalog<Row>): boolean {
  switch (node.kind) {
    case 'and':
    case 'or':
      return comparesNames(node.left, catalog) || comparesNames(node.right, catalog);
    case 'compare':
      return node.op === '=' && lookupField(catalog, node.field)?.foldCaseFallback === true;
    default:
      return false;
  }
}

/** A sort key: field and direction. */
export interface SortKey<Row> {
  field: FieldDef<Row>;
  descending: boolean;
}

/**
 * Parses `field,DIR[,field[,DIR]]…` (field names with or without the type prefix) into sort keys.
 * Throws QueryError for an unknown or multi-valued field.
 */
export function parseSort<Row>(text: string, catalog: FieldCatalog<Row>): SortKey<Row>[] {
  const parts = text.split(',').map((p) => p.trim()).filter((p) => p !== '');
  const keys: SortKey<Row>[] = [];
  let offset = 0;
  for (let i = 0; i < parts.length; i += 1) {
    const part = parts[i] ?? '';
    const name = part.toLowerCase().startsWith(`${catalog.prefix}.`) ? part : `${catalog.prefix}.${part}`;
    const field = lookupField(catalog, name);
    if (!field) throw new QueryError(`Unknown sort field ${part} for ${catalog.type}`, offset);
    let descending = false;
    const dir = parts[i + 1]?.toUpperCase();
    if (dir === 'ASC' || dir === 'DESC') {
      descending = dir === 'DESC';
      i += 1;
    }
    keys.push({ field, descending });
    offset += part.length + 1;
  }
  return keys;
}

/** The values a row is sorted by, computed once per row. */
export function sortValuesOf<Row>(keys: readonly SortKey<Row>[], row: Row): (Comparable | null)[] {
  return keys.map((key) => valuesOf(key.field, row)[0] ?? null);
}

/** Compares rows by their precomputed sort values; nulls sort last; ties are left to the caller. */
export function compareSortValues<Row>(keys: readonly SortKey<Row>[], a: readonly (Comparable | null)[], b: readonly (Comparable | null)[]): number {
  for (let i = 0; i < keys.length; i += 1) {
    const key = keys[i];
    const va = a[i] ?? null;
    const vb = b[i] ?? null;
    if (!key || (va === null && vb === null)) continue;
    if (va === null) return 1;
    if (vb === null) return -1;
    const c = order(key.field.kind, va, vb);
    if (c !== 0) return key.descending ? -c : c;
  }
  return 0;
}
