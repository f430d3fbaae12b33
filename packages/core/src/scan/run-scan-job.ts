import { createApiClient, type ApiClient } from '../api/client';
import { getScan, submitScanAction } from '../api/resources';
import type { ScanJob } from '../config/schema';
import type { InputNames } from '../config/parse-config';
import type { Clock, DocumentationCache, FetchLike, Logger } from '../effects';
import { ApiError, ConfigError, IasError, redactDeep, redactSecrets } from '../errors';
import { createSafeLogger, escapeLogText } from '../log-text';
import type { GateVerdict } from '../gate/evaluate-gate';
import { createGate, type Gate, type GateConfig } from '../gate/gate';
import { hasGate, isKnownSeverity } from '../gate/gate-query';
import type { AttackDocumentation } from '../api/schemas';
import { ruleKey, type RuleInfo, type WrittenReport } from '../report/finding-record';
import { openReportSet, type ReportSet } from '../report/report-set';
import { RESULT_FILE, writeResultFile } from '../report/result';
import { guardSink, ReportWriteError, type ReportSink } from '../report/sink';
import { collectFindings, createScanDataScrubber, type CollectedFinding } from './collect-findings';
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
 * The one use-case, as a pipeline of stages: resolve → start (launch or attach) → wait → collect (one streaming pass
 * feeding the gate and every report builder) → gate → reports → conclusion. Each stage returns its value; the run
 * records each value as it arrives ({@link Reached}), so a failure or an interrupt part-way still reports how far it
 * got, and the {@link Outcome} is built once, from those values, by {@link buildOutcome}.
 * Never throws for anything the user or the API can cause: every such failure is an Outcome with its exit status,
 * and the result file is written in every case that gets that far.
 */
export async function runScanJob(job: ScanJob, given: RunScanJobEffects): Promise<Outcome> {
  const secrets = [job.apiKey];
  const effects = safeEffects(given, secrets);
  const startedAt = effects.clock.now();
  const run: RunContext = { job, effects, client: clientFor(job, effects), names: effects.inputNames ?? {}, reached: { reports: [], warnings: [] } };
  let ending: Ending;
  try {
    ending = await runStages(run);
    // A phase that tolerates failures (the documentation lookup) may have swallowed the interrupt: it still wins.
    throwIfInterrupted(effects);
  } catch (caught) {
    ending = await endingOfFailure(caught, run);
  }
  const message = escapeLogText(redactSecrets(ending.message, secrets));
  ending = { ...ending, message, error: ending.error === null ? null : { ...ending.error, message } };
  if (ending.exitCode !== EXIT_CODES.passed && ending.exitCode !== EXIT_CODES.gateFailed) effects.logger.error(message);
  const outcome = redactDeep<Outcome>(buildOutcome(run.reached, ending, startedAt, effects.clock.now()), secrets);
  if (job.reports.includes('result')) await writeResultFileOrLog(outcome, given.sink, effects.logger);
  return outcome;
}

/**
 * Every log line and event is redacted and sanitised here once, whatever the adapter does on top: scan data is
 * hostile, and a server may reflect the key back. Sink failures become {@link ReportWriteError}s.
 */
function safeEffects(given: RunScanJobEffects, secrets: string[]): RunScanJobEffects {
  const listener = given.onEvent;
  return {
    ...given,
    logger: createSafeLogger(given.logger, secrets),
    sink: guardSink(given.sink),
    ...(listener === undefined ? {} : { onEvent: (event) => listener(redactDeep(event, secrets)) }),
  };
}

function clientFor(job: ScanJob, effects: RunScanJobEffects): ApiClient {
  return createApiClient({
    baseUrl: job.baseUrl,
    apiKey: job.apiKey,
    fetch: effects.fetch,
    userAgent: effects.userAgent,
    clock: effects.clock,
    logger: effects.logger,
    timeoutMs: job.requestTimeoutMs,
    ...(effects.signal === undefined ? {} : { signal: effects.signal }),
    ...(effects.retries === undefined ? {} : { retries: effects.retries }),
    ...(effects.retryBaseMs === undefined ? {} : { retryBaseMs: effects.retryBaseMs }),
  });
}

interface RunContext {
  job: ScanJob;
  effects: RunScanJobEffects;
  client: ApiClient;
  names: InputNames;
  reached: Reached;
}

type Ref = { id: string; name: string };

/** How far the run got: each field is the value a stage returned, recorded when it returned. */
interface Reached {
  target?: { app: Ref; scanConfig: Ref };
  /** A `POST /scans` in flight (or ended without an answer): the configuration and when it was sent. */
  launchAttempt?: { scanConfigId: string; at: number };
  started?: { scanId: string; launchedAt: number };
  /** The last status a poll saw, while the wait is still going. */
  lastStatus?: string;
  waited?: { result: WaitResult; completedAt: number | null };
  /** The scan's UI page, from the first finding that shows it. */
  scanUrl?: string;
  counts?: Outcome['counts'];
  exemptions?: { baseline: Outcome['baseline']; suppressed: Outcome['suppressed'] };
  gate?: NonNullable<Outcome['gate']>;
  reports: Outcome['reports'];
  warnings: string[];
}

/** How the run ended: its status and sentence, and what the ending itself learnt about the scan. */
interface Ending {
  exitCode: ExitCode;
  message: string;
  error: Outcome['error'];
  scanId?: string;
  status?: string;
  failureReason?: string;
}

/** The data path, top to bottom. */
async function runStages(run: RunContext): Promise<Ending> {
  const { reached } = run;
  const gateInputs = await prepare(run);
  reached.target = await resolveStage(run);
  reached.started = await startStage(run, reached.target.scanConfig.id);
  const scanId = reached.started.scanId;
  reached.waited = await waitStage(run, scanId, reached.started.launchedAt);
  const wait = reached.waited.result;
  if (wait.reason !== 'completed') {
    return { exitCode: EXIT_CODES.passed, error: null, message: `Scan ${scanId} is ${wait.scan.status}; the step advanced once the scan was ${wait.reason}, without collecting findings or gating.` };
  }
  const gate = createGate(
    { query: run.job.gateQuery, failOn: run.job.failOn, ignoredStatuses: run.job.ignoredStatuses, ...gateInputs, newOnly: run.job.newOnly },
    { kind: 'live', scanId, client: run.client, logger: run.effects.logger, interrupted: () => run.effects.signal?.aborted === true },
  );
  // The gate's first server page is read while the collection's first page and the module list are: findings are
  // observed only once it is in (collectStage awaits it).
  const gateStarted = gate.start();
  gateStarted.catch(() => undefined);
  const collection = await collectStage(run, scanId, gate, gateStarted);
  reached.counts = collection.counts;
  await recordCollection(run, collection);
  reached.exemptions = recordExemptions(run, gate, gateInputs);
  const { verdict, serverFailure } = await gate.finish();
  if (verdict !== undefined) reached.gate = recordVerdict(run, verdict, scanId);
  await reportStage(run, { scanId, wait, collection, verdict });
  if (serverFailure !== undefined) throw serverGateError(serverFailure, run.names);
  return conclusion(scanId, wait, collection.counts.total, verdict);
}

/** Before anything is launched: the gate's reach, the output folder and the baseline and suppressions files. */
async function prepare(run: RunContext): Promise<Pick<GateConfig, 'baseline' | 'suppressions'>> {
  const { job, effects, names } = run;
  if (hasGate({ query: job.gateQuery, failOn: job.failOn, ignoredStatuses: job.ignoredStatuses }) && job.advanceOn !== 'completed') {
    run.reached.warnings.push(`the gate is not evaluated when the step advances on ${job.advanceOn}; set ${names.advanceOn ?? 'advanceOn'} to completed to gate`);
    effects.logger.warn(`The gate is not evaluated when the step advances on ${job.advanceOn}`);
  }
  try {
    await effects.sink.prepare?.();
  } catch (error) {
    const name = names.outputDir ?? 'outputDir';
    const code = error instanceof ReportWriteError && error.hostCode !== undefined ? ` (${error.hostCode})` : '';
    throw new ConfigError(`${name} '${job.outputDir ?? '.'}' cannot be written${code}; choose a folder this step may write to.`, [{ path: name, message: 'not writable' }], { cause: error });
  }
  const gateInputs = await loadGateInputs(job, effects.readText, names, effects.clock.now());
  for (const warning of gateInputs.warnings) warn(run, warning);
  return { baseline: gateInputs.baseline, suppressions: gateInputs.suppressions };
}

async function resolveStage(run: RunContext): Promise<{ app: Ref; scanConfig: Ref }> {
  const { job, names, effects } = run;
  const target = await resolveTarget(run.client, { app: job.app, scanConfig: job.scanConfig }, { app: names.app ?? 'app', scanConfig: names.scanConfig ?? 'scanConfig' }, effects.logger);
  const resolved = { app: { id: target.app.id, name: target.app.name }, scanConfig: { id: target.scanConfig.id, name: target.scanConfig.name } };
  effects.onEvent?.({ type: 'resolved', ...resolved });
  effects.logger.info(`Application '${escapeLogText(target.app.name)}' (${escapeLogText(target.app.id)}), scan configuration '${escapeLogText(target.scanConfig.name)}' (${escapeLogText(target.scanConfig.id)})`);
  return resolved;
}

/** Attaches to the scan the job names (of the resolved configuration), or launches one. */
async function startStage(run: RunContext, scanConfigId: string): Promise<{ scanId: string; launchedAt: number }> {
  const { job, effects, names } = run;
  const { clock, logger } = effects;
  if (job.scanId !== undefined) {
    const input = names.scanId ?? 'scanId';
    const existing = await getScan(run.client, job.scanId).catch((error: unknown) => {
      if (error instanceof ApiError && error.status === 404) {
        throw new ConfigError(`${input} '${job.scanId}' is not the id of a scan this API key can see; check the id, or leave it out to launch a new scan.`, [{ path: input, message: 'unknown scan id' }], { code: 'NOT_FOUND' });
      }
      throw error;
    });
    if (existing.scan_config?.id !== undefined && existing.scan_config.id !== scanConfigId) {
      throw new ConfigError(`${input} '${job.scanId}' is a scan of another configuration (${existing.scan_config.id}); give the scan's own configuration or leave the scan id out.`, [{ path: input, message: 'scan of another configuration' }]);
    }
    effects.onEvent?.({ type: 'launched', scanId: job.scanId, attached: true });
    logger.info(`Attached to scan ${job.scanId}`);
    return { scanId: job.scanId, launchedAt: clock.now() };
  }
  run.reached.launchAttempt = { scanConfigId, at: clock.now() };
  const scanId = await launchScan(run.client, scanConfigId, { clock, logger, ...(effects.signal === undefined ? {} : { signal: effects.signal }) });
  delete run.reached.launchAttempt;
  effects.onEvent?.({ type: 'launched', scanId, attached: false });
  logger.info(`Launched scan ${scanId}`);
  return { scanId, launchedAt: clock.now() };
}

async function waitStage(run: RunContext, scanId: string, launchedAt: number): Promise<{ result: WaitResult; completedAt: number | null }> {
  const { job, effects } = run;
  const result = await waitForScan(run.client, scanId, {
    advanceOn: job.advanceOn,
    pollIntervalMs: job.pollIntervalMs,
    maxPendingMs: job.maxPendingMs,
    maxExecutionMs: job.maxExecutionMs,
    maxTotalMs: job.maxTotalMs,
    onTimeout: job.onTimeout,
    launchedAt,
    clock: effects.clock,
    logger: effects.logger,
    ...(effects.onEvent === undefined ? {} : { onEvent: effects.onEvent }),
    ...(effects.signal === undefined ? {} : { signal: effects.signal }),
    onStatus: (status) => {
      run.reached.lastStatus = status;
    },
  });
  return { result, completedAt: result.reason === 'completed' ? effects.clock.now() : null };
}

interface Collection {
  counts: Outcome['counts'];
  /** The reports finished as soon as every finding was in (the findings file). */
  collected: WrittenReport[];
  reportSet: ReportSet;
  rules: Map<string, RuleInfo>;
  modules: ReadonlyMap<string, { name: string; description?: string | null | undefined }>;
  oddSeverities: ReadonlySet<string>;
}

/** One streaming pass over the scan's findings: each is gated and handed to the report set, which counts it. */
async function collectStage(run: RunContext, scanId: string, gate: Gate, gateStarted: Promise<void>): Promise<Collection> {
  const { job, effects, reached } = run;
  const formats = job.findingsReport ? job.reports : job.reports.filter((format) => format !== 'findings');
  // SARIF leaves out what the gate treats as reviewed (the ignored statuses) and fixed findings, unless asked.
  const reportSet = await openReportSet(formats, effects.sink, { sarifLeaveOutStatuses: job.sarifTriaged ? [] : [...job.ignoredStatuses, 'REMEDIATED'] });
  const rules = new Map<string, RuleInfo>();
  const oddSeverities = new Set<string>();
  let gateReady = false;
  const collected = await collectFindings(run.client, scanId, {
    secrets: [job.apiKey],
    redactHttpSecrets: job.redactHttpSecrets,
    ...(effects.onEvent === undefined ? {} : { onEvent: effects.onEvent }),
    onFinding: async (finding) => {
      if (!isKnownSeverity(finding.vulnerability.severity) && oddSeverities.size < 20) oddSeverities.add(finding.vulnerability.severity);
      if (reached.scanUrl === undefined) {
        const url = scanUiUrl(finding.vulnerability.insight_ui_url, reached.target?.app.id ?? '', reached.target?.scanConfig.id ?? '', scanId);
        if (url !== undefined) reached.scanUrl = url;
      }
      if (!gateReady) {
        await gateStarted;
        gateReady = true;
      }
      const gateMatched = gate.observe(finding);
      noteRule(rules, finding);
      await reportSet.add({ ...finding, gateMatched });
    },
  });
  await gateStarted;
  // Closed only once every finding is in: on a failure the sink discards it, so a partial report never passes for the whole.
  const written = await reportSet.finishPhase('collected');
  return { counts: reportSet.counts(), collected: written, reportSet, rules, modules: collected.modules, oddSeverities };
}

function noteRule(rules: Map<string, RuleInfo>, finding: CollectedFinding): void {
  if (finding.moduleId === undefined) return;
  const key = ruleKey(finding.moduleId, finding.attackId);
  if (!rules.has(key)) rules.set(key, { moduleId: finding.moduleId, attackId: finding.attackId, moduleName: finding.moduleName });
}

/** Announces the findings file, logs what was collected and finishes the metrics file. */
async function recordCollection(run: RunContext, collection: Collection): Promise<void> {
  const { job, effects, names } = run;
  const { counts, oddSeverities } = collection;
  for (const report of collection.collected) announceReport(run, report);
  effects.logger.info(`Collected ${counts.total} finding${counts.total === 1 ? '' : 's'}${counts.total > 0 ? `: ${Object.entries(counts.bySeverity).map(([s, n]) => `${n} ${escapeLogText(s)}`).join(', ')}` : ''}`);
  if (oddSeverities.size > 0) {
    const listed = [...oddSeverities].map((s) => `'${escapeLogText(s)}'`).join(', ');
    const note = `findings with severities the tool does not know (${listed}) are reported as they are${job.failOn === undefined ? '' : ` and counted as CRITICAL by ${names.failOn ?? 'failOn'}, failing closed`}`;
    run.reached.warnings.push(note);
    effects.logger.warn(`Some ${note}`);
  }
  for (const report of await collection.reportSet.finishPhase('counted')) announceReport(run, report);
}

function recordExemptions(run: RunContext, gate: Gate, inputs: Pick<GateConfig, 'baseline' | 'suppressions'>): NonNullable<Reached['exemptions']> {
  const { logger } = run.effects;
  const { baseline, suppressions } = inputs;
  const exemptions = gate.exemptions();
  const recorded: NonNullable<Reached['exemptions']> = { baseline: null, suppressed: null };
  if (baseline !== undefined && exemptions.baseline !== undefined) {
    recorded.baseline = exemptions.baseline;
    logger.info(`Against the baseline ${baseline.source}: ${exemptions.baseline.new} new, ${exemptions.baseline.known} known, ${exemptions.baseline.fixed} fixed`);
  }
  if (suppressions !== undefined && exemptions.suppressed !== undefined) {
    recorded.suppressed = exemptions.suppressed;
    logger.info(`Suppressed ${exemptions.suppressed.count} finding${exemptions.suppressed.count === 1 ? '' : 's'} by ${suppressions.source}`);
    for (const entry of exemptions.unusedSuppressions) warn(run, `Suppression entry ${entry.entry} (line ${entry.line}) of ${suppressions.source} matched no finding; remove it if the problem is gone`);
  }
  return recorded;
}

/** Fills the rules with descriptions and documentation, then finishes every report builder. */
async function reportStage(run: RunContext, what: { scanId: string; wait: WaitResult; collection: Collection; verdict: GateVerdict | undefined }): Promise<void> {
  const { job, effects, reached } = run;
  const { reportSet } = what.collection;
  if (reportSet.plannedFiles.length === 0) return;
  const rules = reportSet.wantsRuleDocumentation ? await documentedRules(run, what.collection) : what.collection.rules;
  const { verdict, wait } = what;
  const written = await reportSet.finish({
    scanId: what.scanId,
    status: wait.scan.status,
    app: reached.target?.app ?? { id: '', name: '' },
    scanConfig: reached.target?.scanConfig ?? { id: '', name: '' },
    ...(wait.scan.submit_time ? { submitTime: wait.scan.submit_time } : {}),
    ...(wait.scan.completion_time ? { completionTime: wait.scan.completion_time } : {}),
    generatedAt: new Date(effects.clock.now()).toISOString(),
    tool: effects.tool ?? { name: 'ias-ci', version: versionOfUserAgent(effects.userAgent) },
    counts: what.collection.counts,
    gate: verdict === undefined ? null : { passed: verdict.passed, matched: verdict.matched, query: verdict.condition, ...(job.failOn === undefined ? {} : { failOn: job.failOn }) },
    ...(reached.scanUrl === undefined ? {} : { scanUrl: reached.scanUrl }),
    ...(reached.exemptions?.baseline == null ? {} : { baseline: reached.exemptions.baseline }),
    ...(reached.exemptions?.suppressed == null ? {} : { suppressed: reached.exemptions.suppressed.count }),
    rules,
    reportFiles: [...reached.reports, ...reportSet.plannedFiles, ...(job.reports.includes('result') ? [{ format: 'result', path: RESULT_FILE }] : [])],
  });
  for (const report of written) announceReport(run, report);
}

/**
 * The module list already read gives every rule a description; attack documentation, one request per distinct
 * attack with findings, only when asked for, and from the host's cache when it has it.
 */
async function documentedRules(run: RunContext, collection: Collection): Promise<Map<string, RuleInfo>> {
  const { job, effects } = run;
  const pairs = job.ruleDocs ? [...collection.rules].flatMap(([key, rule]) => (rule.attackId === undefined ? [] : [{ key, moduleId: rule.moduleId, attackId: rule.attackId }])) : [];
  const docs = pairs.length === 0 ? new Map<string, AttackDocumentation>() : await fetchRuleDocumentation(run.client, pairs, { logger: effects.logger, clock: effects.clock, cache: effects.documentationCache });
  // The lookup tolerates failures, so it also swallows an interrupt: stop here rather than finish the reports.
  throwIfInterrupted(effects);
  const scrub = createScanDataScrubber([job.apiKey]);
  const rules = new Map<string, RuleInfo>();
  for (const [key, rule] of collection.rules) {
    const description = collection.modules.get(rule.moduleId)?.description;
    const documentation = docs.get(key);
    rules.set(key, { ...rule, ...(description ? { moduleDescription: description } : {}), ...(documentation === undefined ? {} : { documentation: scrub(documentation) }) });
  }
  return rules;
}

/** The server could not check the gate: the reports are written, and the step fails naming why. */
function serverGateError(failure: ApiError, names: InputNames): IasError {
  if (failure.status === 400) {
    const problem = escapeLogText(failure.bodyExcerpt ?? failure.message);
    return new ConfigError(
      `The server refused the gate query with 400 Bad Request (${problem}); rewrite ${names.gateQuery ?? 'gateQuery'} with the fields and operators the search API accepts (the reports hold the findings and the local gate verdict).`,
      [{ path: names.gateQuery ?? 'gateQuery', message: 'refused by the server' }],
      { cause: failure },
    );
  }
  const context = { method: failure.method, url: failure.url, route: failure.route, ...(failure.status === undefined ? {} : { status: failure.status }) };
  return new ApiError(failure.code as ConstructorParameters<typeof ApiError>[0], `${failure.message.replace(/\.?$/, '')}; the server could not check the gate, so the step fails (the reports hold the findings and the local gate verdict).`, context, { cause: failure });
}

function conclusion(scanId: string, wait: WaitResult, total: number, gate: GateVerdict | undefined): Ending {
  if (wait.stoppedOnBudget !== undefined) {
    return { exitCode: EXIT_CODES.budgetExceeded, error: null, message: `Scan ${scanId} is COMPLETE with ${total} findings, but the ${wait.stoppedOnBudget} budget ran out, so the scan was stopped early and the step fails.` };
  }
  if (gate !== undefined && !gate.passed) {
    return { exitCode: EXIT_CODES.gateFailed, error: null, message: `Gate failed: ${gate.matched} of ${total} findings of scan ${scanId} match ${gate.condition}.` };
  }
  return {
    exitCode: EXIT_CODES.passed,
    error: null,
    message: gate === undefined ? `Scan ${scanId} is COMPLETE with ${total} findings; no gate is configured.` : `Gate passed: none of the ${total} findings of scan ${scanId} match ${gate.condition}.`,
  };
}

/** The ending of a run that threw: an interrupt, a failed report write, a known failure, or a bug. */
async function endingOfFailure(caught: unknown, run: RunContext): Promise<Ending> {
  const { job, effects, reached } = run;
  // Reports are complete or absent: whatever was still being written is dropped, the finished ones stay.
  await discardPartialReports(effects);
  if (effects.signal?.aborted === true) {
    const ending = await onInterrupt(job, effects, reached);
    return { ...ending, exitCode: EXIT_CODES.interrupted, error: { code: 'ABORTED', message: ending.message } };
  }
  // The host's sink failed (disk full, folder removed): one sentence, never a stack trace.
  if (caught instanceof ReportWriteError) return { exitCode: EXIT_CODES.apiError, message: caught.message, error: { code: caught.code, message: caught.message } };
  if (caught instanceof IasError) {
    const exitCode = exitCodeForError(caught.code);
    let message = redactSecrets(caught.message, [job.apiKey]);
    const status = currentStatus(reached);
    if (exitCode === EXIT_CODES.apiError && reached.started !== undefined && (status === null || !isTerminal(status))) {
      message += ` Scan ${reached.started.scanId} may still be running; attach to it again with its scan id to collect and gate it.`;
    }
    const scan = caught.code === 'SCAN_FAILED' || caught.code === 'SCAN_TIMEOUT' ? (caught as IasError & { lastStatus?: string; failureReason?: string }) : undefined;
    return { exitCode, message, error: { code: caught.code, message }, ...(scan?.lastStatus === undefined ? {} : { status: scan.lastStatus }), ...(scan?.failureReason === undefined ? {} : { failureReason: scan.failureReason }) };
  }
  // Not a failure the product knows (a bug, or data no code path expected): one line, never a stack trace, and the
  // result file is still written.
  const what = caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught);
  const message = `The run stopped on an unexpected error (${redactSecrets(what, [job.apiKey])}); run again with debug logging and report it if it persists.`;
  return { exitCode: EXIT_CODES.apiError, message, error: { code: 'INTERNAL_ERROR', message } };
}

function currentStatus(reached: Reached): string | null {
  return reached.waited?.result.scan.status ?? reached.lastStatus ?? null;
}

/** The one place an Outcome is made: from the stages' values and the ending. */
function buildOutcome(reached: Reached, ending: Ending, startedAt: number, finishedAt: number): Outcome {
  return {
    scanId: ending.scanId ?? reached.started?.scanId ?? null,
    status: ending.status ?? currentStatus(reached),
    failureReason: ending.failureReason ?? null,
    exitCode: ending.exitCode,
    result: resultForExitCode(ending.exitCode),
    message: ending.message,
    error: ending.error,
    app: reached.target?.app ?? null,
    scanConfig: reached.target?.scanConfig ?? null,
    advancedOn: reached.waited?.result.reason ?? null,
    gate: reached.gate ?? null,
    counts: reached.counts ?? { total: 0, bySeverity: {}, byModule: {} },
    collected: reached.counts !== undefined,
    baseline: reached.exemptions?.baseline ?? null,
    suppressed: reached.exemptions?.suppressed ?? null,
    scanUrl: reached.scanUrl ?? null,
    reports: [...reached.reports],
    warnings: [...reached.warnings],
    timings: {
      startedAt: new Date(startedAt).toISOString(),
      launchedAt: iso(reached.started?.launchedAt ?? null),
      runningAt: iso(reached.waited?.result.startedRunningAt ?? null),
      completedAt: iso(reached.waited?.completedAt ?? null),
      finishedAt: new Date(finishedAt).toISOString(),
      totalMs: finishedAt - startedAt,
    },
  };
}

/** The result file goes through the host's own sink, so its failure is one logged line and the outcome stands. */
async function writeResultFileOrLog(outcome: Outcome, sink: ReportSink, logger: Logger): Promise<void> {
  try {
    await writeResultFile(outcome, sink);
  } catch (writeError) {
    logger.error(`Could not write ${RESULT_FILE}: ${writeError instanceof Error ? writeError.message : String(writeError)}`);
  }
}

function throwIfInterrupted(effects: RunScanJobEffects): void {
  if (effects.signal?.aborted === true) throw effects.signal.reason ?? new Error('interrupted');
}

function warn(run: RunContext, text: string): void {
  run.reached.warnings.push(text);
  run.effects.logger.warn(text);
}

function addReport(run: RunContext, format: string, path: string): void {
  run.reached.reports.push({ format, path });
  run.effects.onEvent?.({ type: 'report', format, path });
}

/** Records a written report with its notes (warnings) and info (log lines). */
function announceReport(run: RunContext, report: WrittenReport): void {
  addReport(run, report.format, report.path);
  for (const note of report.notes) warn(run, note);
  for (const line of report.info ?? []) run.effects.logger.info(line);
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

/** Announces and logs the verdict; returns it as the outcome shows it. */
function recordVerdict(run: RunContext, gate: GateVerdict, scanId: string): NonNullable<Outcome['gate']> {
  const { logger } = run.effects;
  run.effects.onEvent?.({ type: 'gate', passed: gate.passed, matched: gate.matched });
  if (gate.disagreements.length > 0) {
    const local = gate.disagreements.filter((d) => d.matchedBy === 'local').map((d) => d.id);
    const server = gate.disagreements.filter((d) => d.matchedBy === 'server').map((d) => d.id);
    const text = `the local evaluation and the server search disagree (only local: ${local.length === 0 ? 'none' : local.slice(0, 10).map(escapeLogText).join(', ')}; only server: ${server.length === 0 ? 'none' : server.slice(0, 10).map(escapeLogText).join(', ')}); the gate counts both, failing closed`;
    run.reached.warnings.push(text);
    logger.warn(`Gate: ${text}`);
  }
  if (gate.passed) {
    logger.info(`Gate passed: no finding of scan ${scanId} matches ${gate.condition}`);
    return gateForOutcome(gate);
  }
  logger.error(`Gate failed: ${gate.matched} finding${gate.matched === 1 ? '' : 's'} of scan ${scanId} match ${gate.condition}`);
  const e = escapeLogText;
  for (const m of gate.matches.slice(0, 20)) logger.error(`  ${e(m.severity)} ${e(m.module)}: ${e(m.method ?? '')} ${e(m.url ?? '')}${m.parameter ? ` [${e(m.parameter)}]` : ''} (${e(m.id)})`);
  if (gate.matched > 20) logger.error(`  … and ${gate.matched - 20} more (see the reports)`);
  return gateForOutcome(gate);
}

type InterruptEnding = { message: string; scanId?: string; status?: string };

/** A fresh client for the last calls of an interrupted run: the run's signal is aborted, and the host gives a few seconds at most. */
function lastCallsClient(job: ScanJob, effects: RunScanJobEffects): ApiClient {
  return createApiClient({ baseUrl: job.baseUrl, apiKey: job.apiKey, fetch: effects.fetch, userAgent: effects.userAgent, clock: effects.clock, logger: effects.logger, timeoutMs: 5_000, retries: 1, retryBaseMs: 250 });
}

async function onInterrupt(job: ScanJob, effects: RunScanJobEffects, reached: Reached): Promise<InterruptEnding> {
  const scanId = reached.started?.scanId;
  if (scanId === undefined) return reached.launchAttempt === undefined ? { message: 'The run was interrupted before a scan was launched.' } : onInterruptedLaunch(job, effects, reached.launchAttempt);
  if (!job.cancelOnInterrupt) return { message: `The run was interrupted; scan ${scanId} was left running as asked.` };
  const status = currentStatus(reached);
  if (status !== null && isTerminal(status)) return { message: `The run was interrupted; scan ${scanId} had already ended (${status}).` };
  try {
    await submitScanAction(lastCallsClient(job, effects), scanId, 'CANCEL');
    return { message: `The run was interrupted; scan ${scanId} was canceled.`, status: 'CANCELING' };
  } catch (cancelError) {
    const reason = cancelError instanceof Error ? redactSecrets(cancelError.message, [job.apiKey]) : String(cancelError);
    return { message: `The run was interrupted, and canceling scan ${scanId} failed (${reason}); cancel it in InsightAppSec.` };
  }
}

/**
 * The run was interrupted while `POST /scans` was in flight: the server may have created the scan without the
 * answer arriving. Like the launch's own recovery, the scans of the configuration submitted since the attempt are
 * looked up; the newest is taken as this run's and canceled (or left running, as asked).
 */
async function onInterruptedLaunch(job: ScanJob, effects: RunScanJobEffects, attempt: { scanConfigId: string; at: number }): Promise<InterruptEnding> {
  const client = lastCallsClient(job, effects);
  let found: string | undefined;
  try {
    found = await findScanLaunchedSince(client, attempt.scanConfigId, attempt.at - 120_000);
  } catch (lookupError) {
    const reason = lookupError instanceof Error ? redactSecrets(lookupError.message, [job.apiKey]) : String(lookupError);
    return { message: `The run was interrupted while launching a scan, and looking for the scan it may have created failed (${reason}); check configuration ${attempt.scanConfigId} in InsightAppSec and cancel a scan submitted since ${new Date(attempt.at).toISOString()}.` };
  }
  if (found === undefined) return { message: 'The run was interrupted while launching a scan; no scan of the configuration was submitted since, so none was launched.' };
  if (!job.cancelOnInterrupt) return { scanId: found, message: `The run was interrupted while launching; scan ${found} was created and left running as asked.` };
  try {
    await submitScanAction(client, found, 'CANCEL');
    return { scanId: found, status: 'CANCELING', message: `The run was interrupted while launching; the launch had created scan ${found}, which was canceled.` };
  } catch (cancelError) {
    const reason = cancelError instanceof Error ? redactSecrets(cancelError.message, [job.apiKey]) : String(cancelError);
    return { scanId: found, message: `The run was interrupted while launching; the launch had created scan ${found}, and canceling it failed (${reason}); cancel it in InsightAppSec.` };
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
