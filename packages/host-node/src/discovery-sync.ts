import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import {
  discoverAzureApim,
  EXIT_CODES,
  INVENTORY_REPORT_HTML,
  INVENTORY_REPORT_MARKDOWN,
  parseLinksFile,
  parseSourcesFile,
  resolveSourceSecrets,
  type ApiLink,
  type AzureSourceOptions,
  type Clock,
  type DiscoverAzureApimOptions,
  type DiscoveryFiles,
  type DiscoveryOutcome,
  type FetchLike,
  type Logger,
} from '@ias/core';

/** The inventory folder on disk; paths are relative to it and may not leave it. */
export function createFolderDiscoveryFiles(root: string): DiscoveryFiles {
  const base = resolve(root);
  const inside = (path: string): string => {
    const full = resolve(base, path);
    if (!full.startsWith(`${base}/`) && !full.startsWith(`${base}\\`)) throw new Error(`refusing to touch ${path} outside ${base}`);
    return full;
  };
  return {
    async readText(path) {
      try {
        return await readFile(inside(path), 'utf8');
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async writeText(path, text) {
      const full = inside(path);
      await mkdir(dirname(full), { recursive: true });
      await writeFile(full, text, 'utf8');
    },
    async remove(path) {
      await rm(inside(path), { force: true });
    },
  };
}

/** What a host's discovery step was asked to do, with its inputs already read. */
export interface DiscoverySyncSettings extends Omit<DiscoverAzureApimOptions, 'sources' | 'links'> {
  /** The inventory folder (absolute, or relative to the working directory). */
  out: string;
  /** A sources file; its secrets are read with `readVariable`. */
  sourcesFile?: string;
  /** A links file. */
  linksFile?: string;
  /** How the host names the sources and links inputs, for messages. */
  fileInputNames?: { sources?: string; links?: string };
}

/** How a host's discovery step ended. */
export interface DiscoverySyncResult {
  outcome: DiscoveryOutcome;
  /** The inventory report as markdown (for a job summary), when one was written. */
  reportMarkdown?: string;
  /** Absolute paths of the report files, when written. */
  reportHtmlFile?: string;
  reportMarkdownFile?: string;
  /** Every secret the run read (to mask in the host's log). */
  secrets: string[];
}

/**
 * Runs one discovery sync for a CI host: reads the sources and links files, the secrets the sources name, syncs
 * into the inventory folder and returns the outcome with the report. Bad files become a config-error outcome
 * (exit 2), never an exception.
 */
export async function runDiscoverySync(settings: DiscoverySyncSettings, effects: { fetch: FetchLike; clock: Clock; logger: Logger; signal?: AbortSignal; readVariable: (name: string) => string | undefined }): Promise<DiscoverySyncResult> {
  const secrets: string[] = [settings.clientSecret, settings.push?.apiKey].filter((s): s is string => s !== undefined && s !== '');
  const configError = (message: string): DiscoverySyncResult => ({
    outcome: { exitCode: EXIT_CODES.configError, result: 'config-error', message, inventory: null, sources: [], written: [], deleted: [], unlinkedNew: [], unreachable: [], pushes: [], errors: [{ path: '', message }] },
    secrets,
  });
  const { out, sourcesFile, linksFile, fileInputNames, ...options } = settings;
  let sources: AzureSourceOptions[] | undefined;
  if (sourcesFile !== undefined) {
    const name = fileInputNames?.sources ?? 'sources file';
    let text: string;
    try {
      text = await readFile(sourcesFile, 'utf8');
    } catch {
      return configError(`The ${name} ${sourcesFile} cannot be read; check the path.`);
    }
    const parsed = parseSourcesFile(text, sourcesFile);
    if (!parsed.ok) return configError(`${parsed.errors.map((e) => e.message).join('; ')}.`);
    const resolved = resolveSourceSecrets(parsed.sources, effects.readVariable);
    if (!resolved.ok) return configError(`${resolved.errors.map((e) => e.message).join('; ')}.`);
    sources = resolved.sources;
    secrets.push(...sources.map((s) => s.clientSecret));
  }
  let links: ApiLink[] | undefined;
  if (linksFile !== undefined) {
    const name = fileInputNames?.links ?? 'links file';
    let text: string;
    try {
      text = await readFile(linksFile, 'utf8');
    } catch {
      return configError(`The ${name} ${linksFile} cannot be read; check the path.`);
    }
    const parsed = parseLinksFile(text, linksFile);
    if (!parsed.ok) return configError(`${parsed.errors.map((e) => e.message).join('; ')}.`);
    links = parsed.links;
  }
  const files = createFolderDiscoveryFiles(out);
  const outcome = await discoverAzureApim(
    { ...options, ...(sources === undefined ? {} : { sources }), ...(links === undefined ? {} : { links }) },
    { fetch: effects.fetch, clock: effects.clock, logger: effects.logger, files, readVariable: effects.readVariable, ...(effects.signal === undefined ? {} : { signal: effects.signal }) },
  );
  if (!outcome.written.includes(INVENTORY_REPORT_MARKDOWN)) return { outcome, secrets };
  const reportMarkdown = (await files.readText(INVENTORY_REPORT_MARKDOWN)) ?? '';
  return { outcome, reportMarkdown, reportHtmlFile: join(resolve(out), INVENTORY_REPORT_HTML), reportMarkdownFile: join(resolve(out), INVENTORY_REPORT_MARKDOWN), secrets };
}
