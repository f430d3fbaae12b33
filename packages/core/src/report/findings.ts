import type { CollectionContext, StreamingReport } from './finding-record';
import type { ReportSink, ReportWriter } from './sink';
import { createBufferedWriter } from './sink';

/** The name of the raw findings report. */
export const FINDINGS_FILE = 'insightappsec-scan-findings.json';

/**
 * Opens the raw findings report on a sink: a JSON array of the vulnerabilities as the API returned them (their text as
 * received when nothing in it was redacted, else compact JSON).
 * Each finding is written as it arrives, never held; `finish` closes the array once every finding is in.
 */
export async function createFindingsReport(sink: ReportSink): Promise<StreamingReport<CollectionContext>> {
  const writer: ReportWriter = createBufferedWriter(await sink.create(FINDINGS_FILE));
  let first = true;
  await writer.write('[');
  return {
    format: 'findings',
    async add(record) {
      await writer.write((first ? '' : ',') + (record.json ?? JSON.stringify(record.vulnerability)));
      first = false;
    },
    async finish() {
      await writer.write(']');
      await writer.close();
      return { format: 'findings', path: writer.path, notes: [] };
    },
  };
}
