import { createApiClient, type ApiClient } from '../api/client';
import { getScan, submitScanAction } from '../api/resources';
import type { ScanJob } from '../config/schema';
import type { InputNames } from '../config/parse-config';
import type { Clock, DocumentationCache, FetchLike, Logger } from '../effects';
import { ApiError, ConfigError, IasError, redactDeep, redactSecrets } from '../errors';
import { createSafeLogger, escapeLogText } from '../log-text';
import type { GateVerdict } from '../gate/evaluate-gate';
import { createGate } from '../gate/gate';
import { hasGate, isKnownSeverity } from '../gate/gate-query';
import { createFindingsReport, type FindingsReportWriter } from '../report/findings';
import type { AttackDocumentation } from '../api/schemas';
import { ruleKey, type RuleInfo } from '../report/finding-record';
import { openReportSet } from '../report/report-set';
import { buildMetricsReport, createMetricsCounter, METRICS_FILE } from '../report/metrics';
import { RESULT_FILE } from '../report/result';
import { guardSink, ReportWriteError, type ReportSink } from '../report/sink';
import { collectFindings, createScanDataScrubber } from './collect-findings';
import { loadGateInputs } from './gate-inputs';
import { scanUiUrl } from './scan-link';
import { fetchRuleDocumentation } from './rule-documentation';
import { findScanLaunchedSince, launchScan } from './launch-scan';
import { EXIT_CODES, exitCodeForError, resultForExitCode, type ExitCode, type Outcome, type OutcomeMatch } from './outcome';
import type { RunEventListener } from './run-events';
import { resolveTarget } from './resolve-target';
import { isTerminal } from './scan-status';
import { waitForScan, type WaitResult } from './wait-for-scan';

/** Everything {@link runScanJob} needs from its host. */
export interface RunScanJobEffects {
  fetch: FetchLike;
  clock: Clock;
  logger: Logger;
  /** Where reports are written. */
  sink: ReportSink;
  /** Sent as `User-Agent`; build it with {@link formatUserAgent}. */
  userAgent: string;
  /** Aborting it interrupts the run; the scan is canceled when the job says so. */
  signal?: AbortSignal;
  onEvent?: RunEventListener;
  /** How the front end names its inputs, for messages. @default the config keys */
  inputNames?: InputNames;
  /** Names the tool in SARIF and HTML reports. @default the user agent's product and version */
  tool?: { name: string; version: string; informationUri?: string };
  /** Keeps attack documentation between runs (the host's tool or user cache); without it every run fetches it. */
  documentationCache?: DocumentationCache;
  /** Reads a text file (baseline, suppressions); without it those inputs are refused. */
  readText?: (path: string) => Promise<string>;
  /** Client tuning (tests shorten back-off). */
  retries?: number;
  retryBaseMs?: number;
}

/** Builds the User-Agent: product, version, host and runtime. */
export function formatUserAgent(host: string, version: string, runtime?: string): string {
  return `ias-ci-${host}/${version}${runtime === undefined ? '' : ` (${runtime})`}`;
}

/** The version inside a {@link formatUserAgent} string, which names the tool in SARIF and HTML reports. */
function versionOfUserAgent(userAgent: string): string {
  return /\/([^\s/]+)/.exec(userAgent)?.[1] ?? '0.0.0';
}

/**
 * The one use-case: resolve → launch (or attach) → wait → gate → collect (streaming into the reports) → outcome.
 * Never throws for anything the user or the API can cause: every such failure is an {@link Outcome} with its exit
 * status, and the result file is written in every case that gets that far.
 */
export async function runScanJob(job: ScanJob, given: RunScanJobEffects): Promise<Outcome> {
  // Every log line and event is redacted and sanitised here once, whatever the adapter does on top: scan data is
  // hostile, and a server may reflect the key back.
  const secrets = [job.apiKey];
  const listener = given.onEvent;
  const effects: RunScanJobEffects = {
    ...given,
    logger: createSafeLogger(given.logger, secrets),
    ...(listener === undefined ? {} : { onEvent: (event) => listener(redactDeep(event, secrets)) }),
  };
  const { clock, logger } = effects;
  const startedAt = clock.now();
  const names = effects.inputNames ?? {};
  const state: RunState = {
    scanId: null,
    status: null,
    failureReason: null,
    app: null,
    scanConfig: null,
    advancedOn: null,
    gate: null,
    counts: { total: 0, bySeverity: {}, byModule: {} },
    collected: false,
    baseline: null,
    suppressed: null,
    scanUrl: null,
    reports: [],
    warnings: [],
    launchedAt: null,
    runningAt: null,
    completedAt: null,
    launchAttempt: null,
  };
  const resultSink = effects.sink;
  effects.sink = guardSink(effects.sink);
  const client = createApiClient({
    baseUrl: job.baseUrl,
    apiKey: job.apiKey,
    fetch: effects.fetch,
    userAgent: effects.userAgent,
    clock,
    logger,
    timeoutMs: job.requestTimeoutMs,
    ...(effects.signal === undefined ? {} : { signal: effects.signal }),
    ...(effects.retries === undefined ? {} : { retries: effects.retries }),
    ...(effects.retryBaseMs === undefined ? {} : { retryBaseMs: effects.retryBaseMs }),
  });

  let exitCode: ExitCode = EXIT_CODES.passed;
  let message = '';
  let error: Outcome['error'] = null;
  try {
    ({ exitCode, message } = await execute(job, client, effects, state, names));
    // A phase that tolerates failures (the documentation lookup) may have swallowed the interrupt: it still wins.
    if (effects.signal?.aborted === true) throw effects.signal.reason ?? new Error('interrupted');
  } catch (caught) {
    const interrupted = effects.signal?.aborted === true;
    // Reports are complete or absent: whatever was still being written is dropped, the finished ones stay.
    await discardPartialReports(effects);
    if (interrupted) {
      exitCode = EXIT_CODES.interrupted;
      message = await onInterrupt(job, effects, state);
      error = { code: 'ABORTED', message };
    } else if (caught instanceof ReportWriteError) {
      // The host's sink failed (disk full, folder removed): one sentence, never a stack trace.
      exitCode = EXIT_CODES.apiError;
      message = caught.message;
      error = { code: caught.code, message };
    } else if (caught instanceof IasError) {
      exitCode = exitCodeForError(caught.code);
      message = redactSecrets(caught.message, [job.apiKey]);
      if (exitCode === EXIT_CODES.apiError && state.scanId !== null && (state.status === null || !isTerminal(state.status))) {
        message += ` Scan ${state.scanId} may still be running; attach to it again with its scan id to collect and gate it.`;
      }
      error = { code: caught.code, message };
      if (caught.code === 'SCAN_FAILED' || caught.code === 'SCAN_TIMEOUT') {
        const scan = caught as IasError & { lastStatus?: string; failureReason?: string };
        state.status = scan.lastStatus ?? state.status;
        state.failureReason = scan.failureReason ?? state.failureReason;
      }
    } else {
      // Not a failure the product knows (a bug, or data no code path expected): one line, never a stack trace, and
      // the result file is still written.
      exitCode = EXIT_CODES.apiError;
      const what = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
      message = `The run stopped on an unexpected error (${redactSecrets(what, [job.apiKey])}); run again with debug logging and report it if it persists.`;
      error = { code: 'INTERNAL_ERROR', message };
    }
  }
  message = escapeLogText(redactSecrets(message, secrets));
  if (error !== null) error = { ...error, message };

  if (exitCode !== EXIT_CODES.passed && exitCode !== EXIT_CODES.gateFailed) logger.error(message);
  const finishedAt = clock.now();
  const outcome: Outcome = redactDeep<Outcome>({
    scanId: state.scanId,
    status: state.status,
    failureReason: state.failureReason,
    exitCode,
    result: resultForExitCode(exitCode),
    message,
    error,
    app: state.app,
    scanConfig: state.scanConfig,
    advancedOn: state.advancedOn,
    gate: state.gate,
    counts: state.counts,
    collected: state.collected,
    baseline: state.baseline,
    suppressed: state.suppressed,
    scanUrl: state.scanUrl,
    reports: state.reports,
    warnings: state.warnings,
    timings: {
      startedAt: new Date(startedAt).toISOString(),
      launchedAt: iso(state.launchedAt),
      runningAt: iso(state.runningAt),
      completedAt: iso(state.completedAt),
      finishedAt: new Date(finishedAt).toISOString(),
      totalMs: finishedAt - startedAt,
    },
  }, secrets);
  if (job.reports.includes('result')) {
    try {
      const writer = await resultSink.create(RESULT_FILE);
      outcome.reports.push({ format: 'result', path: writer.path });
      await writer.write(`${JSON.stringify(outcome, null, 2)}\n`);
      await writer.close();
    } catch (writeError) {
      logger.error(`Could not write ${RESULT_FILE}: ${writeError instanceof Error ? writeError.message : String(writeError)}`);
    }
  }
  return outcome;
}

interface RunState {
  scanId: string | null;
  status: string | null;
  failureReason: string | null;
  app: { id: string; name: string } | null;
  scanConfig: { id: string; name: string } | null;
  advancedOn: Outcome['advancedOn'];
  gate: Outcome['gate'];
  counts: Outcome['counts'];
  collected: boolean;
  baseline: Outcome['baseline'];
  suppressed: Outcome['suppressed'];
  scanUrl: string | null;
  reports: Outcome['reports'];
  warnings: string[];
  launchedAt: number | null;
  runningAt: number | null;
  completedAt: number | null;
  /** A `POST /scans` in flight (or ended without an answer): the configuration and when it was sent. */
  launchAttempt: { scanConfigId: string; at: number } | null;
}

async function execute(
  job: ScanJob,
  client: ApiClient,
  effects: RunScanJobEffects,
  state: RunState,
  names: InputNames,
): Promise<{ exitCode: ExitCode; message: string }> {
  const { clock, logger } = effects;
  const gateSpec = { query: job.gateQuery, failOn: job.failOn, ignoredStatuses: job.ignoredStatuses };
  if (hasGate(gateSpec) && job.advanceOn !== 'completed') {
    state.warnings.push(`the gate is not evaluated when the step advances on ${job.advanceOn}; set ${names.advanceOn ?? 'advanceOn'} to completed to gate`);
    logger.warn(`The gate is not evaluated when the step advances on ${job.advanceOn}`);
  }

  try {
    await effects.sink.prepare?.();
  } catch (error) {
    const name = names.outputDir ?? 'outputDir';
    const code = error instanceof ReportWriteError && error.hostCode !== undefined ? ` (${error.hostCode})` : '';
    throw new ConfigError(`${name} '${job.outputDir ?? '.'}' cannot be written${code}; choose a folder this step may write to.`, [{ path: name, message: 'not writable' }], { cause: error });
  }

  const gateInputs = await loadGateInputs(job, effects.readText, names, clock.now());
  for (const warning of gateInputs.warnings) {
    state.warnings.push(warning);
    logger.warn(warning);
  }
  const { baseline, suppressions } = gateInputs;

  const target = await resolveTarget(client, { app: job.app, scanConfig: job.scanConfig }, { app: names.app ?? 'app', scanConfig: names.scanConfig ?? 'scanConfig' }, logger);
  state.app = { id: target.app.id, name: target.app.name };
  state.scanConfig = { id: target.scanConfig.id, name: target.scanConfig.name };
  effects.onEvent?.({ type: 'resolved', app: state.app, scanConfig: state.scanConfig });
  logger.info(`Application '${escapeLogText(target.app.name)}' (${escapeLogText(target.app.id)}), scan configuration '${escapeLogText(target.scanConfig.name)}' (${escapeLogText(target.scanConfig.id)})`);

  if (job.scanId !== undefined) {
    const existing = await getScan(client, job.scanId).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) {
        throw new ConfigError(`${names.scanId ?? 'scanId'} '${job.scanId}' is not the id of a scan this API key can see; check the id, or leave it out to launch a new scan.`, [{ path: names.scanId ?? 'scanId', message: 'unknown scan id' }], { code: 'NOT_FOUND' });
      }
      throw error;
    });
    if (existing.scan_config?.id !== undefined && existing.scan_config.id !== target.scanConfig.id) {
      throw new ConfigError(`${names.scanId ?? 'scanId'} '${job.scanId}' is a scan of another configuration (${existing.scan_config.id}); give the scan's own configuration or leave the scan id out.`, [{ path: names.scanId ?? 'scanId', message: 'scan of another configuration' }]);
    }
    state.scanId = job.scanId;
    state.launchedAt = clock.now();
    effects.onEvent?.({ type: 'launched', scanId: job.scanId, attached: true });
    logger.info(`Attached to scan ${job.scanId}`);
  } else {
    state.launchAttempt = { scanConfigId: target.scanConfig.id, at: clock.now() };
    const scanId = await launchScan(client, target.scanConfig.id, { clock, logger, ...(effects.signal === undefined ? {} : { signal: effects.signal }) });
    state.launchAttempt = null;
    state.scanId = scanId;
    state.launchedAt = clock.now();
    effects.onEvent?.({ type: 'launched', scanId, attached: false });
    logger.info(`Launched scan ${scanId}`);
  }

  const scanId = state.scanId;
  const wait: WaitResult = await waitForScan(client, scanId, {
    advanceOn: job.advanceOn,
    pollIntervalMs: job.pollIntervalMs,
    maxPendingMs: job.maxPendingMs,
    maxExecutionMs: job.maxExecutionMs,
    maxTotalMs: job.maxTotalMs,
    onTimeout: job.onTimeout,
    launchedAt: state.launchedAt ?? clock.now(),
    clock,
    logger,
    ...(effects.onEvent === undefined ? {} : { onEvent: effects.onEvent }),
    ...(effects.signal === undefined ? {} : { signal: effects.signal }),
    onStatus: (status) => {
      state.status = status;
    },
  });
  state.status = wait.scan.status;
  state.runningAt = wait.startedRunningAt ?? null;
  state.advancedOn = wait.reason;
  if (wait.reason !== 'completed') {
    return { exitCode: EXIT_CODES.passed, message: `Scan ${scanId} is ${wait.scan.status}; the step advanced once the scan was ${wait.reason}, without collecting findings or gating.` };
  }
  state.completedAt = clock.now();

  const liveGate = createGate(
    { ...gateSpec, baseline, suppressions, newOnly: job.newOnly },
    { kind: 'live', scanId, client, logger, interrupted: () => effects.signal?.aborted === true },
  );
  await liveGate.start();
  const counter = createMetricsCounter();
  const findings: FindingsReportWriter | undefined = job.findingsReport && job.reports.includes('findings') ? await createFindingsReport(effects.sink) : undefined;
  // SARIF leaves out what the gate treats as reviewed (the ignored statuses) and fixed findings, unless asked.
  const reportSet = await openReportSet(job.reports, effects.sink, { sarifLeaveOutStatuses: job.sarifTriaged ? [] : [...job.ignoredStatuses, 'REMEDIATED'] });
  const rules = new Map<string, RuleInfo>();
  let modules: ReadonlyMap<string, { name: string; description?: string | null | undefined }> = new Map();
  const oddSeverities = new Set<string>();
  const collected = await collectFindings(client, scanId, {
    secrets: [job.apiKey],
    redactHttpSecrets: job.redactHttpSecrets,
    ...(effects.onEvent === undefined ? {} : { onEvent: effects.onEvent }),
    onFinding: async (finding) => {
      counter.add(finding.vulnerability, finding.moduleName);
      if (!isKnownSeverity(finding.vulnerability.severity) && oddSeverities.size < 20) oddSeverities.add(finding.vulnerability.severity);
      state.scanUrl ??= scanUiUrl(finding.vulnerability.insight_ui_url, state.app?.id ?? '', state.scanConfig?.id ?? '', scanId) ?? null;
      const gateMatched = liveGate.observe(finding);
      await findings?.add(finding.vulnerability);
      if (finding.moduleId !== undefined) {
        const key = ruleKey(finding.moduleId, finding.attackId);
        if (!rules.has(key)) rules.set(key, { moduleId: finding.moduleId, attackId: finding.attackId, moduleName: finding.moduleName });
      }
      await reportSet.add({ ...finding, gateMatched });
    },
  });
  modules = collected.modules;
  // Closed only once every finding is in: on a failure the sink discards it, so a partial report never passes for the whole.
  await findings?.close();
  state.collected = true;
  state.counts = { total: counter.total, bySeverity: counter.bySeverity(), byModule: counter.byModule() };
  if (findings !== undefined) addReport(state, effects, 'findings', findings.path);
  logger.info(`Collected ${counter.total} finding${counter.total === 1 ? '' : 's'}${counter.total > 0 ? `: ${Object.entries(state.counts.bySeverity).map(([s, n]) => `${n} ${escapeLogText(s)}`).join(', ')}` : ''}`);
  if (oddSeverities.size > 0) {
    const listed = [...oddSeverities].map((s) => `'${escapeLogText(s)}'`).join(', ');
    const note = `findings with severities the tool does not know (${listed}) are reported as they are${job.failOn === undefined ? '' : ` and counted as CRITICAL by ${names.failOn ?? 'failOn'}, failing closed`}`;
    state.warnings.push(note);
    logger.warn(`Some ${note}`);
  }

  if (job.reports.includes('metrics')) {
    const writer = await effects.sink.create(METRICS_FILE);
    await writer.write(buildMetricsReport(counter));
    await writer.close();
    addReport(state, effects, 'metrics', writer.path);
  }

  const exemptions = liveGate.exemptions();
  if (baseline !== undefined && exemptions.baseline !== undefined) {
    state.baseline = exemptions.baseline;
    logger.info(`Against the baseline ${baseline.source}: ${state.baseline.new} new, ${state.baseline.known} known, ${state.baseline.fixed} fixed`);
  }
  if (suppressions !== undefined && exemptions.suppressed !== undefined) {
    state.suppressed = exemptions.suppressed;
    logger.info(`Suppressed ${state.suppressed.count} finding${state.suppressed.count === 1 ? '' : 's'} by ${suppressions.source}`);
    for (const entry of exemptions.unusedSuppressions) {
      const note = `Suppression entry ${entry.entry} (line ${entry.line}) of ${suppressions.source} matched no finding; remove it if the problem is gone`;
      state.warnings.push(note);
      logger.warn(note);
    }
  }

  const { verdict: gate, serverFailure: serverGateFailure } = await liveGate.finish();
  if (gate !== undefined) {
    state.gate = gateForOutcome(gate);
    reportGate(gate, scanId, effects, state);
  }

  if (reportSet.plannedFiles.length > 0) {
    if (reportSet.wantsRuleDocumentation) {
      // The module list already read gives every rule a description; attack documentation, one request per distinct
      // attack with findings, only when asked for, and from the host's cache when it has it.
      const pairs = job.ruleDocs ? [...rules].flatMap(([key, rule]) => (rule.attackId === undefined ? [] : [{ key, moduleId: rule.moduleId, attackId: rule.attackId }])) : [];
      const docs = pairs.length === 0 ? new Map<string, AttackDocumentation>() : await fetchRuleDocumentation(client, pairs, { logger, clock, cache: effects.documentationCache });
      // The lookup tolerates failures, so it also swallows an interrupt: stop here rather than finish the reports.
      if (effects.signal?.aborted === true) throw effects.signal.reason ?? new Error('interrupted');
      const scrub = createScanDataScrubber([job.apiKey]);
      for (const [key, doc] of docs) docs.set(key, scrub(doc));
      for (const [key, rule] of rules) {
        const description = modules.get(rule.moduleId)?.description;
        const documentation = docs.get(key);
        rules.set(key, { ...rule, ...(description ? { moduleDescription: description } : {}), ...(documentation === undefined ? {} : { documentation }) });
      }
    }
    const written = await reportSet.finish({
      scanId,
      status: wait.scan.status,
      app: state.app ?? { id: '', name: '' },
      scanConfig: state.scanConfig ?? { id: '', name: '' },
      ...(wait.scan.submit_time ? { submitTime: wait.scan.submit_time } : {}),
      ...(wait.scan.completion_time ? { completionTime: wait.scan.completion_time } : {}),
      generatedAt: new Date(clock.now()).toISOString(),
      tool: effects.tool ?? { name: 'ias-ci', version: versionOfUserAgent(effects.userAgent) },
      counts: state.counts,
      gate: gate === undefined ? null : { passed: gate.passed, matched: gate.matched, query: gate.condition, ...(job.failOn === undefined ? {} : { failOn: job.failOn }) },
      ...(state.scanUrl === null ? {} : { scanUrl: state.scanUrl }),
      ...(state.baseline === null ? {} : { baseline: state.baseline }),
      ...(state.suppressed === null ? {} : { suppressed: state.suppressed.count }),
      rules,
      reportFiles: [...state.reports, ...reportSet.plannedFiles, ...(job.reports.includes('result') ? [{ format: 'result', path: RESULT_FILE }] : [])],
    });
    for (const report of written) {
      addReport(state, effects, report.format, report.path);
      for (const note of report.notes) {
        state.warnings.push(note);
        logger.warn(note);
      }
      for (const line of report.info ?? []) logger.info(line);
    }
  }
  if (serverGateFailure !== undefined) {
    const failure: ApiError = serverGateFailure;
    if (failure.status === 400) {
      const problem = escapeLogText(failure.bodyExcerpt ?? failure.message);
      throw new ConfigError(
        `The server refused the gate query with 400 Bad Request (${problem}); rewrite ${names.gateQuery ?? 'gateQuery'} with the fields and operators the search API accepts (the reports hold the findings and the local gate verdict).`,
        [{ path: names.gateQuery ?? 'gateQuery', message: 'refused by the server' }],
        { cause: failure },
      );
    }
    const context = { method: failure.method, url: failure.url, route: failure.route, ...(failure.status === undefined ? {} : { status: failure.status }) };
    throw new ApiError(failure.code as ConstructorParameters<typeof ApiError>[0], `${failure.message.replace(/\.?$/, '')}; the server could not check the gate, so the step fails (the reports hold the findings and the local gate verdict).`, context, { cause: failure });
  }
  const budgetNote = wait.stoppedOnBudget === undefined ? undefined : `the ${wait.stoppedOnBudget} budget ran out, so the scan was stopped early and the step fails`;
  if (budgetNote !== undefined) {
    return { exitCode: EXIT_CODES.budgetExceeded, message: `Scan ${scanId} is COMPLETE with ${counter.total} findings, but ${budgetNote}.` };
  }
  if (gate !== undefined && !gate.passed) {
    return { exitCode: EXIT_CODES.gateFailed, message: `Gate failed: ${gate.matched} of ${counter.total} findings of scan ${scanId} match ${gate.condition}.` };
  }
  return {
    exitCode: EXIT_CODES.passed,
    message: gate === undefined ? `Scan ${scanId} is COMPLETE with ${counter.total} findings; no gate is configured.` : `Gate passed: none of the ${counter.total} findings of scan ${scanId} match ${gate.condition}.`,
  };
}

function addReport(state: RunState, effects: RunScanJobEffects, format: string, path: string): void {
  state.reports.push({ format, path });
  effects.onEvent?.({ type: 'report', format, path });
}

function gateForOutcome(gate: GateVerdict): NonNullable<Outcome['gate']> {
  const matches: OutcomeMatch[] = gate.matches.map((m) => ({ id: m.id, severity: m.severity, module: m.module, method: m.method, url: m.url, parameter: m.parameter }));
  return {
    passed: gate.passed,
    matched: gate.matched,
    condition: gate.condition,
    query: gate.serverQuery,
    localMatched: gate.localMatched,
    serverMatched: gate.serverMatched,
    disagreements: gate.disagreements,
    exempted: gate.exempted,
    bySeverity: gate.bySeverity,
    matches,
  };
}

function reportGate(gate: GateVerdict, scanId: string, effects: RunScanJobEffects, state: RunState): void {
  const { logger } = effects;
  effects.onEvent?.({ type: 'gate', passed: gate.passed, matched: gate.matched });
  if (gate.disagreements.length > 0) {
    const local = gate.disagreements.filter((d) => d.matchedBy === 'local').map((d) => d.id);
    const server = gate.disagreements.filter((d) => d.matchedBy === 'server').map((d) => d.id);
    const text = `the local evaluation and the server search disagree (only local: ${local.length === 0 ? 'none' : local.slice(0, 10).map(escapeLogText).join(', ')}; only server: ${server.length === 0 ? 'none' : server.slice(0, 10).map(escapeLogText).join(', ')}); the gate counts both, failing closed`;
    state.warnings.push(text);
    logger.warn(`Gate: ${text}`);
  }
  if (gate.passed) {
    logger.info(`Gate passed: no finding of scan ${scanId} matches ${gate.condition}`);
    return;
  }
  logger.error(`Gate failed: ${gate.matched} finding${gate.matched === 1 ? '' : 's'} of scan ${scanId} match ${gate.condition}`);
  const e = escapeLogText;
  for (const m of gate.matches.slice(0, 20)) logger.error(`  ${e(m.severity)} ${e(m.module)}: ${e(m.method ?? '')} ${e(m.url ?? '')}${m.parameter ? ` [${e(m.parameter)}]` : ''} (${e(m.id)})`);
  if (gate.matched > 20) logger.error(`  … and ${gate.matched - 20} more (see the reports)`);
}

async function onInterrupt(job: ScanJob, effects: RunScanJobEffects, state: RunState): Promise<string> {
  const scanId = state.scanId;
  if (scanId === null) return state.launchAttempt === null ? 'The run was interrupted before a scan was launched.' : onInterruptedLaunch(job, effects, state, state.launchAttempt);
  if (!job.cancelOnInterrupt) return `The run was interrupted; scan ${scanId} was left running as asked.`;
  if (state.status !== null && isTerminal(state.status)) return `The run was interrupted; scan ${scanId} had already ended (${state.status}).`;
  // A fresh client: the run's signal is aborted, and the host gives a few seconds at most.
  const client = createApiClient({ baseUrl: job.baseUrl, apiKey: job.apiKey, fetch: effects.fetch, userAgent: effects.userAgent, clock: effects.clock, logger: effects.logger, timeoutMs: 5_000, retries: 1, retryBaseMs: 250 });
  try {
    await submitScanAction(client, scanId, 'CANCEL');
    state.status = 'CANCELING';
    return `The run was interrupted; scan ${scanId} was canceled.`;
  } catch (cancelError) {
    const reason = cancelError instanceof Error ? redactSecrets(cancelError.message, [job.apiKey]) : String(cancelError);
    return `The run was interrupted, and canceling scan ${scanId} failed (${reason}); cancel it in InsightAppSec.`;
  }
}

/**
 * The run was interrupted while `POST /scans` was in flight: the server may have created the scan without the
 * answer arriving. Like the launch's own recovery, the scans of the configuration submitted since the attempt are
 * looked up; the newest is taken as this run's and canceled (or left running, as asked).
 */
async function onInterruptedLaunch(job: ScanJob, effects: RunScanJobEffects, state: RunState, attempt: { scanConfigId: string; at: number }): Promise<string> {
  const client = createApiClient({ baseUrl: job.baseUrl, apiKey: job.apiKey, fetch: effects.fetch, userAgent: effects.userAgent, clock: effects.clock, logger: effects.logger, timeoutMs: 5_000, retries: 1, retryBaseMs: 250 });
  let found: string | undefined;
  try {
    found = await findScanLaunchedSince(client, attempt.scanConfigId, attempt.at - 120_000);
  } catch (lookupError) {
    const reason = lookupError instanceof Error ? redactSecrets(lookupError.message, [job.apiKey]) : String(lookupError);
    return `The run was interrupted while launching a scan, and looking for the scan it may have created failed (${reason}); check configuration ${attempt.scanConfigId} in InsightAppSec and cancel a scan submitted since ${new Date(attempt.at).toISOString()}.`;
  }
  if (found === undefined) return 'The run was interrupted while launching a scan; no scan of the configuration was submitted since, so none was launched.';
  state.scanId = found;
  if (!job.cancelOnInterrupt) return `The run was interrupted while launching; scan ${found} was created and left running as asked.`;
  try {
    await submitScanAction(client, found, 'CANCEL');
    state.status = 'CANCELING';
    return `The run was interrupted while launching; the launch had created scan ${found}, which was canceled.`;
  } catch (cancelError) {
    const reason = cancelError instanceof Error ? redactSecrets(cancelError.message, [job.apiKey]) : String(cancelError);
    return `The run was interrupted while launching; the launch had created scan ${found}, and canceling it failed (${reason}); cancel it in InsightAppSec.`;
  }
}

/** Drops the reports still being written (temporary files of a file sink); a failure to do so is only logged. */
async function discardPartialReports(effects: RunScanJobEffects): Promise<void> {
  try {
    await effects.sink.discard?.();
  } catch (discardError) {
    effects.logger.warn(`Could not remove unfinished reports: ${discardError instanceof Error ? discardError.message : String(discardError)}`);
  }
}

function iso(ms: number | null): string | null {
  return ms === null ? null : new Date(ms).toISOString();
}
