import { rootCertificates } from 'node:tls';
import { ConfigError, type FetchLike } from '@ias/core';
import type * as UndiciTypes from 'undici';
import type * as UndiciParts from './undici-parts';

type Dispatcher = UndiciTypes.Dispatcher;
type Undici = typeof UndiciParts;
import { createHttpFetch, closeHttpFetches } from './http-fetch';
import { withPlainRequests } from './plain-request-fetch';
import { closeFetchesWith } from './open-fetches';

/** Proxy settings: an explicit proxy (Azure DevOps agent settings, a CLI flag) or the environment's. */
export interface ProxyOptions {
  /** `http://user:pass@proxy:8080`; overrides the environment. */
  url?: string | undefined;
  /** Hosts that bypass the proxy: host names, `.suffix` or `*`, comma separated (NO_PROXY syntax). */
  noProxy?: string | undefined;
  /** TLS of the connections to the API (through a proxy too): CA certificates (PEM) trusted besides Node's own roots, and whether to verify. */
  tls?: { ca?: string | undefined; rejectUnauthorized?: boolean | undefined } | undefined;
  /** How the user calls the explicit proxy setting, for messages (`ias.proxy`). @default 'the proxy URL' */
  name?: string | undefined;
}

/** Every dispatcher a fetch was built on, so {@link closeNodeFetches} can close their sockets after the verdict. */
const dispatchers = new Set<Dispatcher>();
/** Loads of undici under way, which {@link closeNodeFetches} waits for. */
const loads = new Set<Promise<unknown>>();

/**
 * What is wrong with a proxy URL, or `undefined`. The value itself is never repeated: it may hold a password.
 */
export function proxyProblem(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL; give it as http://host:port (or http://user:password@host:port)';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `uses '${url.protocol.replace(/:$/, '')}', not http or https; give it as http://host:port`;
  if (url.hostname === '') return 'has no host; give it as http://host:port';
  return undefined;
}

/**
 * A fetch for Node that honours proxies: an explicit proxy URL, or `HTTPS_PROXY`/`HTTP_PROXY`/`NO_PROXY` from the
 * environment (Node's global fetch ignores them). Without any proxy it is {@link createHttpFetch}, on `node:http`. A proxy value that is not
 * an http(s) URL makes every request fail with a ConfigError naming the setting (bad input, exit 2), before anything
 * is sent; nothing throws while the fetch is built.
 */
export function createNodeFetch(env: Readonly<Record<string, string | undefined>>, proxy: ProxyOptions = {}): FetchLike {
  closeFetchesWith(closeNodeFetches);
  const fromEnv = env.HTTPS_PROXY ?? env.https_proxy ?? env.HTTP_PROXY ?? env.http_proxy;
  const refuse = (name: string, problem: string): FetchLike => {
    const error = new ConfigError(`${name} ${problem}.`, [{ path: name, message: problem }]);
    return () => Promise.reject(error);
  };
  let dispatcher: ((u: Undici) => Dispatcher) | undefined;
  const tls = proxy.tls === undefined || (proxy.tls.ca === undefined && proxy.tls.rejectUnauthorized !== false) ? undefined : { ...(proxy.tls.ca === undefined ? {} : { ca: [...rootCertificates, proxy.tls.ca] }), rejectUnauthorized: proxy.tls.rejectUnauthorized !== false };
  // undici: `connect` for direct connections, `requestTls` for the tunnelled ones.
  const tlsOptions = tls === undefined ? {} : { connect: tls, requestTls: tls };
  if (proxy.url !== undefined && proxy.url !== '') {
    const problem = proxyProblem(proxy.url);
    if (problem !== undefined) return refuse(proxy.name ?? 'The proxy URL', problem);
    const noProxy = proxy.noProxy ?? env.NO_PROXY ?? env.no_proxy;
    const url = proxy.url;
    dispatcher = (u) => (noProxy ? new u.EnvHttpProxyAgent({ httpProxy: url, httpsProxy: url, noProxy, ...tlsOptions, factory: failingTunnels(u) }) : new u.ProxyAgent({ uri: url, ...tlsOptions, factory: failingTunnels(u) }));
  } else if (fromEnv !== undefined && fromEnv !== '') {
    const options: { httpProxy?: string; httpsProxy?: string; noProxy?: string; connect?: NonNullable<typeof tls>; requestTls?: NonNullable<typeof tls> } = { ...tlsOptions };
    const http = env.HTTP_PROXY ?? env.http_proxy;
    const https = env.HTTPS_PROXY ?? env.https_proxy;
    const noProxy = env.NO_PROXY ?? env.no_proxy;
    for (const [name, value] of [
      [env.HTTPS_PROXY !== undefined ? 'HTTPS_PROXY' : 'https_proxy', https],
      [env.HTTP_PROXY !== undefined ? 'HTTP_PROXY' : 'http_proxy', http],
    ] as const) {
      const problem = value ? proxyProblem(value) : undefined;
      if (problem !== undefined) return refuse(name, problem);
    }
    if (http) options.httpProxy = http;
    if (https) options.httpsProxy = https;
    if (noProxy) options.noProxy = noProxy;
    dispatcher = (u) => new u.EnvHttpProxyAgent({ ...options, factory: failingTunnels(u) });
  }
  // Direct connections (custom TLS included) go through node:http, which costs far less memory than undici.
  if (dispatcher === undefined) return createHttpFetch(tls);
  const make = dispatcher;
  // undici is loaded at the first request and only behind a proxy or custom TLS: evaluating it costs every other run
  // ~20 ms of start-up (tooling/bench measures `ias --version`).
  let loaded: Promise<{ u: Undici; via: Dispatcher }> | undefined;
  const load = (): Promise<{ u: Undici; via: Dispatcher }> => {
    if (loaded === undefined) {
      loaded = import('./undici-parts').then((u) => {
        const via = make(u);
        dispatchers.add(via);
        return { u, via };
      });
      const settled = loaded.catch(() => undefined).finally(() => loads.delete(settled));
      loads.add(settled);
    }
    return loaded;
  };
  // undici's own fetch does not know the global Request class that ky hands over: take requests apart first.
  return withPlainRequests(async (input, init) => {
    const { u, via } = await load();
    return (await u.fetch(input as Parameters<typeof u.fetch>[0], { ...(init as Parameters<typeof u.fetch>[1]), dispatcher: via })) as unknown as Response;
  });
}

type Connector = (options: object, callback: (error: Error | null, socket: unknown) => void) => void;

/**
 * The pool undici's agents build per origin, with one change: a connection the proxy closes while the tunnel is
 * being opened fails the requests waiting for it. undici (6.x) counts that as a recoverable socket error
 * (UND_ERR_SOCKET) and reconnects at once, forever: a proxy that accepts CONNECT and drops it made a run retry
 * about a thousand tunnels a second, past its verdict and its signals. Failed here, the request ends with a network
 * error that the API client retries with back-off, and within its deadline.
 */
const failingTunnels = (u: Undici) => (origin: string | URL, options: object): Dispatcher => {
  const { Pool } = u;
  const connect = (options as { connect?: unknown }).connect;
  if (typeof connect !== 'function') return new Pool(origin, options);
  const wrapped: Connector = (connectOptions, callback) =>
    (connect as Connector)(connectOptions, (error, socket) => {
      if (error !== null && (error as { code?: unknown }).code === 'UND_ERR_SOCKET') {
        callback(Object.assign(new Error(`the proxy closed the connection while opening the tunnel (${error.message})`), { code: 'EPROXYTUNNEL', cause: error }), null);
        return;
      }
      callback(error, socket);
    });
  return new Pool(origin, { ...options, connect: wrapped } as ConstructorParameters<typeof Pool>[1]);
};

/**
 * Destroys every proxy dispatcher {@link createNodeFetch} built: their sockets close and nothing they queued retries
 * (undici keeps reconnecting to a proxy that drops every tunnel otherwise). Called once the run has its verdict.
 */
export async function closeNodeFetches(): Promise<void> {
  closeHttpFetches();
  await Promise.all([...loads]);
  const all = [...dispatchers];
  dispatchers.clear();
  await Promise.all(all.map((d) => d.destroy().catch(() => undefined)));
}
