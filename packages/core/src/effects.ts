/**
 * The effects core is handed by its front ends. Core has no I/O of its own: time, network, logging and
 * files all come in through these interfaces, so tests can run them in memory with a manual clock.
 */

/** Time: wall-clock milliseconds and a cancellable sleep. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`; rejects with the signal's reason when it aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Plain log lines; adapters decide how they look on their host. */
export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Response headers by name (case-insensitive), as `Headers.get` answers: `null` when absent. */
export interface HeaderLookup {
  get(name: string): string | null;
}

/**
 * The part of a fetch `Response` core reads: status, headers by name and the body as a stream. A real `Response`
 * fits; so does host-node's `node:http` fetch, which never loads the `Response` class (undici) at all.
 */
export interface FetchResponse {
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  /** `'opaqueredirect'` when a fetch with `redirect: 'manual'` hides a redirect. */
  readonly type: string;
  readonly headers: HeaderLookup;
  readonly body: ReadableStream<Uint8Array> | null;
  /** The whole body as text (hosts and tests use it; core reads `body`, bounded). */
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/** The `fetch` signature core needs (the global one fits, and so does the simulator's in-process handler). */
export type FetchLike = (input: Request | string | URL, init?: RequestInit) => Promise<FetchResponse>;

/** A logger that drops everything. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** A clock on real time, built from web globals only. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/**
 * A small text store that outlives the run, for attack documentation: the host decides where it lives (the CI
 * tool cache, the user cache folder). Keys are opaque to the host and may hold any character, so a host must not
 * use them as paths as they are. Core checks each entry's age and content itself; the store only keeps text.
 */
export interface DocumentationCache {
  /** The text stored under `key`, or `undefined` when there is none. Rejects when the store cannot be read. */
  read(key: string): Promise<string | undefined>;
  /** Stores `text` under `key`, replacing what was there. Rejects when the store cannot be written. */
  write(key: string, text: string): Promise<void>;
}
