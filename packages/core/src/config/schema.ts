import * as z from 'zod';
import { formatDuration, MAX_DURATION_MS, parseDuration } from './duration';
import { VULNERABILITY_STATUSES, type Severity } from '../query/fields';
import { baseUrlForRegion } from './region';
import { parseList, parseYesNo } from './coerce';
import { ADVANCE_MODES, REPORT_FORMATS, SEVERITY_ORDER, TIMEOUT_ACTIONS, type AdvanceOn, type OnTimeout, type ReportFormat } from './choices';

export { ADVANCE_MODES, REPORT_FORMATS, SEVERITY_ORDER, TIMEOUT_ACTIONS } from './choices';
export type { AdvanceOn, OnTimeout, ReportFormat } from './choices';

/** Statuses whose findings `failOn` ignores unless told otherwise: reviewed as not a problem. */
export const DEFAULT_IGNORED_STATUSES = ['FALSE_POSITIVE', 'IGNORED', 'DUPLICATE'] as const;

/** The configuration keys (architecture §4.1). */
export const CONFIG_KEYS = [
  'region',
  'baseUrl',
  'apiKey',
  'app',
  'scanConfig',
  'scanId',
  'advanceOn',
  'pollInterval',
  'maxPending',
  'maxExecution',
  'maxTotal',
  'onTimeout',
  'cancelOnInterrupt',
  'findingsReport',
  'reports',
  'outputDir',
  'gateQuery',
  'failOn',
  'failOnStatuses',
  'baseline',
  'newOnly',
  'suppressions',
  'requestTimeout',
  'sarifTriaged',
  'redactHttpSecrets',
  'ruleDocs',
] as const;
/** One configuration key. */
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** Raw configuration as a front end collects it: strings (or booleans) keyed by {@link ConfigKey}. */
export type RawConfig = Partial<Record<ConfigKey, string | boolean | number | null | undefined>>;

const blankToUndefined = (value: unknown): unknown => {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' && value.trim() === '') return undefined;
  return typeof value === 'string' ? value.trim() : value;
};

const text = z.preprocess(blankToUndefined, z.string({ error: 'must be text' }).optional());

const oneOf = <T extends readonly string[]>(values: T, fallback: T[number]) =>
  z.preprocess(
    (value) => {
      const v = blankToUndefined(value);
      return typeof v === 'string' ? v.toLowerCase() : v;
    },
    z
      .enum(values as unknown as [T[number], ...T[number][]], { error: `must be one of ${values.join(', ')}` })
      .default(fallback as never),
  );

const duration = (options: { allowNone: boolean; min: number; fallback?: number }) =>
  z.preprocess(
    blankToUndefined,
    z
      .union([z.string(), z.number()])
      .optional()
      .transform((value, ctx): number | undefined => {
        if (value === undefined) return options.fallback;
        const raw = String(value).trim().toLowerCase();
        if (options.allowNone && (raw === 'none' || raw === '0' || raw === 'off')) return undefined;
        const ms = parseDuration(raw);
        if (ms === undefined) {
          ctx.addIssue({ code: 'custom', message: `'${raw}' is not a duration; use a value like 30s, 5m or 1h30m (a bare number means minutes)` });
          return z.NEVER;
        }
        if (ms < options.min) {
          ctx.addIssue({ code: 'custom', message: `'${raw}' is too short; use at least ${options.min / 1000}s` });
          return z.NEVER;
        }
        if (ms > MAX_DURATION_MS) {
          // Timers overflow past 2^31-1 ms and then fire at once: a longer value would poll in a tight loop.
          ctx.addIssue({ code: 'custom', message: `'${raw}' is too long; use at most ${formatDuration(MAX_DURATION_MS)} (about 24 days)` });
          return z.NEVER;
        }
        return ms;
      }),
  );

const flag = (fallback: boolean) =>
  z.preprocess(
    blankToUndefined,
    z
      .union([z.boolean(), z.string()])
      .optional()
      .transform((value, ctx): boolean => {
        if (value === undefined) return fallback;
        const parsed = parseYesNo(value);
        if (typeof parsed === 'boolean') return parsed;
        ctx.addIssue({ code: 'custom', message: `'${value}' is not a yes/no value; use true or false` });
        return z.NEVER;
      }),
  );

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The one configuration schema every front end shares. */
export const configSchema = z.object({
  region: z.preprocess(
    (v) => {
      const t = blankToUndefined(v);
      return typeof t === 'string' ? t.toLowerCase() : t;
    },
    z.string().regex(/^[a-z0-9]+$/, { error: 'must be a region code such as us, eu or ap (letters and digits only)' }).default('us'),
  ),
  baseUrl: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .superRefine((v, ctx) => {
        const problem = v === undefined ? undefined : baseUrlProblem(v);
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem });
      }),
  ),
  apiKey: z.preprocess(
    blankToUndefined,
    z.string({ error: 'is required; set the InsightAppSec API key' }).superRefine((v, ctx) => {
      // Never echo the key: the message says what is wrong with it, not what it is.
      if (/[\r\n]/.test(v)) ctx.addIssue({ code: 'custom', message: 'contains a line break; set the key again without it (copy only the key)' });
      else if (hasCharCode(v, (c) => c < 0x20 || c === 0x7f)) ctx.addIssue({ code: 'custom', message: 'contains a control character; set the key again without it (copy only the key)' });
      else if (hasCharCode(v, (c) => c > 0xff)) ctx.addIssue({ code: 'custom', message: 'contains a character that cannot be sent in an HTTP header (outside Latin-1); set the key again, copied from the Insight platform' });
    }),
  ),
  app: text,
  scanConfig: z.preprocess(blankToUndefined, z.string({ error: 'is required; give the scan configuration name or id' })),
  scanId: z.preprocess(
    blankToUndefined,
    z.string().regex(UUID, { error: 'must be a scan id (a UUID) to attach to an existing scan' }).optional(),
  ),
  advanceOn: oneOf(ADVANCE_MODES, 'completed'),
  pollInterval: duration({ allowNone: false, min: 1_000, fallback: 30_000 }),
  // No budget cancels a queued scan unless the user set one: the official integrations wait for an engine indefinitely.
  maxPending: duration({ allowNone: true, min: 1_000 }),
  maxExecution: duration({ allowNone: true, min: 1_000 }),
  // One budget for the whole wait, from launch: the official GitHub action's scan-timeout-mins.
  maxTotal: duration({ allowNone: true, min: 1_000 }),
  onTimeout: oneOf(TIMEOUT_ACTIONS, 'cancel'),
  cancelOnInterrupt: flag(true),
  findingsReport: flag(true),
  ruleDocs: flag(true),
  reports: z.preprocess(
    blankToUndefined,
    z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((value, ctx): ReportFormat[] => {
        if (value === undefined) return [...REPORT_FORMATS];
        const items = (Array.isArray(value) ? value : parseList(value, { spaces: true })).map((s) => s.trim().toLowerCase()).filter(Boolean);
        // `none` with anything else (`all,none`, `none,sarif`) contradicts itself: refused, not guessed.
        if (items.includes('none') && items.some((i) => i !== 'none')) {
          ctx.addIssue({ code: 'custom', message: `'${items.join(',')}' combines none with other formats; use none alone, all, or a list of ${REPORT_FORMATS.join(', ')}` });
          return z.NEVER;
        }
        if (items.includes('all')) return [...REPORT_FORMATS];
        if (items.includes('none')) return ['result'];
        const unknown = items.filter((i) => !(REPORT_FORMATS as readonly string[]).includes(i));
        if (unknown.length > 0) {
          ctx.addIssue({ code: 'custom', message: `'${unknown.join(', ')}' is not a report format; use all, none or a list of ${REPORT_FORMATS.join(', ')}` });
          return z.NEVER;
        }
        return [...new Set([...(items as ReportFormat[]), 'result' as const])];
      }),
  ),
  outputDir: text,
  gateQuery: text,
  failOn: z.preprocess(
    (v) => {
      const t = blankToUndefined(v);
      return typeof t === 'string' ? t.toUpperCase() : t;
    },
    z.enum(SEVERITY_ORDER, { error: `must be a severity: ${SEVERITY_ORDER.join(', ')}` }).optional(),
  ),
  failOnStatuses: z.preprocess(
    blankToUndefined,
    z
      .string()
      .optional()
      .transform((value, ctx): string[] => {
        if (value === undefined) return [...DEFAULT_IGNORED_STATUSES];
        if (value.trim().toLowerCase() === 'none') return [];
        const statuses: string[] = [];
        for (const item of parseList(value).map((s) => s.toUpperCase())) {
          const words = item.split(/\s+/);
          if (words.length === 1) statuses.push(item);
          // The UI's label (`False Positive`) names one status; a space-separated list of statuses stays a list.
          else if (isStatus(words.join('_'))) statuses.push(words.join('_'));
          else if (words.every(isStatus)) statuses.push(...words);
          else {
            ctx.addIssue({ code: 'custom', message: `'${item}' is not a finding status; separate statuses with commas, e.g. ${DEFAULT_IGNORED_STATUSES.join(',')}` });
            return z.NEVER;
          }
        }
        return statuses;
      }),
  ),
  baseline: text,
  newOnly: flag(false),
  suppressions: text,
  requestTimeout: duration({ allowNone: false, min: 1_000, fallback: 60_000 }),
  // Code scanning ignores SARIF suppressions, so triaged findings stay out of SARIF unless asked for.
  sarifTriaged: flag(false),
  // Session cookies and Authorization headers of authenticated scans must not reach reports by default.
  redactHttpSecrets: flag(true),
});

function isStatus(value: string): boolean {
  return (VULNERABILITY_STATUSES as readonly string[]).includes(value);
}

function hasCharCode(text: string, test: (code: number) => boolean): boolean {
  for (let i = 0; i < text.length; i += 1) if (test(text.charCodeAt(i))) return true;
  return false;
}

/**
 * What is wrong with a base URL, or `undefined`: it must be an http(s) URL without credentials, and plain http is
 * only for loopback hosts (a simulator, a local proxy) and the reserved `.test` names (RFC 6761) tests use.
 */
export function baseUrlProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an http(s) URL such as https://us.api.insight.rapid7.com/ias/v1';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an http(s) URL such as https://us.api.insight.rapid7.com/ias/v1';
  // Never shown: the URL itself is not repeated, since its credentials are the problem.
  if (url.username !== '' || url.password !== '') return 'must not carry credentials (user:pass@); remove them, the API key is the only credential the API takes';
  if (url.protocol === 'http:' && !isLoopbackOrTestHost(url.hostname)) return `must use https for ${url.hostname} (plain http is only for loopback hosts such as 127.0.0.1); the API key would travel unencrypted`;
  return undefined;
}

/** True for 127.0.0.0/8, ::1, localhost (and `*.localhost`) and the reserved `.test` names. */
export function isLoopbackOrTestHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return /^127(\.\d{1,3}){3}$/.test(host) || host === '[::1]' || host === 'localhost' || host.endsWith('.localhost') || host.endsWith('.test');
}

/** The validated configuration of one run. */
export interface ScanJob {
  region: string;
  /** The API base URL, ending in `/ias/v1`, without a trailing slash. */
  baseUrl: string;
  apiKey: string;
  /** The application's name or UUID; `undefined` when the scan configuration is given by UUID (its app is looked up). */
  app: string | undefined;
  scanConfig: string;
  scanId: string | undefined;
  advanceOn: AdvanceOn;
  pollIntervalMs: number;
  maxPendingMs: number | undefined;
  maxExecutionMs: number | undefined;
  /** Budget for the whole wait (pending and running), from launch. `undefined`: none. */
  maxTotalMs: number | undefined;
  onTimeout: OnTimeout;
  cancelOnInterrupt: boolean;
  findingsReport: boolean;
  /** Fetch each rule's attack documentation (SARIF help, HTML); off, rules carry the module description only. */
  ruleDocs: boolean;
  reports: ReportFormat[];
  outputDir: string | undefined;
  gateQuery: string | undefined;
  failOn: Severity | undefined;
  /** Statuses `failOn` ignores. */
  ignoredStatuses: string[];
  /** A findings report of an earlier run: findings are marked new or known. */
  baseline: string | undefined;
  /** Gate on new findings only (needs a baseline). */
  newOnly: boolean;
  /** A file of reviewed exceptions (YAML or JSON): suppressed findings are reported but never gate. */
  suppressions: string | undefined;
  requestTimeoutMs: number;
  /** Write findings with an ignored status (`ignoredStatuses`) or REMEDIATED into SARIF too. */
  sarifTriaged: boolean;
  /** Replace the values of Authorization, Cookie, Set-Cookie, X-Api-Key … headers in findings' HTTP exchanges with `***`. */
  redactHttpSecrets: boolean;
}

/** Builds the job from a successful schema parse. */
export function toScanJob(parsed: z.infer<typeof configSchema>): ScanJob {
  const base = (parsed.baseUrl ?? baseUrlForRegion(parsed.region)).replace(/\/+$/, '');
  const reports = parsed.findingsReport ? parsed.reports : parsed.reports.filter((r) => r !== 'findings');
  return {
    region: parsed.region,
    baseUrl: base,
    apiKey: parsed.apiKey,
    app: parsed.app,
    scanConfig: parsed.scanConfig,
    scanId: parsed.scanId,
    advanceOn: parsed.advanceOn,
    pollIntervalMs: parsed.pollInterval ?? 30_000,
    maxPendingMs: parsed.maxPending,
    maxExecutionMs: parsed.maxExecution,
    maxTotalMs: parsed.maxTotal,
    onTimeout: parsed.onTimeout,
    cancelOnInterrupt: parsed.cancelOnInterrupt,
    findingsReport: parsed.findingsReport,
    ruleDocs: parsed.ruleDocs,
    reports,
    outputDir: parsed.outputDir,
    gateQuery: parsed.gateQuery,
    failOn: parsed.failOn,
    ignoredStatuses: parsed.failOnStatuses,
    baseline: parsed.baseline,
    newOnly: parsed.newOnly,
    suppressions: parsed.suppressions,
    requestTimeoutMs: parsed.requestTimeout ?? 60_000,
    sarifTriaged: parsed.sarifTriaged,
    redactHttpSecrets: parsed.redactHttpSecrets,
  };
}
export type { Severity } from '../query/fields';
