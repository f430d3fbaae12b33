/**
 * The gate, behind one entry: {@link createGate} returns `observe(finding)` for the streaming pass and `finish()`
 * for the verdict. The live run and the offline `ias gate` both use it; exemptions (baseline, suppressions,
 * new-only), the local evaluation and, for a live run, the server's scoped search all live behind it.
 */
import type { ApiClient } from '../api/client';
import type { Vulnerability } from '../api/schemas';
import type { Severity } from '../config/schema';
import type { Logger } from '../effects';
import { ApiError } from '../errors';
import type { Baseline, BaselineSummary } from './baseline';
import { completeServerGate, createGateTally, needsFullServerGate, searchServerGate, type GateExemption, type GateTally, type GateVerdict, type ServerGateResult } from './evaluate-gate';
import { findingFingerprint } from './fingerprint';
import { planGate, planOfflineGate, type GatePlan } from './gate-query';
import type { SuppressionEntry, Suppressions } from './suppressions';

/** What the gate fails on and what exempts a finding from it. */
export interface GateConfig {
  query?: string | undefined;
  failOn?: Severity | undefined;
  /** Statuses the severity threshold ignores. */
  ignoredStatuses?: readonly string[] | undefined;
  baseline?: Baseline | undefined;
  suppressions?: Suppressions | undefined;
  /** With a baseline: matches the baseline already knows do not gate. */
  newOnly?: boolean | undefined;
}

/**
 * Where the gate runs. Live: over the findings of one scan, cross-checked by the server's scoped search when a
 * client is given (a failed search is kept, logged, and returned by `finish`, so the reports are still written).
 * Offline: over stored findings, `vulnerability.scans.id` conditions matching only `scanIds`.
 */
export type GateScope =
  | { kind: 'live'; scanId: string; logger: Logger; client?: ApiClient | undefined; interrupted?: () => boolean }
  | { kind: 'offline'; scanIds: readonly string[]; maxListed?: number };

/** One finding as the gate sees it; the module name lets suppressions that name a module by name match. */
export interface GateFinding {
  vulnerability: Vulnerability;
  moduleName?: string | undefined;
}

/** What the exemptions saw, known once every finding was observed. */
export interface GateExemptions {
  baseline: BaselineSummary | undefined;
  /** Every suppressed finding (not only gate matches): the count, and the first 1,000 listed. */
  suppressed: { count: number; findings: { id: string; severity: string; reason: string; entry: number }[] } | undefined;
  /** Suppression entries that matched no finding. */
  unusedSuppressions: SuppressionEntry[];
}

/** The end of the gate: the verdict (none without a gate) and the server search failure it kept, if any. */
export interface GateResult {
  verdict: GateVerdict | undefined;
  serverFailure: ApiError | undefined;
}

/** The gate of one run. */
export interface Gate {
  /** The plan, or `undefined` when nothing gates (exemptions are still counted). */
  readonly plan: GatePlan | undefined;
  /** Live: reads the first page of the server's scoped search (a kept failure is logged). Offline: nothing. */
  start(): Promise<void>;
  /** Takes one finding; true when it gates (matched, and not exempt). */
  observe(finding: GateFinding): boolean;
  exemptions(): GateExemptions;
  /** The verdict from what was observed, without reading more of the server's search: offline, the verdict. */
  verdict(): GateVerdict | undefined;
  /** Live: reads the rest of the server's search when its first page disagrees, then gives the verdict. */
  finish(): Promise<GateResult>;
}

/**
 * Opens the gate. A live gate's `start()` reads the first page of the scan-scoped search; call it before the first
 * finding is observed (offline it does nothing).
 * @throws QueryError (QUERY_INVALID) when the query does not parse.
 */
export function createGate(config: GateConfig, scope: GateScope): Gate {
  const spec = { query: config.query, failOn: config.failOn, ignoredStatuses: config.ignoredStatuses };
  const plan = scope.kind === 'live' ? planGate(spec, scope.scanId) : planOfflineGate(spec, scope.scanIds);
  const server = scope.kind === 'live' ? createServerSide(scope) : undefined;
  if (plan?.localOnlyReason !== undefined && scope.kind === 'live') scope.logger.info(`The gate runs locally only: ${plan.localOnlyReason}`);
  const maxListed = scope.kind === 'offline' ? (scope.maxListed ?? Number.POSITIVE_INFINITY) : undefined;
  let first: ServerGateResult | undefined;
  let tally: GateTally | undefined;
  const tallyOf = (p: GatePlan): GateTally => (tally ??= createGateTally(p, first, maxListed));
  const exempt = createExemptionCheck(config);
  return {
    plan,
    async start() {
      if (plan !== undefined && tally === undefined) first = await server?.first(plan);
    },
    observe({ vulnerability, moduleName }) {
      const exemption = exempt.check(vulnerability, moduleName);
      return plan === undefined ? false : tallyOf(plan).add(vulnerability, moduleName ?? 'Unknown', exemption);
    },
    exemptions: () => exempt.summary(),
    verdict: () => (plan === undefined ? undefined : tallyOf(plan).finish(first)),
    async finish() {
      if (plan === undefined) return { verdict: undefined, serverFailure: server?.failure() };
      let answer = first;
      if (server !== undefined && answer !== undefined && needsFullServerGate(answer, tallyOf(plan))) answer = (await server.complete(plan, answer)) ?? answer;
      return { verdict: tallyOf(plan).finish(answer), serverFailure: server?.failure() };
    },
  };
}

/**
 * Exemptions, in one place: a suppression exempts a finding; under new-only gating, so does the baseline knowing
 * it. Every finding is offered to both, so the baseline counts every finding and `unused()` means "matched none".
 */
function createExemptionCheck(config: GateConfig): { check(v: Vulnerability, moduleName: string | undefined): GateExemption | undefined; summary(): GateExemptions } {
  const { baseline, suppressions } = config;
  const suppressed: NonNullable<GateExemptions['suppressed']>['findings'] = [];
  let suppressedCount = 0;
  return {
    check(vulnerability, moduleName) {
      const fingerprint = baseline !== undefined || suppressions !== undefined ? findingFingerprint(vulnerability) : undefined;
      const known = baseline?.classify(vulnerability, fingerprint) === 'known';
      const suppression = suppressions?.match(vulnerability, moduleName === undefined ? { fingerprint } : { fingerprint, moduleName });
      if (suppression !== undefined) {
        suppressedCount += 1;
        if (suppressed.length < 1000) suppressed.push({ id: vulnerability.id, severity: vulnerability.severity, reason: suppression.reason, entry: suppression.entry });
        return { kind: 'suppressed', reason: suppression.reason, entry: suppression.entry };
      }
      return config.newOnly === true && known ? { kind: 'known' } : undefined;
    },
    summary: () => ({
      baseline: baseline?.summary(),
      suppressed: suppressions === undefined ? undefined : { count: suppressedCount, findings: suppressed },
      unusedSuppressions: suppressions?.unused() ?? [],
    }),
  };
}

/**
 * The server side of a live gate. Its search never costs the reports: when it fails (a 400 for a query our
 * validator accepts, or an API failure retries did not cure), the failure is kept and logged, the gate runs
 * locally, and the run fails once the reports are written. An interrupt is not such a failure: it propagates.
 */
function createServerSide(scope: Extract<GateScope, { kind: 'live' }>): {
  first(plan: GatePlan): Promise<ServerGateResult | undefined>;
  complete(plan: GatePlan, first: ServerGateResult): Promise<ServerGateResult | undefined>;
  failure(): ApiError | undefined;
} {
  const { client, logger } = scope;
  let failure: ApiError | undefined;
  const keep = (caught: unknown): undefined => {
    if (!(caught instanceof ApiError) || caught.code === 'ABORTED' || scope.interrupted?.() === true) throw caught;
    failure ??= caught;
    logger.warn(
      caught.status === 400
        ? `The server refused the gate query (${caught.message}); the gate runs locally, and the step fails once the reports are written`
        : `The server gate search failed (${caught.message}); the gate runs locally, and the step fails once the reports are written`,
    );
    return undefined;
  };
  return {
    first: async (plan) => (client === undefined ? undefined : searchServerGate(client, plan).catch(keep)),
    async complete(plan, first) {
      if (client === undefined) return undefined;
      logger.debug('The first page of the server gate search does not match the local evaluation; reading every page to compare');
      return completeServerGate(client, plan, first).catch(keep);
    },
    failure: () => failure,
  };
}
