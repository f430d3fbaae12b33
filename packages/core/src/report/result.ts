import type { Outcome } from '../scan/outcome';
import type { ReportSink } from './sink';

/** The name of the result file: the run's {@link Outcome} as JSON (the CLI's `--json` prints the same). */
export const RESULT_FILE = 'insightappsec-scan-result.json';

/**
 * Writes the result file: `outcome` as pretty-printed JSON, listing the result file itself among its reports (the
 * entry is added to `outcome.reports` before it is written). Resolves to the path the sink gave it.
 */
export async function writeResultFile(outcome: Outcome, sink: ReportSink): Promise<string> {
  const writer = await sink.create(RESULT_FILE);
  outcome.reports.push({ format: 'result', path: writer.path });
  await writer.write(`${JSON.stringify(outcome, null, 2)}\n`);
  await writer.close();
  return writer.path;
}
