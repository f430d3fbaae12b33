// Rows of RESULTS.md. Each test file writes its rows as a JSON fragment into the directory the global setup
// provides; the global teardown assembles RESULTS.md from the fragments (global-setup.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** One fault scenario. Every field is deterministic (no times, no ids), so RESULTS.md only changes when behaviour does. */
export interface FaultRow {
  scenario: string;
  faults: string;
  expected: string;
  observed: string;
  /** Scans the simulator holds after the run. */
  scans: number;
  /** Findings the run reported (null: not collected, as expected for the scenario). */
  findingsReported: number | null;
  /** Findings the scenario's scan configuration holds. */
  findingsInScenario: number;
  /** expected = observed, decided by the test's assertions. */
  pass: boolean;
}

/** One bad input. */
export interface BadInputRow {
  /** The front end: `CLI` or an adapter's name. */
  host: string;
  input: string;
  value: string;
  exitCode: number | null;
  /** The host's failure state as observed (`exit 2`, `task.complete result=Failed`). */
  state: string;
  named: boolean;
  launches: number;
  pass: boolean;
}

/** The secret search over everything the suite captured. */
export interface SecretRow {
  source: string;
  texts: number;
  hits: number;
}

/** What one test file contributes. */
export interface ResultsFragment {
  faults?: FaultRow[];
  badInputs?: BadInputRow[];
  secrets?: SecretRow[];
  fuzz?: { property: string; runs: number; pass: boolean }[];
}

/** Writes a test file's fragment. */
export function writeFragment(dir: string, name: string, fragment: ResultsFragment): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${name}.json`), `${JSON.stringify(fragment, null, 2)}\n`);
}
