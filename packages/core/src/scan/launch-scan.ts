import type { ApiClient } from '../api/client';
import { quoteValue, search, UUID_PATTERN } from '../api/resources';
import type { Clock, Logger } from '../effects';
import { ApiError } from '../errors';
import { parseApiDate } from './scan-status';
import { escapeLogText } from '../log-text';

/** Options of {@link launchScan}. */
export interface LaunchScanOptions {
  clock: Clock;
  logger: Logger;
  signal?: AbortSignal;
  /** Launch attempts when an attempt's outcome is unknown and no scan was found afterwards. @default 3 */
  attempts?: number;
  /** Tolerance for clock skew between this machine and the API when looking for a scan. @default 120000 */
  skewMs?: number;
}

const AMBIGUOUS: ReadonlySet<string> = new Set(['NETWORK_ERROR', 'TIMEOUT']);

/**
 * Launches a scan exactly once: `POST /scans` is never retried blindly. When an attempt ends without a clear
 * answer (a dropped connection, a timeout, a 5xx), the scans of the configuration submitted since the attempt are
 * looked up first, and the attempt is repeated only if none exists.
 * @returns the new scan's id, taken from the `Location` header.
 * @throws ApiError (RESPONSE_INVALID when the answer carries no usable Location; others as the API answered).
 */
export async function launchScan(client: ApiClient, scanConfigId: string, options: LaunchScanOptions): Promise<string> {
  const attempts = options.attempts ?? 3;
  const skewMs = options.skewMs ?? 120_000;
  for (let attempt = 1; ; attempt += 1) {
    const startedAt = options.clock.now();
    try {
      const response = await client.request({
        method: 'POST',
        path: '/scans',
        route: 'POST /scans',
        json: { scan_config: { id: scanConfigId } },
        retry: 'rate-limit',
      });
      return scanIdFromLocation(response.headers.get('location'), client.baseUrl);
    } catch (error) {
      const ambiguous = error instanceof ApiError && (AMBIGUOUS.has(error.code) || (error.status !== undefined && error.status >= 500));
      if (!ambiguous) throw error;
      options.logger.warn(`POST /scans ended without a clear answer (${error.message}); looking for the scan before trying again`);
      const found = await findScanLaunchedSince(client, scanConfigId, startedAt - skewMs);
      if (found !== undefined) {
        options.logger.info(`Found the scan launched by the interrupted request: ${found}`);
        return found;
      }
      if (attempt >= attempts) throw error;
      await options.clock.sleep(1_000 * 2 ** (attempt - 1), options.signal);
    }
  }
}

/**
 * The newest scan of a configuration submitted at or after `sinceMs`, if any: how a launch whose answer was lost
 * (a dropped connection, an interrupt) finds the scan it may have created.
 */
export async function findScanLaunchedSince(client: ApiClient, scanConfigId: string, sinceMs: number): Promise<string | undefined> {
  const query = `scan.scan_config.id=${quoteValue(scanConfigId)}`;
  for await (const page of search(client, 'SCAN', query, { pageSize: 20, sort: 'scan.submit_time,DESC' })) {
    const recent = page.items
      .map((scan) => ({ id: scan.id, at: parseApiDate(scan.submit_time) }))
      .filter((s) => s.at !== undefined && s.at >= sinceMs)
      .sort((a, b) => (b.at ?? 0) - (a.at ?? 0));
    return recent[0]?.id;
  }
  return undefined;
}

/** Takes the scan id from a `Location` header: the last path segment, which must be a UUID. */
export function scanIdFromLocation(location: string | null, baseUrl: string): string {
  const context = { method: 'POST', url: `${baseUrl}/scans`, route: 'POST /scans' };
  if (location === null || location.trim() === '') {
    throw new ApiError('RESPONSE_INVALID', 'POST /scans succeeded without a Location header, so the new scan id is unknown; check the scan list in InsightAppSec before running again.', context);
  }
  let id = '';
  try {
    const path = new URL(location, baseUrl).pathname.replace(/\/+$/, '');
    id = decodeURIComponent(path.slice(path.lastIndexOf('/') + 1));
  } catch {
    // A Location no URL parser or decoder accepts carries no scan id either: reported below.
  }
  if (!UUID_PATTERN.test(id)) {
    throw new ApiError('RESPONSE_INVALID', `POST /scans returned a Location header without a scan id (${escapeLogText(location)}); check the scan list in InsightAppSec before running again.`, context);
  }
  return id;
}
