import { setTimeout as sleep } from 'node:timers/promises';
import { errorResponse, handleApiRequest, newCorrelationId, reasonOf, type SimResponse } from './api-handler.js';
import { createRealClock, type SimClock } from './clock.js';
import { createInProcessFetch, type SimDispatch } from './in-process-fetch.js';
import { FaultInjector, type FaultRule } from './fault-rules.js';
import { startListener, type ListenOptions, type RunningListener } from './http-listener.js';
import { loadScenario } from './load-scenario.js';
import { createRequestCounters, type RequestCounters } from './request-counters.js';
import { appJson, scanConfigJson, scanJson, vulnerabilityJson } from './resource-json.js';
import { routeOf } from './route-names.js';
import { assertScenario, type Scenario } from './scenario.js';
import { scanView, SearchIndex } from './search-index.js';
import { SimState } from './sim-state.js';

/** Options of {@link createSimulator}. */
export interface SimulatorOptions {
  /** A built-in scenario name (`'demo'`, `'empty'`) or a scenario object. @default 'demo' */
  scenario?: string | Scenario;
  /** The API key every request must send in `X-Api-Key`. @default 'sim-api-key' */
  apiKey?: string;
  /** The clock scans run on. @default createRealClock() */
  clock?: SimClock;
  /** Multiplies every scenario duration (0.01 makes a 20-minute scan take 12 s). @default 1 */
  timeScale?: number;
  /** Called with each warning the simulator gives (a name matched only ignoring case). @default ignore */
  onWarning?: (message: string) => void;
}

/** A scan as tests see it: the API's scan JSON without links. */
export interface SimScan {
  id: string;
  app: { id: string };
  scan_config: { id: string };
  submitter: { type: string; id: string };
  submit_time: string;
  completion_time: string | null;
  status: string;
  failure_reason: string | null;
  scan_type: string;
}

/** An app as tests see it. */
export interface SimApp {
  id: string;
  name: string;
  description: string | null;
}

/** A scan config as tests see it. */
export interface SimScanConfig {
  id: string;
  name: string;
  description: string | null;
  app: { id: string };
  attack_template: { id: string };
  errors: string[];
}

/** A vulnerability as tests see it: the API's JSON without links, plus the ids of the scans that found it. */
export interface SimVulnerability {
  id: string;
  app: { id: string };
  severity: string;
  status: string;
  root_cause: { url: string; method: string; parameter?: string };
  first_discovered: string;
  last_discovered: string;
  newly_discovered: boolean;
  vulnerability_score: number | null;
  variances: { module: { id: string }; attack: { id: string } }[];
  scans: { id: string }[];
  [field: string]: unknown;
}

/** A running listener. */
export interface SimulatorListener {
  /** `http://HOST:PORT/ias/v1`. */
  baseUrl: string;
  close(): Promise<void>;
}

/** A running simulator. */
export interface Simulator {
  readonly apiKey: string;
  readonly clock: SimClock;
  /** In-process: a drop-in for globalThis.fetch. Any origin works, e.g. 'http://ias.sim:8080/ias/v1/apps'. */
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  /** Real listener on 127.0.0.1 (random port by default). baseUrl is 'http://127.0.0.1:PORT/ias/v1'. */
  listen(options?: ListenOptions): Promise<SimulatorListener>;
  /** Request counts by route name (see {@link routeOf}). */
  readonly counters: RequestCounters;
  /** Fault injection rules. */
  readonly faults: { add(rule: FaultRule): void; clear(): void };
  /** Read-only views for tests, read at the clock's current time. */
  readonly state: {
    /** Every scan created, any order. */
    scans(): SimScan[];
    apps(): SimApp[];
    scanConfigs(): SimScanConfig[];
    /** Vulnerabilities discovered so far (by completed scans). */
    vulnerabilities(): SimVulnerability[];
    /** The current options document of a scan configuration, and every one written (raw PUT bodies, in order). */
    options(configId: string): unknown;
    optionWrites(): { configId: string; body: string }[];
  };
  /** Closes every listener this simulator opened. */
  close(): Promise<void>;
}

const CONTENT_TYPE = 'application/json;charset=UTF-8';

/**
 * Creates a simulator of the InsightAppSec API v1 over a scenario. Nothing runs in the background:
 * scan statuses are computed from the clock whenever they are read.
 * @throws Error when the scenario is unknown or inconsistent.
 */
export function createSimulator(options: SimulatorOptions = {}): Simulator {
  const scenario = typeof options.scenario === 'object' ? options.scenario : loadScenario(options.scenario ?? 'demo');
  if (typeof options.scenario === 'object') assertScenario(scenario);
  const timeScale = options.timeScale ?? 1;
  if (!(timeScale > 0) || !Number.isFinite(timeScale)) throw new RangeError(`timeScale must be a positive number, got ${timeScale}`);
  const apiKey = options.apiKey ?? 'sim-api-key';
  const clock = options.clock ?? createRealClock();
  const state = new SimState(scenario, timeScale);
  const index = new SearchIndex(state, options.onWarning);
  const counters = createRequestCounters();
  const injector = new FaultInjector();
  const listeners = new Set<RunningListener>();

  const dispatch: SimDispatch = async (req, signal) => {
    const route = routeOf(req.method, req.url.pathname);
    counters.increment(route);
    const faults = injector.select(route);
    if (faults.delayMs > 0) await sleep(faults.delayMs, undefined, signal ? { signal } : {});
    if (faults.reset) return { kind: 'reset' };
    let response: SimResponse;
    if (faults.status) {
      const { status, retryAfter } = faults.status;
      response = errorResponse(status, reasonOf(status));
      if (retryAfter !== undefined) response.headers['retry-after'] = String(retryAfter);
    } else {
      const now = clock.now();
      state.settle(now);
      response = handleApiRequest(req, { state, index, now, apiKey, neverStart: faults.neverStart });
      if (faults.resetAfterCommit) return { kind: 'reset' };
      if (faults.invalidJson) response = { status: 200, headers: {}, body: '<html><body><h1>502 Bad Gateway</h1></body></html>' };
      else if (faults.truncatedJson) response = { ...response, body: response.body.slice(0, Math.floor(response.body.length / 2)) };
    }
    response.headers['r7-correlation-id'] = newCorrelationId();
    if (response.body !== '') response.headers['content-type'] = CONTENT_TYPE;
    return { kind: 'response', response };
  };

  const settled = (): number => {
    const now = clock.now();
    state.settle(now);
    return now;
  };

  return {
    apiKey,
    clock,
    counters: { total: counters.total, get: counters.get, snapshot: counters.snapshot, reset: counters.reset },
    faults: { add: (rule) => injector.add(rule), clear: () => injector.clear() },
    fetch: createInProcessFetch(dispatch),
    async listen(listenOptions = {}) {
      const listener = await startListener(dispatch, listenOptions);
      listeners.add(listener);
      return {
        baseUrl: listener.baseUrl,
        close: async () => {
          listeners.delete(listener);
          await listener.close();
        },
      };
    },
    state: {
      scans: () => {
        const now = settled();
        return [...state.scans.values()].map((scan) => withoutLinks(scanJson(scanView(scan, now), '')) as unknown as SimScan);
      },
      apps: () => state.apps.map((a) => withoutLinks(appJson(a, '')) as unknown as SimApp),
      scanConfigs: () => {
        return state.configs.map((c) => {
          const { assignment: _a, incremental: _i, ...rest } = withoutLinks(scanConfigJson(c, ''));
          return rest as unknown as SimScanConfig;
        });
      },
      vulnerabilities: () => {
        settled();
        return [...state.vulnerabilities.values()].map(
          (v) => ({ ...withoutLinks(vulnerabilityJson(v, '')), scans: v.scanIds.map((id) => ({ id })) }) as unknown as SimVulnerability,
        );
      },
      options: (configId) => structuredClone(state.options.get(configId)),
      optionWrites: () => state.optionWrites.map((w) => ({ ...w })),
    },
    async close() {
      const open = [...listeners];
      listeners.clear();
      await Promise.all(open.map((l) => l.close()));
    },
  };
}

function withoutLinks(json: Record<string, unknown>): Record<string, unknown> {
  const { links: _links, ...rest } = json;
  return rest;
}

export { connectionResetError, explicitOrigin } from './in-process-fetch.js';
export type { SimOutcome } from './in-process-fetch.js';
