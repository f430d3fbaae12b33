/**
 * The scan's page in the InsightAppSec UI. The API gives no scan URL; every finding carries `insight_ui_url`, a
 * page of the organisation's UI. Links seen in public material have the form
 * `https://<region>.appsec.insight.rapid7.com/op/<ORGANIZATION>/#/…` (the part before `#` is the organisation's UI
 * address), and the official GitHub action builds its `scanLink` as that address plus
 * `#/apps/<app>/configuration/<scan config>/scan/<scan>`; this follows both.
 *
 * The value comes from scan data, so it is read strictly: an https URL on an `appsec.insight.rapid7.com` host, no
 * credentials, path `/op/<letters and digits>/`. Anything else gives `undefined` (no link rather than a wrong or
 * hostile one), and the ids are written URL-encoded.
 */
export function scanUiUrl(insightUiUrl: string | null | undefined, appId: string, scanConfigId: string, scanId: string): string | undefined {
  if (typeof insightUiUrl !== 'string' || appId === '' || scanConfigId === '' || scanId === '') return undefined;
  const prefix = insightUiUrl.split('#')[0] ?? '';
  let url: URL;
  try {
    url = new URL(prefix);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' || url.username !== '' || url.password !== '' || url.port !== '') return undefined;
  if (!/^[a-z0-9]+\.appsec\.insight\.rapid7\.com$/.test(url.hostname)) return undefined;
  const organization = /^\/op\/([A-Za-z0-9]+)\/?$/.exec(url.pathname)?.[1];
  if (organization === undefined) return undefined;
  const id = encodeURIComponent;
  return `https://${url.hostname}/op/${organization}/#/apps/${id(appId)}/configuration/${id(scanConfigId)}/scan/${id(scanId)}`;
}
