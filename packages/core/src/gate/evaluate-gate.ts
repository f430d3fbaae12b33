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
  matchedIds: ReadonlySet<string>;
  /** Details of matches, for those the local pass does not see. */
  matches: ReadonlyMap<string, GateMatch>;
}

/**
 * Runs the scoped gate search, page by page. Fails closed: any error propagates and fails the step; it never
 * reads as "no findings".
 * @throws ApiError when the search fails (a query the server rejects answers 400, reported with its message).
 */
export async function searchServerGate(client: ApiClient, plan: GatePlan): Promise<ServerGateResult | undefined> {
  if (plan.serverQuery === undefined) return undefined;
  const matchedIds = new Set<string>();
  const matches = new Map<string, GateMatch>();
  for await (const page of search(client, 'VULNERABILITY', plan.serverQuery)) {
    for (const v of page.items) {
      matchedIds.add(v.id);
      if (matches.size < 1000) matches.set(v.id, toGateMatch(v));
    }
  }
  return { query: plan.serverQuery, matchedIds, matches };
}

/** Tracks the gate through the streaming pass: local verdicts per finding, then the comparison with the server. */
export interface GateTally {
  /**
   * Evaluates one finding locally; true when it gates (matched locally or per the server, and not exempt).
   * @param exemption why the finding may not gate: a suppression, or known to the baseline under new-only gating.
   */
  add(vulnerability: Vulnerability, moduleName: string, exemption?: GateExemption): boolean;
  /** The verdict once every finding has been seen. */
  finish(): GateVerdict;
}

/** Why a matching finding does not gate. */
export type GateExemption = { kind: 'suppressed'; reason: string } | { kind: 'known' };

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
  /** The first matches, with module names. */
  matches: (GateMatch & { module: string })[];
}

/** Creates the tally for a plan and the server's answer (if any). */
export function createGateTally(plan: GatePlan, server: ServerGateResult | undefined, maxListed = 1000): GateTally {
  const local = new Set<string>();
  const seen = new Set<string>();
  const exempt = new Set<string>();
  const exempted = { suppressed: 0, known: 0 };
  const matches: (GateMatch & { module: string })[] = [];
  return {
    add(vulnerability, moduleName, exemption) {
      seen.add(vulnerability.id);
      const here = plan.test(vulnerability);
      if (here) local.add(vulnerability.id);
      const matched = here || server?.matchedIds.has(vulnerability.id) === true;
      if (matched && exemption !== undefined) {
        exempt.add(vulnerability.id);
        exempted[exemption.kind] += 1;
        return false;
      }
      if (matched && matches.length < maxListed) matches.push({ ...toGateMatch(vulnerability), module: moduleName });
      return matched;
    },
    finish() {
      const disagreements: GateVerdict['disagreements'] = [];
      const all = new Set(local);
      if (server !== undefined) {
        for (const id of local) if (!server.matchedIds.has(id)) disagreements.push({ id, matchedBy: 'local' });
        for (const id of server.matchedIds) {
          all.add(id);
          if (!local.has(id)) {
            disagreements.push({ id, matchedBy: 'server' });
            const match = server.matches.get(id);
            if (!seen.has(id) && match !== undefined && matches.length < maxListed) matches.push({ ...match, module: match.moduleId ?? 'Unknown' });
          }
        }
      }
      // A finding the server matched but the collection never saw cannot be checked for exemptions: it gates.
      for (const id of exempt) all.delete(id);
      return {
        passed: all.size === 0,
        matched: all.size,
        condition: plan.condition,
        serverQuery: server?.query ?? null,
        localMatched: local.size,
        serverMatched: server === undefined ? null : server.matchedIds.size,
        disagreements,
        exempted,
        matches,
      };
    },
  };
}
