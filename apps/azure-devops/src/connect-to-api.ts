import type { FetchLike } from '@ias/core';
import { proxyForUrl } from '@ias/host-node';
import type { TaskRunEffects } from './task-effects';
import type { TaskHost } from './task-host';

/**
 * The fetch of the step: through the agent's proxy (its password and URL registered as secrets), straight out when
 * the API is on the agent's bypass list, else as HTTPS_PROXY/NO_PROXY say; with the agent's TLS settings.
 */
export async function connectToApi(host: TaskHost, effects: Pick<TaskRunEffects, 'createFetch' | 'readCaFile' | 'env'>, baseUrl: string): Promise<{ ok: true; fetch: FetchLike; /** The proxy the fetch uses for the API, to name a network failure; `undefined` when direct. */ proxyUrl: string | undefined } | { ok: false; error: string }> {
  const agentTls = host.getTls();
  let ca: string | undefined;
  if (agentTls.caFile !== undefined) {
    try {
      ca = await effects.readCaFile(agentTls.caFile);
    } catch (error) {
      return { ok: false, error: `The agent's CA certificate file (Agent.CAInfo) '${agentTls.caFile}' could not be read (${(error as NodeJS.ErrnoException).code ?? 'error'}); fix the agent's --sslcacert setting` };
    }
  }
  if (agentTls.skipCertValidation) host.warning('The agent skips TLS certificate validation (Agent.SkipCertValidation); the InsightAppSec API certificate is not checked either');
  const proxy = host.getProxy(baseUrl);
  if (proxy?.password) host.setSecret(proxy.password);
  if (proxy?.url !== undefined) host.setSecret(proxy.url);
  if (proxy !== undefined) host.debug(proxy.url === undefined ? `${baseUrl} is on the agent's proxy bypass list` : 'Using the agent proxy');
  const fetch = effects.createFetch(proxy === undefined ? { mode: 'environment' } : proxy.url === undefined ? { mode: 'direct' } : { mode: 'proxy', url: proxy.url }, { ca, rejectUnauthorized: !agentTls.skipCertValidation });
  // Without an agent proxy the fetch follows HTTPS_PROXY/NO_PROXY (pipeline variables become the step's environment).
  return { ok: true, fetch, proxyUrl: proxy === undefined ? proxyForUrl(baseUrl, effects.env ?? {}) : proxy.url };
}
