/**
 * An emulation of what Azure Pipelines does between a pipeline step and a Node task's process, built from the
 * agent's public source (microsoft/azure-pipelines-agent) and task-lib (microsoft/azure-pipelines-task-lib).
 * Every end-to-end test of the packaged task goes through it; none sets INPUT_* itself.
 *
 * - Aliases: the service maps a step's input names to the task's (task.json `aliases`) before the job reaches the
 *   agent, and drops unknown names with a warning.
 * - Inputs: defaults from the packaged task.json, then the step's values, both trimmed (Agent.Worker/TaskRunner.cs
 *   LoadDefaultInputs and the instance-input merge), `$(var)` macros expanded, then every `filePath` input rooted
 *   (TaskRunner.cs TranslateFilePathInput → Build/BuildJobExtension.cs GetRootedPath: the checked-out repository,
 *   so an empty value becomes the sources folder; Release/ReleaseJobExtension.cs GetRootedPath: System.ArtifactsDirectory).
 * - Endpoints: each GUID in a `connectedService:*` input (TaskRunner.cs) becomes ENDPOINT_URL_<id>,
 *   ENDPOINT_AUTH_<id> (JSON), ENDPOINT_AUTH_SCHEME_<id>, ENDPOINT_AUTH_PARAMETER_<id>_<KEY> and
 *   ENDPOINT_DATA_<id>[_<KEY>] (Handlers/Handler.cs AddEndpointsToEnvironment).
 * - Variables: public ones under their formatted names plus VSTS_PUBLIC_VARIABLES, secret ones as SECRET_<NAME>
 *   plus VSTS_SECRET_VARIABLES (Handler.cs AddVariablesToEnvironment; names by Util/VarUtil.cs
 *   ConvertToEnvVariableFormat: `.` and space to `_`, upper case). The proxy password and the client certificate
 *   password are secret variables; proxy, CA and skip-cert settings are the variables ExecutionContext.cs sets.
 * - Handler: Node24 on agents from 4.265.0, else Node20_1 (Handlers/NodeHandler.cs); minimumAgentVersion is
 *   enforced as the agent refuses older versions.
 * - Output: `##vso[` anywhere in a line is a command (Microsoft.VisualStudio.Services.Agent/Command.cs TryParse,
 *   with its unescaping); `task.setsecret` and secret variables are masked in the log; `task.logissue` (alias
 *   `task.issue`, TaskCommandExtension.cs) keeps the
 *   first 10 errors and 10 warnings of the step (ExecutionContext.cs `_maxIssueCount`, counting all); artifact
 *   uploads work only for build host types (Build/ArtifactCommandExtension.cs) and a failing command fails the step
 *   (WorkerCommandManager.cs).
 * - Cancel: SIGINT, then SIGTERM after 7.5 s, then a kill after 2.5 s more (Agent.Sdk/ProcessInvoker.cs
 *   `_defaultSigintTimeout`, `_defaultSigtermTimeout`, CancelAndKillProcessTree).
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

/** The packaged task folder's task.json, as the agent downloads it. */
interface TaskDefinition {
  minimumAgentVersion?: string;
  inputs: { name: string; type: string; defaultValue?: string; aliases?: string[] }[];
  execution: Record<string, { target: string }>;
}

/** A service connection as the service hands it to the agent. */
export interface ServiceConnection {
  name: string;
  /** The connection's id; a GUID is made up when left out. */
  id?: string;
  url: string;
  scheme: string;
  parameters: Record<string, string>;
  data?: Record<string, string>;
}

/** One job with one step of the packaged task. */
export interface AgentJob {
  taskDir: string;
  hostType?: 'build' | 'release';
  /** Build jobs only: whether the job checked out a repository (a YAML build does unless `checkout: none`). @default true */
  checkout?: boolean;
  /** The step's `inputs:` as a pipeline author writes them (names or aliases; connections by name). */
  inputs: Record<string, string>;
  connections: ServiceConnection[];
  variables?: Record<string, string>;
  secretVariables?: Record<string, string>;
  proxy?: { url: string; username?: string; password?: string; bypass?: string[] };
  tls?: { caFile?: string; skipCertValidation?: boolean };
  /** Files of the checked-out repository (build) or of the downloaded artifacts (release), by relative path. */
  files?: Record<string, string>;
  /** @default 4.266.0 */
  agentVersion?: string;
  /** The node binary of the handler. */
  node?: string;
  /** Called with each log line as the agent would show it (masked), and a way to cancel the job. */
  onLine?: (line: string, agent: { cancel(): void }) => void;
}

/** One parsed `##vso[area.event k=v;…]data` command. */
export interface LoggingCommand {
  command: string;
  properties: Record<string, string>;
  data: string;
}

/** What the job shows afterwards. */
export interface AgentRun {
  /** The step's result on the timeline. */
  result: 'Succeeded' | 'SucceededWithIssues' | 'Failed' | 'Canceled';
  /** task.complete's message. */
  message: string | undefined;
  /** The issues the timeline keeps (at most 10 of each type), in order. */
  issues: { type: 'error' | 'warning'; message: string }[];
  errorCount: number;
  warningCount: number;
  /** The step's log, masked as the agent writes it. */
  log: string[];
  /** Raw stdout and stderr of the handler, unmasked (to check what the task itself printed). */
  stdout: string;
  stderr: string;
  commands: LoggingCommand[];
  outputs: Record<string, string>;
  artifacts: { name: string; containerFolder: string; path: string }[];
  uploadedFiles: string[];
  summaries: string[];
  /** Warnings of the service and agent before the task ran (dropped inputs). */
  agentWarnings: string[];
  /** Signals the agent sent, in order. */
  signals: string[];
  exitCode: number | null;
  handler: string;
  env: Record<string, string>;
  folders: { work: string; sources: string; staging: string; artifacts: string; temp: string };
}

const SIGINT_TIMEOUT_MS = 7_500;
const SIGTERM_TIMEOUT_MS = 2_500;
const MAX_ISSUES = 10;
const NODE24_FIRST_AGENT = '4.265.0';
const envName = (name: string): string => name.replace(/[. ]/g, '_').toUpperCase();

function compareVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i += 1) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return Math.sign(d);
  }
  return 0;
}

/** CommandStringConvertor.Unescape of the agent. */
function unescape(value: string): string {
  return value.replace(/%3B/g, ';').replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%5D/g, ']').replace(/%AZP25/g, '%');
}

/** Command.cs TryParse: the first `##vso[` of the line, area.event, `;`-separated properties, data after `]`. */
export function parseCommand(line: string): LoggingCommand | undefined {
  const at = line.indexOf('##vso[');
  if (at < 0) return undefined;
  const rb = line.indexOf(']', at);
  if (rb < 0) return undefined;
  const info = line.slice(at + 6, rb);
  const space = info.indexOf(' ');
  const name = space < 0 ? info : info.slice(0, space);
  if (name.split('.').filter(Boolean).length !== 2) return undefined;
  const properties: Record<string, string> = {};
  if (space > 0) {
    for (const pair of info.slice(space + 1).split(';').filter(Boolean)) {
      const eq = pair.indexOf('=');
      if (eq > 0 && eq < pair.length - 1) properties[pair.slice(0, eq)] = unescape(pair.slice(eq + 1));
    }
  }
  return { command: name.toLowerCase(), properties, data: unescape(line.slice(rb + 1)) };
}

/** Runs the step as the agent would, and reports what the timeline and the log show. */
/** What the agent has made ready for the handler: its environment, folders, handler, or why it refused. */
export interface PreparedStep {
  env: Record<string, string>;
  cwd: string;
  folders: AgentRun['folders'];
  handler: string;
  /** The handler's script, absolute; `undefined` when the agent refuses the step (`refusal` says why). */
  script: string | undefined;
  refusal: string | undefined;
  agentWarnings: string[];
  /** Values the agent masks from the start: secret variables and endpoint authorization parameters. */
  masks: string[];
  hostType: 'build' | 'release';
}

/**
 * Everything the service and the agent do before the handler starts (aliases, defaults, rooting, variables,
 * endpoints, handler choice), in `work` (a new temporary folder when left out). Synchronous, so other harnesses
 * can take the environment and spawn the handler themselves.
 */
export function prepareStep(job: AgentJob, work: string = mkdtempSync(join(tmpdir(), 'ias-agent-'))): PreparedStep {
  const definition = JSON.parse(readFileSync(join(job.taskDir, 'task.json'), 'utf8')) as TaskDefinition;
  const hostType = job.hostType ?? 'build';
  const agentVersion = job.agentVersion ?? '4.266.0';
  const agentWarnings: string[] = [];

  // Build: _work/1/s and _work/1/a (staging = artifacts); release: _work/r1/a.
  const folders = { work, sources: join(work, '1', 's'), staging: join(work, '1', 'a'), artifacts: hostType === 'release' ? join(work, 'r1', 'a') : join(work, '1', 'a'), temp: join(work, '_temp') };
  for (const dir of [folders.sources, folders.staging, folders.artifacts, folders.temp]) mkdirSync(dir, { recursive: true });
  const checkout = hostType === 'build' && job.checkout !== false;
  for (const [path, text] of Object.entries(job.files ?? {})) {
    const full = join(hostType === 'release' ? folders.artifacts : folders.sources, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
  }
  const cwd = hostType === 'release' ? folders.artifacts : folders.sources;
  const refuse = (refusal: string): PreparedStep => ({ env: {}, cwd, folders, handler: '', script: undefined, refusal, agentWarnings, masks: [], hostType });
  if (definition.minimumAgentVersion !== undefined && compareVersions(agentVersion, definition.minimumAgentVersion) < 0) {
    return refuse(`The task requires agent ${definition.minimumAgentVersion} or later; this agent is ${agentVersion}.`);
  }
  // Variables of the job: system ones first (ExecutionContext.cs, Build/Release job extensions), then the pipeline's.
  const publicVars = new Map<string, string>();
  const secretVars = new Map<string, string>();
  const setVar = (name: string, value: string, secret = false): void => {
    (secret ? secretVars : publicVars).set(name, value);
  };
  setVar('System.HostType', hostType);
  setVar('System.Debug', 'true');
  setVar('Agent.Version', agentVersion);
  setVar('Agent.WorkFolder', work);
  setVar('Agent.TempDirectory', folders.temp);
  setVar('System.DefaultWorkingDirectory', hostType === 'release' ? folders.artifacts : folders.sources);
  setVar('System.ArtifactsDirectory', folders.artifacts);
  if (hostType === 'build') {
    setVar('Build.SourcesDirectory', folders.sources);
    setVar('Build.ArtifactStagingDirectory', folders.staging);
    setVar('Build.StagingDirectory', folders.staging);
    setVar('Build.BuildId', '4711');
  } else {
    setVar('Release.ReleaseId', '42');
  }
  if (job.proxy !== undefined) {
    setVar('Agent.ProxyUrl', job.proxy.url);
    if (job.proxy.username) setVar('Agent.ProxyUsername', job.proxy.username);
    if (job.proxy.password) setVar('Agent.ProxyPassword', job.proxy.password, true);
    if (job.proxy.bypass !== undefined && job.proxy.bypass.length > 0) setVar('Agent.ProxyBypassList', JSON.stringify(job.proxy.bypass));
  }
  if (job.tls?.skipCertValidation) setVar('Agent.SkipCertValidation', 'True');
  if (job.tls?.caFile !== undefined) setVar('Agent.CAInfo', job.tls.caFile);
  for (const [k, v] of Object.entries(job.variables ?? {})) setVar(k, v);
  for (const [k, v] of Object.entries(job.secretVariables ?? {})) setVar(k, v, true);
  const lookup = (name: string): string | undefined => {
    for (const map of [publicVars, secretVars]) for (const [k, v] of map) if (k.toLowerCase() === name.toLowerCase()) return v;
    return undefined;
  };
  const expand = (value: string): string => value.replace(/\$\(([^)]+)\)/g, (whole, name: string) => lookup(name) ?? whole);

  // The service: aliases to names, connection names to ids, unknown inputs dropped with a warning.
  const byName = new Map<string, string>();
  for (const input of definition.inputs) {
    byName.set(input.name.toLowerCase(), input.name);
    for (const alias of input.aliases ?? []) byName.set(alias.toLowerCase(), input.name);
  }
  const connections = job.connections.map((c) => ({ ...c, id: c.id ?? randomUUID() }));
  const instance: Record<string, string> = {};
  for (const [key, value] of Object.entries(job.inputs)) {
    const name = byName.get(key.trim().toLowerCase());
    if (name === undefined) {
      agentWarnings.push(`Input '${key}' is not an input of the task and was ignored.`);
      continue;
    }
    const input = definition.inputs.find((i) => i.name === name)!;
    instance[name] = input.type.startsWith('connectedService:') ? (connections.find((c) => c.name === value || c.id === value)?.id ?? value) : value;
  }

  // The agent: defaults, then instance values, trimmed; macros; filePath rooting.
  const inputs: Record<string, string> = {};
  for (const input of definition.inputs) inputs[input.name] = (input.defaultValue ?? '').trim();
  for (const [k, v] of Object.entries(instance)) inputs[k] = v.trim();
  for (const k of Object.keys(inputs)) inputs[k] = expand(inputs[k] ?? '');
  for (const input of definition.inputs) {
    if (input.type.toLowerCase() !== 'filepath') continue;
    const value = inputs[input.name] ?? '';
    if (value !== '' && isAbsolute(value)) inputs[input.name] = resolve(value);
    else if (hostType === 'release') inputs[input.name] = resolve(folders.artifacts, value);
    else if (checkout) inputs[input.name] = resolve(folders.sources, value);
  }

  const env: Record<string, string> = { PATH: process.env.PATH ?? '' };
  for (const [k, v] of publicVars) env[envName(k)] = v;
  env.VSTS_PUBLIC_VARIABLES = JSON.stringify([...publicVars.keys()]);
  for (const [k, v] of secretVars) env[`SECRET_${envName(k)}`] = v;
  env.VSTS_SECRET_VARIABLES = JSON.stringify([...secretVars.keys()]);
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${envName(k)}`] = v;
  const referenced = new Set<string>();
  for (const input of definition.inputs) {
    if (!input.type.toLowerCase().startsWith('connectedservice:')) continue;
    for (const id of (inputs[input.name] ?? '').split(',').map((s) => s.trim())) if (/^[0-9a-f-]{36}$/i.test(id)) referenced.add(id.toLowerCase());
  }
  for (const c of connections) {
    if (!referenced.has(c.id.toLowerCase())) continue;
    env[`ENDPOINT_URL_${c.id}`] = c.url;
    env[`ENDPOINT_AUTH_${c.id}`] = JSON.stringify({ parameters: c.parameters, scheme: c.scheme });
    env[`ENDPOINT_AUTH_SCHEME_${c.id}`] = c.scheme;
    for (const [k, v] of Object.entries(c.parameters)) env[`ENDPOINT_AUTH_PARAMETER_${c.id}_${envName(k)}`] = v;
    env[`ENDPOINT_DATA_${c.id}`] = JSON.stringify(c.data ?? {});
    for (const [k, v] of Object.entries(c.data ?? {})) env[`ENDPOINT_DATA_${c.id}_${envName(k)}`] = v;
  }

  const handler = definition.execution.Node24 !== undefined && compareVersions(agentVersion, NODE24_FIRST_AGENT) >= 0 ? 'Node24' : 'Node20_1';
  const target = definition.execution[handler]?.target;
  if (target === undefined) return { ...refuse(`No handler of the task runs on agent ${agentVersion}.`), env, handler };
  const masks = [...secretVars.values(), ...connections.flatMap((c) => Object.values(c.parameters))].filter((v) => v.length > 0);
  return { env, cwd, folders, handler, script: join(job.taskDir, target), refusal: undefined, agentWarnings, masks, hostType };
}

/** Runs the step as the agent would, and reports what the timeline and the log show. */
export async function runOnAgent(job: AgentJob): Promise<AgentRun> {
  const step = prepareStep(job);
  const { env, folders, hostType, agentWarnings } = step;
  const run: AgentRun = { result: 'Failed', message: undefined, issues: [], errorCount: 0, warningCount: 0, log: [], stdout: '', stderr: '', commands: [], outputs: {}, artifacts: [], uploadedFiles: [], summaries: [], agentWarnings, signals: [], exitCode: null, handler: step.handler, env, folders };
  if (step.script === undefined) {
    run.issues.push({ type: 'error', message: step.refusal ?? 'The agent refused the step.' });
    run.errorCount = 1;
    return run;
  }

  // The agent masks secret variables and endpoint auth parameters from the start.
  const masks = new Set<string>(step.masks);
  const mask = (line: string): string => {
    let out = line;
    for (const secret of [...masks].sort((a, b) => b.length - a.length)) out = out.split(secret).join('***');
    return out;
  };
  let commandFailed = false;
  let completeResult: string | undefined;
  let canceled = false;
  const child = spawn(job.node ?? process.env.IAS_E2E_NODE ?? process.execPath, [step.script], { cwd: step.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((done) => child.on('close', (code) => done(code)));
  let alive = true;
  void exited.then(() => {
    alive = false;
  });
  const cancel = (): void => {
    if (canceled) return;
    canceled = true;
    void (async () => {
      const waitExit = (ms: number) => Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms).unref())]);
      run.signals.push('SIGINT');
      child.kill('SIGINT');
      if (await waitExit(SIGINT_TIMEOUT_MS)) return;
      run.signals.push('SIGTERM');
      if (alive) child.kill('SIGTERM');
      if (await waitExit(SIGTERM_TIMEOUT_MS)) return;
      run.signals.push('SIGKILL');
      if (alive) child.kill('SIGKILL');
    })();
  };
  const onOutputLine = (line: string): void => {
    job.onLine?.(mask(line), { cancel });
    const command = parseCommand(line);
    if (command !== undefined) {
      run.commands.push(command);
      switch (command.command) {
        case 'task.setsecret':
          if (command.data !== '') masks.add(command.data);
          return;
        // TaskCommandExtension.cs TaskIssueCommand: `logissue`, alias `issue` (task-lib's warning() and error()).
        case 'task.logissue':
        case 'task.issue': {
          const type = (command.properties.type ?? '').toLowerCase() === 'warning' ? 'warning' : 'error';
          const message = mask(command.data);
          run.log.push(`##[${type}]${message}`);
          if (type === 'error') {
            if (run.errorCount < MAX_ISSUES) run.issues.push({ type, message });
            run.errorCount += 1;
          } else {
            if (run.warningCount < MAX_ISSUES) run.issues.push({ type, message });
            run.warningCount += 1;
          }
          return;
        }
        case 'task.complete':
          completeResult = command.properties.result;
          run.message = mask(command.data);
          return;
        case 'task.setvariable': {
          const name = command.properties.variable ?? '';
          const secret = (command.properties.issecret ?? '').toLowerCase() === 'true';
          if (secret && command.data !== '') masks.add(command.data);
          if ((command.properties.isOutput ?? command.properties.isoutput ?? '').toLowerCase() === 'true') run.outputs[name] = command.data;
          return;
        }
        case 'artifact.upload':
          if (hostType !== 'build') {
            // Build/ArtifactCommandExtension.cs: UploadArtifactCommandNotSupported, and the command fails the step.
            commandFailed = true;
            run.errorCount += 1;
            if (run.errorCount <= MAX_ISSUES) run.issues.push({ type: 'error', message: `Artifact upload is not supported in ${hostType} jobs.` });
            return;
          }
          run.artifacts.push({ name: command.properties.artifactname ?? '', containerFolder: command.properties.containerfolder ?? '', path: command.data });
          return;
        case 'task.uploadfile':
          run.uploadedFiles.push(command.data);
          return;
        case 'task.uploadsummary':
          run.summaries.push(command.data);
          return;
        case 'task.debug':
          run.log.push(`##[debug]${mask(command.data)}`);
          return;
        default:
          run.log.push(mask(line));
          return;
      }
    }
    run.log.push(mask(line));
  };
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    run.stdout += chunk;
    pending += chunk;
    const lines = pending.split(/\r?\n/);
    pending = lines.pop() ?? '';
    for (const line of lines) onOutputLine(line);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    run.stderr += chunk;
  });
  run.exitCode = await exited;
  if (pending !== '') onOutputLine(pending);
  if (canceled) run.result = 'Canceled';
  else if (commandFailed) run.result = 'Failed';
  else if (completeResult === 'Succeeded' || completeResult === 'SucceededWithIssues' || completeResult === 'Failed') run.result = completeResult;
  else run.result = run.exitCode === 0 ? 'Succeeded' : 'Failed';
  return run;
}

/** Removes the work folders of runs. */
export async function removeAgentFolders(runs: readonly AgentRun[]): Promise<void> {
  await Promise.all(runs.map((r) => rm(r.folders.work, { recursive: true, force: true })));
}
