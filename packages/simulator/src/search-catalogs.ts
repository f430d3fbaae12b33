import { defineCatalog, SEVERITY_ORDER, type FieldCatalog } from './query/fields.js';
import type { ScenarioApp, ScenarioScanConfig } from './scenario.js';
import type { ScanRecord } from './scan-lifecycle.js';
import type { VulnerabilityRecord } from './sim-state.js';

/** A scan with its status read at one instant. */
export interface ScanView {
  scan: ScanRecord;
  status: string;
  completionTime: number | null;
  failureReason: string | null;
}


/** The review statuses of a vulnerability (the API's enum). */
export const VULNERABILITY_STATUSES: readonly string[] = ['UNREVIEWED', 'FALSE_POSITIVE', 'VERIFIED', 'IGNORED', 'REMEDIATED', 'DUPLICATE'];

/** Fields of `type: APP` (`app.` prefix). */
export const APP_CATALOG: FieldCatalog<ScenarioApp> = defineCatalog<ScenarioApp>('APP', 'app', [
  { name: 'id', kind: 'id', get: (a) => a.id },
  { name: 'name', kind: 'string', get: (a) => a.name, foldCaseFallback: true },
  { name: 'description', kind: 'string', get: (a) => a.description ?? null },
]);

/** Fields of `type: SCAN_CONFIG` (`scanconfig.` prefix, no underscore). */
export const SCAN_CONFIG_CATALOG: FieldCatalog<ScenarioScanConfig> = defineCatalog<ScenarioScanConfig>('SCAN_CONFIG', 'scanconfig', [
  { name: 'id', kind: 'id', get: (c) => c.id },
  { name: 'name', kind: 'string', get: (c) => c.name, foldCaseFallback: true },
  { name: 'description', kind: 'string', get: (c) => c.description ?? null },
  { name: 'app.id', kind: 'id', get: (c) => c.app_id },
  { name: 'attack_template.id', kind: 'id', get: (c) => c.attack_template_id },
]);

/** Fields of `type: SCAN` (`scan.` prefix). */
export const SCAN_CATALOG: FieldCatalog<ScanView> = defineCatalog<ScanView>('SCAN', 'scan', [
  { name: 'id', kind: 'id', get: (s) => s.scan.id },
  { name: 'app.id', kind: 'id', get: (s) => s.scan.appId },
  { name: 'scan_config.id', kind: 'id', get: (s) => s.scan.configId },
  { name: 'status', kind: 'string', get: (s) => s.status },
  { name: 'submit_time', kind: 'date', get: (s) => s.scan.submitTime },
  { name: 'completion_time', kind: 'date', get: (s) => s.completionTime },
  { name: 'scan_type', kind: 'string', get: (s) => s.scan.scanType },
  { name: 'failure_reason', kind: 'string', get: (s) => s.failureReason },
]);

/** Fields of `type: VULNERABILITY` (`vulnerability.` prefix). */
export const VULNERABILITY_CATALOG: FieldCatalog<VulnerabilityRecord> = defineCatalog<VulnerabilityRecord>('VULNERABILITY', 'vulnerability', [
  { name: 'id', kind: 'id', get: (v) => v.finding.id },
  { name: 'app.id', kind: 'id', get: (v) => v.finding.app_id },
  { name: 'scans.id', kind: 'id', get: (v) => v.scanIds },
  { name: 'severity', kind: 'severity', values: [...SEVERITY_ORDER].reverse(), get: (v) => v.finding.severity },
  { name: 'status', kind: 'enum', values: VULNERABILITY_STATUSES, get: (v) => v.status },
  { name: 'root_cause.url', kind: 'string', get: (v) => v.finding.root_cause.url },
  { name: 'root_cause.method', kind: 'string', get: (v) => v.finding.root_cause.method },
  { name: 'root_cause.parameter', kind: 'string', get: (v) => v.finding.root_cause.parameter ?? null },
  { name: 'variances.module.id', kind: 'id', get: (v) => v.finding.variances.map((x) => x.module_id) },
  { name: 'variances.attack.id', kind: 'string', get: (v) => v.finding.variances.map((x) => x.attack_id) },
  { name: 'first_discovered', kind: 'date', get: (v) => v.firstDiscovered },
  { name: 'last_discovered', kind: 'date', get: (v) => v.lastDiscovered },
  { name: 'newly_discovered', kind: 'boolean', get: (v) => v.newlyDiscovered },
  { name: 'vulnerability_score', kind: 'number', get: (v) => v.finding.vulnerability_score ?? null },
  { name: 'vulnerabilityScore', kind: 'number', get: (v) => v.finding.vulnerability_score ?? null },
  { name: 'insight_ui_url', kind: 'string', get: (v) => v.uiUrl },
]);
