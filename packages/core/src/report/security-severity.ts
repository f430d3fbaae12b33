/*
 * Severity vocabulary shared by the report builders: the ranking of IAS severities, the SARIF level of each,
 * and the GitHub `security-severity` score. IAS severities are open strings (the API grows), so every function
 * here accepts any string and gives unknown severities a defined place.
 */

import { SEVERITIES } from '../query/fields';

/** The IAS severities we know, highest first (the query catalogue's list). `CRITICAL` is newer than the published spec. */
export const KNOWN_SEVERITIES = SEVERITIES;

/** One of {@link KNOWN_SEVERITIES}. */
export type KnownSeverity = (typeof KNOWN_SEVERITIES)[number];

/**
 * Display rank of each severity, 0 = most severe, for ordering and capping reports. It differs on purpose from the
 * query language's `severityRank`, which puts unknown severities below SAFE so they never trip a threshold: here an
 * unknown severity ranks between MEDIUM and LOW, matching its SARIF
 * level (`warning`): it is neither dropped first nor allowed to push out a known high finding.
 */
export const SEVERITY_RANK = {
  CRITICAL: 0,
  HIGH: 1,
  MEDIUM: 2,
  UNKNOWN: 3,
  LOW: 4,
  INFORMATIONAL: 5,
  SAFE: 6,
} as const;

/** The number of distinct ranks {@link severityRank} returns (0 to `SEVERITY_RANK_COUNT - 1`). */
export const SEVERITY_RANK_COUNT = 7;

/** Normalises a severity as the API may spell it (`high`, ` High `) to upper case; empty becomes `UNKNOWN`. */
export function normalizeSeverity(severity: string | null | undefined): string {
  const value = (severity ?? '').trim().toUpperCase();
  return value === '' ? 'UNKNOWN' : value;
}

/** Whether `severity` (normalised) is one of {@link KNOWN_SEVERITIES}. */
export function isKnownSeverity(severity: string): severity is KnownSeverity {
  return (KNOWN_SEVERITIES as readonly string[]).includes(severity);
}

/** The rank of a severity (0 = most severe); unknown severities rank as {@link SEVERITY_RANK}.UNKNOWN. */
export function severityRank(severity: string | null | undefined): number {
  const value = normalizeSeverity(severity);
  return isKnownSeverity(value) ? SEVERITY_RANK[value] : SEVERITY_RANK.UNKNOWN;
}

/** SARIF result levels used by the builders. */
export type SarifLevel = 'error' | 'warning' | 'note';

/** The SARIF level of a severity: CRITICAL/HIGH → error, MEDIUM → warning, LOW/INFORMATIONAL/SAFE → note, unknown → warning. */
export function sarifLevel(severity: string | null | undefined): SarifLevel {
  switch (normalizeSeverity(severity)) {
    case 'CRITICAL':
    case 'HIGH':
      return 'error';
    case 'MEDIUM':
      return 'warning';
    case 'LOW':
    case 'INFORMATIONAL':
    case 'SAFE':
      return 'note';
    default:
      return 'warning';
  }
}

/**
 * GitHub's `security-severity` bands (hosts.md §2.5), with the representative score we use when the finding's own
 * `vulnerability_score` does not fall in the band of its IAS severity.
 */
export const SECURITY_SEVERITY_BANDS = {
  CRITICAL: { min: 9.0, max: 10.0, representative: 9.5 },
  HIGH: { min: 7.0, max: 8.9, representative: 8.0 },
  MEDIUM: { min: 4.0, max: 6.9, representative: 5.5 },
  LOW: { min: 0.1, max: 3.9, representative: 2.0 },
} as const;

/**
 * The `security-severity` score (a string with one decimal) for a severity, or `undefined` for INFORMATIONAL,
 * SAFE and unknown severities without a usable score (GitHub then shows the SARIF level only).
 *
 * The IAS severity decides the band, so GitHub's severity always agrees with IAS; within the band the
 * finding's `vulnerability_score` is used when it fits, else the band's representative value. An unknown
 * severity takes its `vulnerability_score` as is (0.1 to 10.0), being the only evidence available.
 */
export function securitySeverity(severity: string | null | undefined, score?: number | null): string | undefined {
  const value = normalizeSeverity(severity);
  const rounded = typeof score === 'number' && Number.isFinite(score) ? Math.round(score * 10) / 10 : undefined;
  if (value === 'CRITICAL' || value === 'HIGH' || value === 'MEDIUM' || value === 'LOW') {
    const band = SECURITY_SEVERITY_BANDS[value];
    const chosen = rounded !== undefined && rounded >= band.min && rounded <= band.max ? rounded : band.representative;
    return chosen.toFixed(1);
  }
  if (!isKnownSeverity(value) && rounded !== undefined && rounded >= 0.1 && rounded <= 10) return rounded.toFixed(1);
  return undefined;
}
