import { posix, resolve, win32 } from 'node:path';
import { optionOf, OPTIONS, parseDuration, parseYesNo, type ConfigKey, type InputNames, type RawConfig } from '@ias/core';
import type { TaskHost } from './task-host';

/**
 * The task's inputs (task.json), by name. The Rapid7 task's names (`apiConnection`, `scanConfig`,
 * `scanCheckInterval`, `hasTimeout`, `hasScanGating`, `vulnQuery`, `publishPipelineArtifacts`) are `aliases` in
 * task.json: the service maps them to these names before the job reaches the agent, so the handler only ever sees these.
 */
export const INPUTS = {
  connection: 'iasConnection',
  application: 'application',
  scanConfiguration: 'scanConfiguration',
  waitForCompletion: 'waitForCompletion',
  scanStatusInterval: 'scanStatusInterval',
  generateFindingsReport: 'generateFindingsReport',
  failOnTimeout: 'failOnTimeout',
  timeout: 'timeout',
  scanGating: 'scanGating',
  vulnerabilityQuery: 'vulnerabilityQuery',
  failOnSeverity: 'failOnSeverity',
  warnOnly: 'warnOnly',
  advanceOn: 'advanceOn',
  maxPending: 'maxPending',
  onTimeoutAction: 'onTimeoutAction',
  scanId: 'scanId',
  baseline: 'baseline',
  suppressions: 'suppressions',
  reportFormats: 'reportFormats',
  outputDirectory: 'outputDirectory',
  publishArtifacts: 'publishArtifacts',
  artifactName: 'artifactName',
  artifactPerReport: 'artifactPerReport',
  cancelOnInterrupt: 'cancelOnInterrupt',
  redactHttpSecrets: 'redactHttpSecrets',
  ruleDocs: 'ruleDocs',
  checkOnly: 'checkOnly',
} as const;

/** How messages name each config key: the labels users see in the classic editor (the catalogue's). */
export const INPUT_NAMES: InputNames = Object.fromEntries(OPTIONS.flatMap((option) => (option.azure === undefined ? [] : [[option.key, option.azure.label]])));

/** The value the task passes for a key when its input is missing (task.json's default, or the task's own). */
const taskDefault = (key: ConfigKey): string | boolean | undefined => {
  const option = optionOf(key);
  const value = option.azure?.default;
  const flag = option.type === 'flag' ? parseYesNo(value) : undefined;
  return typeof flag === 'boolean' ? flag : value;
};

/** What the task does around the scan, beyond core's configuration. */
export interface TaskOptions {
  connectionId: string;
  outputDir: string;
  publishArtifacts: boolean;
  artifactName: string;
  artifactPerReport: boolean;
  warnOnly: boolean;
  hostType: 'build' | 'release';
  /** "Fail scan on timeout?" + "Timeout": one budget from launch to completion, as the Rapid7 task counts it. */
  timeoutMs: number | undefined;
}

/** The inputs as core's raw configuration, or the problems that stop the task before anything is sent. */
export type TaskInputs = { ok: true; raw: RawConfig; names: InputNames; options: TaskOptions; secrets: string[] } | { ok: false; errors: string[]; secrets: string[] };

const blank = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/**
 * The URL Rapid7's own connections store (hidden, fixed): it names no API, so the region decides. Any
 * `http(s)://rapid7.com` or `www.rapid7.com` URL without an `/ias/` path counts.
 */
export function isPlaceholderUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return /^(www\.)?rapid7\.com$/i.test(parsed.hostname) && !/\/ias\//i.test(`${parsed.pathname}/`);
  } catch {
    return false;
  }
}

/**
 * Reads the task's inputs and its IAS Connection. The API token is registered as a secret before this
 * returns, so nothing printed afterwards can show it.
 */
export function readTaskInputs(host: TaskHost, platform: NodeJS.Platform): TaskInputs {
  const input = (name: string): string | undefined => blank(host.getInput(name));
  const connectionId = input(INPUTS.connection);
  if (connectionId === undefined) return { ok: false, errors: ['IAS Connection is required; pick an InsightAppSec (ias-ci) service connection'], secrets: [] };

  const token = blank(host.getEndpointToken(connectionId));
  const secrets = token === undefined ? [] : [token];
  // The task library refuses a secret with a line break: each line is registered (the key is refused as bad input later).
  if (token !== undefined) for (const part of token.split(/[\r\n]+/)) if (part !== '') host.setSecret(part);
  const region = blank(host.getEndpointData(connectionId, 'region'))?.toLowerCase();
  const rawUrl = blank(host.getEndpointUrl(connectionId));
  const url = rawUrl !== undefined && isPlaceholderUrl(rawUrl) && region !== undefined && region !== 'custom' ? undefined : rawUrl;
  const errors: string[] = [];
  if (token === undefined) errors.push('IAS Connection has no API Token; edit the service connection and paste the InsightAppSec API key');
  if (url === undefined && (region === undefined || region === 'custom')) errors.push('IAS Connection has neither a region nor a Server URL; edit the service connection and pick a region');
  else if (url !== undefined && isPlaceholderUrl(url)) errors.push(`IAS Connection Server URL '${url}' is not an InsightAppSec API; pick a region, or give the URL https://<region>.api.insight.rapid7.com/ias/v1`);

  const flag = (name: string, label: string, fallback: boolean): boolean => {
    const value = input(name);
    const parsed = parseYesNo(value);
    if (parsed === undefined) return fallback;
    if (parsed !== 'invalid') return parsed;
    errors.push(`${label} '${value}' is not a yes/no value; use true or false`);
    return fallback;
  };
  const wait = flag(INPUTS.waitForCompletion, 'Wait for scan completion?', true);
  const gating = flag(INPUTS.scanGating, 'Scan Gating', false);
  const query = input(INPUTS.vulnerabilityQuery);
  if (gating && query === undefined) errors.push("Vulnerability Query is required when Scan Gating is on, e.g. vulnerability.severity='HIGH'");
  const severity = input(INPUTS.failOnSeverity);

  // "Fail scan on timeout?" + "Timeout" (minutes) are the Rapid7 task's: one budget counted from the launch,
  // waiting for an engine included; the scan is canceled when it runs out.
  let timeoutMs: number | undefined;
  if (wait && flag(INPUTS.failOnTimeout, 'Fail scan on timeout?', false)) {
    const timeout = input(INPUTS.timeout);
    if (timeout === undefined) errors.push('Timeout is required when Fail scan on timeout? is on; give the minutes the scan may take from its launch, e.g. 120');
    else {
      timeoutMs = parseDuration(timeout.toLowerCase());
      if (timeoutMs === undefined) errors.push(`Timeout '${timeout}' is not a duration; give minutes (120) or a duration such as 90m or 2h`);
      else if (timeoutMs < 60_000 && !/[a-z]/i.test(timeout)) errors.push(`Timeout '${timeout}' is too short; give at least 1 minute`);
      else if (timeoutMs < 1_000) errors.push(`Timeout '${timeout}' is too short; give at least 1s`);
    }
  }

  // Release and deployment-group jobs have no build artifact container.
  const hostType = ['release', 'deployment'].includes((host.getVariable('System.HostType') ?? '').toLowerCase()) ? 'release' : 'build';
  const outputDir = resolve(input(INPUTS.outputDirectory) ?? defaultReportDirectory(host, hostType, platform));
  const baseline = suppliedPath(host, INPUTS.baseline, hostType);
  const suppressions = suppliedPath(host, INPUTS.suppressions, hostType);
  const publishArtifacts = flag(INPUTS.publishArtifacts, 'Upload report output?', false);
  const artifactPerReport = flag(INPUTS.artifactPerReport, 'One artifact per report', false);
  const warnOnly = flag(INPUTS.warnOnly, 'Warn only', false);
  if (errors.length > 0) return { ok: false, errors, secrets };

  const raw: RawConfig = {
    apiKey: token,
    region: region === 'custom' ? undefined : region,
    baseUrl: url,
    app: input(INPUTS.application),
    scanConfig: input(INPUTS.scanConfiguration),
    scanId: input(INPUTS.scanId),
    advanceOn: wait ? input(INPUTS.advanceOn) : 'submitted',
    pollInterval: input(INPUTS.scanStatusInterval),
    // No pending budget unless one is set: the Rapid7 task waits for an engine indefinitely.
    maxPending: input(INPUTS.maxPending),
    maxExecution: taskDefault('maxExecution'),
    onTimeout: input(INPUTS.onTimeoutAction),
    cancelOnInterrupt: input(INPUTS.cancelOnInterrupt) ?? taskDefault('cancelOnInterrupt'),
    findingsReport: input(INPUTS.generateFindingsReport) ?? taskDefault('findingsReport'),
    reports: input(INPUTS.reportFormats),
    outputDir,
    gateQuery: gating ? query : undefined,
    failOn: severity === undefined || severity.toLowerCase() === 'none' ? undefined : severity,
    baseline,
    suppressions,
    redactHttpSecrets: input(INPUTS.redactHttpSecrets) ?? taskDefault('redactHttpSecrets'),
    ruleDocs: input(INPUTS.ruleDocs) ?? taskDefault('ruleDocs'),
  };

  return {
    ok: true,
    raw,
    names: INPUT_NAMES,
    options: {
      connectionId,
      outputDir,
      publishArtifacts,
      artifactName: input(INPUTS.artifactName) ?? 'insightappsec',
      artifactPerReport,
      warnOnly,
      hostType,
      timeoutMs,
    },
    secrets,
  };
}

/**
 * "Check only (launch nothing)": true, false, or the one-sentence problem with the value (the task then fails
 * before anything is sent, whichever was meant).
 */
export function readCheckOnly(host: Pick<TaskHost, 'getInput'>): boolean | string {
  const value = blank(host.getInput(INPUTS.checkOnly));
  const parsed = parseYesNo(value);
  if (parsed !== 'invalid') return parsed ?? false;
  return `Check only (launch nothing) '${value}' is not a yes/no value; use true or false`;
}

/**
 * A `filePath` input counts as given only when it differs from the folder the agent roots an empty one to
 * (azure-pipelines-agent TaskRunner.cs TranslateFilePathInput → BuildJobExtension/ReleaseJobExtension
 * GetRootedPath: the sources folder in builds, the artifacts folder in releases), as task-lib's
 * `filePathSupplied` decides it.
 */
export function suppliedPath(host: Pick<TaskHost, 'getInput' | 'getVariable'>, name: string, hostType: 'build' | 'release'): string | undefined {
  const value = blank(host.getInput(name));
  if (value === undefined) return undefined;
  const roots = [host.getVariable('Build.SourcesDirectory'), host.getVariable('System.DefaultWorkingDirectory'), hostType === 'release' ? host.getVariable('System.ArtifactsDirectory') : undefined]
    .map(blank)
    .filter((r): r is string => r !== undefined)
    .map((r) => resolve(r));
  return roots.includes(resolve(value)) ? undefined : value;
}

/**
 * `$(Build.ArtifactStagingDirectory)/insightappsec` in build pipelines, `$(System.ArtifactsDirectory)/insightappsec`
 * in release pipelines, joined with the agent's own separator (a Windows agent gets `D:\a\1\a\insightappsec`).
 * Without either variable (a local run), `insightappsec` under the working folder.
 */
export function defaultReportDirectory(host: Pick<TaskHost, 'getVariable'>, hostType: 'build' | 'release', platform: NodeJS.Platform): string {
  const base = hostType === 'release' ? (host.getVariable('System.ArtifactsDirectory') ?? host.getVariable('Build.ArtifactStagingDirectory')) : host.getVariable('Build.ArtifactStagingDirectory');
  const path = platform === 'win32' ? win32 : posix;
  return blank(base) === undefined ? 'insightappsec' : path.join(base as string, 'insightappsec');
}
