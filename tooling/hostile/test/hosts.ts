// The four hosts, each driven through its own contract, the way the faults suite (tooling/faults/test/adapters.test.ts)
// and each adapter's end-to-end harness do it:
// - the ias CLI: IAS_* variables (apps/cli/README.md);
// - the GitHub Action: inputs as INPUT_<NAME> (upper case, spaces to `_`, hyphens kept) and the runner's file
//   commands GITHUB_OUTPUT, GITHUB_STATE and GITHUB_STEP_SUMMARY, as actions/runner sets them up for a node action
//   (src/Runner.Worker/Handlers/NodeScriptActionHandler.cs, src/Runner.Worker/FileCommandManager.cs);
//   apps/github-action/test/harness.ts does the same;
// - the Azure DevOps task: INPUT_*, ENDPOINT_URL_/ENDPOINT_AUTH_<connection> and the agent's system variables, which
//   azure-pipelines-task-lib reads (node/task.ts getInput, getEndpointUrl, getEndpointAuthorization);
//   apps/azure-devops/test/harness.ts does the same; its verdict is the `##vso[task.complete result=…]` line and
//   the `result` output variable;
// - the Bamboo task: bamboo_* variables, as Bamboo exports plan variables to a Script task (dots become `_`);
//   apps/bamboo/test/e2e.test.ts does the same.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareStep } from '../../../apps/azure-devops/test/agent-emulator';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** A distinctive API key: any occurrence in an output, a file or at another origin is a leak. */
export const CANARY_KEY = 'sk-hostile-CANARY-3b9d1f7e5a2c-never-print';

/** What a case sets, in host-neutral terms; each host maps it to its own inputs. */
export interface Settings {
  baseUrl: string;
  apiKey?: string | undefined;
  pollInterval?: string | undefined;
  maxPending?: string | undefined;
  requestTimeout?: string | undefined;
  outputDir?: string | undefined;
  /** HTTPS_PROXY and HTTP_PROXY of the step's environment. */
  envProxy?: string | undefined;
}

/** The result names every host reports (the CLI's and Bamboo's exit codes, GitHub's `result` output, Azure's). */
export type ResultName = 'passed' | 'gate-failed' | 'config-error' | 'scan-failed' | 'budget-exceeded' | 'api-error' | 'interrupted';

const BY_CODE: Record<number, ResultName> = { 0: 'passed', 1: 'gate-failed', 2: 'config-error', 3: 'scan-failed', 4: 'budget-exceeded', 5: 'api-error', 130: 'interrupted' };

/** What a host run left behind. */
export interface HostRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  files: Map<string, string>;
}

export interface Host {
  name: string;
  bundle: string;
  /** Arguments after the bundle (the CLI's command). */
  args?: readonly string[];
  /** Whether the host has an input for the per-request timeout (Azure's task has none: 60s). */
  hasRequestTimeout: boolean;
  env(settings: Settings, workDir: string): Record<string, string | undefined>;
  /** The verdict as the host shows it, or `undefined` when the run shows none. */
  result(run: HostRun): ResultName | undefined;
  /** The line that registers the key as a secret with the host, which the host consumes instead of showing. */
  registration?: string;
}

function ensureDir(path: string): string {
  mkdirSync(path, { recursive: true });
  return path;
}

const proxyEnv = (s: Settings): Record<string, string | undefined> => (s.envProxy === undefined ? {} : { HTTPS_PROXY: s.envProxy, HTTP_PROXY: s.envProxy });

export const CLI: Host = {
  name: 'ias CLI',
  bundle: join(REPO_ROOT, 'apps/cli/dist/ias.js'),
  args: ['scan'],
  hasRequestTimeout: true,
  env: (s, workDir) => ({
    IAS_API_KEY: s.apiKey ?? CANARY_KEY,
    IAS_BASE_URL: s.baseUrl,
    IAS_APP: 'Demo Shop',
    IAS_SCAN_CONFIG: 'Full',
    IAS_POLL_INTERVAL: s.pollInterval ?? '1s',
    IAS_MAX_PENDING: s.maxPending,
    IAS_REQUEST_TIMEOUT: s.requestTimeout,
    IAS_OUTPUT_DIR: s.outputDir ?? join(workDir, 'reports'),
    IAS_DEBUG: '1',
    ...proxyEnv(s),
  }),
  result: (run) => (run.code === null ? undefined : BY_CODE[run.code]),
};

export const GITHUB: Host = {
  name: 'GitHub Action',
  bundle: join(REPO_ROOT, 'apps/github-action/dist/index.js'),
  hasRequestTimeout: true,
  env: (s, workDir) => {
    const files = { GITHUB_OUTPUT: join(workDir, '.runner-output'), GITHUB_STATE: join(workDir, '.runner-state'), GITHUB_STEP_SUMMARY: join(workDir, '.runner-summary') };
    for (const path of Object.values(files)) writeFileSync(path, '');
    return {
      GITHUB_ACTIONS: 'true',
      GITHUB_WORKSPACE: workDir,
      RUNNER_TEMP: workDir,
      RUNNER_DEBUG: '1',
      ...files,
      'INPUT_API-KEY': s.apiKey ?? CANARY_KEY,
      'INPUT_BASE-URL': s.baseUrl,
      INPUT_APP: 'Demo Shop',
      'INPUT_SCAN-CONFIG': 'Full',
      'INPUT_POLL-INTERVAL': s.pollInterval ?? '1s',
      'INPUT_MAX-PENDING': s.maxPending,
      'INPUT_REQUEST-TIMEOUT': s.requestTimeout,
      'INPUT_OUTPUT-DIR': s.outputDir,
      ...proxyEnv(s),
    };
  },
  result: (run) => {
    // The `result` output, written to GITHUB_OUTPUT (`name=value` or the heredoc form).
    const output = run.files.get('.runner-output') ?? '';
    const simple = /^result=(.+)$/m.exec(output)?.[1];
    const heredoc = /^result<<(\S+)\n([\s\S]*?)\n\1$/m.exec(output)?.[2];
    const value = (heredoc ?? simple)?.trim();
    return (value as ResultName | undefined) ?? (run.code === null ? undefined : BY_CODE[run.code]);
  },
  registration: `::add-mask::${CANARY_KEY}`,
};

const CONNECTION = 'c0ffee00-0000-4000-8000-0000000e17a1';
const AZURE_TASK_DIR = join(REPO_ROOT, 'apps/azure-devops/dist/extension/InsightAppSecScan');
export const AZURE: Host = {
  name: 'Azure DevOps task',
  bundle: join(AZURE_TASK_DIR, 'index.js'),
  hasRequestTimeout: false,
  // The step's environment as the agent prepares it (apps/azure-devops/test/agent-emulator.ts, built from
  // azure-pipelines-agent), plus the environment proxy of a case.
  env: (s, workDir) => {
    const given: Record<string, string | undefined> = { iasConnection: 'InsightAppSec', application: 'Demo Shop', scanConfiguration: 'Full', scanStatusInterval: s.pollInterval ?? '1s', maxPending: s.maxPending, outputDirectory: s.outputDir, publishArtifacts: 'false' };
    const inputs = Object.fromEntries(Object.entries(given).filter((e): e is [string, string] => e[1] !== undefined));
    const connection = { name: 'InsightAppSec', id: CONNECTION, url: s.baseUrl, scheme: 'Token', parameters: { apitoken: s.apiKey ?? CANARY_KEY }, data: { region: 'us' } };
    const prepared = prepareStep({ taskDir: AZURE_TASK_DIR, inputs, connections: [connection], variables: { 'System.Debug': 'true' } }, workDir);
    return { ...prepared.env, ...proxyEnv(s) };
  },
  result: (run) => {
    const variable = /##vso\[task\.setvariable variable=result;[^\]]*\](\S+)/.exec(run.stdout)?.[1];
    if (variable !== undefined) return variable as ResultName;
    return /##vso\[task\.complete result=Failed/.test(run.stdout) ? 'config-error' : undefined;
  },
  registration: `##vso[task.setsecret]${CANARY_KEY}`,
};

export const BAMBOO: Host = {
  name: 'Bamboo task',
  bundle: join(REPO_ROOT, 'apps/bamboo/dist/ias-bamboo.js'),
  hasRequestTimeout: true,
  // The agent's build folder one level down: Bamboo keeps the documentation cache beside it, so each run gets its own.
  env: (s, workDir) => ({
    bamboo_build_working_directory: ensureDir(join(workDir, 'build-dir', 'PLAN-JOB1')),
    bamboo_buildNumber: '17',
    bamboo_ias_apiKey_password: s.apiKey ?? CANARY_KEY,
    bamboo_ias_baseUrl: s.baseUrl,
    bamboo_ias_app: 'Demo Shop',
    bamboo_ias_scanConfig: 'Full',
    bamboo_ias_pollInterval: s.pollInterval ?? '1s',
    bamboo_ias_maxPending: s.maxPending ?? 'none',
    bamboo_ias_requestTimeout: s.requestTimeout,
    bamboo_ias_outputDir: s.outputDir,
    bamboo_ias_debug: 'true',
    ...proxyEnv(s),
  }),
  result: (run) => (run.code === null ? undefined : BY_CODE[run.code]),
};

export const HOSTS: readonly Host[] = [CLI, GITHUB, AZURE, BAMBOO];
