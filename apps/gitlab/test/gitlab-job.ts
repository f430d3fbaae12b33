import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

/*
 * A stand-in for what GitLab does with a CI/CD component, built from GitLab's documentation:
 * - "CI/CD inputs" (docs.gitlab.com/ci/inputs): the header document (`spec:inputs`) is separated from the content by
 *   `---`; inputs without a `default` are mandatory; `type: boolean|number|string` and `options` are checked when the
 *   pipeline is created; `$[[ inputs.id ]]` is replaced before the configuration is merged. When the interpolation
 *   block is the whole YAML value the value replaces the node and keeps its type (gitlab-org/gitlab MR 144065);
 *   inside a longer string it is inserted as text.
 * - "Predefined CI/CD variables" and the runner's job execution: job `variables:` and project CI/CD variables become
 *   the environment of the script; each `script` entry runs in the job's shell, in order, and the first one that exits
 *   non-zero ends the job with that status.
 * - `artifacts:reports`: paths relative to `CI_PROJECT_DIR`, collected whether the job passed or failed when
 *   `artifacts:when: always`.
 */

/** One input of a component's `spec:inputs`. */
interface InputSpec {
  default?: unknown;
  type?: 'string' | 'boolean' | 'number';
  options?: unknown[];
  description?: string;
}

/** The job after interpolation, as the runner gets it. */
export interface InterpolatedJob {
  name: string;
  allowFailure: unknown;
  variables: Record<string, string>;
  script: string[];
  artifacts: { when?: string; paths?: string[]; reports?: Record<string, string> };
}

const BLOCK = /\$\[\[\s*inputs\.([\w-]+)\s*\]\]/g;

/**
 * Interpolates a component template with the inputs given in `include:inputs`, the way GitLab does at pipeline
 * creation.
 * @throws Error with GitLab's kind of message when an input is missing, unknown, of the wrong type or not an option.
 */
export function interpolateComponent(templateText: string, given: Record<string, unknown>): InterpolatedJob[] {
  const [header, content, ...rest] = parseAllDocuments(templateText);
  if (header === undefined || content === undefined || rest.length > 0) throw new Error('a component has a header document and one content document');
  const specs = ((header.toJS() as { spec?: { inputs?: Record<string, InputSpec | null> } }).spec?.inputs ?? {}) as Record<string, InputSpec | null>;
  for (const name of Object.keys(given)) if (!(name in specs)) throw new Error(`unknown input name provided: \`${name}\``);
  const values: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const value = name in given ? given[name] : spec?.default;
    if (value === undefined) throw new Error(`\`${name}\` input: required value has not been provided`);
    const type = spec?.type ?? 'string';
    if (typeof value !== type) throw new Error(`\`${name}\` input: provided value is not a ${type}`);
    if (spec?.options !== undefined && !spec.options.includes(value)) throw new Error(`\`${name}\` input: \`${String(value)}\` cannot be used because it is not in the list of allowed options`);
    values[name] = value;
  }
  const replace = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const whole = /^\$\[\[\s*inputs\.([\w-]+)\s*\]\]$/.exec(node);
      if (whole !== null) return values[whole[1] as string];
      return node.replace(BLOCK, (_, name: string) => String(values[name]));
    }
    if (Array.isArray(node)) return node.map(replace);
    if (node !== null && typeof node === 'object') return Object.fromEntries(Object.entries(node).map(([k, v]) => [replace(k) as string, replace(v)]));
    return node;
  };
  const jobs = replace(content.toJS()) as Record<string, { allow_failure?: unknown; variables?: Record<string, unknown>; script?: string[]; artifacts?: InterpolatedJob['artifacts'] }>;
  return Object.entries(jobs).map(([name, job]) => ({
    name,
    allowFailure: job.allow_failure ?? false,
    // Variables reach the job as strings, typed values included.
    variables: Object.fromEntries(Object.entries(job.variables ?? {}).map(([k, v]) => [k, String(v)])),
    script: job.script ?? [],
    artifacts: job.artifacts ?? {},
  }));
}

/** What the runner saw of one job. */
export interface JobRun {
  code: number | null;
  output: string;
  /** Each `artifacts:reports` type, with the file's text when the file exists. */
  reports: Record<string, string | undefined>;
}

/** Options of {@link runJob}. */
export interface RunJobOptions {
  projectDir: string;
  /** Project-level CI/CD variables (the masked IAS_API_KEY among them). */
  projectVariables: Record<string, string>;
  /** Kills a job that never ends. @default 120000 */
  timeoutMs?: number;
}

/** Runs a job's script entries in order in `sh`, in the project directory, as a runner's shell executor does. */
export async function runJob(job: InterpolatedJob, options: RunJobOptions): Promise<JobRun> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: options.projectDir,
    CI: 'true',
    GITLAB_CI: 'true',
    CI_PROJECT_DIR: options.projectDir,
    CI_JOB_NAME: job.name,
    CI_JOB_ID: '4242',
    CI_PIPELINE_SOURCE: 'merge_request_event',
    // Project CI/CD variables take precedence over variables defined in the YAML (GitLab's variable precedence).
    ...job.variables,
    ...options.projectVariables,
  };
  let output = '';
  let code: number | null = 0;
  for (const entry of job.script) {
    const result = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn('sh', ['-e', '-c', entry], { cwd: options.projectDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let text = '';
      child.stdout.setEncoding('utf8').on('data', (c: string) => (text += c));
      child.stderr.setEncoding('utf8').on('data', (c: string) => (text += c));
      const killer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
      child.on('error', reject);
      child.on('close', (status) => {
        clearTimeout(killer);
        resolve({ code: status, output: text });
      });
    });
    output += result.output;
    code = result.code;
    if (code !== 0) break;
  }
  const reports: Record<string, string | undefined> = {};
  for (const [type, path] of Object.entries(job.artifacts.reports ?? {})) {
    const file = join(options.projectDir, path);
    reports[type] = existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }
  return { code, output, reports };
}
