import type { ApiClient } from '../api/client';
import { getAttackDocumentation } from '../api/resources';
import { attackDocumentationSchema, type AttackDocumentation } from '../api/schemas';
import type { Clock, DocumentationCache, Logger } from '../effects';

/** How long cached attack documentation is used before it is fetched again: it changes with product releases. */
export const RULE_DOCUMENTATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** At most this many documentation requests are in flight at once. */
export const RULE_DOCUMENTATION_CONCURRENCY = 8;

/** One module/attack pair whose documentation a report shows. */
export interface RuleDocumentationRequest {
  key: string;
  moduleId: string;
  attackId: string;
}

/** Options of {@link fetchRuleDocumentation}. */
export interface RuleDocumentationOptions {
  logger: Logger;
  clock: Clock;
  /** Entries younger than {@link RULE_DOCUMENTATION_TTL_MS} are used instead of a request; fetched ones are stored. */
  cache?: DocumentationCache | undefined;
  /** @default {@link RULE_DOCUMENTATION_CONCURRENCY} */
  concurrency?: number;
  /** @default {@link RULE_DOCUMENTATION_TTL_MS} */
  ttlMs?: number;
}

/** The cache key of a pair; the version prefix lets a later format start afresh. */
function cacheKey(moduleId: string, attackId: string): string {
  return `attack-documentation/v1/${moduleId}/${attackId}`;
}

/**
 * Fetches the documentation of each distinct module/attack pair once, at most {@link RULE_DOCUMENTATION_CONCURRENCY}
 * at a time, reading and filling the host's cache when there is one. Reports are still written without it: a failed
 * lookup is logged and left out. A cache that cannot be read, holds something unexpected or cannot be written is
 * reported with one warning and otherwise ignored (the documentation is fetched as if it were empty).
 */
export async function fetchRuleDocumentation(
  client: ApiClient,
  pairs: readonly RuleDocumentationRequest[],
  options: RuleDocumentationOptions,
): Promise<Map<string, AttackDocumentation>> {
  const { logger, clock } = options;
  const ttlMs = options.ttlMs ?? RULE_DOCUMENTATION_TTL_MS;
  const concurrency = Math.max(1, options.concurrency ?? RULE_DOCUMENTATION_CONCURRENCY);
  const docs = new Map<string, AttackDocumentation>();
  let next = 0;
  let failures = 0;
  let fromCache = 0;
  const store = createStore(options.cache, { logger, clock, ttlMs });

  const worker = async (): Promise<void> => {
    while (next < pairs.length) {
      const pair = pairs[next];
      next += 1;
      if (pair === undefined) continue;
      const cached = await store.read(pair);
      if (cached !== undefined) {
        fromCache += 1;
        docs.set(pair.key, cached);
        continue;
      }
      let documentation: AttackDocumentation;
      try {
        documentation = await getAttackDocumentation(client, pair.moduleId, pair.attackId);
      } catch (error) {
        failures += 1;
        logger.debug(`No documentation for attack ${pair.attackId} of module ${pair.moduleId}: ${describe(error)}`);
        continue;
      }
      docs.set(pair.key, documentation);
      await store.write(pair, documentation);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, pairs.length) }, () => worker()));
  if (options.cache !== undefined) logger.debug(`Attack documentation: ${fromCache} of ${pairs.length} rules from the cache`);
  if (failures > 0) logger.warn(`Attack documentation was unavailable for ${failures} of ${pairs.length} rules; the reports show them without it`);
  return docs;
}

/** Reads and fills the documentation cache; after its first trouble it warns once and is no longer used. */
interface DocumentationStore {
  /** The pair's cached documentation while it is fresh, else `undefined`. */
  read(pair: RuleDocumentationRequest): Promise<AttackDocumentation | undefined>;
  write(pair: RuleDocumentationRequest, documentation: AttackDocumentation): Promise<void>;
}

/** A store over the host cache (none: every read misses and writes are dropped). */
function createStore(initial: DocumentationCache | undefined, context: { logger: Logger; clock: Clock; ttlMs: number }): DocumentationStore {
  const { logger, clock, ttlMs } = context;
  let cache = initial;
  let cacheTrouble: string | undefined;
  const distrust = (what: string, error?: unknown): void => {
    if (cacheTrouble !== undefined) return;
    cacheTrouble = `${what}${error === undefined ? '' : ` (${describe(error)})`}`;
    logger.warn(`The attack documentation cache ${cacheTrouble}; it is ignored for this run and the documentation is fetched from the API`);
  };

  const read = async (pair: RuleDocumentationRequest): Promise<AttackDocumentation | undefined> => {
    if (cache === undefined) return undefined;
    let text: string | undefined;
    try {
      text = await cache.read(cacheKey(pair.moduleId, pair.attackId));
    } catch (error) {
      distrust('cannot be read', error);
      cache = undefined;
      return undefined;
    }
    if (text === undefined) return undefined;
    const entry = parseEntry(text, pair);
    if (entry === undefined) {
      // A damaged entry is replaced by the fetched one; the rest of the cache stays in use.
      distrust('holds a damaged entry');
      return undefined;
    }
    const age = clock.now() - entry.fetchedAt;
    return age >= 0 && age < ttlMs ? entry.documentation : undefined;
  };

  const write = async (pair: RuleDocumentationRequest, documentation: AttackDocumentation): Promise<void> => {
    if (cache === undefined) return;
    const entry: CacheEntry = { moduleId: pair.moduleId, attackId: pair.attackId, fetchedAt: clock.now(), documentation };
    try {
      await cache.write(cacheKey(pair.moduleId, pair.attackId), JSON.stringify(entry));
    } catch (error) {
      distrust('cannot be written', error);
      cache = undefined;
    }
  };
  return { read, write };
}

interface CacheEntry {
  moduleId: string;
  attackId: string;
  fetchedAt: number;
  documentation: AttackDocumentation;
}

/** The entry stored for `pair`, or `undefined` when the text is not one (damaged, or another pair's). */
function parseEntry(text: string, pair: RuleDocumentationRequest): CacheEntry | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const entry = value as Partial<Record<keyof CacheEntry, unknown>>;
  if (entry.moduleId !== pair.moduleId || entry.attackId !== pair.attackId) return undefined;
  if (typeof entry.fetchedAt !== 'number' || !Number.isFinite(entry.fetchedAt)) return undefined;
  const documentation = attackDocumentationSchema.safeParse(entry.documentation);
  return documentation.success ? { moduleId: pair.moduleId, attackId: pair.attackId, fetchedAt: entry.fetchedAt, documentation: documentation.data } : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
