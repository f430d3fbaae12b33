/** The Azure clouds discovery knows: authority host and ARM endpoint of each (azure-apim.md §1.4). */
export const AZURE_CLOUDS = {
  public: { authorityHost: 'https://login.microsoftonline.com', armEndpoint: 'https://management.azure.com' },
  china: { authorityHost: 'https://login.chinacloudapi.cn', armEndpoint: 'https://management.chinacloudapi.cn' },
  usgov: { authorityHost: 'https://login.microsoftonline.us', armEndpoint: 'https://management.usgovcloudapi.net' },
} as const;

/** One Azure cloud name. */
export type AzureCloud = keyof typeof AZURE_CLOUDS;

/** The ARM api-version discovery uses unless told otherwise (newest stable at the time of writing). */
export const DEFAULT_APIM_API_VERSION = '2024-05-01';

/** True when `value` names a known cloud. */
export function isAzureCloud(value: string): value is AzureCloud {
  return Object.hasOwn(AZURE_CLOUDS, value);
}

/** The OAuth scope for ARM: its endpoint plus `/.default`. */
export function armScope(armEndpoint: string): string {
  return `${armEndpoint.replace(/\/+$/, '')}/.default`;
}
