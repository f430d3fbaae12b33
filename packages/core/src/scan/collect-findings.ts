import type { ApiClient } from '../api/client';
import { MAX_PAGE_SIZE } from '../api/paginate';
import { listModules, quoteValue, searchLazily } from '../api/resources';
import type { Module, Vulnerability } from '../api/schemas';
import { ApiError, createRedactor, mapStringsDeep, secretNeedles } from '../errors';
import { toWellFormedText } from '../log-text';
import { mayHoldSecretHeaders, redactVulnerabilityExchanges } from './redact-http-secrets';
import type { RunEventListener } from './run-events';

/** One finding as the collector hands it on, with its module resolved. */
export interface CollectedFinding {
  vulnerability: Vulnerability;
  moduleId: string | undefined;
  moduleName: string;
  attackId: string | undefined;
  /**
   * The vulnerability's JSON text exactly as the API sent it, when nothing in it was scrubbed or redacted (so it
   * parses to `vulnerability`); reports that copy the vulnerability whole can write it instead of serialising again.
   */
  json?: string;
}

/** Options of {@link collectFindings}. */
export interface CollectFindingsOptions {
  /** Called for each finding, in page order; awaited, so consumers can stream to disk. */
  onFinding: (finding: CollectedFinding) => Promise<void>;
  onEvent?: RunEventListener;
  /** @default 1000 */
  pageSize?: number;
  /** Replace secret header values in HTTP exchanges with `***` before the finding is handed on. @default true */
  redactHttpSecrets?: boolean;
  /** Secrets (the API key) to redact wherever the server reflects them back in findings or module texts. */
  secrets?: readonly (string | undefined)[];
}

const ANY_SURROGATE = /[\ud800-\udfff]/;

/**
 * What the server sent, made safe once for everything downstream: a secret it reflects back becomes `***`, and a
 * lone surrogate (which no UTF-8 writer or URL encoder accepts) becomes U+FFFD.
 */
export function createScanDataScrubber(secrets: readonly (string | undefined)[]): <T>(value: T) => T {
  const redact = createRedactor(secrets);
  // Any surrogate at all is rare in scan data: the exact (slower) lone-surrogate repair runs only then.
  const clean = (text: string): string => {
    const redacted = redact(text);
    return ANY_SURROGATE.test(redacted) ? toWellFormedText(redacted) : redacted;
  };
  return (value) => mapStringsDeep(value, clean);
}

/** Characters JSON text may hold only escaped, and `/`, which it may escape: a secret holding one can hide behind an escape. */
const holdsEscapable = (text: string): boolean => [...text].some((c) => c < ' ' || c === '"' || c === '\\' || c === '/');

/**
 * A cheap test on an item's JSON text, before it is parsed: `true` when no string in it can decode to a secret or a
 * surrogate, so {@link createScanDataScrubber} would change nothing and can be skipped. That holds when the text has
 * no `\u` escape (the only way JSON spells a character of a secret other than as itself, secrets with characters
 * JSON escapes, or `/`, excepted: for those this always answers `false`), no surrogate and no secret in it.
 */
export function createScanTextScreen(secrets: readonly (string | undefined)[]): (json: string) => boolean {
  const needles = secretNeedles(secrets);
  if (needles.some(holdsEscapable)) return () => false;
  return (json) => !json.includes('\\u') && !ANY_SURROGATE.test(json) && !needles.some((needle) => json.includes(needle));
}

/** What the collection saw. */
export interface CollectResult {
  total: number;
  modules: ReadonlyMap<string, Module>;
}

/**
 * Streams every finding of a scan: `POST /search` for `vulnerability.scans.id='ID'` in pages of 1000, with one
 * `GET /modules` (fetched alongside the first page) to name modules. Each page is handed on as it arrives and
 * then dropped, while the next one is fetched (at most two pages in memory, as text: findings are parsed one at a time). A finding seen twice (the set shifting while paging) is passed on once.
 * Every finding and module is scrubbed first ({@link createScanDataScrubber}).
 * @throws ApiError on any failure: collection fails closed; when fewer findings arrive than the API counted, too.
 */
export async function collectFindings(client: ApiClient, scanId: string, options: CollectFindingsOptions): Promise<CollectResult> {
  const scrub = createScanDataScrubber(options.secrets ?? []);
  const screen = createScanTextScreen(options.secrets ?? []);
  const modulesPromise = listModules(client).then((list) => list.map((m) => scrub(m)));
  // Settle the module list's rejection here so it is never unhandled while the first page is read.
  modulesPromise.catch(() => undefined);
  let modules: Map<string, Module> | undefined;
  const seen = new Set<string>();
  let reported: number | undefined;
  const query = `vulnerability.scans.id=${quoteValue(scanId)}`;
  // One page ahead: the next page is requested while this one is handed on, so the API's time and ours overlap.
  const pages = searchLazily(client, 'VULNERABILITY', query, { pageSize: options.pageSize ?? MAX_PAGE_SIZE });
  let ahead = pages.next();
  for (;;) {
    const result = await ahead;
    if (result.done === true) break;
    const page = result.value;
    ahead = pages.next();
    // Settled here so a failure while this page is handed on is never unhandled; it is rethrown by the await above.
    ahead.catch(() => undefined);
    reported ??= page.totalData;
    modules ??= new Map((await modulesPromise).map((m) => [m.id, m]));
    for (let i = 0; i < page.count; i += 1) {
      const received = page.itemAt(i);
      const text = page.textAt(i);
      // Scrubbed and redacted once, here, so every report and the gate see the same data and none sees a session cookie.
      // The item's JSON text tells cheaply when neither can change anything.
      const clean = text !== undefined && screen(text);
      const scrubbed = clean ? received : scrub(received);
      const plainExchanges = clean && !mayHoldSecretHeaders(text);
      const vulnerability = options.redactHttpSecrets === false || plainExchanges ? scrubbed : redactVulnerabilityExchanges(scrubbed);
      if (seen.has(vulnerability.id)) continue;
      seen.add(vulnerability.id);
      const variance = vulnerability.variances?.[0];
      const moduleId = variance?.module?.id ?? undefined;
      const moduleName = moduleId === undefined ? 'Unknown' : (modules.get(moduleId)?.name ?? moduleId);
      const finding: CollectedFinding = { vulnerability, moduleId, moduleName, attackId: variance?.attack?.id ?? undefined };
      if (vulnerability === received && text !== undefined) finding.json = text;
      await options.onFinding(finding);
    }
    options.onEvent?.({ type: 'findings', fetched: seen.size, total: reported });
  }
  modules ??= new Map((await modulesPromise).map((m) => [m.id, m]));
  if (reported !== undefined && seen.size < reported) {
    throw new ApiError(
      'RESPONSE_INVALID',
      `POST /search returned ${seen.size} findings of scan ${scanId} but counted ${reported}; findings were lost while paging, run the step again.`,
      { method: 'POST', url: `${client.baseUrl}/search`, route: 'POST /search' },
    );
  }
  return { total: seen.size, modules };
}
