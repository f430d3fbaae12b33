import type { Vulnerability } from '../api/schemas';
import { SEVERITY_ORDER } from '../config/schema';
import type { CollectionContext, StreamingReport } from './finding-record';
import type { ReportSink } from './sink';

/** The name of the metrics report, as the official Azure DevOps task writes it. */
export const METRICS_FILE = 'insightappsec-scan-metrics.json';

/** Counts by severity and by module name, accumulated one finding at a time. */
export interface MetricsCounter {
  add(vulnerability: Vulnerability, moduleName: string): void;
  readonly total: number;
  /** Severities, highest first; unknown severities after the known ones, in the order seen. */
  bySeverity(): Record<string, number>;
  /** Module names in the order first seen. */
  byModule(): Record<string, number>;
}

/** Creates a {@link MetricsCounter}. */
export function createMetricsCounter(): MetricsCounter {
  const severity = new Map<string, number>();
  const module = new Map<string, number>();
  let total = 0;
  return {
    add(vulnerability, moduleName) {
      total += 1;
      severity.set(vulnerability.severity, (severity.get(vulnerability.severity) ?? 0) + 1);
      module.set(moduleName, (module.get(moduleName) ?? 0) + 1);
    },
    get total() {
      return total;
    },
    bySeverity() {
      const known = SEVERITY_ORDER.filter((s) => severity.has(s)).map((s) => [s, severity.get(s) ?? 0] as const);
      const unknown = [...severity].filter(([s]) => !(SEVERITY_ORDER as readonly string[]).includes(s));
      return Object.fromEntries([...known, ...unknown]);
    },
    byModule() {
      return Object.fromEntries(module);
    },
  };
}

/**
 * The metrics report exactly as the official Azure DevOps task writes it: pretty-printed with a 2-space indent,
 * `{"metrics":{"severity":{SEVERITY:count},"module":{module name:count}}}`. It is written for 0 findings too.
 * @param counts the counts of a {@link MetricsCounter}: `bySeverity()` and `byModule()`, in their order.
 */
export function buildMetricsReport(counts: Pick<CollectionContext['counts'], 'bySeverity' | 'byModule'>): string {
  return JSON.stringify({ metrics: { severity: counts.bySeverity, module: counts.byModule } }, null, 2);
}

/** The counts of `counter` as reports and the outcome show them. */
export function countsOf(counter: MetricsCounter): CollectionContext['counts'] {
  return { total: counter.total, bySeverity: counter.bySeverity(), byModule: counter.byModule() };
}

/**
 * The metrics report as a builder: it keeps nothing per finding (the report set counts them) and writes the file
 * from the counts it is given at `finish`.
 */
export function createMetricsReport(sink: ReportSink): StreamingReport<CollectionContext> {
  return {
    format: 'metrics',
    async add() {
      // Counted by the report set, which gives the counts at finish.
    },
    async finish(context) {
      const writer = await sink.create(METRICS_FILE);
      await writer.write(buildMetricsReport(context.counts));
      await writer.close();
      return { format: 'metrics', path: writer.path, notes: [] };
    },
  };
}
