// Test support only (excluded from the bundle's entry): wires core's effects to the simulator on a manual clock.
import { createManualClock, createSimulator, type ManualClock, type Simulator, type SimulatorOptions } from '@ias/simulator';
import type { Clock, Logger } from '../effects';
import { assertConfig } from '../config/parse-config';
import type { RawConfig, ScanJob } from '../config/schema';
import { createMemoryReportSink, type MemoryReportSink } from '../report/sink';
import type { RunScanJobEffects } from '../scan/run-scan-job';

export const SIM_BASE_URL = 'http://ias.sim.test:8080/ias/v1';

/** A logger that keeps every line, for assertions. */
export interface RecordingLogger extends Logger {
  lines: string[];
  text(): string;
}

export function createRecordingLogger(): RecordingLogger {
  const lines: string[] = [];
  const push = (level: string) => (message: string) => {
    lines.push(`${level}: ${message}`);
  };
  return { lines, text: () => lines.join('\n'), debug: push('debug'), info: push('info'), warn: push('warn'), error: push('error') };
}

/** A core clock on the simulator's manual clock: sleeping advances time instantly. */
export function manualCoreClock(clock: ManualClock): Clock & { slept: number[] } {
  const slept: number[] = [];
  return {
    slept,
    now: () => clock.now(),
    sleep: async (ms, signal) => {
      if (signal?.aborted) throw signal.reason;
      slept.push(ms);
      clock.advance(ms);
      await Promise.resolve();
    },
  };
}

export interface Harness {
  sim: Simulator;
  clock: ManualClock;
  coreClock: Clock & { slept: number[] };
  logger: RecordingLogger;
  sink: MemoryReportSink;
  effects: RunScanJobEffects;
  job(raw?: RawConfig): ScanJob;
}

/** A simulator (demo scenario by default) and effects for runScanJob, all in memory. */
export function createHarness(options: SimulatorOptions = {}): Harness {
  const clock = createManualClock();
  const sim = createSimulator({ scenario: 'demo', ...options, clock });
  const coreClock = manualCoreClock(clock);
  const logger = createRecordingLogger();
  const sink = createMemoryReportSink();
  return {
    sim,
    clock,
    coreClock,
    logger,
    sink,
    effects: { fetch: (input, init) => sim.fetch(input, init), clock: coreClock, logger, sink, userAgent: 'ias-ci-test/0.0.0', retryBaseMs: 10 },
    job: (raw = {}) =>
      assertConfig({ baseUrl: SIM_BASE_URL, apiKey: sim.apiKey, app: 'Demo Shop', scanConfig: 'Full', pollInterval: '30s', ...raw }),
  };
}
