import type { ConfigKey } from '@ias/core';

/**
 * One setting of the Bamboo task: the plan variable users define (`ias.region`), the environment variable a
 * Script task sees (`bamboo_ias_region`), the command-line flag that overrides it, and the field of the
 * official plugin's task form it replaces.
 */
export interface BambooSetting {
  /** The core config key it feeds; `undefined` for settings the adapter handles itself. */
  key: ConfigKey | undefined;
  /** The Bamboo variable name, as typed in the plan's Variables tab. */
  variable: string;
  /** The long flag without dashes (`--scan-config` → `scan-config`). */
  flag: string;
  /** The field of the official task this setting replaces, when there is one. */
  field?: string;
  /** The default, as documented. */
  shownDefault?: string;
  help: string;
}

/** The variable that holds the API key. Its name contains "password", so Bamboo treats it as a secret. */
export const API_KEY_VARIABLE = 'ias.apiKey.password';

/** Read when {@link API_KEY_VARIABLE} is not set: the same key under Bamboo's other secret keyword. */
export const API_KEY_SECRET_VARIABLE = 'ias.apiKey.secret';

/**
 * The words that make Bamboo treat a variable as secret (stored encrypted, its value shown as asterisks in the UI
 * and replaced in build logs): a key variable must contain one of them.
 */
export const SECRET_WORDS = ['password', 'secret', 'passphrase'] as const;

/** True when Bamboo treats a variable of this name as secret. */
export function isSecretName(name: string): boolean {
  const lower = name.toLowerCase();
  return SECRET_WORDS.some((word) => lower.includes(word));
}

/** Every setting, in the order of the guide's task form, then the product's extra options. */
export const SETTINGS: readonly BambooSetting[] = [
  { key: 'region', variable: 'ias.region', flag: 'region', field: 'InsightAppSec Region', shownDefault: 'us', help: 'InsightAppSec region: us, us2, us3, eu, ca, au, ap' },
  { key: 'app', variable: 'ias.app', flag: 'app', field: 'App Name', help: 'application name (exact) or UUID' },
  { key: 'scanConfig', variable: 'ias.scanConfig', flag: 'scan-config', field: 'Scan Config Name', help: 'scan configuration name (exact, within the application) or UUID' },
  { key: 'advanceOn', variable: 'ias.advanceOn', flag: 'advance-on', field: 'Advance task when scan has been', shownDefault: 'COMPLETED', help: 'COMPLETED, STARTED or SUBMITTED' },
  { key: 'pollInterval', variable: 'ias.pollInterval', flag: 'poll-interval', field: 'Status Check Interval', shownDefault: '30s', help: 'how often the status is read; a bare number means minutes (5 = 5 minutes), or 30s, 2m' },
  { key: 'maxPending', variable: 'ias.maxPending', flag: 'max-pending', field: 'Max Scan Pending Duration', shownDefault: 'none', help: 'budget for the scan to start; a bare number means minutes; none for no limit' },
  { key: 'maxExecution', variable: 'ias.maxExecution', flag: 'max-execution', field: 'Max Scan Execution Duration', shownDefault: '120 (minutes)', help: 'budget for the scan to finish once started; a bare number means minutes; none for no limit' },
  { key: 'findingsReport', variable: 'ias.findingsReport', flag: 'findings-report', field: 'Findings Report Generation', shownDefault: 'true', help: 'write the raw findings report insightappsec-scan-findings.json' },
  { key: undefined, variable: 'ias.queryEnforcement', flag: 'query-enforcement', field: 'Vulnerability Query Enforcement', shownDefault: 'true when ias.gateQuery is set', help: 'fail the build when the vulnerability query matches findings of the scan' },
  { key: 'gateQuery', variable: 'ias.gateQuery', flag: 'gate-query', field: 'Vulnerability Query', help: "IAS vulnerability query, e.g. vulnerability.severity='HIGH' (always scoped to this scan)" },
  { key: 'baseUrl', variable: 'ias.baseUrl', flag: 'base-url', help: 'full API base URL; overrides ias.region (proxies, new regions, the simulator)' },
  { key: 'scanId', variable: 'ias.scanId', flag: 'scan-id', help: 'attach to an existing scan of the configuration instead of launching one' },
  { key: 'onTimeout', variable: 'ias.onTimeout', flag: 'on-timeout', shownDefault: 'cancel', help: 'what to do with the scan when a budget runs out: cancel, stop (collect and gate what it found) or fail (leave it running); the build fails in every case' },
  { key: 'cancelOnInterrupt', variable: 'ias.cancelOnInterrupt', flag: 'cancel-on-interrupt', shownDefault: 'true', help: 'cancel the scan when the build is stopped' },
  { key: 'failOn', variable: 'ias.failOn', flag: 'fail-on', help: 'fail when findings at or above this severity exist: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, SAFE' },
  { key: 'failOnStatuses', variable: 'ias.failOnStatuses', flag: 'fail-on-statuses', shownDefault: 'FALSE_POSITIVE,IGNORED,DUPLICATE', help: 'finding statuses ias.failOn ignores (none to count every status)' },
  { key: 'reports', variable: 'ias.reports', flag: 'reports', shownDefault: 'all', help: 'report formats: all, none, or a list of metrics, findings, sarif, junit, markdown, html, gitlab, result' },
  { key: 'outputDir', variable: 'ias.outputDir', flag: 'output-dir', shownDefault: 'the build working directory', help: 'where reports are written; a relative folder is inside the build working directory' },
  { key: 'requestTimeout', variable: 'ias.requestTimeout', flag: 'request-timeout', shownDefault: '60s', help: 'timeout of each API request' },
  { key: 'ruleDocs', variable: 'ias.ruleDocs', flag: 'rule-docs', shownDefault: 'true', help: "fetch each rule's attack documentation for SARIF and HTML (at most 8 at a time, cached for 7 days)" },
  { key: 'redactHttpSecrets', variable: 'ias.redactHttpSecrets', flag: 'redact-http-secrets', shownDefault: 'true', help: "replace the values of Authorization, Cookie, Set-Cookie, X-Api-Key and similar headers in findings' HTTP exchanges with *** in every report" },
  { key: undefined, variable: 'ias.proxy', flag: 'proxy', shownDefault: 'HTTPS_PROXY', help: 'proxy URL for the API; NO_PROXY is honoured' },
  { key: undefined, variable: 'ias.debug', flag: 'debug', shownDefault: 'false', help: 'log every request and retry decision (the API key is never shown)' },
];

/**
 * The environment variable Bamboo gives a Script task for a plan, global or deployment variable: `bamboo_`
 * followed by the name with every dot turned into an underscore; letter case is kept
 * (`ias.scanConfig` → `bamboo_ias_scanConfig`).
 */
export function environmentName(variable: string): string {
  return `bamboo_${variable.replace(/\./g, '_')}`;
}
