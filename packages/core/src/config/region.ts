/** The regions the official integrations offer; any `[a-z0-9]+` is accepted for regions added later. */
export const KNOWN_REGIONS = ['us', 'us2', 'us3', 'eu', 'ca', 'au', 'ap'] as const;

/** The IAS API base URL of a region: `https://{region}.api.insight.rapid7.com/ias/v1`. */
export function baseUrlForRegion(region: string): string {
  return `https://${region.toLowerCase()}.api.insight.rapid7.com/ias/v1`;
}
