import { createApiClient, type ApiClient } from '../api/client';
import { getScan, listApps } from '../api/resources';
import { describeCause } from '../api/transport';
import { checkGateQuery } from '../config/gate-query';
import { baseUrlForRegion } from '../config/region';
import type { InputNames } from '../config/parse-config';
import type { ScanJob } from '../config/schema';
import type { Clock, FetchLike, Logger } from '../effects';
import { silentLogger } from '../effects';
import { ApiError, IasError, redactSecrets, urlPassword } from '../errors';
import { planGate } from '../gate/gate-query';
import { escapeMarkdown, markdownCell } from '../report/markdown';
import type { ReportSink } from '../report/sink';
import { loadGateInputs } from './gate-inputs';
import { EXIT_CODES, exitCodeForError } from './outcome';
import { resolveTarget } from './resolve-target';

/**
 * The checks, in the order they are reported. `settings` is the front end's parse of its inputs
 * ({@link preflightOfInvalidSettings}); {@link runPreflight} makes the others.
 */
export const PREFLIGHT_CHECKS = ['settings', 'gate-query', 'gate-files', 'output-folder', 'proxy', 'api-key', 'target', 'scan-id'] as const;
/** One preflight check. */
export type PreflightCheck = (typeof PREFLIGHT_CHECKS)[number];

/** The verdict of one check: `ok`, `failed` (with the exit status it stands for), or `skipped` (not applicable, or blocked by an earlier failure). */
export interface PreflightItem {
  check: PreflightCheck;
  state: 'ok' | 'failed' | 'skipped';
  /** One line: what was verified, or what is wrong and how to fix it. */
  message: string;
  /** 0 for ok and skipped, 2 for bad input, 5 for API, authentication or network problems. */
  exitCode: 0 | 2 | 5;
}

/** What {@link runPreflight} found. */
export interface PreflightResult {
  /** True when no check failed. */
  ok: boolean;
  /** 0 when every check passed; 2 when any input is wrong; otherwise 5 (API, authentication or network). */
  exitCode: 0 | 2 | 5;
  items: PreflightItem[];
  /** The resolved target, when resolution succeeded. */
  app: { id: string; name: string } | null;
  scanConfig: { id: string; name: string } | null;
}

/** Everything {@link runPreflight} needs from its host. */
export interface PreflightEffects {
  fetch: FetchLike;
  clock: Clock;
  /** Debug lines of the API client; the result carries the verdicts. @default silent */
  logger?: Logger;
  /** The report folder: its `prepare` is called (and nothing is written). */
  sink: ReportSink;
  /** Sent as `User-Agent`. */
  userAgent: string;
  /**
   * The proxy the host's fetch sends API requests through, when there is one (`http://user:pass@host:port`).
   * Only its origin is ever shown; a network failure is then reported as a proxy problem.
   */
  proxy?: string | undefined;
  /** How the front end names its inputs, for messages. @default the config keys */
  inputNames?: InputNames;
  /** Reads the baseline and suppressions files; without it those inputs are refused, as in a run. */
  readText?: (path: string) => Promise<string>;
  signal?: AbortSignal;
  /** Retries of each request. @default 1 (a check should answer quickly) */
  retries?: number;
  retryBaseMs?: number;
}

/**
 * Checks a job without launching anything: the gate query, the gate's files, the report folder, the proxy, the API
 * key against the region (one authenticated GET), the application and scan configuration (resolved as a run would),
 * and the scan to attach to. Each check yields one line saying what is wrong; nothing is started, canceled or
 * written. Never throws for anything the user or the API can cause.
 */
export async function runPreflight(job: ScanJob, effects: PreflightEffects): Promise<PreflightResult> {
  const names = effects.inputNames ?? {};
  const nameOf = (key: keyof InputNames): string => names[key] ?? key;
  const secrets = [job.apiKey, urlPassword(effects.proxy)];
  const clean = (text: string): string => redactSecrets(text, secrets);
  const items: PreflightItem[] = [];
  const add = (check: PreflightCheck, state: PreflightItem['state'], message: string, exitCode: PreflightItem['exitCode'] = 0): void => {
    items.push({ check, state, message: clean(message), exitCode: state === 'failed' ? exitCode : 0 });
  };
  let app: PreflightResult['app'] = null;
  let scanConfig: PreflightResult['scanConfig'] = null;

  checkGate(job, add, nameOf);
  await checkGateFiles(job, effects, add, nameOf);
  await checkOutputFolder(job, effects, add, nameOf);

  const client = createApiClient({
    baseUrl: job.baseUrl,
    apiKey: job.apiKey,
    fetch: effects.fetch,
    userAgent: effects.userAgent,
    clock: effects.clock,
    logger: effects.logger ?? silentLogger,
    timeoutMs: job.requestTimeoutMs,
    retries: effects.retries ?? 1,
    ...(effects.retryBaseMs === undefined ? {} : { retryBaseMs: effects.retryBaseMs }),
    ...(effects.signal === undefined ? {} : { signal: effects.signal }),
  });
  const where = describeEndpoint(job);
  const proxyShown = effects.proxy === undefined || effects.proxy === '' ? undefined : proxyOrigin(effects.proxy);

  // One authenticated GET: the first page of applications, the smallest request that proves key and region.
  const reached = await verifyKey(client, job, where, proxyShown, add, nameOf);

  if (!reached) {
    add('target', 'skipped', `${nameOf('app')} and ${nameOf('scanConfig')} not checked: the API could not be used`);
    if (job.scanId !== undefined) add('scan-id', 'skipped', `${nameOf('scanId')} not checked: the API could not be used`);
  } else {
    try {
      const target = await resolveTarget(client, { app: job.app, scanConfig: job.scanConfig }, { app: nameOf('app'), scanConfig: nameOf('scanConfig') }, effects.logger ?? silentLogger);
      app = { id: target.app.id, name: target.app.name };
      scanConfig = { id: target.scanConfig.id, name: target.scanConfig.name };
      add('target', 'ok', `application '${app.name}' (${app.id}), scan configuration '${scanConfig.name}' (${scanConfig.id})`);
    } catch (error) {
      add('target', 'failed', messageOf(error), codeOf(error));
    }
    if (job.scanId !== undefined) await checkScanId(client, job, scanConfig, add, nameOf);
  }

  const failed = items.filter((i) => i.state === 'failed');
  const exitCode = failed.some((i) => i.exitCode === EXIT_CODES.configError) ? EXIT_CODES.configError : failed.length > 0 ? EXIT_CODES.apiError : EXIT_CODES.passed;
  return { ok: failed.length === 0, exitCode, items, app, scanConfig };
}

type Add = (check: PreflightCheck, state: PreflightItem['state'], message: string, exitCode?: PreflightItem['exitCode']) => void;

/** The gate: the same parser the run uses; a query the server cannot run is still evaluated locally. */
function checkGate(job: ScanJob, add: Add, nameOf: (key: keyof InputNames) => string): void {
  const gateName = nameOf('gateQuery');
  if (job.gateQuery === undefined && job.failOn === undefined) {
    add('gate-query', 'skipped', `no gate: neither ${gateName} nor ${nameOf('failOn')} is set, so the step never fails on findings`);
  } else {
    const problem = job.gateQuery === undefined ? undefined : checkGateQuery(job.gateQuery);
    if (problem !== undefined) {
      add('gate-query', 'failed', `${gateName} ${problem.message}`, EXIT_CODES.configError);
    } else {
      const plan = planGate({ query: job.gateQuery, failOn: job.failOn, ignoredStatuses: job.ignoredStatuses }, '00000000-0000-0000-0000-000000000000');
      const local = plan?.localOnlyReason === undefined ? '' : `; evaluated on the collected findings only, as ${plan.localOnlyReason}`;
      const advance = job.advanceOn === 'completed' ? '' : `; not evaluated, as the step advances on ${job.advanceOn}`;
      add('gate-query', 'ok', `gate: ${plan?.condition ?? job.gateQuery ?? ''}${local}${advance}`);
    }
  }
}

/** The baseline and suppressions files, read and validated as a run would. */
async function checkGateFiles(job: ScanJob, effects: PreflightEffects, add: Add, nameOf: (key: keyof InputNames) => string): Promise<void> {
  if (job.baseline === undefined && job.suppressions === undefined) {
    add('gate-files', 'skipped', 'no baseline or suppressions file');
  } else {
    try {
      const inputs = await loadGateInputs(job, effects.readText, effects.inputNames ?? {}, effects.clock.now());
      const read = [job.baseline === undefined ? undefined : `${nameOf('baseline')} '${job.baseline}'`, job.suppressions === undefined ? undefined : `${nameOf('suppressions')} '${job.suppressions}'`].filter(Boolean);
      add('gate-files', 'ok', `read ${read.join(' and ')}${inputs.warnings.length > 0 ? ` (${inputs.warnings.join('; ')})` : ''}`);
    } catch (error) {
      add('gate-files', 'failed', messageOf(error), EXIT_CODES.configError);
    }
  }
}

/** The report folder: the sink is prepared as a run would, which proves it can be written. */
async function checkOutputFolder(job: ScanJob, effects: PreflightEffects, add: Add, nameOf: (key: keyof InputNames) => string): Promise<void> {
  try {
    await effects.sink.prepare?.();
    add('output-folder', 'ok', `${nameOf('outputDir')} '${job.outputDir ?? '.'}' can be written`);
  } catch (error) {
    add('output-folder', 'failed', `${nameOf('outputDir')} '${job.outputDir ?? '.'}' cannot be written (${describeCause(error)}); choose a folder this step may write to.`, EXIT_CODES.configError);
  }
}

async function verifyKey(client: ApiClient, job: ScanJob, where: string, proxy: string | undefined, add: Add, nameOf: (key: keyof InputNames) => string): Promise<boolean> {
  const keyName = nameOf('apiKey');
  try {
    for await (const page of listApps(client)) {
      void page;
      break;
    }
    add('proxy', proxy === undefined ? 'skipped' : 'ok', proxy === undefined ? 'no proxy: the API is reached directly' : `the API answered through the proxy ${proxy}`);
    add('api-key', 'ok', `${keyName} is accepted by ${where}`);
    return true;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    if (error.code === 'ABORTED') {
      add('proxy', 'skipped', 'interrupted');
      add('api-key', 'failed', 'the check was interrupted before the API answered', EXIT_CODES.apiError);
      return false;
    }
    const cause = describeCause(error.cause);
    if (proxy !== undefined && (error.code === 'NETWORK_ERROR' || error.code === 'TIMEOUT' || error.status === 407 || isProxyTunnelError(error))) {
      const why = error.status === 407 ? 'the proxy refused the request (407 Proxy Authentication Required)' : error.code === 'TIMEOUT' ? 'no answer in time' : cause;
      add('proxy', 'failed', `the proxy ${proxy} did not carry the request to ${new URL(job.baseUrl).origin} (${why}); check the proxy URL, its credentials and that it allows this host, or set NO_PROXY for it.`, EXIT_CODES.apiError);
      add('api-key', 'skipped', `${keyName} not checked: the proxy failed`);
      return false;
    }
    // A gateway error without the API's correlation id was written by the proxy: it could not reach the API host.
    if (proxy !== undefined && error.status !== undefined && [502, 503, 504].includes(error.status) && error.correlationId === undefined) {
      add('proxy', 'failed', `the proxy ${proxy} answered ${error.status} for ${new URL(job.baseUrl).origin}, so it could not reach the API; check ${fromRegion(job) ? nameOf('region') : nameOf('baseUrl')} and that the proxy allows this host.`, EXIT_CODES.apiError);
      add('api-key', 'skipped', `${keyName} not checked: the proxy failed`);
      return false;
    }
    add('proxy', proxy === undefined ? 'skipped' : 'ok', proxy === undefined ? 'no proxy: the API is reached directly' : `the proxy ${proxy} forwarded the request`);
    if (error.code === 'NETWORK_ERROR' || error.code === 'TIMEOUT') {
      const host = new URL(job.baseUrl).hostname;
      const reason = cause === 'ENOTFOUND' || cause === 'EAI_AGAIN'
        ? `the host ${host} does not exist`
        : error.code === 'TIMEOUT'
          ? 'no answer in time'
          : `the connection failed (${cause})`;
      add('api-key', 'failed', `${where} cannot be reached: ${reason}; check ${fromRegion(job) ? `${nameOf('region')} (the region of your InsightAppSec organisation)` : nameOf('baseUrl')} and the network.`, EXIT_CODES.apiError);
      return false;
    }
    if (error.status === 401) {
      add('api-key', 'failed', `${keyName} is not accepted by ${where} (401 Unauthorized); check that the key is valid and belongs to an organisation in this region.`, EXIT_CODES.apiError);
      return false;
    }
    if (error.status === 403) {
      add('api-key', 'failed', `${keyName} may not list applications at ${where} (403 Forbidden); use a key whose role can read this application and launch scans.`, EXIT_CODES.apiError);
      return false;
    }
    add('api-key', 'failed', error.message, EXIT_CODES.apiError);
    return false;
  }
}

async function checkScanId(client: ApiClient, job: ScanJob, scanConfig: PreflightResult['scanConfig'], add: Add, nameOf: (key: keyof InputNames) => string): Promise<void> {
  const name = nameOf('scanId');
  try {
    const scan = await getScan(client, job.scanId ?? '');
    if (scanConfig !== null && scan.scan_config?.id !== undefined && scan.scan_config.id !== scanConfig.id) {
      add('scan-id', 'failed', `${name} '${job.scanId ?? ''}' is a scan of another configuration (${scan.scan_config.id}); give the scan's own configuration or leave the scan id out.`, EXIT_CODES.configError);
      return;
    }
    add('scan-id', 'ok', `scan ${scan.id} exists (${scan.status})`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      add('scan-id', 'failed', `${name} '${job.scanId ?? ''}' is not the id of a scan this API key can see; check the id, or leave it out to launch a new scan.`, EXIT_CODES.configError);
      return;
    }
    add('scan-id', 'failed', messageOf(error), codeOf(error));
  }
}

function fromRegion(job: ScanJob): boolean {
  return job.baseUrl === baseUrlForRegion(job.region).replace(/\/+$/, '');
}

function describeEndpoint(job: ScanJob): string {
  return fromRegion(job) ? `${new URL(job.baseUrl).origin} (region ${job.region})` : job.baseUrl;
}

function isProxyTunnelError(error: ApiError): boolean {
  // undici reports a refused CONNECT tunnel as "Proxy response (407) !== 200 when HTTP Tunneling".
  let current: unknown = error.cause;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    if (/proxy/i.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}

function proxyOrigin(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(an unparsable proxy URL)';
  }
}


function messageOf(error: unknown): string {
  if (error instanceof IasError) return error.message;
  throw error;
}

function codeOf(error: unknown): 2 | 5 {
  return error instanceof IasError && exitCodeForError(error.code) === EXIT_CODES.configError ? EXIT_CODES.configError : EXIT_CODES.apiError;
}

/** The result of a check whose settings do not even parse: one failed `settings` item per problem (exit 2). */
export function preflightOfInvalidSettings(messages: readonly string[]): PreflightResult {
  const items = messages.map((message): PreflightItem => ({ check: 'settings', state: 'failed', message, exitCode: EXIT_CODES.configError }));
  return { ok: false, exitCode: EXIT_CODES.configError, items, app: null, scanConfig: null };
}

const STATE_WORDS = { ok: 'ok', failed: 'FAILED', skipped: 'skipped' } as const;

/** One item as a log line, e.g. `FAILED  target: app 'Shop' matches no application …`. */
export function formatPreflightItem(item: PreflightItem): string {
  return `${STATE_WORDS[item.state].padEnd(7)} ${item.check}: ${item.message}`;
}

/** The last line of a check: how many checks failed and the exit status. */
export function formatPreflightSummary(result: PreflightResult): string {
  const failed = result.items.filter((i) => i.state === 'failed').length;
  return result.ok
    ? 'Preflight passed: every check is ok; nothing was launched; exit 0'
    : `Preflight failed: ${failed} of ${result.items.length} checks failed; nothing was launched; exit ${result.exitCode}`;
}

/**
 * The checks as a markdown table for a host's run summary, under `title`. Messages may hold names the API returned
 * (the closest application, say), so each cell is escaped and kept on one line.
 */
export function formatPreflightMarkdown(result: PreflightResult, title: string): string {
  const rows = result.items.map((item) => `| ${STATE_WORDS[item.state]} | ${markdownCell(item.check)} | ${markdownCell(item.message, 500)} |`);
  return [`## ${escapeMarkdown(title)}`, '', escapeMarkdown(formatPreflightSummary(result)), '', '| State | Check | Detail |', '| --- | --- | --- |', ...rows, ''].join('\n');
}
