import type { ReportFormat } from '../config/schema';
import type { FindingRecord, ReportContext, StreamingReport } from './finding-record';
import { createGitlabReport, GITLAB_FILE_NAME } from './gitlab';
import { HTML_FILE_NAME } from './report-files';
import { createJunitReport, JUNIT_FILE_NAME } from './junit';
import { createMarkdownSummary, MARKDOWN_FILE_NAME } from './markdown';
import { createSarifReport, SARIF_FILE_NAME, type SarifReportOptions } from './sarif';
import type { ReportSink } from './sink';

/** Options of {@link openReportSet}. */
export interface ReportSetOptions {
  /** Finding statuses the SARIF file leaves out. @default SARIF_DEFAULT_LEFT_OUT_STATUSES */
  sarifLeaveOutStatuses?: readonly string[];
}

const BUILDERS = {
  sarif: {
    file: SARIF_FILE_NAME,
    create: (sink: ReportSink, options: ReportSetOptions) => {
      const sarif: SarifReportOptions = options.sarifLeaveOutStatuses === undefined ? {} : { leaveOutStatuses: options.sarifLeaveOutStatuses };
      return createSarifReport(sink, sarif);
    },
  },
  junit: { file: JUNIT_FILE_NAME, create: (sink: ReportSink) => createJunitReport(sink) },
  markdown: { file: MARKDOWN_FILE_NAME, create: (sink: ReportSink) => createMarkdownSummary(sink) },
  // Loaded only when asked for: the HTML builder is the largest, and most runs write no HTML.
  html: { file: HTML_FILE_NAME, create: async (sink: ReportSink) => (await import('./html')).createHtmlReport(sink) },
  gitlab: { file: GITLAB_FILE_NAME, create: (sink: ReportSink) => createGitlabReport(sink) },
} as const;

/** The streaming report builders of one run, fed in the same pass as the findings report and the gate. */
export interface ReportSet {
  /** True when a builder shows rule documentation (SARIF help, HTML), so it is worth fetching. */
  readonly wantsRuleDocumentation: boolean;
  /** The file names the builders will write, for cross-links. */
  readonly plannedFiles: { format: string; path: string }[];
  add(record: FindingRecord): Promise<void>;
  finish(context: ReportContext): Promise<{ format: string; path: string; notes: string[]; info?: string[] }[]>;
}

/** Opens a builder for each requested format among sarif, junit, markdown, html and gitlab. */
export async function openReportSet(formats: readonly ReportFormat[], sink: ReportSink, options: ReportSetOptions = {}): Promise<ReportSet> {
  const chosen = (Object.keys(BUILDERS) as (keyof typeof BUILDERS)[]).filter((f) => formats.includes(f));
  const builders: StreamingReport[] = [];
  for (const format of chosen) builders.push(await BUILDERS[format].create(sink, options));
  return {
    wantsRuleDocumentation: chosen.includes('sarif') || chosen.includes('html'),
    plannedFiles: chosen.map((format) => ({ format, path: BUILDERS[format].file })),
    async add(record) {
      for (const builder of builders) await builder.add(record);
    },
    async finish(context) {
      const written: { format: string; path: string; notes: string[]; info?: string[] }[] = [];
      for (const builder of builders) written.push(await builder.finish(context));
      return written;
    },
  };
}
