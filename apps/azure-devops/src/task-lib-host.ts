import { Writable } from 'node:stream';
import * as tl from 'azure-pipelines-task-lib/task';
import type { AgentProxy, AgentTls, TaskHost, TaskResult } from './task-host';

/** Case-insensitive lookup: the service stores `apitoken`, older connections `apiToken`. */
function tokenOf(parameters: Record<string, string> | undefined): string | undefined {
  if (parameters === undefined) return undefined;
  const key = Object.keys(parameters).find((k) => k.toLowerCase() === 'apitoken');
  return key === undefined ? undefined : parameters[key];
}

/**
 * The proxy URL with its credentials percent-encoded. task-lib's getHttpProxyConfiguration (task.ts,
 * getProxyFormattedUrl) pastes them in raw, so a password with `#`, `/`, `?` or `%` makes an invalid URL.
 */
export function formatProxyUrl(proxyUrl: string, username: string | undefined, password: string | undefined): string {
  const parsed = new URL(proxyUrl);
  if (username === undefined || username === '') return `${parsed.protocol}//${parsed.host}`;
  return `${parsed.protocol}//${encodeURIComponent(username)}:${encodeURIComponent(password ?? '')}@${parsed.host}`;
}

/** Runs `read` with task-lib's output muted: its getters debug-print the values they read, secrets included. */
function quietly<T>(read: () => T): T {
  tl.setStdStream(new Writable({ write: (_chunk, _encoding, done) => done() }));
  try {
    return read();
  } finally {
    tl.setStdStream(process.stdout);
  }
}

/** The password of a URL's userinfo, decoded; `undefined` when it has none. */
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
  const issues = { error: 0, warning: 0 };
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
      let authorization: tl.EndpointAuthorization | undefined;
      try {
        authorization = tl.getEndpointAuthorization(id, true);
      } catch {
        // task-lib throws when ENDPOINT_AUTH_<id> is not JSON, quoting the whole value (the token with it): the
        // error is dropped, and the token is looked for in the per-parameter variable below instead.
        tl.warning('The IAS Connection authorization the agent passed is not valid JSON; edit and save the service connection again.');
      }
      const fromAuth = tokenOf(authorization?.parameters);
      if (fromAuth !== undefined && fromAuth !== '') return fromAuth;
      return quietly(() => tl.getEndpointAuthorizationParameter(id, 'apitoken', true));
    },
    getProxy(url): AgentProxy | undefined {
      const configured = tl.getVariable('Agent.ProxyUrl');
      if (configured === undefined || configured === '') return undefined;
      // Used for its bypass decision (Agent.ProxyBypassList regexes against the URL); the URL is formatted here.
      // task-lib would debug-print Agent.ProxyPassword while reading it.
      const proxy = quietly(() => tl.getHttpProxyConfiguration(url));
      if (proxy === null) return { url: undefined, password: undefined };
      return { url: formatProxyUrl(proxy.proxyUrl, proxy.proxyUsername, proxy.proxyPassword), password: proxy.proxyPassword || undefined };
    },
    getTls(): AgentTls {
      const ca = tl.getVariable('Agent.CAInfo');
      return { caFile: ca === undefined || ca === '' ? undefined : ca, skipCertValidation: (tl.getVariable('Agent.SkipCertValidation') ?? '').toLowerCase() === 'true' };
    },
    setSecret: (value) => tl.setSecret(value),
    setOutput: (name, value) => tl.setVariable(name, value, false, true),
    info: (message) => out(message),
    errorLine: (message) => out(`##[error]${message}`),
    debug: (message) => tl.debug(message),
    warning: (message) => {
      issues.warning += 1;
      tl.warning(message);
    },
    logIssue: (type, message) => {
      issues[type] += 1;
      tl.logIssue(type === 'error' ? tl.IssueType.Error : tl.IssueType.Warning, message);
    },
    issueCount: (type) => issues[type],
    uploadSummary: (path) => tl.uploadSummary(path),
    uploadArtifact: (folder, path, name) => tl.uploadArtifact(folder, path, name),
    uploadFile: (path) => tl.uploadFile(path),
    complete: (result: TaskResult, message) => tl.command('task.complete', { result }, message),
  };
}
