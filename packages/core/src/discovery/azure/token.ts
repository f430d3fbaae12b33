import { ApiError, redactSecrets, type ApiErrorContext } from '../../errors';
import { sendWithRetry, type AzureHttpContext } from './azure-http';

/** Options of {@link createTokenProvider}. */
export interface TokenProviderOptions extends AzureHttpContext {
  /** e.g. `https://login.microsoftonline.com`. */
  authorityHost: string;
  tenantId: string;
  clientId: string;
  /** Never logged, never put in an error. */
  clientSecret: string;
  /** e.g. `https://management.azure.com/.default`. */
  scope: string;
}

/** Client-credentials tokens from Entra ID, kept in memory and reused until shortly before they expire. */
export interface TokenProvider {
  /** A valid access token (fetches one when none is cached or it is about to expire). */
  get(): Promise<string>;
  /** Fetches a new token unless one newer than `stale` already exists; used once after a 401. */
  refresh(stale: string): Promise<string>;
  /** How many tokens were requested so far. */
  readonly issued: number;
}

const EARLY_RENEWAL_S = 300;

/** Hints for the Entra error codes a user can fix (shown, not branched on, as Microsoft advises). */
const AADSTS_HINTS: Record<string, string> = {
  AADSTS7000215: "the client secret is wrong: put the secret's Value (not its Secret ID) in AZURE_CLIENT_SECRET",
  AADSTS7000222: 'the client secret has expired: create a new one under Certificates & secrets',
  AADSTS700016: 'the client id is not an application of this tenant: check --client-id and --tenant-id',
  AADSTS90002: 'the tenant was not found: check --tenant-id and --cloud',
  AADSTS900023: 'the tenant id is malformed: use the Directory (tenant) ID from the app registration',
  AADSTS70011: 'the scope was refused: check --arm-endpoint and --cloud',
};

/** The body as a JSON object, or `{}` when it is not JSON. */
function parseJsonObject(text: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** The error for a refused token request: the Entra error, its first line (redacted) and a hint to fix it. */
function tokenRefusal(status: number, body: Record<string, unknown>, redact: (text: string) => string, context: ApiErrorContext): ApiError {
  const description = typeof body.error_description === 'string' ? body.error_description : '';
  const code = /AADSTS\d+/.exec(description)?.[0];
  const firstLine = redact(description.split(/\r?\n| Trace ID:/)[0] ?? '').trim();
  const hint = (code === undefined ? undefined : AADSTS_HINTS[code]) ?? 'check --tenant-id, --client-id, AZURE_CLIENT_SECRET and --cloud';
  const what = typeof body.error === 'string' ? ` ${body.error}` : '';
  return new ApiError(status >= 500 || status === 429 ? 'HTTP_ERROR' : 'AUTH_FAILED', `Entra ID refused the token request with ${status}${what}${firstLine ? ` (${firstLine})` : ''}; ${hint}.`, context);
}

/**
 * Creates a token provider for the client-credentials grant (`POST {authority}/{tenant}/oauth2/v2.0/token`).
 * Tokens are renewed after `min(refresh_in, expires_in - 300 s)`.
 * @throws ApiError AUTH_FAILED (from `get`) when Entra ID refuses the credentials, with the AADSTS code and a fix.
 */
export function createTokenProvider(options: TokenProviderOptions): TokenProvider {
  const url = `${options.authorityHost.replace(/\/+$/, '')}/${encodeURIComponent(options.tenantId)}/oauth2/v2.0/token`;
  const route = 'POST /{tenant}/oauth2/v2.0/token';
  let current: { token: string; renewAt: number } | undefined;
  let inflight: Promise<string> | undefined;
  let issued = 0;
  const redact = (text: string): string => redactSecrets(text, [options.clientSecret]);

  const fetchToken = async (): Promise<string> => {
    issued += 1;
    const { response, text } = await sendWithRetry(options, route, url, () => ({
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: options.clientId, client_secret: options.clientSecret, scope: options.scope }).toString(),
    }));
    const body = parseJsonObject(text);
    const context = { method: 'POST', url, route, status: response.status, bodyExcerpt: redact(text.slice(0, 300)) };
    if (!response.ok) throw tokenRefusal(response.status, body, redact, context);
    const token = body.access_token;
    const expiresIn = Number(body.expires_in);
    if (typeof token !== 'string' || token === '' || !Number.isFinite(expiresIn)) {
      throw new ApiError('RESPONSE_INVALID', `Entra ID answered the token request without access_token or expires_in; check --authority-host.`, context);
    }
    const refreshIn = Number(body.refresh_in);
    const lifetime = Math.max(0, Math.min(Number.isFinite(refreshIn) ? refreshIn : Infinity, expiresIn - EARLY_RENEWAL_S));
    current = { token, renewAt: options.clock.now() + lifetime * 1000 };
    options.logger.debug(`Got an ARM token from Entra ID (expires in ${expiresIn}s)`);
    return token;
  };

  const renew = (): Promise<string> => {
    inflight ??= fetchToken().finally(() => {
      inflight = undefined;
    });
    return inflight;
  };

  return {
    get issued() {
      return issued;
    },
    async get() {
      if (current !== undefined && options.clock.now() < current.renewAt) return current.token;
      return renew();
    },
    async refresh(stale) {
      if (inflight !== undefined) return inflight;
      if (current !== undefined && current.token !== stale) return current.token;
      current = undefined;
      return renew();
    },
  };
}
