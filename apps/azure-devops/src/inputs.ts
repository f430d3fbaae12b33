import { posix, resolve, win32 } from 'node:path';
import type { InputNames, RawConfig } from '@ias/core';
import type { TaskHost } from './task-host';

/** The task's inputs (task.json), by name. */
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
} as const;

/** How messages name each config key: the labels users see in the classic editor. */
export const INPUT_NAMES: InputNames = {
  apiKey: 'IAS Connection API Token',
  region: 'IAS Connection Region',
  baseUrl: 'IAS Connection Server URL',
  app: 'Application',
  scanConfig: 'Scan Configuration',
  scanId: 'Attach to scan id',
  advanceOn: 'Advance when the scan is',
  pollInterval: 'Scan Status Interval',
  maxPending: 'Max pending time',
  maxExecution: 'Timeout',
  onTimeout: 'On timeout',
  cancelOnInterrupt: 'Cancel the scan when the pipeline is canceled',
  findingsReport: 'Generate findings report?',
  reports: 'Report formats',
  outputDir: 'Output directory',
  gateQuery: 'Vulnerability Query',
  failOn: 'Fail on severity',
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
}

/** The inputs as core's raw configuration, or the problems that stop the task before anything is sent. */
export type TaskInputs = { ok: true; raw: RawConfig & Record<string, string | boolean | undefined>; names: InputNames; options: TaskOptions; secrets: string[] } | { ok: false; errors: string[]; secrets: string[] };

const isTrue = (value: string | undefined, fallback: boolean): boolean => (value === undefined || value.trim() === '' ? fallback : /^(true|yes|1|on)$/i.test(value.trim()));
const blank = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value.trim());

/**
 * Reads the task's inputs and its IAS Connection. The API token is registered as a secret before this
 * returns, so nothing printed afterwards can show it.
 */
export function readTaskInputs(host: TaskHost, platform: NodeJS.Platform): TaskInputs {
  const input = (name: string): string | undefined => blank(host.getInput(name));
  const connectionId = input(INPUTS.connection);
  if (connectionId === undefined) return { ok: false, errors: ['IAS Connection is required; pick a Rapid7 InsightAppSec service connection'], secrets: [] };

  const token = blank(host.getEndpointToken(connectionId));
  const secrets = token === undefined ? [] : [token];
  // The task library refuses a secret with a line break: each line is registered (the key is refused as bad input later).
  if (token !== undefined) for (const part of token.split(/[\r\n]+/)) if (part !== '') host.setSecret(part);
  const region = blank(host.getEndpointData(connectionId, 'region'))?.toLowerCase();
  const url = blank(host.getEndpointUrl(connectionId));
  const errors: string[] = [];
  if (token === undefined) errors.push('IAS Connection has no API Token; edit the service connection and paste the InsightAppSec API key');
  if (url === undefined && (region === undefined || region === 'custom')) errors.push('IAS Connection has neither a region nor a Server URL; edit the service connection and pick a region');

  const wait = isTrue(input(INPUTS.waitForCompletion), true);
  const gating = isTrue(input(INPUTS.scanGating), false);
  const query = input(INPUTS.vulnerabilityQuery);
  if (gating && query === undefined) errors.push("Vulnerability Query is required when Scan Gating is on, e.g. vulnerability.severity='HIGH'");
  const severity = input(INPUTS.failOnSeverity);
  // Release and deployment-group jobs have no build artifact container.
  const hostType = ['release', 'deployment'].includes((host.getVariable('System.HostType') ?? '').toLowerCase()) ? 'release' : 'build';
  const outputDir = resolve(input(INPUTS.outputDirectory) ?? defaultReportDirectory(host, hostType, platform));
  if (errors.length > 0) return { ok: false, errors, secrets };

  const raw: RawConfig & Record<string, string | boolean | undefined> = {
    apiKey: token,
    region: region === 'custom' ? undefined : region,
    baseUrl: url,
    app: input(INPUTS.application),
    scanConfig: input(INPUTS.scanConfiguration),
    scanId: input(INPUTS.scanId),
    advanceOn: wait ? input(INPUTS.advanceOn) : 'submitted',
    pollInterval: input(INPUTS.scanStatusInterval),
    maxPending: input(INPUTS.maxPending),
    maxExecution: wait && isTrue(input(INPUTS.failOnTimeout), false) ? (input(INPUTS.timeout) ?? '120') : 'none',
    onTimeout: input(INPUTS.onTimeoutAction),
    cancelOnInterrupt: isTrue(input(INPUTS.cancelOnInterrupt), true),
    findingsReport: isTrue(input(INPUTS.generateFindingsReport), true),
    reports: input(INPUTS.reportFormats),
    outputDir,
    gateQuery: gating ? query : undefined,
    failOn: severity === undefined || severity.toLowerCase() === 'none' ? undefined : severity,
  };
  // Newer core versions read these; older ones ignore unknown keys.
  const baseline = input(INPUTS.baseline);
  const suppressions = input(INPUTS.suppressions);
  if (baseline !== undefined) raw.baseline = baseline;
  if (suppressions !== undefined) raw.suppressions = suppressions;

  return {
    ok: true,
    raw,
    names: { ...INPUT_NAMES, baseline: 'Baseline', suppressions: 'Suppressions' } as InputNames,
    options: {
      connectionId,
      outputDir,
      publishArtifacts: isTrue(input(INPUTS.publishArtifacts), true),
      artifactName: input(INPUTS.artifactName) ?? 'insightappsec',
      artifactPerReport: isTrue(input(INPUTS.artifactPerReport), false),
      warnOnly: isTrue(input(INPUTS.warnOnly), false),
      hostType,
    },
    secrets,
  };
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
