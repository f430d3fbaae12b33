import type { ReportFormat } from '../config/schema';
import type { CollectionContext, FindingRecord, ReportContext, StreamingReport, WrittenReport } from './finding-record';
import { createFindingsReport } from './findings';
import { createGitlabReport, GITLAB_FILE_NAME } from './gitlab';
import { HTML_FILE_NAME } from './report-files';
import { createJunitReport, JUNIT_FILE_NAME } from './junit';
import { createMarkdownSummary, MARKDOWN_FILE_NAME } from './markdown';
import { countsOf, createMetricsCounter, createMetricsReport } from './metrics';
import { createSarifReport, SARIF_FILE_NAME, type SarifReportOptions } from './sarif';
import type { ReportSink } from './sink';

/** Options of {@link openReportSet}. */
export interface ReportSetOptions {
  /** Finding statuses the SARIF file leaves out. @default SARIF_DEFAULT_LEFT_OUT_STATUSES */
  sarifLeaveOutStatuses?: readonly string[];
}

/**
 * The phases before the last, in the order a run finishes them: `collected` as soon as every finding is in (the
 * findings file), `counted` once the collection has been told (the metrics file). The last phase, {@link ReportSet.finish},
 * follows the gate.
 */
export type EarlyReportPhase = 'collected' | 'counted';

/** The builders of the early phases: they need only the counts, so they are written before the gate finishes. */
const EARLY_BUILDERS = {
  findings: { phase: 'collected', create: (sink: ReportSink) => createFindingsReport(sink) },
  metrics: { phase: 'counted', create: (sink: ReportSink) => createMetricsReport(sink) },
} as const;

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

/**
 * The streaming report builders of one run, fed in the same pass as the gate: every finding is handed here once,
 * counted, and given to each builder.
 */
export interface ReportSet {
  /** True when a builder shows rule documentation (SARIF help, HTML), so it is worth fetching. */
  readonly wantsRuleDocumentation: boolean;
  /** The file names the last phase's builders will write, for cross-links (the early phases' are written by then). */
  readonly plannedFiles: { format: string; path: string }[];
  add(record: FindingRecord): Promise<void>;
  /** The findings added so far, by severity (highest first) and by module (in the order first seen). */
  counts(): CollectionContext['counts'];
  /** Finishes the builders of one early phase, in the order of their formats; each phase once. */
  finishPhase(phase: EarlyReportPhase): Promise<WrittenReport[]>;
  /** Finishes the other builders, once the gate is finished and the rules documented. */
  finish(context: ReportContext): Promise<WrittenReport[]>;
}

type EarlyBuilder = { phase: EarlyReportPhase; report: StreamingReport<CollectionContext> };

/** Opens the early builders asked for, in the order of {@link EARLY_BUILDERS}. */
async function openEarlyBuilders(formats: readonly ReportFormat[], sink: ReportSink): Promise<EarlyBuilder[]> {
  const chosen = (Object.keys(EARLY_BUILDERS) as (keyof typeof EARLY_BUILDERS)[]).filter((f) => formats.includes(f));
  const early: EarlyBuilder[] = [];
  for (const format of chosen) early.push({ phase: EARLY_BUILDERS[format].phase, report: await EARLY_BUILDERS[format].create(sink) });
  return early;
}

/**
 * Opens a builder for each requested format among findings, metrics, sarif, junit, markdown, html and gitlab (the
 * findings file first, as it is written while the findings stream in).
 */
export async function openReportSet(formats: readonly ReportFormat[], sink: ReportSink, options: ReportSetOptions = {}): Promise<ReportSet> {
  const early = await openEarlyBuilders(formats, sink);
  const chosen = (Object.keys(BUILDERS) as (keyof typeof BUILDERS)[]).filter((f) => formats.includes(f));
  const builders: StreamingReport[] = [];
  for (const format of chosen) builders.push(await BUILDERS[format].create(sink, options));
  const counter = createMetricsCounter();
  const finished = new Set<EarlyReportPhase>();
  return {
    wantsRuleDocumentation: chosen.includes('sarif') || chosen.includes('html'),
    plannedFiles: chosen.map((format) => ({ format, path: BUILDERS[format].file })),
    async add(record) {
      counter.add(record.vulnerability, record.moduleName);
      // Index loops: once per finding per report, and a for-of allocates at every step without the optimising compiler.
      for (let i = 0; i < early.length; i += 1) await early[i]!.report.add(record);
      for (let i = 0; i < builders.length; i += 1) await builders[i]!.add(record);
    },
    counts: () => countsOf(counter),
    async finishPhase(phase) {
      if (finished.has(phase)) throw new Error(`The ${phase} reports are already finished`);
      finished.add(phase);
      const written: WrittenReport[] = [];
      for (const builder of early) if (builder.phase === phase) written.push(await builder.report.finish({ counts: countsOf(counter) }));
      return written;
    },
    async finish(context) {
      const written: WrittenReport[] = [];
      for (const builder of builders) written.push(await builder.finish(context));
      return written;
    },
  };
}
