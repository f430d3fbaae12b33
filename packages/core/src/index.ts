// The public surface of @ias/core, curated: every export by name.

export { ApiError, ConfigError, createRedactor, ERROR_CODES, IasError, isIasError, QueryError, redactDeep, redactSecrets, urlPassword, ScanError } from './errors';
export { escapeLogText, sanitizeLogMessage } from './log-text';
export type { ApiErrorContext, ConfigIssue, ErrorCode, ScanErrorContext, SourceSpan } from './errors';

export { silentLogger, systemClock } from './effects';
export type { Clock, DocumentationCache, FetchLike, FetchResponse, HeaderLookup, Logger } from './effects';

export { formatDuration, parseDuration } from './config/duration';
export { baseUrlForRegion, KNOWN_REGIONS } from './config/region';
export { ADVANCE_MODES, CONFIG_KEYS, DEFAULT_IGNORED_STATUSES, REPORT_FORMATS, SEVERITY_ORDER, TIMEOUT_ACTIONS } from './config/schema';
export type { AdvanceOn, ConfigKey, OnTimeout, RawConfig, ReportFormat, ScanJob, Severity } from './config/schema';
export { assertConfig, parseConfig } from './config/parse-config';
export { AZURE_ONLY, BAMBOO_ONLY, BAMBOO_ORDER, GITHUB_ONLY, optionOf, OPTIONS } from './config/options';
export type { AzureName, BambooName, CliName, GithubName, HostOption, OptionSpec, OptionType } from './config/options';
export { parseList, parseYesNo } from './config/coerce';
export type { InputNames, ParseConfigOptions, ParseConfigResult } from './config/parse-config';

export { createApiClient } from './api/client';

export { getScan, search, submitScanAction } from './api/resources';

export type { App, Scan, Vulnerability } from './api/schemas';

export { isTerminal } from './scan/scan-status';

export { formatUserAgent, runScanJob } from './scan/run-scan-job';
export { parseStatusQuery, readScanStatus } from './scan/read-scan-status';
export type { ScanStatus, StatusQuery } from './scan/read-scan-status';
export { failureAdvice } from './scan/failure-reasons';
export type { RunScanJobEffects } from './scan/run-scan-job';
export type { RunEvent, RunEventListener } from './scan/run-events';
export { EXIT_CODES, exitCodeForError, outcomeBeforeStart, resultForExitCode } from './scan/outcome';
export type { ExitCode, Outcome, OutcomeMatch, OutcomeResult } from './scan/outcome';
export { formatPreflightItem, formatPreflightMarkdown, formatPreflightSummary, PREFLIGHT_CHECKS, preflightOfInvalidSettings, runPreflight } from './scan/preflight';
export type { PreflightCheck, PreflightEffects, PreflightItem, PreflightResult } from './scan/preflight';

export type { GateMatch } from './gate/evaluate-gate';

export { evaluateQuery, formatQuery, listServerSafetyIssues, parseQuery, severityRank, SEVERITIES, VULNERABILITY_STATUSES } from './query';
export type { ParsedQuery } from './query';

export { createBufferedWriter, createMemoryReportSink } from './report/sink';
export type { MemoryReportSink, ReportSink, ReportWriter } from './report/sink';
export { METRICS_FILE } from './report/metrics';

export { FINDINGS_FILE } from './report/findings';
export { RESULT_FILE } from './report/result';
export { formatOutcomeMarkdown, writeReportsBeforeStart } from './report/before-start';

export { findingFingerprint } from './gate/fingerprint';
export { parseBaseline } from './gate/baseline';
export type { Baseline, BaselineSummary } from './gate/baseline';
export { parseSuppressions } from './gate/suppressions';
export type { Suppressions } from './gate/suppressions';
export { evaluateStoredFindings } from './gate/stored-findings';

export type { StoredFindingsOptions, StoredFindingsResult, SuppressedGateMatch } from './gate/stored-findings';

export { AZURE_CLOUDS, DEFAULT_APIM_API_VERSION } from './discovery/azure/clouds';
export type { AzureCloud } from './discovery/azure/clouds';
export { EXPORT_FORMATS } from './discovery/azure/export';
export type { ExportFormat } from './discovery/azure/export';
export { discoverAzureApim } from './discovery/discover-azure-apim';
export type { AzureSourceOptions, DiscoverAzureApimEffects, DiscoverAzureApimOptions, DiscoveryOutcome } from './discovery/discover-azure-apim';
export { API_STATUSES, approveEndpoints, createMemoryDiscoveryFiles, INVENTORY_FILE, parseInventory, serializeInventory, SYNC_STATUS_FILE } from './discovery/inventory';
export type { ApiStatus, DiscoveryFiles, Inventory, InventoryApi, InventoryLink, InventoryService, InventorySource, InventorySpec, SourceSyncRecord } from './discovery/inventory';
export { markerKeyOf, unlinkApi } from './discovery/link-spec';
export type { PushResult, UnlinkResult } from './discovery/link-spec';
export { parseSourcesFile, resolveSourceSecrets } from './discovery/sources-file';
export { INVENTORY_REPORT_HTML, INVENTORY_REPORT_MARKDOWN } from './discovery/inventory-report';
export type { InventoryReportInput } from './discovery/inventory-report';
export type { ParseSourcesResult, SourceSpec } from './discovery/sources-file';
export { parseLinksFile, removeLinkFromLinksFile } from './discovery/links-file';
export type { ApiLink, ParseLinksResult } from './discovery/links-file';

