import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import type { ConfigIssue } from '../errors';
import type { AzureSourceOptions } from './discover-azure-apim';

/** One source of the sources file, before its secret is read. */
export interface SourceSpec extends Omit<AzureSourceOptions, 'clientSecret'> {
  /** The variable (environment variable, pipeline secret) that holds the client secret. */
  clientSecretEnv: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const guid = (what: string): z.ZodString => z.string().trim().regex(GUID, `must be the ${what}, a GUID`);

const sourceSchema = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be 1-64 letters, digits, dots, dashes or underscores'),
  type: z.literal('azure-apim').optional(),
  tenantId: guid('Directory (tenant) ID'),
  clientId: guid('Application (client) ID'),
  clientSecretEnv: z.string().regex(/^[A-Za-z_][A-Za-z0-9_.]*$/, 'must be the name of the variable holding the secret (the secret itself never goes in this file)'),
  subscriptions: z.array(guid('subscription id')).optional(),
  resourceGroup: z.string().trim().min(1).optional(),
  services: z.array(z.string().trim().min(1)).optional(),
  workspaces: z.array(z.string().trim().min(1)).optional(),
  cloud: z.string().optional(),
  armEndpoint: z.string().url().optional(),
  authorityHost: z.string().url().optional(),
});

const fileSchema = z.strictObject({ sources: z.array(sourceSchema).min(1, 'must list at least one source') });

/** The sources file parsed, or the problems with it (named by YAML path). */
export type ParseSourcesResult = { ok: true; sources: SourceSpec[] } | { ok: false; errors: ConfigIssue[] };

/**
 * Parses the sources file (YAML), the seed's list of "sources": one app registration each, its secret named by
 * variable, and optionally which subscriptions (default: every one the app can see), resource group and services.
 * ```yaml
 * sources:
 *   - name: prod
 *     tenantId: 11111111-1111-4111-8111-111111111111
 *     clientId: 22222222-2222-4222-8222-222222222222
 *     clientSecretEnv: APIM_PROD_SECRET
 *   - name: test
 *     tenantId: …
 *     clientId: …
 *     clientSecretEnv: APIM_TEST_SECRET
 *     subscriptions: [33333333-3333-4333-8333-333333333333]
 *     services: [contoso-test]
 * ```
 */
export function parseSourcesFile(text: string, fileName = 'sources file'): ParseSourcesResult {
  let value: unknown;
  try {
    value = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    return { ok: false, errors: [{ path: fileName, message: `${fileName} is not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}` }] };
  }
  const parsed = fileSchema.safeParse(value ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => {
        const where = issue.path.join('.') || 'the top level';
        const message = issue.code === 'invalid_type' && issue.path.length > 0 && issue.message.toLowerCase().includes('required') ? 'is required' : issue.message.toLowerCase().replace(/^string /, '');
        return { path: `${fileName}: ${where}`, message: `${fileName}: ${where} ${message}` };
      }),
    };
  }
  const names = new Set<string>();
  const errors: ConfigIssue[] = [];
  for (const s of parsed.data.sources) {
    if (names.has(s.name)) errors.push({ path: `${fileName}: sources`, message: `${fileName}: the source name '${s.name}' is used twice` });
    names.add(s.name);
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    sources: parsed.data.sources.map((s) => {
      const spec: SourceSpec = { name: s.name, tenantId: s.tenantId, clientId: s.clientId, clientSecretEnv: s.clientSecretEnv };
      if (s.subscriptions !== undefined) spec.subscriptions = s.subscriptions;
      if (s.resourceGroup !== undefined) spec.resourceGroup = s.resourceGroup;
      if (s.services !== undefined) spec.services = s.services;
      if (s.workspaces !== undefined) spec.workspaces = s.workspaces;
      if (s.cloud !== undefined) spec.cloud = s.cloud;
      if (s.armEndpoint !== undefined) spec.armEndpoint = s.armEndpoint;
      if (s.authorityHost !== undefined) spec.authorityHost = s.authorityHost;
      return spec;
    }),
  };
}

/**
 * Reads each source's secret from the variable it names.
 * @returns the sources, or one problem per variable that is unset or empty (naming the variable, never a value).
 */
export function resolveSourceSecrets(specs: readonly SourceSpec[], readVariable: (name: string) => string | undefined): { ok: true; sources: AzureSourceOptions[] } | { ok: false; errors: ConfigIssue[] } {
  const errors: ConfigIssue[] = [];
  const sources: AzureSourceOptions[] = [];
  for (const { clientSecretEnv, ...rest } of specs) {
    const secret = readVariable(clientSecretEnv) ?? '';
    if (secret === '') errors.push({ path: clientSecretEnv, message: `source '${rest.name}' reads its client secret from ${clientSecretEnv}, which is not set; set that variable (as a secret) in the pipeline` });
    sources.push({ ...rest, clientSecret: secret });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, sources };
}
