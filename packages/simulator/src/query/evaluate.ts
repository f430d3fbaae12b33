import { formatApiDate, parseApiDate } from '../api-date.js';
import { fieldNames, lookupField, severityRank, type FieldCatalog, type FieldDef, type FieldKind, type FieldScalar } from './fields.js';
import type { QueryNode, QueryValue } from './parser.js';
import { QueryError } from './query-error.js';

/** A compiled query: true when a row matches. */
export type RowPredicate<Row> = (row: Row) => boolean;

/** A value in comparable form. */
export type Comparable = string | number | boolean;

function resolveField<Row>(catalog: FieldCatalog<Row>, name: string, offset: number): FieldDef<Row> {
  const field = lookupField(catalog, name);
  if (!field) {
    throw new QueryError(`Unknown field ${name} for search type ${catalog.type} (known: ${fieldNames(catalog).join(', ')})`, offset);
  }
  return field;
}

/** Turns a literal into the comparable form of a field kind; throws QueryError when it cannot be. */
function coerce(kind: FieldKind, field: string, value: QueryValue): Comparable {
  switch (kind) {
    case 'number': {
      const n = value.kind === 'number' ? value.value : value.kind === 'string' ? Number(value.value) : Number.NaN;
      if (value.kind === 'string' && value.value.trim() === '') throw new QueryError(`${field} needs a number`, value.offset);
      if (Number.isNaN(n)) throw new QueryError(`${field} needs a number`, value.offset);
      return n;
    }
    case 'date': {
      if (value.kind !== 'string') throw new QueryError(`${field} needs a quoted date such as '2026-01-31T00:00:00'`, value.offset);
      const ms = parseApiDate(value.value);
      if (ms === undefined) throw new QueryError(`'${value.value}' is not a date (use YYYY-MM-DD or YYYY-MM-DDThh:mm:ss)`, value.offset);
      return ms;
    }
    case 'boolean': {
      if (value.kind === 'boolean') return value.value;
      if (value.kind === 'string' && /^(true|false)$/i.test(value.value)) return value.value.toLowerCase() === 'true';
      throw new QueryError(`${field} needs true or false`, value.offset);
    }
    case 'id':
      return String(value.value).toLowerCase();
    case 'severity':
    case 'string':
      return String(value.value);
  }
}

function normalise(kind: FieldKind, v: FieldScalar): Comparable | null {
  if (v === null) return null;
  if (kind === 'id' && typeof v === 'string') return v.toLowerCase();
  return v;
}

function order(kind: FieldKind, a: Comparable, b: Comparable): number {
  if (kind === 'severity') return severityRank(String(a)) - severityRank(String(b));
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

function valuesOf<Row>(field: FieldDef<Row>, row: Row): (Comparable | null)[] {
  const raw = field.get(row);
  if (Array.isArray(raw)) return raw.map((v: FieldScalar) => normalise(field.kind, v));
  return [normalise(field.kind, raw as FieldScalar)];
}

function likeRegex(pattern: string): RegExp {
  let source = '';
  for (const ch of pattern) {
    if (ch === '%') source += '.*';
    else if (ch === '_') source += '.';
    else source += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`, 'is');
}

function asText(kind: FieldKind, v: Comparable): string {
  return kind === 'date' && typeof v === 'number' ? formatApiDate(v) : String(v);
}

/**
 * Compiles a parsed query against a field catalog: resolves every field, checks and converts every
 * value, and returns a predicate. Throws QueryError (unknown field, bad value) with its position.
 */
export function compileQuery<Row>(node: QueryNode, catalog: FieldCatalog<Row>): RowPredicate<Row> {
  switch (node.kind) {
    case 'and': {
      const l = compileQuery(node.left, catalog);
      const r = compileQuery(node.right, catalog);
      return (row) => l(row) && r(row);
    }
    case 'or': {
      const l = compileQuery(node.left, catalog);
      const r = compileQuery(node.right, catalog);
      return (row) => l(row) || r(row);
    }
    case 'compare': {
      const field = resolveField(catalog, node.field, node.fieldOffset);
      if (field.kind === 'boolean' && node.op !== '=' && node.op !== '!=') {
        throw new QueryError(`${node.field} is true or false and accepts only = and !=`, node.value.offset);
      }
      const target = coerce(field.kind, node.field, node.value);
      if (field.kind === 'severity' && node.op !== '=' && node.op !== '!=' && severityRank(String(target)) < 0) {
        throw new QueryError(`'${String(target)}' is not a severity`, node.value.offset);
      }
      const test = (v: Comparable | null): boolean => {
        if (v === null) return false;
        const c = order(field.kind, v, target);
        switch (node.op) {
          case '=':
            return c === 0;
          case '!=':
            return c !== 0;
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
      if (node.op === '!=') return (row) => valuesOf(field, row).every((v) => v === null || test(v));
      return (row) => valuesOf(field, row).some(test);
    }
    case 'like': {
      const field = resolveField(catalog, node.field, node.fieldOffset);
      if (node.value.kind !== 'string') throw new QueryError('LIKE needs a single-quoted pattern', node.value.offset);
      const regex = likeRegex(node.value.value);
      return (row) => valuesOf(field, row).some((v) => v !== null && regex.test(asText(field.kind, v)));
    }
    case 'between': {
      const field = resolveField(catalog, node.field, node.fieldOffset);
      if (field.kind === 'boolean') throw new QueryError(`${node.field} is true or false and cannot be used with BETWEEN`, node.fieldOffset);
      const low = coerce(field.kind, node.field, node.low);
      const high = coerce(field.kind, node.field, node.high);
      return (row) => valuesOf(field, row).some((v) => v !== null && order(field.kind, v, low) >= 0 && order(field.kind, v, high) <= 0);
    }
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
