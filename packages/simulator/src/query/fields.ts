/** How a field's values compare. */
export type FieldKind = 'id' | 'string' | 'number' | 'date' | 'boolean' | 'severity' | 'enum';

/** A scalar field value; dates are epoch milliseconds. */
export type FieldScalar = string | number | boolean | null;

/** A searchable field of one search type. `get` returns an array for relations (match if any does). */
export interface FieldDef<Row> {
  name: string;
  kind: FieldKind;
  get(row: Row): FieldScalar | readonly FieldScalar[];
  /** The allowed values of a `severity` or `enum` field, upper case. */
  values?: readonly string[];
  /**
   * For names (`app.name`, `scanconfig.name`): when a search comparing this field with `=` finds nothing, it is
   * run again comparing names without regard to case (see the README, "Name matching").
   */
  foldCaseFallback?: boolean;
}

/** Severities from lowest to highest: the rank used by ordering comparisons and sorts. */
export const SEVERITY_ORDER = ['SAFE', 'INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

/** Rank of a severity (unknown values rank below SAFE). */
export function severityRank(value: string): number {
  return (SEVERITY_ORDER as readonly string[]).indexOf(value.toUpperCase());
}

/** A search type's prefix and fields, keyed by their exact name without the prefix. */
export interface FieldCatalog<Row> {
  type: string;
  prefix: string;
  fields: Map<string, FieldDef<Row>>;
}

/** Builds a catalog from field definitions (names without the prefix). */
export function defineCatalog<Row>(type: string, prefix: string, defs: FieldDef<Row>[]): FieldCatalog<Row> {
  return { type, prefix, fields: new Map(defs.map((d) => [d.name, d])) };
}

/**
 * Finds a field by its exact full name (`vulnerability.severity`); undefined when unknown for the type. Field names
 * are case-sensitive: whether the real API folds their case is unknown, so `Vulnerability.Severity` is refused
 * (fail closed) rather than guessed.
 */
export function lookupField<Row>(catalog: FieldCatalog<Row>, fullName: string): FieldDef<Row> | undefined {
  const prefix = `${catalog.prefix}.`;
  if (!fullName.startsWith(prefix)) return undefined;
  return catalog.fields.get(fullName.slice(prefix.length));
}

/** The field whose name equals `fullName` ignoring case, for a "did you mean" hint. */
export function lookupFieldIgnoringCase<Row>(catalog: FieldCatalog<Row>, fullName: string): string | undefined {
  const lower = fullName.toLowerCase();
  for (const f of catalog.fields.values()) if (`${catalog.prefix}.${f.name}`.toLowerCase() === lower) return `${catalog.prefix}.${f.name}`;
  return undefined;
}

/** The field names of a catalog, for error messages. */
export function fieldNames<Row>(catalog: FieldCatalog<Row>): string[] {
  return [...catalog.fields.values()].map((f) => `${catalog.prefix}.${f.name}`);
}
