import { formatApiDate } from './api-date.js';
import type { ScanView } from './search-catalogs.js';
import type { ScenarioApp, ScenarioExchange, ScenarioScanConfig } from './scenario.js';
import type { VulnerabilityRecord } from './sim-state.js';

/** A `{rel, href}` link. */
export interface Link {
  rel: string;
  href: string;
}

/** The submitter of every simulated scan. */
export const SIM_USER_ID = '00000000-0000-4000-8000-00000000a11c';

const self = (href: string): Link[] => [{ rel: 'self', href }];

/** App JSON; `selfHref` is the resource path or, for search results, `/search/<id>`. */
export function appJson(app: ScenarioApp, selfHref: string): Record<string, unknown> {
  return { id: app.id, name: app.name, description: app.description ?? null, links: self(selfHref) };
}

/** Scan config JSON. */
export function scanConfigJson(config: ScenarioScanConfig, selfHref: string): Record<string, unknown> {
  return {
    id: config.id,
    name: config.name,
    description: config.description ?? null,
    app: { id: config.app_id },
    attack_template: { id: config.attack_template_id },
    assignment: { type: 'ENGINE_GROUP', environment: 'CLOUD' },
    errors: [...(config.errors ?? [])],
    incremental: false,
    links: self(selfHref),
  };
}

/** Scan JSON at one instant. */
export function scanJson(view: ScanView, selfHref: string): Record<string, unknown> {
  const { scan } = view;
  return {
    id: scan.id,
    app: { id: scan.appId },
    scan_config: { id: scan.configId },
    submitter: { type: 'USER', id: SIM_USER_ID },
    submit_time: formatApiDate(scan.submitTime),
    completion_time: view.completionTime === null ? null : formatApiDate(view.completionTime),
    status: view.status,
    failure_reason: view.failureReason,
    scan_type: scan.scanType,
    links: self(selfHref),
  };
}

function exchangeJson(e: ScenarioExchange, fallbackId: string): Record<string, unknown> {
  return { id: e.id ?? fallbackId, request: e.request, response: e.response };
}

/** Derives a stable UUID-shaped id from a parent id and a suffix, for variance and exchange ids. */
function derivedId(parent: string, n: number): string {
  const hex = parent.replace(/-/g, '');
  const tail = (parseInt(hex.slice(-8), 16) ^ (0x9e3779b1 * (n + 1))) >>> 0;
  const mixed = hex.slice(0, 24) + tail.toString(16).padStart(8, '0');
  return `${mixed.slice(0, 8)}-${mixed.slice(8, 12)}-${mixed.slice(12, 16)}-${mixed.slice(16, 20)}-${mixed.slice(20, 32)}`;
}

/** Vulnerability JSON, variances included. */
export function vulnerabilityJson(v: VulnerabilityRecord, selfHref: string): Record<string, unknown> {
  const f = v.finding;
  const rootCause: Record<string, unknown> = { url: f.root_cause.url, method: f.root_cause.method };
  if (f.root_cause.parameter !== undefined) rootCause['parameter'] = f.root_cause.parameter;
  return {
    id: f.id,
    app: { id: f.app_id },
    root_cause: rootCause,
    severity: f.severity,
    status: v.status,
    first_discovered: formatApiDate(v.firstDiscovered),
    last_discovered: formatApiDate(v.lastDiscovered),
    newly_discovered: v.newlyDiscovered,
    vector_string: f.vector_string ?? null,
    vulnerability_score: f.vulnerability_score ?? null,
    insight_ui_url: v.uiUrl,
    variances: f.variances.map((x, i) => {
      const id = x.id ?? derivedId(f.id, i * 100);
      const out: Record<string, unknown> = { id };
      if (x.original_value !== undefined) out['original_value'] = x.original_value;
      if (x.original_exchange) out['original_exchange'] = exchangeJson(x.original_exchange, derivedId(id, 1));
      out['module'] = { id: x.module_id };
      out['attack'] = { id: x.attack_id };
      if (x.attack_value !== undefined) out['attack_value'] = x.attack_value;
      if (x.attack_exchanges) out['attack_exchanges'] = x.attack_exchanges.map((e, j) => exchangeJson(e, derivedId(id, j + 2)));
      if (x.message !== undefined) out['message'] = x.message;
      if (x.proof !== undefined) out['proof'] = x.proof;
      if (x.proof_description !== undefined) out['proof_description'] = x.proof_description;
      return out;
    }),
    links: self(selfHref),
  };
}
