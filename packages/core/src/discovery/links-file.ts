import { parse as parseYaml, parseDocument } from 'yaml';
import * as z from 'zod';
import type { ConfigIssue } from '../errors';

/** How one API is linked to a scan configuration (one entry of the links file). */
export interface ApiLink {
  /** Inventory key, `<service>/<api name>`. */
  key: string;
  /** Scan configuration name or UUID. */
  scanConfig: string;
  /** Application name or UUID, to tell apart scan configurations of the same name. */
  app?: string;
  /** Host the scan targets instead of the definition's own (the gateway). */
  hostName?: string;
  /** Sets `crawl_config.restrict_to_swagger`: scan only what the definition describes. */
  restrictToSpec?: boolean;
  /** Name of an environment variable holding the APIM subscription key, sent as a custom header. */
  subscriptionKeyEnv?: string;
  /** Overrides the header name (default: the API's subscription key header, `Ocp-Apim-Subscription-Key`). */
  subscriptionKeyHeader?: string;
  /** `auto`: new endpoints are pushed at once; `manual` (default): they wait for `ias discover approve`. */
  review?: 'auto' | 'manual';
}

const entrySchema = z.strictObject({
  scanConfig: z.string().trim().min(1),
  app: z.string().trim().min(1).optional(),
  hostName: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9.-]+(:\d+)?$/, 'must be a host name (and optional port), without scheme or path')
    .optional(),
  restrictToSpec: z.boolean().optional(),
  subscriptionKeyEnv: z
    .string()
    .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be an environment variable name')
    .optional(),
  subscriptionKeyHeader: z
    .string()
    .regex(/^[A-Za-z0-9-]+$/, 'must be an HTTP header name')
    .optional(),
  review: z.enum(['auto', 'manual']).optional(),
});

const fileSchema = z.strictObject({ links: z.record(z.string().regex(/^[^/\s]+\/[^/\s]+$/, 'keys are <service>/<api name>'), z.union([entrySchema, z.string().trim().min(1)])) });

/** The links file parsed, or the problems with it (named by YAML path). */
export type ParseLinksResult = { ok: true; links: ApiLink[] } | { ok: false; errors: ConfigIssue[] };

/**
 * Parses the user-edited links file (YAML):
 * ```yaml
 * links:
 *   contoso/echo-api:
 *     scanConfig: Echo API scan       # name or UUID
 *     app: Contoso APIs               # optional
 *     hostName: echo-test.contoso.com # optional
 *     restrictToSpec: true            # optional
 *     subscriptionKeyEnv: APIM_SUB_KEY # optional
 *     review: auto                    # optional: push new endpoints without review
 *   contoso/petstore: Petstore scan   # short form: just the scan configuration
 * ```
 */
export function parseLinksFile(text: string, fileName = 'links file'): ParseLinksResult {
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 100 }) ?? { links: {} };
  } catch (error) {
    return { ok: false, errors: [{ path: fileName, message: `${fileName} is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` }] };
  }
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ path: `${fileName}: ${issue.path.join('.') || '(top level)'}`, message: `${fileName}: ${issue.path.join('.') || 'the top level'} ${issue.message.toLowerCase()}` })),
    };
  }
  const links = Object.entries(parsed.data.links)
    .map(([key, entry]): ApiLink => {
      if (typeof entry === 'string') return { key, scanConfig: entry };
      const link: ApiLink = { key, scanConfig: entry.scanConfig };
      if (entry.app !== undefined) link.app = entry.app;
      if (entry.hostName !== undefined) link.hostName = entry.hostName;
      if (entry.restrictToSpec !== undefined) link.restrictToSpec = entry.restrictToSpec;
      if (entry.subscriptionKeyEnv !== undefined) link.subscriptionKeyEnv = entry.subscriptionKeyEnv;
      if (entry.subscriptionKeyHeader !== undefined) link.subscriptionKeyHeader = entry.subscriptionKeyHeader;
      if (entry.review !== undefined) link.review = entry.review;
      return link;
    })
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { ok: true, links };
}

/**
 * The links file text without the link of `key`, comments and the other links kept as they were; `undefined` when
 * the file has no such link.
 */
export function removeLinkFromLinksFile(text: string, key: string): string | undefined {
  const document = parseDocument(text);
  if (!document.hasIn(['links', key])) return undefined;
  document.deleteIn(['links', key]);
  return document.toString();
}
