/** How a field's values compare. */
export type FieldKind = 'id' | 'string' | 'number' | 'date' | 'boolean' | 'severity';

/** A scalar field value; dates are epoch milliseconds. */
export type FieldScalar = string | number | boolean | null;

/** A searchable field of one search type. `get` returns an array for relations (match if any does). */
export interface FieldDef<Row> {
  name: string;
  kind: FieldKind;
  get(row: Row): FieldScalar | readonly FieldScalar[];
}

/** Severities from lowest to highest: the rank used by ordering comparisons and sorts. */
export const SEVERITY_ORDER = ['SAFE', 'INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'] as const;

/** Rank of a severity (unknown values rank below SAFE). */
export function severityRank(value: string): number {
  return (SEVERITY_ORDER as readonly string[]).indexOf(value.toUpperCase());
}

/** A search type's prefix and fields, looked up case-insensitively without the prefix. */
export interface FieldCatalog<Row> {
  type: string;
  prefix: string;
  fields: Map<string, FieldDef<Row>>;
}

/** Builds a catalog from field definitions (names without the prefix). */
export function defineCatalog<Row>(type: string, prefix: string, defs: FieldDef<Row>[]): FieldCatalog<Row> {
  return { type, prefix, fields: new Map(defs.map((d) => [d.name.toLowerCase(), d])) };
}

/** Finds a field by its full name (`vulnerability.severity`); undefined when unknown for the type. */
export function lookupField<Row>(catalog: FieldCatalog<Row>, fullName: string): FieldDef<Row> | undefined {
  const lower = fullName.toLowerCase();
  const prefix = `${catalog.prefix}.`;
  if (!lower.startsWith(prefix)) return undefined;
  return catalog.fields.get(lower.slice(prefix.length));
}

/** The field names of a catalog, for error messages. */
export function fieldNames<Row>(catalog: FieldCatalog<Row>): string[] {
  return [...catalog.fields.values()].map((f) => `${catalog.prefix}.${f.name}`);
}
