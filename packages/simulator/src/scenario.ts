import { parseApiDate } from './api-date.js';

/** One step of a scan timeline: the scan shows `status` for `seconds` of scenario time. */
export interface TimelineStep {
  status: string;
  seconds: number;
}

/** Durations (seconds) of the transitional states that follow an action. */
export interface TransitionSeconds {
  canceling?: number;
  stopping?: number;
  pausing?: number;
  resuming?: number;
}

/** An application. */
export interface ScenarioApp {
  id: string;
  name: string;
  description?: string;
}

/** The documentation of an attack, as served by `GET /modules/{m}/attacks/{a}/documentation`. */
export interface ScenarioAttackDocumentation {
  references: Record<string, string>;
  description: string;
  recommendation: string;
}

/** An attack of a module. */
export interface ScenarioAttack {
  id: string;
  type: string;
  class: string;
  description: string;
  documentation?: ScenarioAttackDocumentation;
}

/** A scanner module (a vulnerability check) and its attacks. */
export interface ScenarioModule {
  id: string;
  name: string;
  description: string;
  attacks: ScenarioAttack[];
}

/** An HTTP request/response pair recorded by the scanner. */
export interface ScenarioExchange {
  id?: string;
  request: string;
  response: string;
}

/** One variance (one way the finding was proven). Module and attack must exist in `modules`. */
export interface ScenarioVariance {
  id?: string;
  module_id: string;
  attack_id: string;
  original_value?: string;
  attack_value?: string;
  original_exchange?: ScenarioExchange;
  attack_exchanges?: ScenarioExchange[];
  message?: string;
  proof?: string;
  proof_description?: string;
}

/** A finding: becomes a vulnerability (same id) the first time a scan that includes it completes. */
export interface ScenarioFinding {
  id: string;
  app_id: string;
  severity: string;
  status: string;
  root_cause: { url: string; method: string; parameter?: string };
  vector_string?: string;
  vulnerability_score?: number;
  variances: ScenarioVariance[];
}

/** A scan configuration and how its scans behave. */
export interface ScenarioScanConfig {
  id: string;
  name: string;
  description?: string;
  app_id: string;
  attack_template_id: string;
  /** Validation errors; when non-empty, `POST /scans` answers 422. */
  errors?: string[];
  /** The scan's phases before its end state; defaults to the scenario's `defaults.timeline`. */
  timeline?: TimelineStep[];
  /** How a scan ends. @default 'COMPLETE' */
  outcome?: 'COMPLETE' | 'FAILED';
  /** The failure_reason of a FAILED outcome. @default 'SYSTEM_ERROR' */
  failure_reason?: string;
  /** Name of a finding set in `finding_sets`: what a completed scan finds. */
  finding_set?: string;
  /** The options document served by `GET /scan-configs/{id}/options`. */
  options?: Record<string, unknown>;
}

/**
 * A scan that ran before the simulator started (or at a set time): it completes at `completion_time` and links
 * its finding set like any COMPLETE scan, so findings carry over into later scans with their ids.
 */
export interface ScenarioHistoryScan {
  /** The scan id (a UUID). */
  id: string;
  scan_config_id: string;
  /** What this scan found; defaults to the config's `finding_set`. */
  finding_set?: string;
  /** API-style dates (`2025-12-01T10:00:00`, UTC). */
  submit_time: string;
  completion_time: string;
}

/** A complete simulated organisation. See the package README for the JSON format. */
export interface Scenario {
  name: string;
  description?: string;
  /** The Insight platform region of the organisation, used in UI links. @default 'us' */
  region?: string;
  /** The organisation's id as it appears in UI links (`/op/<id>/`). @default DEFAULT_ORGANIZATION_ID */
  organization_id?: string;
  /** Scans that ran earlier, in any order. */
  history?: ScenarioHistoryScan[];
  defaults?: { timeline?: TimelineStep[]; transitions?: TransitionSeconds };
  apps: ScenarioApp[];
  modules: ScenarioModule[];
  findings: ScenarioFinding[];
  /** Named lists of finding ids. */
  finding_sets: Record<string, string[]>;
  scan_configs: ScenarioScanConfig[];
}

/** The organisation id of scenarios that name none: 20 upper-case hex digits, the shape seen in public UI links. */
export const DEFAULT_ORGANIZATION_ID = '5A1B0C2D3E4F60718293';

/** The default scan timeline (20 minutes of scenario time before COMPLETE). */
export const DEFAULT_TIMELINE: readonly TimelineStep[] = [
  { status: 'QUEUED', seconds: 30 },
  { status: 'PENDING', seconds: 60 },
  { status: 'PROVISIONING', seconds: 90 },
  { status: 'RUNNING', seconds: 900 },
  { status: 'SCANNED', seconds: 60 },
  { status: 'PROCESSED', seconds: 60 },
];

/** Default durations of CANCELING, STOPPING, PAUSING and RESUMING, in seconds. */
export const DEFAULT_TRANSITIONS: Required<TransitionSeconds> = { canceling: 10, stopping: 10, pausing: 5, resuming: 5 };

/**
 * Checks a scenario's cross references (apps, modules, attacks, finding sets) and throws an Error that
 * lists every problem when it is inconsistent.
 */
export function assertScenario(scenario: Scenario): void {
  const problems: string[] = [];
  if (typeof scenario !== 'object' || scenario === null) throw new TypeError('A scenario must be an object');
  for (const key of ['apps', 'modules', 'findings', 'scan_configs'] as const) {
    if (!Array.isArray(scenario[key])) problems.push(`"${key}" must be an array`);
  }
  if (typeof scenario.finding_sets !== 'object' || scenario.finding_sets === null) problems.push('"finding_sets" must be an object');
  if (problems.length > 0) throw new Error(`Scenario "${String(scenario.name)}" is invalid: ${problems.join('; ')}`);
  const appIds = new Set(scenario.apps.map((a) => a.id));
  const attacks = new Set<string>();
  for (const m of scenario.modules) for (const a of m.attacks) attacks.add(`${m.id}/${a.id}`);
  const findings = new Map(scenario.findings.map((f) => [f.id, f]));
  for (const f of scenario.findings) {
    if (!appIds.has(f.app_id)) problems.push(`finding ${f.id}: unknown app_id ${f.app_id}`);
    for (const v of f.variances) {
      if (!attacks.has(`${v.module_id}/${v.attack_id}`)) problems.push(`finding ${f.id}: unknown module/attack ${v.module_id}/${v.attack_id}`);
    }
  }
  for (const c of scenario.scan_configs) {
    if (!appIds.has(c.app_id)) problems.push(`scan config ${c.id}: unknown app_id ${c.app_id}`);
    if (c.finding_set !== undefined) {
      const set = scenario.finding_sets[c.finding_set];
      if (!set) problems.push(`scan config ${c.id}: unknown finding_set ${c.finding_set}`);
      else {
        for (const id of set) {
          const f = findings.get(id);
          if (!f) problems.push(`finding set ${c.finding_set}: unknown finding ${id}`);
          else if (f.app_id !== c.app_id) problems.push(`scan config ${c.id}: finding ${id} belongs to another app`);
        }
      }
    }
  }
  if (scenario.region !== undefined && !/^[a-z0-9]+$/.test(scenario.region)) problems.push(`region "${scenario.region}" must be lower-case letters and digits`);
  if (scenario.organization_id !== undefined && !/^[A-Za-z0-9]+$/.test(scenario.organization_id)) problems.push('organization_id must be letters and digits');
  const configs = new Map(scenario.scan_configs.map((c) => [c.id, c]));
  const historyIds = new Set<string>();
  for (const h of scenario.history ?? []) {
    if (historyIds.has(h.id)) problems.push(`history scan ${h.id}: duplicate id`);
    historyIds.add(h.id);
    const config = configs.get(h.scan_config_id);
    if (!config) {
      problems.push(`history scan ${h.id}: unknown scan_config_id ${h.scan_config_id}`);
      continue;
    }
    const setName = h.finding_set ?? config.finding_set;
    const set = setName === undefined ? [] : scenario.finding_sets[setName];
    if (!set) problems.push(`history scan ${h.id}: unknown finding_set ${String(setName)}`);
    else for (const id of set) if (findings.get(id)?.app_id !== config.app_id) problems.push(`history scan ${h.id}: finding ${id} is unknown or of another app`);
    const submit = parseApiDate(h.submit_time);
    const done = parseApiDate(h.completion_time);
    if (submit === undefined || done === undefined || done < submit) problems.push(`history scan ${h.id}: submit_time and completion_time must be dates, in that order`);
  }
  if (problems.length > 0) {
    const shown = problems.slice(0, 10).join('; ');
    throw new Error(`Scenario "${scenario.name}" is invalid: ${shown}${problems.length > 10 ? ` (and ${problems.length - 10} more)` : ''}`);
  }
}
