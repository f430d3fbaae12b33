import type { ConfigKey, InputNames, RawConfig } from '@ias/core';

/** A CLI option: its flag, its variable, its help and the default shown in `--help`. */
export interface CliOption {
  key: ConfigKey;
  flag: string;
  env: string;
  placeholder: string;
  help: string;
  /** The default, as text for `--help`; `undefined` when there is none. */
  shownDefault?: string;
}

/** Every `ias scan` option, in help order. The API key has no flag: it comes from IAS_API_KEY only. */
export const SCAN_OPTIONS: readonly CliOption[] = [
  { key: 'app', flag: '--app', env: 'IAS_APP', placeholder: 'NAME_OR_ID', help: 'application name (exact) or UUID' },
  { key: 'scanConfig', flag: '--scan-config', env: 'IAS_SCAN_CONFIG', placeholder: 'NAME_OR_ID', help: 'scan configuration name (exact, within the application) or UUID' },
  { key: 'region', flag: '--region', env: 'IAS_REGION', placeholder: 'REGION', help: 'InsightAppSec region: us, us2, us3, eu, ca, au, ap', shownDefault: 'us' },
  { key: 'baseUrl', flag: '--base-url', env: 'IAS_BASE_URL', placeholder: 'URL', help: 'full API base URL, overrides --region (simulator, proxies, new regions)' },
  { key: 'scanId', flag: '--scan-id', env: 'IAS_SCAN_ID', placeholder: 'UUID', help: 'attach to an existing scan of the configuration instead of launching one' },
  { key: 'advanceOn', flag: '--advance-on', env: 'IAS_ADVANCE_ON', placeholder: 'WHEN', help: 'finish the step once the scan is submitted, started or completed', shownDefault: 'completed' },
  { key: 'pollInterval', flag: '--poll-interval', env: 'IAS_POLL_INTERVAL', placeholder: 'DURATION', help: 'how often to read the scan status (30s, 5m; a bare number means minutes)', shownDefault: '30s' },
  { key: 'maxPending', flag: '--max-pending', env: 'IAS_MAX_PENDING', placeholder: 'DURATION', help: 'budget for the scan to start, from launch ("none" for no limit)', shownDefault: 'none' },
  { key: 'maxExecution', flag: '--max-execution', env: 'IAS_MAX_EXECUTION', placeholder: 'DURATION', help: 'budget for the scan to finish once running', shownDefault: 'none' },
  { key: 'maxTotal', flag: '--max-total', env: 'IAS_MAX_TOTAL', placeholder: 'DURATION', help: 'one budget for the whole wait, queued and running, from launch (the official integrations\' scan timeout)', shownDefault: 'none' },
  { key: 'onTimeout', flag: '--on-timeout', env: 'IAS_ON_TIMEOUT', placeholder: 'ACTION', help: 'what to do with the scan when a budget runs out: cancel, stop (collect and gate what it found) or fail (leave it running); the step fails in every case', shownDefault: 'cancel' },
  { key: 'gateQuery', flag: '--gate-query', env: 'IAS_GATE_QUERY', placeholder: 'QUERY', help: "fail when findings of the scan match this IAS query, e.g. \"vulnerability.severity='HIGH'\"" },
  { key: 'failOn', flag: '--fail-on', env: 'IAS_FAIL_ON', placeholder: 'SEVERITY', help: 'fail when findings at or above this severity exist (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, SAFE)' },
  { key: 'failOnStatuses', flag: '--fail-on-statuses', env: 'IAS_FAIL_ON_STATUSES', placeholder: 'LIST', help: 'finding statuses --fail-on ignores ("none" to count every status)', shownDefault: 'FALSE_POSITIVE,IGNORED,DUPLICATE' },
  { key: 'baseline', flag: '--baseline', env: 'IAS_BASELINE', placeholder: 'FILE', help: 'findings report of an earlier run: findings are marked new, known or fixed' },
  { key: 'newOnly', flag: '--new-only', env: 'IAS_NEW_ONLY', placeholder: 'BOOL', help: 'gate on findings that are new against the baseline only', shownDefault: 'false' },
  { key: 'suppressions', flag: '--suppressions', env: 'IAS_SUPPRESSIONS', placeholder: 'FILE', help: 'reviewed exceptions (YAML or JSON, each with a reason and an optional expiry): reported, never gating' },
  { key: 'outputDir', flag: '--output-dir', env: 'IAS_OUTPUT_DIR', placeholder: 'DIR', help: 'where reports are written', shownDefault: 'ias-reports' },
  { key: 'reports', flag: '--reports', env: 'IAS_REPORTS', placeholder: 'LIST', help: 'report formats: all, none, or a comma list of metrics, findings, sarif, junit, markdown, html, gitlab, result', shownDefault: 'all' },
  { key: 'findingsReport', flag: '--findings-report', env: 'IAS_FINDINGS_REPORT', placeholder: 'BOOL', help: 'write the raw findings report', shownDefault: 'true' },
  { key: 'cancelOnInterrupt', flag: '--cancel-on-interrupt', env: 'IAS_CANCEL_ON_INTERRUPT', placeholder: 'BOOL', help: 'cancel the scan when the pipeline is cancelled (SIGINT/SIGTERM)', shownDefault: 'true' },
  { key: 'ruleDocs', flag: '--rule-docs', env: 'IAS_RULE_DOCS', placeholder: 'BOOL', help: 'fetch each rule\'s attack documentation for SARIF and HTML (cached for 7 days)', shownDefault: 'true' },
  { key: 'requestTimeout', flag: '--request-timeout', env: 'IAS_REQUEST_TIMEOUT', placeholder: 'DURATION', help: 'timeout of each API request', shownDefault: '60s' },
  { key: 'sarifTriaged', flag: '--sarif-triaged', env: 'IAS_SARIF_TRIAGED', placeholder: 'BOOL', help: 'also write findings with an ignored status (--fail-on-statuses) or REMEDIATED into SARIF (code scanning would reopen them as alerts)', shownDefault: 'false' },
  { key: 'redactHttpSecrets', flag: '--redact-http-secrets', env: 'IAS_REDACT_HTTP_SECRETS', placeholder: 'BOOL', help: "replace the values of Authorization, Cookie, Set-Cookie, X-Api-Key and similar headers in findings' HTTP exchanges with *** in every report", shownDefault: 'true' },
];

/** Where the CLI's values come from. */
export interface CliSources {
  /** Parsed flags, keyed by config key (commander's camelCase names match the config keys). */
  flags: Record<string, unknown>;
  env: Readonly<Record<string, string | undefined>>;
}

/**
 * Turns flags and `IAS_*` variables into raw config: a flag wins over its variable. Each input is named in
 * messages the way the user gave it (`--app` or `IAS_APP`).
 */
export function readScanInputs(sources: CliSources): { raw: RawConfig; names: InputNames } {
  const raw: RawConfig = {};
  const names: InputNames = { apiKey: 'IAS_API_KEY' };
  for (const option of SCAN_OPTIONS) {
    const fromFlag = sources.flags[option.key];
    if (fromFlag !== undefined) {
      raw[option.key] = fromFlag as string;
      names[option.key] = option.flag;
    } else {
      raw[option.key] = sources.env[option.env];
      names[option.key] = sources.env[option.env] === undefined ? option.flag : option.env;
    }
  }
  raw.apiKey = sources.env.IAS_API_KEY;
  raw.outputDir ??= 'ias-reports';
  return { raw, names };
}
