/**
 * New-only gating: a baseline is the findings report of an earlier run; each finding of this run is
 * `known` when the baseline holds the same vulnerability id or the same fingerprint, `new` otherwise.
 */
import type { Vulnerability } from '../api/schemas';
import { findingFingerprint } from './fingerprint';
import { parseFindingsReport } from './findings-report';

/** Whether a finding was already in the baseline. */
export type BaselineClass = 'new' | 'known';

/** The counts a run reports for its baseline. */
export interface BaselineSummary {
  /** Findings of this run absent from the baseline. */
  new: number;
  /** Findings of this run present in the baseline (by id or fingerprint). */
  known: number;
  /** Distinct baseline fingerprints no finding of this run had: problems that went away. */
  fixed: number;
}

/** A parsed baseline; it also counts the findings it classifies, for {@link Baseline.summary}. */
export interface Baseline {
  /** The file the baseline was read from, as given. */
  readonly source: string;
  /** How many findings the baseline file holds. */
  readonly size: number;
  /**
   * Classifies one finding of this run and counts it (a finding classified twice, by id, counts once).
   * @param fingerprint the finding's {@link findingFingerprint}, when the caller already computed it.
   */
  classify(vulnerability: Vulnerability, fingerprint?: string): BaselineClass;
  /** The counts over every finding classified so far. */
  summary(): BaselineSummary;
}

/**
 * Reads a baseline: the findings report (`insightappsec-scan-findings.json`, a JSON array of vulnerabilities
 * as the API returns them) of an earlier run. Findings are compared by vulnerability id and by
 * {@link findingFingerprint}, so a problem the server re-files under a new id still counts as known.
 * @param source the file's name as the user gave it, for messages.
 * @throws {ConfigError} code `CONFIG_INVALID` naming the file and the line and column (malformed JSON) or the
 * entry (not a vulnerability), and the fix.
 */
export function parseBaseline(text: string, source: string): Baseline {
  const findings = parseFindingsReport(text, source, 'baseline');
  const fingerprintById = new Map<string, string>();
  const fingerprints = new Set<string>();
  for (const finding of findings) {
    const fingerprint = findingFingerprint(finding);
    fingerprintById.set(finding.id.toLowerCase(), fingerprint);
    fingerprints.add(fingerprint);
  }
  const seenFingerprints = new Set<string>();
  const classified = new Map<string, BaselineClass>();
  return {
    source,
    size: findings.length,
    classify(vulnerability, fingerprint) {
      const id = vulnerability.id.toLowerCase();
      const own = fingerprint ?? findingFingerprint(vulnerability);
      const byId = fingerprintById.get(id);
      const known = byId !== undefined || fingerprints.has(own);
      if (known) {
        seenFingerprints.add(own);
        if (byId !== undefined) seenFingerprints.add(byId);
      }
      const result: BaselineClass = known ? 'known' : 'new';
      classified.set(id, result);
      return result;
    },
    summary() {
      let fresh = 0;
      let known = 0;
      for (const result of classified.values()) {
        if (result === 'new') fresh += 1;
        else known += 1;
      }
      let fixed = 0;
      for (const fingerprint of fingerprints) if (!seenFingerprints.has(fingerprint)) fixed += 1;
      return { new: fresh, known, fixed };
    },
  };
}
