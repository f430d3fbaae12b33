// Each host as its runner starts our bundle: the environment contract, and what counts as a command line there.
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { prepareStep } from '../../../apps/azure-devops/test/agent-emulator';
import { HOSTILE_KEY } from './hostile-scenario';

export const REPO_ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** One host: its built bundle, its environment for a run, and its rules for stdout. */
export interface Host {
  name: string;
  bundle: string;
  /** Arguments and environment of a run against `baseUrl` for `config` of `app`, reports in `outputDir`. */
  setup(baseUrl: string, workDir: string, outputDir: string, app: string, config: string): { args: string[]; env: Record<string, string> };
  /** True when the line is a command the adapter itself emits (its shape, not its content, is checked here). */
  ownCommand(line: string): boolean;
  /** The result word the run ended with, as the host shows it. */
  result(code: number | null, stdout: string): string;
  /** The secret registration line the host consumes instead of showing it. */
  registration?: string;
}

const CODES: Record<number, string> = { 0: 'passed', 1: 'gate-failed', 2: 'config-error', 3: 'scan-failed', 4: 'budget-exceeded', 5: 'api-error', 130: 'interrupted' };

/** The CLI: flags and IAS_* variables; no host reads its stdout as commands, so no line may look like one. */
export const CLI: Host = {
  name: 'CLI',
  bundle: join(REPO_ROOT, 'apps/cli/dist/ias.js'),
  setup: (baseUrl, _work, outputDir, app, config) => ({
    args: ['scan', '--app', app, '--scan-config', config, '--fail-on', 'LOW', '--poll-interval', '1s', '--output-dir', outputDir, '--debug'],
    env: { IAS_API_KEY: HOSTILE_KEY, IAS_BASE_URL: baseUrl },
  }),
  ownCommand: () => false,
  result: (code) => CODES[code ?? -1] ?? `exit ${code}`,
};

/**
 * The GitHub Action as the runner starts it: inputs as INPUT_<NAME> (actions/toolkit packages/core/src/core.ts,
 * getInput), the GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY files, step debug on (RUNNER_DEBUG). The runner
 * reads `::command::` at the start of a line after leading white space (actions/runner
 * src/Runner.Common/ActionCommand.cs, TryParseV2) and the legacy `##[command]` anywhere in it (TryParse).
 */
export const GITHUB: Host = {
  name: 'GitHub Action',
  bundle: join(REPO_ROOT, 'apps/github-action/dist/index.js'),
  setup: (baseUrl, work, outputDir, app, config) => {
    const files = { GITHUB_OUTPUT: join(work, '.runner-output'), GITHUB_STATE: join(work, '.runner-state'), GITHUB_STEP_SUMMARY: join(work, '.runner-summary') };
    return {
      args: [],
      env: {
        GITHUB_ACTIONS: 'true',
        GITHUB_WORKSPACE: work,
        RUNNER_TEMP: work,
        RUNNER_DEBUG: '1',
        ...files,
        'INPUT_API-KEY': HOSTILE_KEY,
        'INPUT_BASE-URL': baseUrl,
        INPUT_APP: app,
        'INPUT_SCAN-CONFIG': config,
        'INPUT_FAIL-ON': 'LOW',
        'INPUT_POLL-INTERVAL': '1s',
        'INPUT_OUTPUT-DIR': outputDir,
      },
    };
  },
  // What @actions/core writes (packages/core/src/command.ts): the command name, optional properties, `::`, data.
  ownCommand: (line) => /^::(add-mask|debug|warning|error|notice|group|endgroup)( [^:]*)?::/.test(line),
  result: (code) => CODES[code ?? -1] ?? `exit ${code}`,
  registration: `::add-mask::${HOSTILE_KEY}`,
};

const CONNECTION = 'c0ffee00-0000-4000-8000-00000000a2d0';
const AZURE_OUTPUTS = 'scanId|scanStatus|result|gateResult|gateMatched|findingsTotal|findingsCritical|findingsHigh|findingsMedium|findingsLow|findingsInformational|reportDirectory';

const AZURE_TASK_DIR = join(REPO_ROOT, 'apps/azure-devops/dist/extension/InsightAppSecScan');

/**
 * The Azure DevOps task as the agent starts it: the environment comes from the agent emulator's preparation of the
 * step (apps/azure-devops/test/agent-emulator.ts, built from azure-pipelines-agent: inputs with the task.json
 * defaults and aliases, filePath rooting, ENDPOINT_* of the service connection, system variables), debug on. The agent
 * runs `##vso[` wherever it appears in a line (azure-pipelines-agent src/Microsoft.VisualStudio.Services.Agent/Command.cs,
 * TryParse: IndexOf the prefix).
 */
export const AZURE: Host = {
  name: 'Azure DevOps task',
  bundle: join(AZURE_TASK_DIR, 'index.js'),
  setup: (baseUrl, work, outputDir, app, config) => {
    const inputs = { iasConnection: 'InsightAppSec', application: app, scanConfiguration: config, scanStatusInterval: '1s', failOnSeverity: 'LOW', outputDirectory: outputDir, publishArtifacts: 'false', generateFindingsReport: 'true' };
    const connection = { name: 'InsightAppSec', id: CONNECTION, url: baseUrl, scheme: 'Token', parameters: { apitoken: HOSTILE_KEY }, data: { region: 'us' } };
    const prepared = prepareStep({ taskDir: AZURE_TASK_DIR, inputs, connections: [connection], variables: { 'System.Debug': 'true' } }, work);
    return { args: [], env: prepared.env };
  },
  // What azure-pipelines-task-lib writes (node/taskcommand.ts): one `##vso[` at the start of the line, the
  // commands the task uses, and for task.setvariable only the task's declared output variables; and the task's own
  // `##[error]` formatting prefix for red lines (one, at the start).
  ownCommand: (line) =>
    (/^##\[error\]/.test(line) && line.split('##').length === 2) ||
    (line.split('##vso[').length === 2 &&
      line.split('##').length === 2 &&
      new RegExp(`^##vso\\[(task\\.setvariable variable=(${AZURE_OUTPUTS});|task\\.setsecret\\]|task\\.debug\\]|task\\.issue type=(error|warning);|task\\.logissue type=(error|warning);|task\\.complete result=(Succeeded|SucceededWithIssues|Failed);|task\\.uploadsummary\\]|task\\.uploadfile\\]|artifact\\.upload )`).test(line)),
  result: (_code, stdout) => {
    const match = /^##vso\[task\.complete result=(\w+);/m.exec(stdout);
    return match === null ? 'none' : match[1] === 'Failed' ? 'failed' : 'succeeded';
  },
  registration: `##vso[task.setsecret]${HOSTILE_KEY}`,
};

/** The Bamboo task as a Script task runs it: plan variables as bamboo_* (dots to underscores). */
export const BAMBOO: Host = {
  name: 'Bamboo task',
  bundle: join(REPO_ROOT, 'apps/bamboo/dist/ias-bamboo.js'),
  setup: (baseUrl, work, outputDir, app, config) => {
    // The agent's build folder, one level down: Bamboo keeps the documentation cache beside it, so each run gets its own.
    const build = join(work, 'build-dir', 'PLAN-JOB1');
    mkdirSync(build, { recursive: true });
    return {
    args: [],
    env: {
      bamboo_build_working_directory: build,
      bamboo_ias_apiKey_password: HOSTILE_KEY,
      bamboo_ias_baseUrl: baseUrl,
      bamboo_ias_app: app,
      bamboo_ias_scanConfig: config,
      bamboo_ias_failOn: 'LOW',
      bamboo_ias_pollInterval: '1s',
      bamboo_ias_outputDir: outputDir,
      bamboo_ias_debug: 'true',
    },
    };
  },
  ownCommand: () => false,
  result: (code) => CODES[code ?? -1] ?? `exit ${code}`,
};

export const HOSTS: readonly Host[] = [CLI, GITHUB, AZURE, BAMBOO];

/** The result word each host shows for a vector's expected outcome. */
export function expectedResult(host: Host, expected: 'gate-failed' | 'scan-failed'): string {
  return host === AZURE ? 'failed' : expected;
}
