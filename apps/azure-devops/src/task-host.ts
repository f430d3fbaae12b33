/** The task results Azure DevOps shows for a step. */
export type TaskResult = 'Succeeded' | 'SucceededWithIssues' | 'Failed';

/** The agent's proxy for one URL, from the task library. */
export interface AgentProxy {
  /** `http://user:password@host:port`, or `undefined` when the URL is on the bypass list. */
  url: string | undefined;
  password: string | undefined;
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
  setSecret(value: string): void;
  setOutput(name: string, value: string): void;
  /** A plain log line. */
  info(message: string): void;
  /** A red log line that is not an issue. */
  errorLine(message: string): void;
  debug(message: string): void;
  warning(message: string): void;
  logIssue(type: 'error' | 'warning', message: string): void;
  uploadSummary(path: string): void;
  uploadArtifact(containerFolder: string, path: string, artifactName: string): void;
  uploadFile(path: string): void;
  setResult(result: TaskResult, message: string): void;
}
