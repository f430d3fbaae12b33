import type { Vulnerability } from '../api/schemas';
import type { ReportSink, ReportWriter } from './sink';
import { createBufferedWriter } from './sink';

/** The name of the raw findings report. */
export const FINDINGS_FILE = 'insightappsec-scan-findings.json';

/** Streams the raw findings report: a compact JSON array of the vulnerabilities as the API returned them. */
export interface FindingsReportWriter {
  readonly path: string;
  add(vulnerability: Vulnerability): Promise<void>;
  close(): Promise<void>;
}

/** Opens the findings report on a sink; each finding is written as it arrives, never held. */
export async function createFindingsReport(sink: ReportSink): Promise<FindingsReportWriter> {
  const writer: ReportWriter = createBufferedWriter(await sink.create(FINDINGS_FILE));
  let first = true;
  await writer.write('[');
  return {
    path: writer.path,
    async add(vulnerability) {
      await writer.write((first ? '' : ',') + JSON.stringify(vulnerability));
      first = false;
    },
    async close() {
      await writer.write(']');
      await writer.close();
    },
  };
}
