import type { Clock, FetchLike, ReportSink } from '@ias/core';
import type { ActionToolkit } from './toolkit';

/** What the action needs from its process; `index.ts` passes the real ones, tests pass fakes. */
export interface ActionHost {
  toolkit: ActionToolkit;
  fetch: FetchLike;
  clock: Clock;
  /** Aborted on SIGINT/SIGTERM (a canceled workflow). */
  signal?: AbortSignal;
  version: string;
  /** e.g. `node/20.20.2; linux` */
  runtime: string;
  /** `GITHUB_WORKSPACE`: the default home of the report folder. */
  workspace: string;
  readText(path: string): Promise<string>;
  /** The runner's tool cache (`RUNNER_TOOL_CACHE`), where attack documentation is kept between jobs. */
  toolCache?: string | undefined;
  /** @default files in the report folder */
  createSink?: (directory: string) => ReportSink;
  /** The step's environment, for the proxy variables a check names (`HTTPS_PROXY`, `HTTP_PROXY`, `NO_PROXY`). */
  env?: Readonly<Record<string, string | undefined>>;
}
