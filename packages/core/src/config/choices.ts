import { SEVERITIES } from '../query/fields';

// The closed sets of values some options take. Plain constants, apart from the zod schema: the option catalogue
// (and a CLI's `--help`, built from it at start-up) reads them without evaluating zod.

/** The report formats the product writes. `metrics`, `findings` and `result` are the always-on JSON files. */
export const REPORT_FORMATS = ['metrics', 'findings', 'sarif', 'junit', 'markdown', 'html', 'gitlab', 'result'] as const;
/** One report format. */
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** When the step advances: once the scan is submitted, once it has started, or once it is complete. */
export const ADVANCE_MODES = ['submitted', 'started', 'completed'] as const;
/** One advance mode. */
export type AdvanceOn = (typeof ADVANCE_MODES)[number];

/** What happens to the scan when a budget runs out (the step fails in every case). */
export const TIMEOUT_ACTIONS = ['cancel', 'stop', 'fail'] as const;
/** One timeout action. */
export type OnTimeout = (typeof TIMEOUT_ACTIONS)[number];

/** Severities, highest first. Unknown severities from the API rank below SAFE. */
export const SEVERITY_ORDER = SEVERITIES;
