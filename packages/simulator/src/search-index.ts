import { comparesNames, compareSortValues, compileQuery, parseSort, sortValuesOf, type SortKey } from './query/evaluate.js';
import type { FieldCatalog } from './query/fields.js';
import { parseQuery } from './query/parser.js';
import { QueryError } from './query/query-error.js';
import { APP_CATALOG, SCAN_CATALOG, SCAN_CONFIG_CATALOG, VULNERABILITY_CATALOG, type ScanView } from './search-catalogs.js';
import type { ScenarioApp, ScenarioScanConfig } from './scenario.js';
import { completionAt, failureReasonAt, statusAt } from './scan-lifecycle.js';
import type { SimState, VulnerabilityRecord } from './sim-state.js';

/** The search types the simulator serves. */
export const SEARCH_TYPES = ['APP', 'SCAN_CONFIG', 'SCAN', 'VULNERABILITY'] as const;
/** A search type. */
export type SearchType = (typeof SEARCH_TYPES)[number];

/** Rows of each search type. */
export interface SearchRows {
  APP: ScenarioApp;
  SCAN_CONFIG: ScenarioScanConfig;
  SCAN: ScanView;
  VULNERABILITY: VulnerabilityRecord;
}

const DEFAULT_SORT: Record<SearchType, string> = {
  APP: 'name,ASC',
  SCAN_CONFIG: 'name,ASC',
  SCAN: 'submit_time,DESC',
  VULNERABILITY: 'severity,DESC',
};

const CACHE_LIMIT = 64;

/** True when `type` names a search type the simulator serves. */
export function isSearchType(type: unknown): type is SearchType {
  return typeof type === 'string' && (SEARCH_TYPES as readonly string[]).includes(type);
}

/**
 * Runs filtered, sorted listings over the state. Results other than SCAN (whose status moves with the
 * clock) are cached as id lists per (type, query, sort) and dropped when the state version changes,
 * so paging through 100,000 vulnerabilities filters and sorts once.
 */
export class SearchIndex {
  private readonly cache = new Map<string, { version: number; rows: unknown[] }>();

  constructor(
    private readonly state: SimState,
    private readonly warn: (message: string) => void = () => {},
  ) {}

  /** Every row of a type at `now`, unfiltered and unsorted. */
  rowsOf<T extends SearchType>(type: T, now: number): SearchRows[T][] {
    const s = this.state;
    switch (type) {
      case 'APP':
        return s.apps as SearchRows[T][];
      case 'SCAN_CONFIG':
        return s.configs as SearchRows[T][];
      case 'SCAN':
        return [...s.scans.values()].map((scan) => scanView(scan, now)) as SearchRows[T][];
      default:
        return [...s.vulnerabilities.values()] as SearchRows[T][];
    }
  }

  /**
   * The matching rows in order. `query` empty or undefined matches everything; `sort` undefined uses
   * the type's default. Throws QueryError on a bad query or sort.
   */
  run<T extends SearchType>(type: T, query: string | undefined, sort: string | undefined, now: number): SearchRows[T][] {
    const catalog = catalogOf(type);
    const tree = query === undefined || query.trim() === '' ? undefined : parseQuery(query);
    const predicate = tree === undefined ? undefined : compileQuery(tree, catalog);
    const keys: SortKey<SearchRows[T]>[] = parseSort(sort ?? DEFAULT_SORT[type], catalog);
    if (keys.length === 0) throw new QueryError(`Empty sort for ${type}`, 0);
    const cacheable = type !== 'SCAN';
    const key = `${type}\u0000${query ?? ''}\u0000${sort ?? ''}`;
    if (cacheable) {
      const hit = this.cache.get(key);
      if (hit && hit.version === this.state.version) return hit.rows as SearchRows[T][];
    }
    const all = this.rowsOf(type, now);
    let matched = predicate ? all.filter(predicate) : [...all];
    if (matched.length === 0 && tree !== undefined && comparesNames(tree, catalog)) {
      // Name matching (README, "Name matching"): exact first; with no exact match, a single match ignoring case is
      // used with a warning, and several are refused naming them, as core's resolution does.
      const folded = all.filter(compileQuery(tree, catalog, { foldNames: true }));
      const nameOf = (row: SearchRows[T]): string => String((row as { name?: unknown }).name);
      if (folded.length > 1) {
        const idOfRow = idGetter(type);
        const byId = [...folded].sort((x, y) => (idOfRow(x) < idOfRow(y) ? -1 : 1));
        const listed = byId.map((row) => `'${nameOf(row)}' (${idGetter(type)(row)})`).join(', ');
        throw new QueryError(`The name in ${query} matches no ${type} exactly and ${folded.length} ignoring case: ${listed}; write the exact name or use the id`, null);
      }
      if (folded.length === 1 && folded[0] !== undefined) this.warn(`The name in ${query} matches no ${type} exactly; using '${nameOf(folded[0])}', which matches ignoring case`);
      matched = folded;
    }
    const idOf = idGetter(type);
    const decorated = matched.map((row) => ({ row, id: idOf(row), values: sortValuesOf(keys, row) }));
    decorated.sort((a, b) => compareSortValues(keys, a.values, b.values) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const rows = decorated.map((d) => d.row);
    if (cacheable) {
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(key, { version: this.state.version, rows });
    }
    return rows;
  }
}

/** The field catalog of a search type. */
export function catalogOf<T extends SearchType>(type: T): FieldCatalog<SearchRows[T]> {
  const catalogs: { [K in SearchType]: FieldCatalog<SearchRows[K]> } = {
    APP: APP_CATALOG,
    SCAN_CONFIG: SCAN_CONFIG_CATALOG,
    SCAN: SCAN_CATALOG,
    VULNERABILITY: VULNERABILITY_CATALOG,
  };
  return catalogs[type];
}

function idGetter<T extends SearchType>(type: T): (row: SearchRows[T]) => string {
  switch (type) {
    case 'SCAN':
      return (row) => (row as ScanView).scan.id;
    case 'VULNERABILITY':
      return (row) => (row as VulnerabilityRecord).finding.id;
    default:
      return (row) => (row as ScenarioApp).id;
  }
}

/** Reads a scan's status, completion time and failure reason at `now`. */
export function scanView(scan: ScanView['scan'], now: number): ScanView {
  return { scan, status: statusAt(scan, now), completionTime: completionAt(scan, now), failureReason: failureReasonAt(scan, now) };
}
