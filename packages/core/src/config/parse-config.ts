import { ConfigError, type ConfigIssue } from '../errors';
import { UUID_PATTERN } from '../api/resources';
import { checkGateQuery } from './gate-query';
import { configSchema, toScanJob, type ConfigKey, type RawConfig, type ScanJob } from './schema';

/** How a front end names each key to its users (`--poll-interval`, `IAS_POLL_INTERVAL`, "Scan Status Interval"). */
export type InputNames = Partial<Record<ConfigKey, string>>;

/** Options of {@link parseConfig}. */
export interface ParseConfigOptions {
  /** The input names to use in messages. @default the camelCase key */
  names?: InputNames;
}

/** The result of {@link parseConfig}: a job, or the issues that prevent one. Never throws. */
export type ParseConfigResult = { ok: true; job: ScanJob; warnings: string[] } | { ok: false; errors: ConfigIssue[]; warnings: string[] };

/** Validates raw front-end values into a {@link ScanJob}, naming each problem with the input's user-facing name. */
export function parseConfig(raw: RawConfig, options: ParseConfigOptions = {}): ParseConfigResult {
  const names = options.names ?? {};
  const nameOf = (key: string): string => names[key as ConfigKey] ?? key;
  const warnings: string[] = [];
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) {
    const errors = parsed.error.issues.map((issue) => {
      const key = String(issue.path[0] ?? 'config');
      return { path: nameOf(key), message: `${nameOf(key)} ${issue.message}` };
    });
    return { ok: false, errors, warnings };
  }
  const job = toScanJob(parsed.data);
  const errors: ConfigIssue[] = [];
  if (job.app === undefined && !UUID_PATTERN.test(job.scanConfig)) {
    errors.push({ path: nameOf('app'), message: `${nameOf('app')} is required unless ${nameOf('scanConfig')} is a scan configuration id; give the application name or id` });
  }
  const queryProblem = job.gateQuery === undefined ? undefined : checkGateQuery(job.gateQuery);
  if (queryProblem !== undefined) {
    errors.push({ path: nameOf('gateQuery'), message: `${nameOf('gateQuery')} ${queryProblem.message}`, detail: queryProblem.diagnostic });
  }
  if (job.newOnly && job.baseline === undefined) {
    errors.push({ path: nameOf('newOnly'), message: `${nameOf('newOnly')} needs a baseline; give ${nameOf('baseline')} the findings report of an earlier run` });
  }
  if (errors.length > 0) return { ok: false, errors, warnings };
  return { ok: true, job, warnings };
}

/**
 * Like {@link parseConfig}, but throws.
 * @throws ConfigError (code CONFIG_INVALID) listing every issue; its message is the first issue's sentence.
 */
export function assertConfig(raw: RawConfig, options: ParseConfigOptions = {}): ScanJob {
  const result = parseConfig(raw, options);
  if (!result.ok) {
    const first = result.errors[0]?.message ?? 'the configuration is invalid';
    const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more problem${result.errors.length > 2 ? 's' : ''})` : '';
    throw new ConfigError(`${first}${more}.`, result.errors);
  }
  return result.job;
}
