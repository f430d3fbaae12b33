import { Writable } from 'node:stream';
import * as tl from 'azure-pipelines-task-lib/task';
import type { AgentProxy, TaskHost, TaskResult } from './task-host';

const RESULTS: Record<TaskResult, tl.TaskResult> = {
  Succeeded: tl.TaskResult.Succeeded,
  SucceededWithIssues: tl.TaskResult.SucceededWithIssues,
  Failed: tl.TaskResult.Failed,
};

/** Case-insensitive lookup: the service stores `apitoken`, older connections `apiToken`. */
function tokenOf(parameters: Record<string, string> | undefined): string | undefined {
  if (parameters === undefined) return undefined;
  const key = Object.keys(parameters).find((k) => k.toLowerCase() === 'apitoken');
  return key === undefined ? undefined : parameters[key];
}

function passwordOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password === '' ? undefined : password;
  } catch {
    return undefined;
  }
}

/** The task host over azure-pipelines-task-lib: every log line is a `##vso[...]` command or plain stdout. */
export function createTaskLibHost(out: (line: string) => void): TaskHost {
  return {
    getInput: (name) => tl.getInput(name, false),
    getVariable: (name) => tl.getVariable(name),
    getEndpointUrl(id) {
      // getEndpointUrl prints the URL in a debug line (node/task.ts reads ENDPOINT_URL_<id> and debug-logs it): a
      // password in it (user:pass@, refused later as bad input) is registered as a secret first, so the agent masks it.
      const password = passwordOf(process.env[`ENDPOINT_URL_${id}`]);
      if (password !== undefined) tl.setSecret(password);
      return tl.getEndpointUrl(id, true);
    },
    getEndpointData: (id, key) => tl.getEndpointDataParameter(id, key, true),
    getEndpointToken(id) {
      // getEndpointAuthorization logs only whether the connection exists; the per-parameter getter would print the
      // token in a debug line before we could register it as a secret, so its output is muted.
      const fromAuth = tokenOf(tl.getEndpointAuthorization(id, true)?.parameters);
      if (fromAuth !== undefined && fromAuth !== '') return fromAuth;
      tl.setStdStream(new Writable({ write: (_chunk, _encoding, done) => done() }));
      try {
        return tl.getEndpointAuthorizationParameter(id, 'apitoken', true);
      } finally {
        tl.setStdStream(process.stdout);
      }
    },
    getProxy(url): AgentProxy | undefined {
      const configured = tl.getVariable('Agent.ProxyUrl');
      if (configured === undefined || configured === '') return undefined;
      const proxy = tl.getHttpProxyConfiguration(url);
      if (proxy === null) return { url: undefined, password: undefined };
      return { url: proxy.proxyFormattedUrl, password: proxy.proxyPassword || undefined };
    },
    setSecret: (value) => tl.setSecret(value),
    setOutput: (name, value) => tl.setVariable(name, value, false, true),
    info: (message) => out(message),
    errorLine: (message) => out(`##[error]${message}`),
    debug: (message) => tl.debug(message),
    warning: (message) => tl.warning(message),
    logIssue: (type, message) => tl.logIssue(type === 'error' ? tl.IssueType.Error : tl.IssueType.Warning, message),
    uploadSummary: (path) => tl.uploadSummary(path),
    uploadArtifact: (folder, path, name) => tl.uploadArtifact(folder, path, name),
    uploadFile: (path) => tl.uploadFile(path),
    setResult: (result, message) => tl.setResult(RESULTS[result], message),
  };
}
