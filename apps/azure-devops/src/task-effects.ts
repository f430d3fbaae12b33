import type { Clock, FetchLike, ReportSink } from '@ias/core';
import type { PublishEffects } from './outputs';

/**
 * How requests reach the API: the agent's proxy (`getHttpProxyConfiguration` already applied its bypass list to the
 * API URL), no proxy at all (the URL is bypassed), or whatever HTTPS_PROXY/NO_PROXY say (no agent proxy).
 */
export type FetchRoute = { mode: 'environment' } | { mode: 'direct' } | { mode: 'proxy'; url: string };

/** TLS settings of the agent for the API connection: extra CA certificates (PEM text) and whether to verify at all. */
export interface FetchTls {
  ca: string | undefined;
  rejectUnauthorized: boolean;
}

/** Everything the handler needs from its process; `main.ts` passes the real ones, tests pass fakes. */
export interface TaskRunEffects extends PublishEffects {
  /** A fetch that goes through `proxy` when given (the agent's proxy), else straight out, with the agent's TLS settings. */
  createFetch(route: FetchRoute, tls: FetchTls): FetchLike;
  /** The step's environment (HTTPS_PROXY, NO_PROXY), to name the proxy a check goes through. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Writes the check's run summary (markdown) before it is uploaded. */
  writeText(path: string, text: string): Promise<void>;
  /** Reads the agent's CA file. */
  readCaFile(path: string): Promise<string>;
  clock: Clock;
  createSink(directory: string): ReportSink;
  signal?: AbortSignal;
  version: string;
  runtime: string;
  platform: NodeJS.Platform;
}
