import type { FetchLike } from '@ias/core';
import { EnvHttpProxyAgent, fetch as undiciFetch, ProxyAgent, type Dispatcher } from 'undici';
import { withPlainRequests } from './plain-request-fetch';

/** Proxy settings: an explicit proxy (Azure DevOps agent settings, a CLI flag) or the environment's. */
export interface ProxyOptions {
  /** `http://user:pass@proxy:8080`; overrides the environment. */
  url?: string | undefined;
  /** Hosts that bypass the proxy: host names, `.suffix` or `*`, comma separated (NO_PROXY syntax). */
  noProxy?: string | undefined;
}

/**
 * A fetch for Node that honours proxies: an explicit proxy URL, or `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` from the
 * environment (Node's global fetch ignores them). Without any proxy it is the global fetch.
 */
export function createNodeFetch(env: Readonly<Record<string, string | undefined>>, proxy: ProxyOptions = {}): FetchLike {
  const fromEnv = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  let dispatcher: Dispatcher | undefined;
  if (proxy.url !== undefined && proxy.url !== '') {
    const noProxy = proxy.noProxy ?? env.NO_PROXY ?? env.no_proxy;
    dispatcher = noProxy ? new EnvHttpProxyAgent({ httpProxy: proxy.url, httpsProxy: proxy.url, noProxy }) : new ProxyAgent(proxy.url);
  } else if (fromEnv !== undefined && fromEnv !== '') {
    const options: { httpProxy?: string; httpsProxy?: string; noProxy?: string } = {};
    const http = env.HTTP_PROXY ?? env.http_proxy;
    const https = env.HTTPS_PROXY ?? env.https_proxy;
    const noProxy = env.NO_PROXY ?? env.no_proxy;
    if (http) options.httpProxy = http;
    if (https) options.httpsProxy = https;
    if (noProxy) options.noProxy = noProxy;
    dispatcher = new EnvHttpProxyAgent(options);
  }
  if (dispatcher === undefined) return (input, init) => globalThis.fetch(input, init);
  const via = dispatcher;
  // undici's own fetch does not know the global Request class that ky hands over: take requests apart first.
  return withPlainRequests((input, init) => undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: via }) as unknown as Promise<Response>);
}
