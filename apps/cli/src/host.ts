import type { Clock, DocumentationCache, FetchLike, ReportSink } from '@ias/core';
import type { Terminal } from './outputs';

/** What the CLI needs from its process; tests pass fakes, `start.ts` passes the real ones. */
export interface CliHost extends Terminal {
  argv: readonly string[];
  env: Readonly<Record<string, string | undefined>>;
  fetch: FetchLike;
  clock: Clock;
  signal?: AbortSignal;
  version: string;
  /** e.g. `node/20.20.2; linux` */
  runtime: string;
  /** @default files in the output directory */
  createSink?: (directory: string) => ReportSink;
  /** Keeps attack documentation between runs (the user cache folder). */
  documentationCache?: DocumentationCache;
  /** Reads a text file (baseline, suppressions, stored findings). */
  readText(path: string): Promise<string>;
}
