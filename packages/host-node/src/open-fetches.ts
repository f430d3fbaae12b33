/**
 * How {@link closeOpenFetches} reaches the fetches of a run without importing them: createNodeFetch registers its
 * closer here when it builds a fetch. A process that builds none (`ias --version`, `--help`) then never loads
 * node:http, node:tls and the fetch code at its exit only to close nothing.
 */
let closer: (() => Promise<void>) | undefined;

/** Registers what closes every fetch built so far (createNodeFetch does, for each fetch it builds). */
export function closeFetchesWith(close: () => Promise<void>): void {
  closer = close;
}

/** Closes every fetch built so far; nothing to do when none was. */
export function closeOpenFetches(): Promise<void> {
  return closer === undefined ? Promise.resolve() : closer();
}
