import { rootCertificates } from 'node:tls';
import type { FetchLike } from '@ias/core';
import { Agent, EnvHttpProxyAgent, fetch as undiciFetch, ProxyAgent, type Dispatcher } from 'undici';
import { withPlainRequests } from './plain-request-fetch';

/** Proxy settings: an explicit proxy (Azure DevOps agent settings, a CLI flag) or the environment's. */
export interface ProxyOptions {
  /** `http://user:pass@proxy:8080`; overrides the environment. */
  url?: string | undefined;
  /** Hosts that bypass the proxy: host names, `.suffix` or `*`, comma separated (NO_PROXY syntax). */
  noProxy?: string | undefined;
  /** TLS of the connections to the API (through a proxy too): CA certificates (PEM) trusted besides Node's own roots, and whether to verify. */
  tls?: { ca?: string | undefined; rejectUnauthorized?: boolean | undefined } | undefined;
}

/**
 * A fetch for Node that honours proxies: an explicit proxy URL, or `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` from the
 * environment (Node's global fetch ignores them). Without any proxy it is the global fetch.
 */
export function createNodeFetch(env: Readonly<Record<string, string | undefined>>, proxy: ProxyOptions = {}): FetchLike {
  const fromEnv = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  let dispatcher: Dispatcher | undefined;
  const tls = proxy.tls === undefined || (proxy.tls.ca === undefined && proxy.tls.rejectUnauthorized !== false) ? undefined : { ...(proxy.tls.ca === undefined ? {} : { ca: [...rootCertificates, proxy.tls.ca] }), rejectUnauthorized: proxy.tls.rejectUnauthorized !== false };
  // undici: `connect` for direct connections, `requestTls` for the tunnelled ones.
  const tlsOptions = tls === undefined ? {} : { connect: tls, requestTls: tls };
  if (proxy.url !== undefined && proxy.url !== '') {
    const noProxy = proxy.noProxy ?? env.NO_PROXY ?? env.no_proxy;
    dispatcher = noProxy ? new EnvHttpProxyAgent({ httpProxy: proxy.url, httpsProxy: proxy.url, noProxy, ...tlsOptions }) : new ProxyAgent({ uri: proxy.url, ...tlsOptions });
  } else if (fromEnv !== undefined && fromEnv !== '') {
    const options: { httpProxy?: string; httpsProxy?: string; noProxy?: string; connect?: NonNullable<typeof tls>; requestTls?: NonNullable<typeof tls> } = { ...tlsOptions };
    const http = env.HTTP_PROXY ?? env.http_proxy;
    const https = env.HTTPS_PROXY ?? env.https_proxy;
    const noProxy = env.NO_PROXY ?? env.no_proxy;
    if (http) options.httpProxy = http;
    if (https) options.httpsProxy = https;
    if (noProxy) options.noProxy = noProxy;
    dispatcher = new EnvHttpProxyAgent(options);
  } else if (tls !== undefined) {
    dispatcher = new Agent({ connect: tls });
  }
  if (dispatcher === undefined) return (input, init) => globalThis.fetch(input, init);
  const via = dispatcher;
  // undici's own fetch does not know the global Request class that ky hands over: take requests apart first.
  return withPlainRequests((input, init) => undiciFetch(input as Parameters<typeof undiciFetch>[0], { ...(init as Parameters<typeof undiciFetch>[1]), dispatcher: via }) as unknown as Promise<Response>);
}
