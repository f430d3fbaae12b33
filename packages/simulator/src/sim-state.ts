import { randomUUID } from 'node:crypto';
import {
  DEFAULT_ORGANIZATION_ID,
  DEFAULT_TIMELINE,
  DEFAULT_TRANSITIONS,
  type Scenario,
  type ScenarioApp,
  type ScenarioAttack,
  type ScenarioFinding,
  type ScenarioModule,
  type ScenarioScanConfig,
} from './scenario.js';
import { parseApiDate } from './api-date.js';
import { completionAt, layOut, statusAt, type ScanPhase, type ScanRecord, type TransitionMs } from './scan-lifecycle.js';

/** A vulnerability: a scenario finding plus what scans have made of it. */
export interface VulnerabilityRecord {
  finding: ScenarioFinding;
  /** The review status: the finding's, until a rediscovery reopens a REMEDIATED one as UNREVIEWED. */
  status: string;
  /** `insight_ui_url`: the organisation's UI address and this vulnerability's page. */
  uiUrl: string;
  /** Every scan that found it, in completion order. */
  scanIds: string[];
  firstDiscovered: number;
  lastDiscovered: number;
  newlyDiscovered: boolean;
}

/** How a scan is launched. */
export interface LaunchOptions {
  scanType?: string;
  neverStart?: boolean;
}

/** The simulator's mutable world, built from a scenario. */
export class SimState {
  readonly apps: ScenarioApp[];
  readonly appsById: Map<string, ScenarioApp>;
  readonly configs: ScenarioScanConfig[];
  readonly configsById: Map<string, ScenarioScanConfig>;
  readonly options = new Map<string, unknown>();
  /** Every options document written by `PUT /scan-configs/{id}/options`, in order, as the raw request body. */
  readonly optionWrites: { configId: string; body: string }[] = [];
  readonly modules: ScenarioModule[];
  readonly modulesById: Map<string, ScenarioModule>;
  readonly attacks = new Map<string, ScenarioAttack>();
  readonly findingsById: Map<string, ScenarioFinding>;
  readonly findingSets: Record<string, string[]>;
  readonly vulnerabilities = new Map<string, VulnerabilityRecord>();
  readonly scans = new Map<string, ScanRecord>();
  readonly transitions: TransitionMs;
  /**
   * The organisation's UI address, `https://<region>.appsec.insight.rapid7.com/op/<organization id>/`: the form of
   * the InsightAppSec links found in public material (the API documents none).
   */
  readonly uiBase: string;
  /** Bumped on every change that can alter a search or listing result other than scan status. */
  version = 0;
  private readonly timeScale: number;
  private readonly defaultTimeline: readonly { status: string; seconds: number }[];

  constructor(scenario: Scenario, timeScale: number) {
    this.timeScale = timeScale;
    this.uiBase = `https://${scenario.region ?? 'us'}.appsec.insight.rapid7.com/op/${scenario.organization_id ?? DEFAULT_ORGANIZATION_ID}/`;
    this.apps = [...scenario.apps];
    this.appsById = new Map(this.apps.map((a) => [a.id, a]));
    this.configs = [...scenario.scan_configs];
    this.configsById = new Map(this.configs.map((c) => [c.id, c]));
    for (const c of this.configs) this.options.set(c.id, structuredClone(c.options ?? defaultOptions(c, this.appsById.get(c.app_id))));
    this.modules = [...scenario.modules];
    this.modulesById = new Map(this.modules.map((m) => [m.id, m]));
    for (const m of this.modules) for (const a of m.attacks) this.attacks.set(`${m.id}/${a.id}`, a);
    this.findingsById = new Map(scenario.findings.map((f) => [f.id, f]));
    this.findingSets = scenario.finding_sets;
    this.defaultTimeline = scenario.defaults?.timeline ?? DEFAULT_TIMELINE;
    const t = { ...DEFAULT_TRANSITIONS, ...scenario.defaults?.transitions };
    this.transitions = {
      canceling: this.scaled(t.canceling),
      stopping: this.scaled(t.stopping),
      pausing: this.scaled(t.pausing),
      resuming: this.scaled(t.resuming),
    };
    for (const h of scenario.history ?? []) this.addHistoryScan(h.id, h.scan_config_id, h.finding_set, h.submit_time, h.completion_time);
  }

  /** A scan that ran RUNNING from `submit` to `completion`, then COMPLETE; settle() links its findings then. */
  private addHistoryScan(id: string, configId: string, findingSet: string | undefined, submit: string, completion: string): void {
    const config = this.configsById.get(configId);
    const start = parseApiDate(submit);
    const end = parseApiDate(completion);
    if (!config || start === undefined || end === undefined) throw new Error(`History scan ${id} is invalid`);
    const scan: ScanRecord = {
      id,
      appId: config.app_id,
      configId,
      scanType: 'REGULAR',
      submitTime: start,
      schedule: layOut(start, [{ status: 'RUNNING', ms: end - start }, { status: 'COMPLETE', ms: Infinity }]),
      plannedRunningMs: end - start,
      suspended: null,
      findingFraction: 1,
      settled: false,
      pendingAction: null,
      finishingMs: { scanned: 0, processed: 0 },
    };
    const set = findingSet ?? config.finding_set;
    if (set !== undefined) scan.findingSet = set;
    this.scans.set(id, scan);
  }

  /** The UI link of a vulnerability: the organisation's vulnerability list filtered on its id, details open. */
  private uiUrlOf(findingId: string): string {
    const filter = encodeURIComponent(`vulnerability.id = '${findingId}'`).replaceAll("'", '%27');
    return `${this.uiBase}#/vulnerabilities?filterText=${filter}&showVulnDetails=true`;
  }

  private scaled(seconds: number): number {
    return seconds * 1000 * this.timeScale;
  }

  /** Creates a scan of `config` submitted at `now`. */
  launch(config: ScenarioScanConfig, now: number, options: LaunchOptions = {}): ScanRecord {
    const steps = config.timeline ?? this.defaultTimeline;
    let phases: ScanPhase[] = steps.map((s) => ({ status: s.status, ms: this.scaled(s.seconds) }));
    if (options.neverStart) {
      const waiting = phases.filter((p) => p.status === 'QUEUED');
      phases = [...waiting, { status: 'PENDING', ms: Infinity }];
    } else if (config.outcome === 'FAILED') {
      phases.push({ status: 'FAILED', ms: Infinity, failureReason: config.failure_reason ?? 'SYSTEM_ERROR' });
    } else {
      phases.push({ status: 'COMPLETE', ms: Infinity });
    }
    const msOf = (status: string): number => {
      const step = steps.find((s) => s.status === status);
      return this.scaled(step ? step.seconds : 5);
    };
    const scan: ScanRecord = {
      id: randomUUID(),
      appId: config.app_id,
      configId: config.id,
      scanType: options.scanType ?? 'REGULAR',
      submitTime: now,
      schedule: layOut(now, phases),
      plannedRunningMs: phases.filter((p) => p.status === 'RUNNING').reduce((sum, p) => sum + p.ms, 0),
      suspended: null,
      findingFraction: 1,
      settled: false,
      pendingAction: null,
      finishingMs: { scanned: msOf('SCANNED'), processed: msOf('PROCESSED') },
    };
    this.scans.set(scan.id, scan);
    this.version += 1;
    return scan;
  }

  /** The finding ids a completed scan of this config links, honouring a STOP's fraction. */
  findingIdsOf(scan: ScanRecord): string[] {
    const config = this.configsById.get(scan.configId);
    const name = scan.findingSet ?? config?.finding_set;
    const set = name === undefined ? [] : (this.findingSets[name] ?? []);
    if (scan.findingFraction >= 1) return set;
    return set.slice(0, Math.floor(set.length * scan.findingFraction));
  }

  /**
   * Applies every scan end reached by `now`, in completion order: a COMPLETE scan links its findings
   * (creating vulnerabilities on first discovery). Called before each request, so state is lazy.
   */
  settle(now: number): void {
    const due: { scan: ScanRecord; at: number }[] = [];
    for (const scan of this.scans.values()) {
      if (scan.settled) continue;
      const at = completionAt(scan, now);
      if (at !== null) due.push({ scan, at });
    }
    if (due.length === 0) return;
    due.sort((a, b) => a.at - b.at);
    for (const { scan, at } of due) {
      scan.settled = true;
      if (statusAt(scan, now) !== 'COMPLETE') continue;
      for (const findingId of this.findingIdsOf(scan)) {
        const finding = this.findingsById.get(findingId);
        if (!finding) continue;
        const existing = this.vulnerabilities.get(findingId);
        if (existing) {
          // Found again: same vulnerability and id, one more scan. "New" ends, and a REMEDIATED finding that
          // comes back is UNREVIEWED again (Rapid7's vulnerability status documentation).
          existing.scanIds.push(scan.id);
          existing.lastDiscovered = at;
          existing.newlyDiscovered = false;
          if (existing.status === 'REMEDIATED') existing.status = 'UNREVIEWED';
        } else {
          this.vulnerabilities.set(findingId, {
            finding,
            status: finding.status,
            uiUrl: this.uiUrlOf(finding.id),
            scanIds: [scan.id],
            firstDiscovered: at,
            lastDiscovered: at,
            newlyDiscovered: true,
          });
        }
      }
    }
    this.version += 1;
  }
}

function defaultOptions(config: ScenarioScanConfig, app: ScenarioApp | undefined): Record<string, unknown> {
  const host = (app?.name ?? 'app').toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return {
    crawl_config: {
      seed_url_list: [{ value: `https://${host}.example.com/` }],
      scope_constraint_list: [{ url: `https://${host}.example.com/*`, exclusion: 'INCLUDE', match_criteria: 'WILDCARD', method: 'ALL' }],
      max_crawl_results: 5000,
    },
    auth_config: { type: 'NONE' },
    java_script_engine: 'CHROME',
    http_headers_config: { custom_headers_list: [], user_agent: `ias-simulator (${config.name})` },
  };
}
