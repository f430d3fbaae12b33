import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';

/**
 * The CLI's cache folder: `$XDG_CACHE_HOME/ias-ci`, else `~/.cache/ias-ci` (the XDG base directory default);
 * `undefined` when neither is known. A module apart from the cache itself (and node:crypto): the CLI reads it at
 * start-up, before it knows whether the command will fetch any documentation.
 */
export function userCacheFolder(env: Readonly<Record<string, string | undefined>>, home: () => string = homedir): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  // The XDG spec: a relative XDG_CACHE_HOME is invalid and ignored.
  if (xdg !== undefined && isAbsolute(xdg)) return join(xdg, 'ias-ci');
  let root: string;
  try {
    root = home();
  } catch {
    return undefined;
  }
  return root === '' ? undefined : join(root, '.cache', 'ias-ci');
}
