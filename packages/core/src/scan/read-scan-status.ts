import { createApiClient } from '../api/client';
import { getExecutionDetails, getScan } from '../api/resources';
import type { ExecutionDetails, Scan } from '../api/schemas';
import { ConfigError, redactSecrets } from '../errors';
import type { Clock, FetchLike, Logger } from '../effects';
import { configSchema, toScanJob, type RawConfig } from '../config/schema';
import type { InputNames } from '../config/parse-config';
import { isTerminal } from './scan-status';

/** What `ias status` needs: where the API is, the key, and the scan. */
export interface StatusQuery {
  baseUrl: string;
  apiKey: string;
  scanId: string;
  requestTimeoutMs: number;
}

/**
 * Validates the inputs of a status query with the same schema as a scan's.
 * @throws ConfigError (CONFIG_INVALID) naming each bad input.
 */
export function parseStatusQuery(raw: RawConfig, names: InputNames = {}): StatusQuery {
  const nameOf = (key: string): string => names[key as keyof InputNames] ?? key;
  const parsed = configSchema.safeParse({ ...raw, app: 'unused', scanConfig: 'unused' });
  const issues = parsed.success ? [] : parsed.error.issues.map((i) => ({ path: nameOf(String(i.path[0])), message: `${nameOf(String(i.path[0]))} ${i.message}` }));
  if (parsed.success && parsed.data.scanId === undefined) issues.push({ path: nameOf('scanId'), message: `${nameOf('scanId')} is required; give the id of the scan to look at` });
  if (!parsed.success || issues.length > 0) {
    throw new ConfigError(`${redactSecrets(issues[0]?.message ?? 'the configuration is invalid', [String(raw.apiKey ?? '')])}.`, issues);
  }
  const job = toScanJob(parsed.data);
  return { baseUrl: job.baseUrl, apiKey: job.apiKey, scanId: job.scanId ?? '', requestTimeoutMs: job.requestTimeoutMs };
}

/** A scan's state: the scan and, while it runs, the engine's counters. */
export interface ScanStatus {
  scan: Scan;
  details: ExecutionDetails | undefined;
}

/**
 * Reads a scan's state (`GET /scans/{id}`, plus execution details while it is not finished).
 * @throws ApiError as the API answers (a 404 for an unknown scan id).
 */
export async function readScanStatus(query: StatusQuery, effects: { fetch: FetchLike; clock: Clock; logger: Logger; userAgent: string; signal?: AbortSignal }): Promise<ScanStatus> {
  const client = createApiClient({
    baseUrl: query.baseUrl,
    apiKey: query.apiKey,
    fetch: effects.fetch,
    clock: effects.clock,
    logger: effects.logger,
    userAgent: effects.userAgent,
    timeoutMs: query.requestTimeoutMs,
    ...(effects.signal === undefined ? {} : { signal: effects.signal }),
  });
  const scan = await getScan(client, query.scanId);
  const details = isTerminal(scan.status) ? undefined : await getExecutionDetails(client, query.scanId).catch(() => undefined);
  return { scan, details };
}
