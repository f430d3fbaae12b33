/** The task results Azure DevOps shows for a step. */
export type TaskResult = 'Succeeded' | 'SucceededWithIssues' | 'Failed';

/** The agent's proxy for one URL, from the task library. */
export interface AgentProxy {
  /** `http://user:password@host:port` with the credentials percent-encoded, or `undefined` when the URL is on the bypass list. */
  url: string | undefined;
  password: string | undefined;
}

/** The agent's TLS settings (`Agent.CAInfo`, `Agent.SkipCertValidation`, as task-lib's internal.ts and getHttpCertConfiguration read them). */
export interface AgentTls {
  /** Path of a PEM file of extra CA certificates to trust. */
  caFile: string | undefined;
  skipCertValidation: boolean;
}

/**
 * What the handler needs from Azure Pipelines: `task-lib-host.ts` implements it over azure-pipelines-task-lib,
 * tests pass a recording fake.
 */
export interface TaskHost {
  getInput(name: string): string | undefined;
  getVariable(name: string): string | undefined;
  getEndpointUrl(id: string): string | undefined;
  getEndpointData(id: string, key: string): string | undefined;
  /** The connection's API token, read without echoing it to the log. */
  getEndpointToken(id: string): string | undefined;
  /** `undefined` when the agent has no proxy configured. */
  getProxy(url: string): AgentProxy | undefined;
  getTls(): AgentTls;
  setSecret(value: string): void;
  setOutput(name: string, value: string): void;
  /** A plain log line. */
  info(message: string): void;
  /** A red log line that is not an issue. */
  errorLine(message: string): void;
  debug(message: string): void;
  warning(message: string): void;
  logIssue(type: 'error' | 'warning', message: string): void;
  /** Issues of a type emitted so far (warnings included): the agent keeps only the first 10 of each per step. */
  issueCount(type: 'error' | 'warning'): number;
  uploadSummary(path: string): void;
  uploadArtifact(containerFolder: string, path: string, artifactName: string): void;
  uploadFile(path: string): void;
  /** `task.complete` alone: the reason was already logged as the step's first issue. */
  complete(result: TaskResult, message: string): void;
}
