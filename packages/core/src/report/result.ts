/** The name of the result file: the run's {@link Outcome} as JSON (the CLI's `--json` prints the same). */
export const RESULT_FILE = 'insightappsec-scan-result.json';
