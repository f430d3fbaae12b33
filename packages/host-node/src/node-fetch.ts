import type { FetchLike } from '@ias/core';
import type * as Undici from 'undici';

type Dispatcher = Undici.Dispatcher;
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
  let create: ((undici: typeof Undici) => Dispatcher) | undefined;
  if (proxy.url !== undefined && proxy.url !== '') {
    const url = proxy.url;
    // Checked now, so a malformed proxy is refused before anything is launched, as when the agent was built here.
    new URL(url);
    const noProxy = proxy.noProxy ?? env.NO_PROXY ?? env.no_proxy;
    create = (u) => (noProxy ? new u.EnvHttpProxyAgent({ httpProxy: url, httpsProxy: url, noProxy }) : new u.ProxyAgent(url));
  } else if (fromEnv !== undefined && fromEnv !== '') {
    const options: { httpProxy?: string; httpsProxy?: string; noProxy?: string } = {};
    const http = env.HTTP_PROXY ?? env.http_proxy;
    const https = env.HTTPS_PROXY ?? env.https_proxy;
    const noProxy = env.NO_PROXY ?? env.no_proxy;
    if (http) options.httpProxy = http;
    if (https) options.httpsProxy = https;
    if (noProxy) options.noProxy = noProxy;
    create = (u) => new u.EnvHttpProxyAgent(options);
  }
  if (create === undefined) return (input, init) => globalThis.fetch(input, init);
  const make = create;
  // undici is loaded only behind a proxy: evaluating it costs every other run ~20 ms of start-up (tooling/bench).
  let loaded: Promise<{ undici: typeof Undici; via: Dispatcher }> | undefined;
  const load = (): Promise<{ undici: typeof Undici; via: Dispatcher }> =>
    (loaded ??= import('undici').then((undici) => ({ undici, via: make(undici) })));
  // undici's own fetch does not know the global Request class that ky hands over: take requests apart first.
  return withPlainRequests(async (input, init) => {
    const { undici, via } = await load();
    return undici.fetch(input as Parameters<typeof undici.fetch>[0], { ...(init as Parameters<typeof undici.fetch>[1]), dispatcher: via }) as unknown as Promise<Response>;
  });
}
