import type { ApiClient } from '../api/client';
import { search } from '../api/resources';
import type { Vulnerability } from '../api/schemas';
import type { GatePlan } from './gate-query';

/** One finding that matched the gate, as reports and logs show it. */
export interface GateMatch {
  id: string;
  severity: string;
  status: string | undefined;
  url: string | undefined;
  method: string | undefined;
  parameter: string | undefined;
  moduleId: string | undefined;
}

/** Summarises a vulnerability for gate listings. */
export function toGateMatch(v: Vulnerability): GateMatch {
  return {
    id: v.id,
    severity: v.severity,
    status: v.status ?? undefined,
    url: v.root_cause?.url ?? undefined,
    method: v.root_cause?.method ?? undefined,
    parameter: v.root_cause?.parameter ?? undefined,
    moduleId: v.variances?.[0]?.module?.id ?? undefined,
  };
}

/** The server's answer to the scoped gate search. */
export interface ServerGateResult {
  query: string;
  /** How many findings the server says match (`total_data`). */
  total: number;
  /** The ids read so far: the first page, or every page once {@link completeServerGate} ran. */
  matchedIds: ReadonlySet<string>;
  /** Details of matches, for those the local pass does not see. */
  matches: ReadonlyMap<string, GateMatch>;
  /** True when every page was read. */
  complete: boolean;
}

async function readServerGate(client: ApiClient, plan: GatePlan, query: string, allPages: boolean): Promise<ServerGateResult> {
  const matchedIds = new Set<string>();
  const matches = new Map<string, GateMatch>();
  let total = 0;
  let complete = true;
  for await (const page of search(client, 'VULNERABILITY', query)) {
    total = page.totalData ?? total;
    for (const v of page.items) {
      matchedIds.add(v.id);
      if (matches.size < 1000) matches.set(v.id, toGateMatch(v));
    }
    if (!allPages) {
      complete = matchedIds.size >= total;
      break;
    }
  }
  return { query, total: Math.max(total, matchedIds.size), matchedIds, matches, complete };
}

/**
 * Runs the scoped gate search and reads its first page: the server's count and a sample of its matches, enough to
 * cross-check the local evaluation at the cost of one request. {@link needsFullServerGate} says when the rest must
 * be read too. Fails closed: any error propagates and fails the step; it never reads as "no findings".
 * @throws ApiError when the search fails (a query the server rejects answers 400, reported with its message).
 */
export async function searchServerGate(client: ApiClient, plan: GatePlan): Promise<ServerGateResult | undefined> {
  if (plan.serverQuery === undefined) return undefined;
  return readServerGate(client, plan, plan.serverQuery, false);
}

/** True when the first page does not settle the comparison: the counts differ, or a sampled match is not local. */
export function needsFullServerGate(server: ServerGateResult, tally: GateTally): boolean {
  if (server.complete) return false;
  if (server.total !== tally.localMatched()) return true;
  for (const id of server.matchedIds) if (!tally.matchedLocally(id)) return true;
  return false;
}

/** Reads every page of the scoped gate search, for an exact comparison with the local evaluation. */
export async function completeServerGate(client: ApiClient, plan: GatePlan, server: ServerGateResult): Promise<ServerGateResult> {
  return readServerGate(client, plan, server.query, true);
}

/** Tracks the gate through the streaming pass: local verdicts per finding, then the comparison with the server. */
export interface GateTally {
  /**
   * Evaluates one finding locally; true when it gates (matched locally or per the server, and not exempt).
   * @param exemption why the finding may not gate: a suppression, or known to the baseline under new-only gating.
   */
  add(vulnerability: Vulnerability, moduleName: string, exemption?: GateExemption): boolean;
  /** How many findings matched locally so far. */
  localMatched(): number;
  /** True when the finding with this id matched locally. */
  matchedLocally(id: string): boolean;
  /**
   * The verdict once every finding has been seen, compared with the server's answer (complete, or its first page
   * when that page agreed with the local count and matches).
   */
  finish(server?: ServerGateResult): GateVerdict;
}

/** Why a matching finding does not gate. */
export type GateExemption = { kind: 'suppressed'; reason: string; entry: number } | { kind: 'known' };

/** A matching finding that did not gate, and why. */
export interface ExemptMatch {
  match: GateMatch;
  exemption: GateExemption;
}

/** The gate's verdict. A failed gate is a value, not an exception. */
export interface GateVerdict {
  passed: boolean;
  /** Findings matched locally or by the server (fail closed on any disagreement). */
  matched: number;
  condition: string;
  /** The scoped search sent to the server, or `null` when the gate ran locally only. */
  serverQuery: string | null;
  localMatched: number;
  serverMatched: number | null;
  /** Findings one side matched and the other did not. */
  disagreements: { id: string; matchedBy: 'local' | 'server' }[];
  /** Matching findings that did not gate: suppressed, or known to the baseline under new-only gating. */
  exempted: { suppressed: number; known: number };
  /** Gating findings by severity: every one, not only the listed matches. */
  bySeverity: Record<string, number>;
  /** The first matches, with module names. */
  matches: (GateMatch & { module: string })[];
  /** The first matching findings that did not gate (suppressed, or known under new-only gating), in order seen. */
  exemptMatches: ExemptMatch[];
}

/**
 * Adds the server's matches to `all` and lists the findings one side matched and the other did not; a server match
 * the collection never saw is appended to `matches` (up to `maxListed`).
 */
function mergeServerMatches(
  server: ServerGateResult,
  tally: { local: Set<string>; seen: Set<string>; all: Set<string>; matches: (GateMatch & { module: string })[]; maxListed: number },
): GateVerdict['disagreements'] {
  const { local, seen, all, matches, maxListed } = tally;
  const disagreements: GateVerdict['disagreements'] = [];
  // With only the first page read, the counts agreed and every sampled match was local (needsFullServerGate).
  if (server.complete) for (const id of local) if (!server.matchedIds.has(id)) disagreements.push({ id, matchedBy: 'local' });
  for (const id of server.matchedIds) {
    all.add(id);
    if (!local.has(id)) {
      disagreements.push({ id, matchedBy: 'server' });
      const match = server.matches.get(id);
      if (!seen.has(id) && match !== undefined && matches.length < maxListed) matches.push({ ...match, module: match.moduleId ?? 'Unknown' });
    }
  }
  return disagreements;
}

/** Gating findings by severity, from the collection or else from the server's answer. */
function countBySeverity(gating: Set<string>, severityOf: Map<string, string>, server: ServerGateResult | undefined): Record<string, number> {
  const bySeverity: Record<string, number> = {};
  for (const id of gating) {
    const severity = severityOf.get(id) ?? server?.matches.get(id)?.severity ?? 'UNKNOWN';
    bySeverity[severity] = (bySeverity[severity] ?? 0) + 1;
  }
  return bySeverity;
}

/** Creates the tally for a plan and the server's answer (if any). */
export function createGateTally(plan: GatePlan, firstAnswer: ServerGateResult | undefined, maxListed = 1000): GateTally {
  const local = new Set<string>();
  const seen = new Set<string>();
  const exempt = new Set<string>();
  const exempted = { suppressed: 0, known: 0 };
  const matches: (GateMatch & { module: string })[] = [];
  const exemptMatches: ExemptMatch[] = [];
  const severityOf = new Map<string, string>();
  return {
    add(vulnerability, moduleName, exemption) {
      seen.add(vulnerability.id);
      const here = plan.test(vulnerability);
      if (here) local.add(vulnerability.id);
      const matched = here || firstAnswer?.matchedIds.has(vulnerability.id) === true;
      if (matched && exemption !== undefined) {
        exempt.add(vulnerability.id);
        exempted[exemption.kind] += 1;
        if (exemptMatches.length < maxListed) exemptMatches.push({ match: toGateMatch(vulnerability), exemption });
        return false;
      }
      if (matched) severityOf.set(vulnerability.id, vulnerability.severity);
      if (matched && matches.length < maxListed) matches.push({ ...toGateMatch(vulnerability), module: moduleName });
      return matched;
    },
    localMatched: () => local.size,
    matchedLocally: (id) => local.has(id),
    finish(server = firstAnswer) {
      const all = new Set(local);
      const disagreements = server === undefined ? [] : mergeServerMatches(server, { local, seen, all, matches, maxListed });
      // A finding the server matched but the collection never saw cannot be checked for exemptions: it gates.
      for (const id of exempt) all.delete(id);
      const bySeverity = countBySeverity(all, severityOf, server);
      return {
        passed: all.size === 0,
        matched: all.size,
        condition: plan.condition,
        serverQuery: server?.query ?? null,
        localMatched: local.size,
        serverMatched: server === undefined ? null : server.total,
        disagreements,
        exempted,
        bySeverity,
        matches,
        exemptMatches,
      };
    },
  };
}
