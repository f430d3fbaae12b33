import type { ApiClient } from '../api/client';
import { getApp, getScanConfig, listApps, listScanConfigs, quoteValue, search, UUID_PATTERN } from '../api/resources';
import type { App, ScanConfig } from '../api/schemas';
import type { Logger } from '../effects';
import { ApiError, ConfigError } from '../errors';
import { closestNames } from '../closest-names';
import { escapeLogText } from '../log-text';

/** The application and scan configuration a run scans. */
export interface ResolvedTarget {
  app: App;
  scanConfig: ScanConfig;
}

/** How the inputs are named to the user, for messages. */
export interface TargetNames {
  app: string;
  scanConfig: string;
}

/**
 * Resolves an application and a scan configuration given by name or UUID. Names are matched on the client side,
 * never by taking the first search hit: an exact (case-sensitive) match first; with none, a single match ignoring
 * case is used with a warning, and several such matches are refused naming them (whether IAS compares names
 * case-sensitively is unknown; the simulator follows the same rule). A name holding a single quote is matched by
 * listing, since the search language has no documented escape. When nothing matches, the error lists the closest
 * names.
 * @throws ConfigError (CONFIG_INVALID or NOT_FOUND) for unknown, ambiguous or unscannable targets.
 */
export async function resolveTarget(
  client: ApiClient,
  wanted: { app: string | undefined; scanConfig: string },
  names: TargetNames,
  logger: Logger,
): Promise<ResolvedTarget> {
  let app: App;
  let scanConfig: ScanConfig;
  if (wanted.app === undefined) {
    // Only a scan configuration id (the official GitHub action's input): its application comes from the API.
    scanConfig = await scanConfigById(client, wanted.scanConfig, names.scanConfig);
    const appId = scanConfig.app?.id;
    if (appId === undefined || appId === null || appId === '') {
      throw new ConfigError(`Scan configuration '${scanConfig.name}' does not name its application; give ${names.app} as well.`, [{ path: names.app, message: 'application unknown' }]);
    }
    app = await resolveApp(client, appId, names.app, logger);
    logger.info(`Scan configuration '${escapeLogText(scanConfig.name)}' belongs to application '${escapeLogText(app.name)}'`);
  } else {
    app = await resolveApp(client, wanted.app, names.app, logger);
    logger.debug(`Resolved ${names.app} '${wanted.app}' to ${app.id}`);
    scanConfig = await resolveScanConfig(client, app, wanted.scanConfig, names.scanConfig, logger);
  }
  const errors = (scanConfig.errors ?? []).filter((e) => e.trim() !== '');
  if (errors.length > 0) {
    throw new ConfigError(
      `Scan configuration '${scanConfig.name}' has errors that prevent scanning (${errors.join('; ')}); fix them in InsightAppSec, then run again.`,
      [{ path: names.scanConfig, message: errors.join('; ') }],
    );
  }
  return { app, scanConfig };
}

async function resolveApp(client: ApiClient, wanted: string, inputName: string, logger: Logger): Promise<App> {
  if (UUID_PATTERN.test(wanted)) {
    try {
      return await getApp(client, wanted);
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) {
        throw new ConfigError(`${inputName} '${wanted}' is not the id of an application this API key can see; check the id or give the application's name.`, [{ path: inputName, message: 'unknown application id' }], { code: 'NOT_FOUND' });
      }
      throw error;
    }
  }
  if (!wanted.includes("'")) {
    const hits = await searchExact(search(client, 'APP', `app.name=${quoteValue(wanted)}`), wanted, () => true);
    if (hits.length === 1 && hits[0] !== undefined) return hits[0];
    if (hits.length > 1) throw ambiguous(inputName, 'applications', wanted, hits);
  }
  const all: App[] = [];
  for await (const page of listApps(client)) all.push(...page.items.map((a) => ({ id: a.id, name: a.name })));
  const found = pickByName(all, wanted, inputName, 'application', 'applications', logger);
  if (found !== undefined) return found;
  throw notFound(inputName, 'application', wanted, all.map((a) => a.name));
}

async function resolveScanConfig(client: ApiClient, app: App, wanted: string, inputName: string, logger: Logger): Promise<ScanConfig> {
  if (UUID_PATTERN.test(wanted)) {
    const config = await scanConfigById(client, wanted, inputName);
    if (config.app?.id !== undefined && config.app.id !== app.id) {
      throw new ConfigError(`${inputName} '${config.name}' belongs to another application (${config.app.id}), not to '${app.name}'; give a scan configuration of '${app.name}'.`, [{ path: inputName, message: 'scan configuration of another application' }]);
    }
    return config;
  }
  if (!wanted.includes("'")) {
    const query = `scanconfig.name=${quoteValue(wanted)} && scanconfig.app.id=${quoteValue(app.id)}`;
    const hits = await searchExact(search(client, 'SCAN_CONFIG', query), wanted, (c) => (c.app?.id ?? app.id) === app.id);
    if (hits.length === 1 && hits[0] !== undefined) return hits[0];
    if (hits.length > 1) throw ambiguous(inputName, 'scan configurations', wanted, hits);
  }
  const ofApp: ScanConfig[] = [];
  for await (const page of listScanConfigs(client)) ofApp.push(...page.items.filter((c) => c.app?.id === app.id));
  const found = pickByName(ofApp, wanted, inputName, `scan configuration of '${app.name}'`, 'scan configurations', logger);
  if (found !== undefined) return found;
  throw notFound(inputName, `scan configuration of '${app.name}'`, wanted, ofApp.map((c) => c.name));
}

/**
 * The exact-name hits of the first page of a name search. A search the server refuses (400: a name it reads as
 * ambiguous, or a query it cannot parse) is not an answer: the caller falls back to listing and decides itself.
 */
async function searchExact<T extends { name: string }>(pages: AsyncIterable<{ items: T[] }>, wanted: string, keep: (item: T) => boolean): Promise<T[]> {
  try {
    for await (const page of pages) return page.items.filter((item) => item.name === wanted && keep(item));
  } catch (error) {
    if (error instanceof ApiError && error.status === 400) return [];
    throw error;
  }
  return [];
}

/**
 * Name matching, one rule for applications and scan configurations (and the simulator's search): the exact name
 * first; with no exact match, a single match ignoring case is used with a warning; several are refused, naming
 * them. Undefined when nothing matches either way.
 */
function pickByName<T extends { id: string; name: string }>(items: T[], wanted: string, inputName: string, what: string, whats: string, logger: Logger): T | undefined {
  const exact = items.filter((item) => item.name === wanted);
  if (exact.length === 1) return exact[0];
  if (exact.length > 1) throw ambiguous(inputName, whats, wanted, exact);
  const lower = wanted.toLowerCase();
  const folded = items.filter((item) => item.name.toLowerCase() === lower).sort((x, y) => (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
  if (folded.length > 1) {
    throw new ConfigError(
      `${inputName} '${wanted}' matches no ${what} exactly and ${folded.length} ignoring case (${folded.map((c) => `'${c.name}' ${c.id}`).join(', ')}); give the exact name or the id of the one to scan.`,
      [{ path: inputName, message: `ambiguous name '${wanted}' (case)` }],
    );
  }
  const only = folded[0];
  if (only !== undefined) logger.warn(`${inputName} '${wanted}' matches the ${what} '${escapeLogText(only.name)}' only when case is ignored; using it. Write the name exactly as in InsightAppSec to silence this warning.`);
  return only;
}

async function scanConfigById(client: ApiClient, id: string, inputName: string): Promise<ScanConfig> {
  try {
    return await getScanConfig(client, id);
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      throw new ConfigError(`${inputName} '${id}' is not the id of a scan configuration this API key can see; check the id or give the configuration's name.`, [{ path: inputName, message: 'unknown scan configuration id' }], { code: 'NOT_FOUND' });
    }
    throw error;
  }
}

function notFound(inputName: string, what: string, wanted: string, names: string[]): ConfigError {
  const closest = closestNames(wanted, names);
  const hint =
    closest.length > 0
      ? `closest: ${closest.map((n) => `'${escapeLogText(n)}'`).join(', ')}`
      : names.length > 0
        ? `known: ${names.slice(0, 5).map((n) => `'${escapeLogText(n)}'`).join(', ')}${names.length > 5 ? ', …' : ''}`
        : 'none is visible to this API key';
  return new ConfigError(
    `${inputName} '${wanted}' matches no ${what} (${hint}); check the name or use its id.`,
    [{ path: inputName, message: `no ${what} named '${wanted}'` }],
    { code: 'NOT_FOUND' },
  );
}

function ambiguous(inputName: string, what: string, wanted: string, matches: { id: string }[]): ConfigError {
  return new ConfigError(
    `${inputName} '${wanted}' names ${matches.length} ${what} (${matches.map((m) => m.id).join(', ')}); give the id of the one to scan.`,
    [{ path: inputName, message: `ambiguous name '${wanted}'` }],
  );
}
