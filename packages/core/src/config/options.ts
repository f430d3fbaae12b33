import { ADVANCE_MODES, REPORT_FORMATS, SEVERITY_ORDER, TIMEOUT_ACTIONS } from './choices';
import type { ConfigKey } from './schema';

/**
 * The option catalogue: every configuration option once, with what each host calls it. The config schema's
 * defaults, the CLI's flags and `--help`, the Bamboo variables, the GitHub Action's `action.yml` inputs and the
 * Azure DevOps `task.json` inputs are read from (or checked against) this table, so a default, a name or a help
 * text changes here and nowhere else.
 *
 * `default` is core's own default as a user would write it (`undefined`: none). A host whose official integration
 * differs records its own `default` beside its name.
 */
export type OptionType = 'text' | 'url' | 'uuid' | 'choice' | 'duration' | 'flag' | 'list' | 'path' | 'query';

/** The CLI's flag (none for the API key), its `IAS_*` variable and the placeholder `--help` shows. */
export interface CliName {
  flag?: string;
  env: string;
  placeholder?: string;
  /** The CLI's default when it differs from core's. */
  default?: string;
  /** The README's default cell (markdown), when it is not the default itself. */
  shownDefault?: string;
  /** The README's meaning cell (markdown). */
  doc?: string;
}

/** The GitHub Action's input (action.yml), and the official action's (rapid7/insightappsec-scan-github-actions 1.3.5). */
export interface GithubName {
  input: string;
  /** The official action's input that fills this one. */
  official?: string;
  /** The official input's description in action.yml. */
  officialDescription?: string;
  /** The action's default when it differs from core's. */
  default?: string;
  /** The default applied when a workflow gives any of the official action's inputs. */
  officialDefault?: string;
  /** `false`: read as text, not with the toolkit's YAML 1.2 boolean rule. */
  yamlBoolean?: false;
  /** The input's description in action.yml (whitespace-normalized). */
  description: string;
  /** `true`: action.yml declares the input required. */
  required?: true;
  /** The README's default cell (markdown), when it is not the default itself. */
  shownDefault?: string;
  /** The README's meaning cell (markdown). */
  doc?: string;
}

/** The Azure DevOps task's input (task.json) and the Rapid7 task's (1.3.0) name, its alias. */
export interface AzureName {
  /** The input's name; absent for values that come from the IAS Connection or another input. */
  input?: string;
  official?: string;
  /** The label in the classic editor; messages name the option by it. */
  label: string;
  /** The task's default (task.json `defaultValue`, or the value the task passes when it has no input). */
  default?: string;
  /** A pickList's option values. */
  allowed?: readonly string[];
  /** task.json `helpMarkDown`. */
  help?: string;
}

/** The Bamboo plan variable, the flag of `ias-bamboo`, and the official plugin's (1.2.3) task form field. */
export interface BambooName {
  variable: string;
  flag: string;
  field?: string;
  /** The value applied when the variable is not set, when it differs from core's. */
  default?: string;
  /** The default as `--help` and the README show it. */
  shownDefault?: string;
  help?: string;
  /** `false`: read, but not listed in `--help` (its own README section documents it). */
  listed?: false;
  /** The README's meaning cell (markdown). */
  doc?: string;
  /** The README's default cell (markdown), when it is not `shownDefault` as code. */
  docDefault?: string;
}

/** One option of the catalogue. */
export interface OptionSpec {
  key: ConfigKey;
  type: OptionType;
  /** Core's default, as text; `undefined` when there is none. */
  default: string | undefined;
  /** The values a `choice` takes (lower-case; core accepts any case). */
  allowed?: readonly string[];
  help: string;
  /** Never printed: masked by every host, redacted from every message. */
  secret?: true;
  cli: CliName;
  github: GithubName;
  azure?: AzureName;
  bamboo?: BambooName;
}

/** Every option, in the CLI's `--help` order. */
export const OPTIONS: readonly OptionSpec[] = [
  {
    key: 'apiKey',
    type: 'text',
    secret: true,
    default: undefined,
    help: 'Insight platform API key (read from IAS_API_KEY only: a flag would show in process lists)',
    cli: { env: 'IAS_API_KEY' },
    github: { input: 'api-key', official: 'api-key', required: true, description: 'Insight platform API key. Store it as a secret; it is masked and never printed.', doc: 'Insight platform API key, from a secret' },
    // Azure DevOps: from the IAS Connection (the Rapid7 task's apiConnection), not an input of its own.
    azure: { label: 'IAS Connection API Token' },
  },
  {
    key: 'app',
    type: 'text',
    default: undefined,
    help: 'application name (exact) or UUID',
    cli: { flag: '--app', env: 'IAS_APP', placeholder: 'NAME_OR_ID', shownDefault: 'required unless `--scan-config` is a UUID', doc: 'application name or UUID (the exact name first, else a single match ignoring case, with a warning)' },
    github: { input: 'app', description: 'Application name (exact) or UUID. May be left out when scan-config (or scan-config-id) is a UUID: the configuration names its application.', doc: 'application name or UUID (the exact name first, else a single match ignoring case); optional when the scan configuration is a UUID' },
    azure: { input: 'application', label: 'Application', help: 'The InsightAppSec application to scan: pick it from the list, or type its exact name or its id (UUID).' },
    bamboo: { variable: 'ias.app', flag: 'app', field: 'App Name', help: 'application name (exact) or UUID' },
  },
  {
    key: 'scanConfig',
    type: 'text',
    default: undefined,
    help: 'scan configuration name (exact, within the application) or UUID',
    cli: { flag: '--scan-config', env: 'IAS_SCAN_CONFIG', placeholder: 'NAME_OR_ID', shownDefault: 'required', doc: 'scan configuration name (within the app, matched like `--app`) or UUID' },
    github: { input: 'scan-config', official: 'scan-config-id', officialDescription: 'Compatibility with the official action: the scan configuration UUID (same as scan-config).', description: 'Scan configuration name (exact, within the application) or UUID.', doc: 'scan configuration name (the exact name first, else a single match ignoring case) or UUID' },
    azure: { input: 'scanConfiguration', official: 'scanConfig', label: 'Scan Configuration', help: 'The scan configuration of that application: pick it, or type its exact name or its id (UUID).' },
    bamboo: { variable: 'ias.scanConfig', flag: 'scan-config', field: 'Scan Config Name', help: 'scan configuration name (exact, within the application) or UUID' },
  },
  {
    key: 'region',
    type: 'text',
    default: 'us',
    help: 'InsightAppSec region: us, us2, us3, eu, ca, au, ap',
    cli: { flag: '--region', env: 'IAS_REGION', placeholder: 'REGION', doc: 'us, us2, us3, eu, ca, au, ap (any `[a-z0-9]+`)' },
    github: { input: 'region', official: 'region', description: 'InsightAppSec region: us, us2, us3, eu, ca, au, ap. Default: us.', doc: '`us`, `us2`, `us3`, `eu`, `ca`, `au`, `ap`' },
    azure: { label: 'IAS Connection Region' },
    bamboo: { variable: 'ias.region', flag: 'region', field: 'InsightAppSec Region', shownDefault: 'us', help: 'InsightAppSec region: us, us2, us3, eu, ca, au, ap' },
  },
  {
    key: 'baseUrl',
    type: 'url',
    default: undefined,
    help: 'full API base URL, overrides --region (simulator, proxies, new regions)',
    cli: { flag: '--base-url', env: 'IAS_BASE_URL', placeholder: 'URL', shownDefault: 'from region', doc: 'full API base URL (simulator, proxy, new region); https unless the host is loopback, no `user:pass@`' },
    github: { input: 'base-url', description: 'Full API base URL (ending in /ias/v1); overrides region. For proxies, new regions and the simulator.', shownDefault: 'from region', doc: 'full API base URL ending in `/ias/v1`' },
    azure: { label: 'IAS Connection Server URL' },
    bamboo: { variable: 'ias.baseUrl', flag: 'base-url', help: 'full API base URL; overrides ias.region (proxies, new regions, the simulator)', docDefault: 'from the region', doc: 'full API base URL; overrides the region (proxies, regions not listed, the simulator)' },
  },
  {
    key: 'scanId',
    type: 'uuid',
    default: undefined,
    help: 'attach to an existing scan of the configuration instead of launching one',
    cli: { flag: '--scan-id', env: 'IAS_SCAN_ID', placeholder: 'UUID', doc: 'attach to an existing scan instead of launching' },
    github: { input: 'scan-id', description: 'Attach to this existing scan of the configuration instead of launching one.', doc: 'attach to an existing scan instead of launching' },
    azure: { input: 'scanId', label: 'Attach to scan id', default: '', help: "Follow an existing scan of the configuration (a UUID, e.g. from an earlier run's `scanId` output) instead of launching one." },
    bamboo: { variable: 'ias.scanId', flag: 'scan-id', help: 'attach to an existing scan of the configuration instead of launching one', doc: 'attach to an existing scan of the configuration instead of launching one (e.g. after an agent died)' },
  },
  {
    key: 'advanceOn',
    type: 'choice',
    default: 'completed',
    allowed: ADVANCE_MODES,
    help: 'finish the step once the scan is submitted, started or completed',
    cli: { flag: '--advance-on', env: 'IAS_ADVANCE_ON', placeholder: 'WHEN', doc: '`submitted`, `started` or `completed`' },
    github: { input: 'advance-on', official: 'wait-for-scan-complete', officialDescription: 'Compatibility with the official action: false finishes once the scan is submitted (advance-on: submitted).', description: 'Finish the step once the scan is submitted, started or completed. Default: completed. The gate needs completed.', doc: '`submitted`, `started`, `completed`' },
    azure: { input: 'advanceOn', label: 'Advance when the scan is', default: 'completed', allowed: ['completed', 'started', 'submitted'], help: 'End the task once the scan is submitted, started (running) or completed. Only `completed` collects findings, writes reports and gates.' },
    bamboo: { variable: 'ias.advanceOn', flag: 'advance-on', field: 'Advance task when scan has been', shownDefault: 'COMPLETED', help: 'COMPLETED, STARTED or SUBMITTED' },
  },
  {
    key: 'pollInterval',
    type: 'duration',
    default: '30s',
    help: 'how often to read the scan status (30s, 5m; a bare number means minutes)',
    cli: { flag: '--poll-interval', env: 'IAS_POLL_INTERVAL', placeholder: 'DURATION', doc: '`30s`, `5m`, `1h30m`; a bare number means minutes' },
    // The official action polls every 5 minutes (lib/ScanTools.js: 300000 ms): kept when a workflow gives any of its inputs.
    github: { input: 'poll-interval', officialDefault: '5m', description: 'How often to read the scan status: 30s, 5m (a bare number means minutes). Default: 30s; 5m, as the official action polls, when any of its inputs (scan-config-id, vuln-query, wait-for-scan-complete, scan-timeout-mins) is given.', doc: '`5m` when any official input is given (see above)' },
    azure: { input: 'scanStatusInterval', official: 'scanCheckInterval', label: 'Scan Status Interval', default: '5', help: "How often the scan's status is checked and logged, in minutes (`5` = every 5 minutes, the default); a duration such as `30s` also works." },
    bamboo: { variable: 'ias.pollInterval', flag: 'poll-interval', field: 'Status Check Interval', shownDefault: '30s', help: 'how often the status is read; a bare number means minutes (5 = 5 minutes), or 30s, 2m' },
  },
  {
    key: 'maxPending',
    type: 'duration',
    default: 'none',
    help: 'budget for the scan to start, from launch ("none" for no limit)',
    cli: { flag: '--max-pending', env: 'IAS_MAX_PENDING', placeholder: 'DURATION', doc: 'budget for the scan to start, from launch (`none`: no limit)' },
    github: { input: 'max-pending', description: 'Budget for the scan to start, from launch (none for no limit). Default: none: a queued scan is never canceled unless you set one.', doc: 'budget for the scan to start, from launch; a queued scan is never canceled unless you set one' },
    azure: { input: 'maxPending', label: 'Max pending time', default: '', help: 'How long the scan may wait for an engine (queued, pending, provisioning) before the task fails. Empty (the default): no limit, as the Rapid7 task waits indefinitely. A bare number means minutes.' },
    bamboo: { variable: 'ias.maxPending', flag: 'max-pending', field: 'Max Scan Pending Duration', shownDefault: 'none', help: 'budget for the scan to start; a bare number means minutes; none for no limit' },
  },
  {
    key: 'maxExecution',
    type: 'duration',
    default: 'none',
    help: 'budget for the scan to finish once running',
    cli: { flag: '--max-execution', env: 'IAS_MAX_EXECUTION', placeholder: 'DURATION', doc: 'budget for the scan to finish once running' },
    github: { input: 'max-execution', description: 'Budget for the scan to finish once running (none for no limit; a bare number means minutes). Default: none: a running scan is never canceled unless you set one.', doc: 'budget for the scan to finish once running; a running scan is never canceled unless you set one' },
    // The Rapid7 task counts one budget from launch (failOnTimeout + timeout), never one for the running part.
    azure: { label: 'Timeout', default: 'none' },
    bamboo: { variable: 'ias.maxExecution', flag: 'max-execution', field: 'Max Scan Execution Duration', default: '120', shownDefault: '120 (minutes)', help: 'budget for the scan to finish once started; a bare number means minutes; none for no limit' },
  },
  {
    key: 'maxTotal',
    type: 'duration',
    default: 'none',
    help: "one budget for the whole wait, queued and running, from launch (the official integrations' scan timeout)",
    cli: { flag: '--max-total', env: 'IAS_MAX_TOTAL', placeholder: 'DURATION', doc: "one budget for the whole wait, queued and running, from launch (the official integrations' scan timeout)" },
    github: { input: 'max-total', official: 'scan-timeout-mins', officialDescription: 'Compatibility with the official action: the scan is canceled and the step fails if it has not completed this many minutes after launch, queued or running (sets max-total). Default: no limit.', description: 'One budget for the whole scan, queued and running, from launch (what scan-timeout-mins sets). Default: none.', doc: 'one budget for the whole scan from launch, queued or running (`scan-timeout-mins` sets it)' },
  },
  {
    key: 'onTimeout',
    type: 'choice',
    default: 'cancel',
    allowed: TIMEOUT_ACTIONS,
    help: 'what to do with the scan when a budget runs out: cancel, stop (collect and gate what it found) or fail (leave it running); the step fails in every case',
    cli: { flag: '--on-timeout', env: 'IAS_ON_TIMEOUT', placeholder: 'ACTION', doc: '`cancel`, `stop` (collect and gate what it found) or `fail` (leave it running)' },
    github: { input: 'on-timeout', description: 'What happens to the scan when a budget runs out: cancel, stop (collect and gate what it found) or fail (leave it running). The step fails in every case. Default: cancel.', doc: '`cancel`, `stop` (collect and gate what was found), `fail` (leave it running)' },
    azure: { input: 'onTimeoutAction', label: 'On timeout', default: 'cancel', allowed: ['cancel', 'stop', 'fail'], help: 'What happens to the scan when a time budget runs out: cancel it, stop it (collect, report and gate what it found) or leave it running. The task fails in every case.' },
    bamboo: { variable: 'ias.onTimeout', flag: 'on-timeout', shownDefault: 'cancel', help: 'what to do with the scan when a budget runs out: cancel, stop (collect and gate what it found) or fail (leave it running); the build fails in every case', doc: 'what happens to the scan when a budget runs out: `cancel`, `stop` (collect and gate what it found), `fail` (leave it running); the build fails in every case' },
  },
  {
    key: 'gateQuery',
    type: 'query',
    default: undefined,
    help: "fail when findings of the scan match this IAS query, e.g. \"vulnerability.severity='HIGH'\"",
    cli: { flag: '--gate-query', env: 'IAS_GATE_QUERY', placeholder: 'QUERY', doc: 'fail when findings of this scan match the IAS query' },
    github: { input: 'gate-query', official: 'vuln-query', officialDescription: 'Compatibility with the official action: the gating query (same as gate-query).', description: "Fail the step when findings of the scan match this InsightAppSec query, for example vulnerability.severity='HIGH' || vulnerability.severity='CRITICAL'.", doc: 'fail when findings match this query' },
    azure: { input: 'vulnerabilityQuery', official: 'vulnQuery', label: 'Vulnerability Query', default: '', help: "An InsightAppSec vulnerability query, values in single quotes, e.g. `vulnerability.severity='HIGH'`. It only ever sees findings of this scan." },
    bamboo: { variable: 'ias.gateQuery', flag: 'gate-query', field: 'Vulnerability Query', help: "IAS vulnerability query, e.g. vulnerability.severity='HIGH' (always scoped to this scan)" },
  },
  {
    key: 'failOn',
    type: 'choice',
    default: undefined,
    allowed: SEVERITY_ORDER,
    help: 'fail when findings at or above this severity exist (CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, SAFE)',
    cli: { flag: '--fail-on', env: 'IAS_FAIL_ON', placeholder: 'SEVERITY', doc: 'fail on findings at or above a severity (a severity the API does not document counts as CRITICAL, with a warning)' },
    github: { input: 'fail-on', description: 'Fail the step when findings at or above this severity exist: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, SAFE.', doc: 'fail on findings at or above this severity' },
    azure: { input: 'failOnSeverity', label: 'Fail on severity', default: 'none', allowed: ['none', 'CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'], help: 'Fail when findings at or above this severity exist (findings marked false positive, ignored or duplicate are not counted).' },
    bamboo: { variable: 'ias.failOn', flag: 'fail-on', help: 'fail when findings at or above this severity exist: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL, SAFE', doc: 'also fail on findings at or above a severity: `CRITICAL`, `HIGH`, `MEDIUM`, `LOW`, `INFORMATIONAL`, `SAFE`' },
  },
  {
    key: 'failOnStatuses',
    type: 'list',
    default: 'FALSE_POSITIVE,IGNORED,DUPLICATE',
    help: 'finding statuses --fail-on ignores ("none" to count every status)',
    cli: { flag: '--fail-on-statuses', env: 'IAS_FAIL_ON_STATUSES', placeholder: 'LIST', doc: 'statuses `--fail-on` ignores, comma-separated (`none` counts every status)' },
    github: { input: 'fail-on-statuses', description: 'Finding statuses fail-on ignores (none to count every status). Default: FALSE_POSITIVE,IGNORED,DUPLICATE.', doc: 'statuses `fail-on` ignores (`none` counts all)' },
    bamboo: { variable: 'ias.failOnStatuses', flag: 'fail-on-statuses', shownDefault: 'FALSE_POSITIVE,IGNORED,DUPLICATE', help: 'finding statuses ias.failOn ignores (none to count every status)', doc: 'finding statuses `ias.failOn` ignores (`none` counts every status)' },
  },
  {
    key: 'baseline',
    type: 'path',
    default: undefined,
    help: 'findings report of an earlier run: findings are marked new, known or fixed',
    cli: { flag: '--baseline', env: 'IAS_BASELINE', placeholder: 'FILE', doc: 'findings report of an earlier run: findings are marked new, known or fixed' },
    github: { input: 'baseline', description: 'A stored findings file; with new-only, only findings absent from it fail the gate.', doc: '`insightappsec-scan-findings.json` of an earlier run (a path relative to the workspace, like the next one)' },
    azure: { input: 'baseline', label: 'Baseline', default: '', help: 'A findings file of an earlier scan: only findings that are new against it count for the gate.' },
    bamboo: { variable: 'ias.baseline', flag: 'baseline', listed: false },
  },
  {
    key: 'newOnly',
    type: 'flag',
    default: 'false',
    help: 'gate on findings that are new against the baseline only',
    cli: { flag: '--new-only', env: 'IAS_NEW_ONLY', placeholder: 'BOOL', doc: 'gate on new findings only (needs `--baseline`)' },
    github: { input: 'new-only', description: 'Gate only findings that are not in the baseline (true or false). Default: false.', doc: 'gate only findings absent from the baseline' },
    bamboo: { variable: 'ias.newOnly', flag: 'new-only', listed: false },
  },
  {
    key: 'suppressions',
    type: 'path',
    default: undefined,
    help: 'reviewed exceptions (YAML or JSON, each with a reason and an optional expiry): reported, never gating',
    cli: { flag: '--suppressions', env: 'IAS_SUPPRESSIONS', placeholder: 'FILE', doc: 'reviewed exceptions (YAML or JSON): reported, never gating; expired entries warn' },
    github: { input: 'suppressions', description: 'A YAML or JSON file of reviewed exceptions the gate skips.', doc: 'YAML or JSON file of reviewed exceptions' },
    azure: { input: 'suppressions', label: 'Suppressions', default: '', help: 'A file of reviewed exceptions that the gate ignores.' },
    bamboo: { variable: 'ias.suppressions', flag: 'suppressions', listed: false },
  },
  {
    key: 'outputDir',
    type: 'path',
    default: undefined,
    help: 'where reports are written',
    cli: { flag: '--output-dir', env: 'IAS_OUTPUT_DIR', placeholder: 'DIR', default: 'ias-reports', doc: 'where reports go' },
    github: { input: 'output-dir', default: 'insightappsec-reports', description: 'Report folder; a relative path is taken from the workspace. Default: insightappsec-reports.', doc: 'relative to the workspace' },
    azure: { input: 'outputDirectory', label: 'Output directory', default: '', help: 'Where reports are written. Default: `$(Build.ArtifactStagingDirectory)/insightappsec` in build pipelines, `$(System.ArtifactsDirectory)/insightappsec` in release pipelines.' },
    bamboo: { variable: 'ias.outputDir', flag: 'output-dir', shownDefault: 'the build working directory', help: 'where reports are written; a relative folder is inside the build working directory', docDefault: '`bamboo_build_working_directory` (else the current directory)', doc: 'report folder; a relative folder is inside the build working directory' },
  },
  {
    key: 'reports',
    type: 'list',
    default: 'all',
    allowed: ['all', 'none', ...REPORT_FORMATS],
    help: 'report formats: all, none, or a comma list of metrics, findings, sarif, junit, markdown, html, gitlab, result',
    cli: { flag: '--reports', env: 'IAS_REPORTS', placeholder: 'LIST', doc: '`all`, `none` (alone), or a list of `metrics,findings,sarif,junit,markdown,html,gitlab,result`' },
    github: { input: 'reports', description: 'Report formats: all, none, or a comma list of metrics, findings, sarif, junit, markdown, html, gitlab, result. Default: all.', doc: '`none`, or a list of `metrics, findings, sarif, junit, markdown, html, gitlab, result`' },
    azure: { input: 'reportFormats', label: 'Report formats', default: 'all', help: '`all`, `none`, or a comma list of `metrics`, `findings`, `sarif`, `junit`, `markdown`, `html`, `gitlab`, `result`.' },
    bamboo: { variable: 'ias.reports', flag: 'reports', shownDefault: 'all', help: 'report formats: all, none, or a list of metrics, findings, sarif, junit, markdown, html, gitlab, result', doc: '`all`, `none`, or a list of `metrics`, `findings`, `sarif`, `junit`, `markdown`, `html`, `result`' },
  },
  {
    key: 'findingsReport',
    type: 'flag',
    default: 'true',
    help: 'write the raw findings report',
    cli: { flag: '--findings-report', env: 'IAS_FINDINGS_REPORT', placeholder: 'BOOL', doc: 'write the raw findings report' },
    github: { input: 'findings-report', description: 'Write the raw findings report insightappsec-scan-findings.json (true or false). Default: true.', doc: 'write `insightappsec-scan-findings.json`' },
    azure: { input: 'generateFindingsReport', label: 'Generate findings report?', default: 'false', help: 'Also write `insightappsec-scan-findings.json`, the raw findings of the scan (secret HTTP headers redacted unless *Redact HTTP secrets* is off).' },
    bamboo: { variable: 'ias.findingsReport', flag: 'findings-report', field: 'Findings Report Generation', shownDefault: 'true', help: 'write the raw findings report insightappsec-scan-findings.json' },
  },
  {
    key: 'cancelOnInterrupt',
    type: 'flag',
    default: 'true',
    help: 'cancel the scan when the pipeline is cancelled (SIGINT/SIGTERM)',
    cli: { flag: '--cancel-on-interrupt', env: 'IAS_CANCEL_ON_INTERRUPT', placeholder: 'BOOL', doc: 'cancel the scan on SIGINT/SIGTERM' },
    github: { input: 'cancel-on-interrupt', description: 'Cancel the scan when the workflow is canceled (true or false). Default: true.', doc: 'cancel the scan when the workflow is canceled' },
    azure: { input: 'cancelOnInterrupt', label: 'Cancel the scan when the pipeline is canceled', default: 'true', help: 'When the run is canceled (or times out), cancel the InsightAppSec scan too.' },
    bamboo: { variable: 'ias.cancelOnInterrupt', flag: 'cancel-on-interrupt', shownDefault: 'true', help: 'cancel the scan when the build is stopped', doc: 'cancel the scan when the build is stopped' },
  },
  {
    key: 'ruleDocs',
    type: 'flag',
    default: 'true',
    help: "fetch each rule's attack documentation for SARIF and HTML (cached for 7 days)",
    cli: { flag: '--rule-docs', env: 'IAS_RULE_DOCS', placeholder: 'BOOL', doc: "fetch each rule's attack documentation for SARIF help and HTML, at most 8 requests at a time, kept 7 days in `$XDG_CACHE_HOME/ias-ci` (else `~/.cache/ias-ci`); `false` describes rules from the module list only" },
    // Read as text and coerced by core (any yes/no word), unlike the other booleans: kept as it was.
    github: { input: 'rule-docs', yamlBoolean: false, description: "Fetch each rule's attack documentation for the SARIF and HTML reports, cached in the runner's tool cache for 7 days (true or false). Default: true.", doc: "fetch attack documentation for SARIF help and HTML, kept 7 days in the runner's tool cache" },
    azure: { input: 'ruleDocs', label: 'Rule documentation', default: 'true', help: "Fetch each rule's attack documentation for the SARIF and HTML reports (at most 8 at a time, only for attacks with findings, cached for 7 days in the agent's tools folder). Off: rules carry their module's description only." },
    bamboo: { variable: 'ias.ruleDocs', flag: 'rule-docs', shownDefault: 'true', help: "fetch each rule's attack documentation for SARIF and HTML (at most 8 at a time, cached for 7 days)", doc: "fetch each rule's attack documentation for SARIF and HTML (at most 8 at a time, only for attacks with findings, cached for 7 days)" },
  },
  {
    key: 'requestTimeout',
    type: 'duration',
    default: '60s',
    help: 'timeout of each API request',
    cli: { flag: '--request-timeout', env: 'IAS_REQUEST_TIMEOUT', placeholder: 'DURATION', doc: 'deadline of each API request attempt, headers and body' },
    github: { input: 'request-timeout', description: 'Timeout of each API request. Default: 60s.', doc: 'per API request' },
    bamboo: { variable: 'ias.requestTimeout', flag: 'request-timeout', shownDefault: '60s', help: 'timeout of each API request', doc: 'timeout of each API request' },
  },
  {
    key: 'sarifTriaged',
    type: 'flag',
    default: 'false',
    help: 'also write findings with an ignored status (--fail-on-statuses) or REMEDIATED into SARIF (code scanning would reopen them as alerts)',
    cli: { flag: '--sarif-triaged', env: 'IAS_SARIF_TRIAGED', placeholder: 'BOOL', doc: 'also write findings with an ignored status or REMEDIATED into SARIF (code scanning would reopen them as alerts)' },
    github: { input: 'sarif-triaged', description: 'Write findings with a status that fail-on-statuses ignores (default FALSE_POSITIVE, IGNORED, DUPLICATE) or REMEDIATED into the SARIF file too (true or false). Default: false: code scanning would reopen them as alerts. The other reports keep them either way.', doc: 'also write findings with an ignored status or `REMEDIATED` into SARIF' },
  },
  {
    key: 'redactHttpSecrets',
    type: 'flag',
    default: 'true',
    help: "replace the values of Authorization, Cookie, Set-Cookie, X-Api-Key and similar headers in findings' HTTP exchanges with *** in every report",
    cli: { flag: '--redact-http-secrets', env: 'IAS_REDACT_HTTP_SECRETS', placeholder: 'BOOL', doc: "values of Authorization, Cookie, Set-Cookie, X-Api-Key and similar headers in findings' HTTP exchanges become `***` in every report (`false` keeps them)" },
    github: { input: 'redact-http-secrets', description: "Replace the values of Authorization, Cookie, Set-Cookie, X-Api-Key and similar headers in findings' HTTP exchanges with *** in every report (true or false). Default: true.", doc: "values of Authorization, Cookie, Set-Cookie, X-Api-Key and similar headers in findings' HTTP exchanges become `***` in every report" },
    azure: { input: 'redactHttpSecrets', label: 'Redact HTTP secrets', default: 'true', help: "Replace the values of Authorization, Cookie, Set-Cookie, X-Api-Key and similar headers in the findings' HTTP exchanges with `***` in every report. Turn off only if the reports must carry them." },
    bamboo: { variable: 'ias.redactHttpSecrets', flag: 'redact-http-secrets', shownDefault: 'true', help: "replace the values of Authorization, Cookie, Set-Cookie, X-Api-Key and similar headers in findings' HTTP exchanges with *** in every report", doc: "values of Authorization, Cookie, Set-Cookie, X-Api-Key and similar headers in findings' HTTP exchanges become `***` in every report" },
  },
];

const BY_KEY = new Map(OPTIONS.map((option) => [option.key, option]));

/** The catalogue entry of a key. */
export function optionOf(key: ConfigKey): OptionSpec {
  const option = BY_KEY.get(key);
  if (option === undefined) throw new Error(`no option ${key} in the catalogue`);
  return option;
}

/** An input or setting of one host that is not a core option (the host handles it itself). */
export interface HostOption {
  /** The input's name (Azure DevOps, GitHub) or the plan variable (Bamboo). */
  name: string;
  type: OptionType | 'connection';
  /** The official integration's name for it, where it differs. */
  official?: string;
  /** Azure DevOps: the label in the classic editor. */
  label?: string;
  /** The default as the host declares it (task.json `defaultValue`). */
  default?: string;
  /** The default as documentation shows it. */
  shownDefault?: string;
  help: string;
  /** GitHub, Bamboo: the README's meaning cell (markdown). */
  doc?: string;
  /** Bamboo: the README's default cell (markdown), when it is not `shownDefault` as code. */
  docDefault?: string;
  /** Bamboo: the flag of `ias-bamboo`, and the official plugin's task form field. */
  flag?: string;
  field?: string;
}

/** The GitHub Action's own inputs. */
export const GITHUB_ONLY: readonly HostOption[] = [
  { name: 'summary', type: 'flag', default: 'true', doc: 'append the markdown summary to the job summary', help: 'Append the markdown summary to the job summary (true or false). Default: true.' },
  {
    name: 'annotations',
    type: 'flag',
    default: 'true',
    doc: 'gate matches as error annotations (at most 9, after the failure reason, plus a notice)',
    help: 'Show the findings that fail the gate as error annotations (true or false). Default: true. The runner keeps 10 error annotations per step: the failure reason takes the first, at most 9 findings the rest, and one notice counts the others.',
  },
  {
    name: 'check',
    type: 'flag',
    default: 'false',
    doc: 'check the inputs without launching anything (see [Check before you scan](#check-before-you-scan))',
    help: 'Check the inputs instead of scanning (true or false): API key and region, app and scan configuration, gate query, baseline and suppressions files, output folder and proxy, one log line each. Launches nothing and writes no report; fails with exit 2 (bad input) or 5 (API, key or network). Default: false.',
  },
];

/** The Azure DevOps task's own inputs; `official` is the Rapid7 task's (1.3.0) name, an alias in task.json. */
export const AZURE_ONLY: readonly HostOption[] = [
  { name: 'iasConnection', type: 'connection', official: 'apiConnection', label: "IAS Connection", help: "The InsightAppSec (ias-ci) service connection (region and API token) to use." },
  { name: 'waitForCompletion', type: 'flag', label: "Wait for scan completion?", default: "true", help: "Wait for the scan to finish, then write reports and evaluate the gate. Unchecked, the task ends as soon as the scan is submitted." },
  { name: 'publishArtifacts', type: 'flag', official: 'publishPipelineArtifacts', label: "Upload report output?", default: "false", help: "Upload the reports with the run: a build artifact in build pipelines, a zip attached to the log in release pipelines. Off by default, as in the Rapid7 task." },
  { name: 'artifactPerReport', type: 'flag', label: "One artifact per report", default: "false", help: "Upload each report as its own artifact, named after the file." },
  { name: 'failOnTimeout', type: 'flag', official: 'hasTimeout', label: "Fail scan on timeout?", default: "false", help: "Cancel the scan and fail the task when it has not completed within the Timeout, counted from the launch (queued time included)." },
  { name: 'timeout', type: 'duration', label: "Timeout", default: "", help: "Minutes the scan may take from its launch to completion, waiting for an engine included (a duration such as `90m` or `2h` also works). Required when *Fail scan on timeout?* is on." },
  { name: 'scanGating', type: 'flag', official: 'hasScanGating', label: "Scan Gating", default: "false", help: "Fail the task when the Vulnerability Query matches findings of this scan." },
  { name: 'warnOnly', type: 'flag', label: "Warn only", default: "false", help: "A failed gate ends the task as *Succeeded with issues* instead of *Failed*. Scan failures, timeouts and API errors still fail." },
  { name: 'artifactName', type: 'text', label: "Artifact name", default: "insightappsec", help: "Name of the build artifact that holds the reports." },
  { name: 'checkOnly', type: 'flag', label: "Check only (launch nothing)", default: "false", help: "Check the settings instead of scanning: the connection's API token and region, the application and scan configuration, the query, the baseline and suppressions files, the output directory and the agent proxy, one log line each. Launches nothing and writes no report. Use it as a first step, or in a pipeline that validates the task's settings." },
];

/** Bamboo settings that are not core options. */
export const BAMBOO_ONLY: readonly HostOption[] = [
  { name: 'ias.queryEnforcement', type: 'flag', flag: 'query-enforcement', field: 'Vulnerability Query Enforcement', shownDefault: 'true when ias.gateQuery is set', help: 'fail the build when the vulnerability query matches findings of the scan' },
  { name: 'ias.proxy', type: 'url', flag: 'proxy', shownDefault: 'HTTPS_PROXY', help: 'proxy URL for the API; NO_PROXY is honoured', doc: 'proxy URL (`http://user:pass@host:port`; the password is redacted like the key; a value that is not an http(s) URL is refused before anything is sent)' },
  { name: 'ias.debug', type: 'flag', flag: 'debug', shownDefault: 'false', help: 'log every request and retry decision (the API key is never shown)', doc: 'log every HTTP request (secret headers as `***`), retry and setting source' },
];

/** The Bamboo settings in the order of the official task form, then the product's extra options: a core key, or a Bamboo-only variable. */
export const BAMBOO_ORDER: readonly (ConfigKey | string)[] = [
  'region',
  'app',
  'scanConfig',
  'advanceOn',
  'pollInterval',
  'maxPending',
  'maxExecution',
  'findingsReport',
  'ias.queryEnforcement',
  'gateQuery',
  'baseUrl',
  'scanId',
  'onTimeout',
  'cancelOnInterrupt',
  'failOn',
  'failOnStatuses',
  'reports',
  'outputDir',
  'requestTimeout',
  'ruleDocs',
  'redactHttpSecrets',
  'ias.proxy',
  'ias.debug',
];
