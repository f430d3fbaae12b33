import type { SpecFormat } from './spec-document';

/** What became of an API since the previous inventory. */
export const API_STATUSES = ['new', 'changed', 'unchanged', 'removed', 'skipped', 'error', 'unreachable'] as const;
/** One API status. */
export type ApiStatus = (typeof API_STATUSES)[number];

/** An APIM service as the inventory records it. */
export interface InventoryService {
  id: string;
  name: string;
  /** The source (sources file entry) the service was found through; `default` for flags. */
  source?: string;
  subscriptionId: string;
  resourceGroup: string;
  location: string | null;
  sku: string | null;
  gatewayUrl: string | null;
  /** `unreachable`: listed before, but not listed (or not readable) now, e.g. a role revoked on that instance. */
  status?: 'ok' | 'unreachable';
  /** Why the service is unreachable. */
  error?: string | null;
}

/** The stored definition of an API. */
export interface InventorySpec {
  format: SpecFormat;
  /** Relative to the inventory folder: `specs/<service>/<api>.json`. */
  file: string;
  /** SHA-256 of the canonical JSON in `file`. */
  sha256: string;
  /** `METHOD /path`, sorted. */
  operations: string[];
}

/** Where an API's definition was last pushed. */
export interface InventoryLink {
  /** The scan configuration as the links file names it (name or id). */
  scanConfig: string;
  scanConfigId: string | null;
  /** Its name in IAS (also when the links file gives its id). */
  scanConfigName?: string;
  /** What the last push added besides the definition, so unlink can take exactly that away again. */
  applied?: { subscriptionKeyHeader?: string; restrictToSpec?: boolean };
  /** The endpoints people approved for this scan configuration (set on the first push, and by approve). */
  approvedOperations?: string[];
  /** New endpoints held back from the scan configuration until `ias discover approve`. */
  pendingReview?: { added: string[]; since: string } | null;
  lastPushedSha256: string | null;
  lastPushedAt: string | null;
}

/** One API of the inventory. */
export interface InventoryApi {
  /** `<service>/<api name>`: the key the links file uses. */
  key: string;
  /** The source the API was found through; `default` for flags. */
  source?: string;
  service: string;
  /** The APIM workspace the API belongs to (its key is then `<service>/<api>@<workspace>`); null for the service's own. */
  workspace?: string | null;
  name: string;
  armId: string;
  displayName: string;
  type: string;
  path: string;
  protocols: string[];
  apiRevision: string | null;
  apiVersion: string | null;
  versionSet: string | null;
  subscriptionRequired: boolean;
  /** The header the gateway reads the subscription key from. */
  subscriptionKeyHeader: string | null;
  /**
   * The definition. When `skipReason` is also set, this is the last definition that could be exported (kept so the
   * loss shows as a change and nothing is scanned blind); an `unreachable` API keeps its last one too.
   */
  spec: InventorySpec | null;
  status: ApiStatus;
  previousSha256: string | null;
  /** Operation-level change against the previous inventory (null when there is nothing to compare). */
  diff: { added: string[]; removed: string[] } | null;
  skipReason: string | null;
  error: string | null;
  link: InventoryLink | null;
}

/** Counts per status. */
export type InventorySummary = Record<ApiStatus, number>;

/** One source of the inventory, as configured (no secrets). */
export interface InventorySource {
  name: string;
  kind: 'azure-apim';
  cloud: string;
  armEndpoint: string;
  tenantId: string;
  clientId: string;
  /** null: every subscription the app can see. */
  subscriptions: string[] | null;
  resourceGroup: string | null;
  services: string[] | null;
  workspaces: string[] | null;
  apiFilter: string;
  includeTypes: string[];
}

/** What one source's last sync did (`sync-status.json`). */
export interface SourceSyncRecord {
  name: string;
  /** ISO time of the sync. */
  at: string;
  /** `ok`; `partial`: some services or APIs could not be read; `failed`: nothing could be read. */
  result: 'ok' | 'partial' | 'failed';
  /** The subscriptions read (named or found). */
  subscriptions: string[];
  services: number;
  apis: number;
  counts: InventorySummary;
  /** Why the sync failed or was partial. */
  reason: string | null;
}

/** The file of the last sync's status per source, next to the inventory; it changes on every sync. */
export const SYNC_STATUS_FILE = 'sync-status.json';

/** `sync-status.json` text. */
export function serializeSyncStatus(records: readonly SourceSyncRecord[]): string {
  return `${JSON.stringify({ schemaVersion: 1, sources: records }, null, 2)}\n`;
}

/** Reads `sync-status.json`; an empty list when absent or unreadable. */
export function parseSyncStatus(text: string | undefined): SourceSyncRecord[] {
  if (text === undefined) return [];
  try {
    const value = JSON.parse(text) as { sources?: unknown };
    return Array.isArray(value.sources) ? (value.sources as SourceSyncRecord[]) : [];
  } catch {
    return [];
  }
}

/** Zero of every status. */
export function emptySummary(): InventorySummary {
  return { new: 0, changed: 0, unchanged: 0, removed: 0, skipped: 0, error: 0, unreachable: 0 };
}

/** `inventory.json`. */
export interface Inventory {
  schemaVersion: 1;
  /** Changes only when the rest of the inventory changes, so an idle day leaves git clean. */
  generatedAt: string;
  tool: string;
  /** The sources as configured for the sync that wrote this inventory. */
  sources: InventorySource[];
  summary: InventorySummary;
  services: InventoryService[];
  apis: InventoryApi[];
}

/** The file name of the inventory inside the output folder. */
export const INVENTORY_FILE = 'inventory.json';

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Sorts services by name and APIs by key, and recounts the summary. */
export function normalizeInventory(inventory: Inventory): Inventory {
  const apis = [...inventory.apis].sort((a, b) => byString(a.key, b.key));
  const summary = emptySummary();
  for (const api of apis) summary[api.status] += 1;
  return { ...inventory, summary, services: [...inventory.services].sort((a, b) => byString(a.name, b.name)), apis };
}

/** `inventory.json` text: 2-space JSON in a fixed key order, a final newline. */
export function serializeInventory(inventory: Inventory): string {
  return `${JSON.stringify(normalizeInventory(inventory), null, 2)}\n`;
}

/** Reads a previous `inventory.json`; `undefined` when absent or not an inventory this version understands. */
export function parseInventory(text: string | undefined): { inventory?: Inventory; warning?: string } {
  if (text === undefined) return {};
  try {
    const value = JSON.parse(text) as Partial<Inventory>;
    if (value.schemaVersion !== 1 || !Array.isArray(value.apis)) return { warning: `the previous ${INVENTORY_FILE} is not a version 1 inventory; every API counts as new` };
    return { inventory: value as Inventory };
  } catch {
    return { warning: `the previous ${INVENTORY_FILE} is not valid JSON; every API counts as new` };
  }
}

/** The operations added and removed between two sorted lists. */
export function diffOperations(before: readonly string[], after: readonly string[]): { added: string[]; removed: string[] } {
  const old = new Set(before);
  const now = new Set(after);
  return { added: after.filter((o) => !old.has(o)), removed: before.filter((o) => !now.has(o)) };
}

/** Whether the inventory reports anything a reviewer should look at (new, changed or removed APIs). */
export function hasChanges(inventory: Inventory): boolean {
  return inventory.apis.some((a) => a.status === 'new' || a.status === 'changed' || a.status === 'removed');
}

/** A file-system-like store for the inventory folder, implemented by each host (paths are relative, `/`-separated). */
export interface DiscoveryFiles {
  /** The file's text, or `undefined` when it does not exist. */
  readText(path: string): Promise<string | undefined>;
  /** Writes the file, creating folders. */
  writeText(path: string, text: string): Promise<void>;
  /** Deletes the file; a missing file is fine. */
  remove(path: string): Promise<void>;
}

/** An in-memory {@link DiscoveryFiles}, for tests and dry runs. */
export function createMemoryDiscoveryFiles(initial: Record<string, string> = {}): DiscoveryFiles & { files: Map<string, string> } {
  const files = new Map(Object.entries(initial));
  return {
    files,
    readText: async (path) => files.get(path),
    writeText: async (path, text) => {
      files.set(path, text);
    },
    remove: async (path) => {
      files.delete(path);
    },
  };
}

/**
 * Approves the endpoints of linked APIs (`ias discover approve`): each named API's current operations become its
 * approved ones and its pending review is cleared, so the next push attaches them.
 * @returns the updated inventory, the keys approved, and the keys that are not linked APIs of the inventory.
 */
export function approveEndpoints(inventory: Inventory, keys: readonly string[] | 'all'): { inventory: Inventory; approved: string[]; unknown: string[] } {
  const wanted = keys === 'all' ? inventory.apis.filter((a) => a.link?.pendingReview).map((a) => a.key) : [...keys];
  const approved: string[] = [];
  const apis = inventory.apis.map((api) => {
    if (!wanted.includes(api.key) || api.link === null || api.spec === null) return api;
    approved.push(api.key);
    return { ...api, link: { ...api.link, approvedOperations: [...api.spec.operations], pendingReview: null } };
  });
  return { inventory: { ...inventory, apis }, approved, unknown: wanted.filter((k) => !approved.includes(k)) };
}
