/**
 * The scan's page in the InsightAppSec UI. The API gives no scan URL; findings carry `insight_ui_url`, whose part
 * before `#` is the UI's address (the official GitHub action builds its `scanLink` the same way). The exact format of
 * the UI's routes is not documented, so this is a best effort and `undefined` when no finding shows an address.
 */
export function scanUiUrl(insightUiUrl: string | null | undefined, appId: string, scanConfigId: string, scanId: string): string | undefined {
  const prefix = insightUiUrl?.split('#')[0];
  if (prefix === undefined || !/^https?:\/\//i.test(prefix)) return undefined;
  return `${prefix}#/apps/${appId}/configuration/${scanConfigId}/scan/${scanId}`;
}
