import { ApiError } from '../../errors';
import { parseSpecText, type SpecFormat } from '../spec-document';
import type { ArmClient } from './arm';
import { sendWithRetry, shownUrl, type AzureHttpContext } from './azure-http';

import type { ExportFormat } from './export-formats';

export { EXPORT_FORMATS } from './export-formats';
export type { ExportFormat } from './export-formats';

/** An exported definition, or why there is none. */
export type ExportResult =
  | { kind: 'spec'; format: SpecFormat; document: Record<string, unknown> }
  | { kind: 'unsupported'; reason: string };

const REQUEST_FORMATS: Record<ExportFormat, readonly string[]> = {
  auto: ['openapi+json-link', 'swagger-link'],
  openapi3: ['openapi+json-link'],
  swagger2: ['swagger-link'],
};

/**
 * Exports one API (`GET …/apis/{id}?format=…&export=true`) and downloads the definition from the short-lived
 * blob link at once, without an Authorization header. A format APIM refuses (400) falls through to the next one.
 * The link is never logged with its query string, stored or returned.
 * @throws ApiError for failures other than an unsupported format (the caller marks that API as `error`).
 */
export async function exportApiDefinition(arm: ArmClient, http: AzureHttpContext, apiArmId: string, format: ExportFormat): Promise<ExportResult> {
  const reasons: string[] = [];
  for (const requested of REQUEST_FORMATS[format]) {
    let link: string | undefined;
    try {
      const body = await arm.get<{ value?: { link?: unknown } }>(apiArmId, 'GET …/apis/{api}?export=true', { format: requested, export: 'true' });
      link = typeof body.value?.link === 'string' ? body.value.link : undefined;
    } catch (error) {
      if (error instanceof ApiError && error.status === 400) {
        reasons.push(`${requested} export refused`);
        continue;
      }
      throw error;
    }
    if (link === undefined) {
      reasons.push(`${requested} export had no link`);
      continue;
    }
    const text = await download(http, link);
    const parsed = parseSpecText(text);
    if (parsed.ok) return { kind: 'spec', format: parsed.format, document: parsed.document };
    reasons.push(parsed.reason);
  }
  return { kind: 'unsupported', reason: `no Swagger 2 or OpenAPI 3 definition could be exported (${reasons.join('; ')})` };
}

async function download(http: AzureHttpContext, link: string): Promise<string> {
  const route = 'GET {export blob}';
  // The bearer token never goes to the blob host: the SAS link is its own credential.
  const { response, text } = await sendWithRetry(http, route, link, () => ({ method: 'GET', headers: { accept: 'application/json, application/yaml, */*' } }));
  if (!response.ok) {
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
    // Only an authentication refusal points at the link itself; a 5xx is the storage host's trouble.
    const advice =
      response.status === 403 && code === 'InvalidAuthenticationInfo'
        ? 'the storage host saw an Authorization header on the signed link: check that no proxy adds one'
        : response.status === 403
          ? 'the signed link was refused (export links live 5 minutes): run again, and check the clock of this machine'
          : response.status === 404
            ? 'the exported file was not found on the storage host: run again'
            : response.status === 429 || response.status >= 500
              ? 'the storage host is busy or failing even after retries: run again later'
              : 'run again';
    throw new ApiError('HTTP_ERROR', `Downloading the exported definition from ${shownUrl(link)} failed with ${response.status}${code === undefined ? '' : ` ${code}`}; ${advice}.`, { method: 'GET', url: shownUrl(link), route, status: response.status });
  }
  return text;
}
