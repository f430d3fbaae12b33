import { escapeHtml } from '../report/report-files';
import { markdownCell } from '../report/markdown';
import type { Inventory, InventoryApi, SourceSyncRecord } from './inventory';
import type { PushResult } from './link-spec';

/** File names of the inventory report, written next to `inventory.json`. */
export const INVENTORY_REPORT_MARKDOWN = 'inventory-report.md';
export const INVENTORY_REPORT_HTML = 'inventory-report.html';

/** What the inventory report shows. */
export interface InventoryReportInput {
  inventory: Inventory;
  /** The last sync of each source. */
  sources: readonly SourceSyncRecord[];
  /** What this run's `--push` did, when it pushed. */
  pushes?: readonly PushResult[];
}

/** The Content-Security-Policy of the page: it loads nothing and runs no script. */
export const INVENTORY_REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

const CHANGE_STATUSES = new Set(['new', 'changed', 'removed', 'unreachable', 'error']);

function linkState(api: InventoryApi): string {
  if (api.link === null) return 'not linked';
  const name = api.link.scanConfigName ?? api.link.scanConfig;
  if (api.link.lastPushedAt === null) return `linked to ${name}, never pushed`;
  const pending = api.spec !== null && api.link.lastPushedSha256 !== api.spec.sha256;
  return `linked to ${name}, pushed ${api.link.lastPushedAt}${pending ? ' (an older definition)' : ''}`;
}

function changeText(api: InventoryApi): string {
  const parts: string[] = [api.status];
  if (api.diff !== null) parts.push(`+${api.diff.added.length} −${api.diff.removed.length} operations`);
  if (api.skipReason !== null && api.status === 'changed') parts.push(`definition lost: ${api.skipReason}`);
  if (api.error !== null) parts.push(api.error);
  return parts.join('; ');
}

/**
 * The inventory as markdown for a job summary or a pull request: sources with their last sync, services, the changes
 * since the last sync (operations added and removed), and every API with its link state and last push. All names
 * and texts from Azure are escaped (they can hold markdown or HTML).
 */
export function renderInventoryMarkdown(input: InventoryReportInput): string {
  const { inventory } = input;
  const s = inventory.summary;
  const lines: string[] = [];
  lines.push('## API inventory (Azure API Management)', '');
  lines.push(`${inventory.apis.length} APIs in ${inventory.services.length} services: ${s.new} new, ${s.changed} changed, ${s.unchanged} unchanged, ${s.removed} removed, ${s.skipped} skipped, ${s.error} error, ${s.unreachable} unreachable.`, '');
  lines.push('### Sources', '', '| source | last sync | result | subscriptions | services | APIs | reason |', '|---|---|---|---|---|---|---|');
  for (const r of input.sources) lines.push(`| ${markdownCell(r.name)} | ${markdownCell(r.at)} | ${markdownCell(r.result)} | ${r.subscriptions.length} | ${r.services} | ${r.apis} | ${markdownCell(r.reason ?? undefined, 300)} |`);
  lines.push('');
  const changes = inventory.apis.filter((a) => CHANGE_STATUSES.has(a.status));
  lines.push('### Changes since the last sync', '');
  if (changes.length === 0) lines.push('None.', '');
  else {
    for (const api of changes) {
      lines.push(`- **${markdownCell(api.key)}**: ${markdownCell(changeText(api), 400)}`);
      for (const op of api.diff?.added ?? []) lines.push(`  - added ${markdownCell(op)}`);
      for (const op of api.diff?.removed ?? []) lines.push(`  - removed ${markdownCell(op)}`);
    }
    lines.push('');
  }
  const pending = inventory.apis.filter((a) => a.link?.pendingReview);
  lines.push('### Pending review', '');
  if (pending.length === 0) lines.push('None: every endpoint of a linked API is in its scan configuration.', '');
  else {
    for (const api of pending) {
      lines.push(`- **${markdownCell(api.key)}** (${markdownCell(api.link?.scanConfigName ?? api.link?.scanConfig)}), since ${markdownCell(api.link?.pendingReview?.since)}: approve with \`ias discover approve ${api.key.replace(/`/g, '')}\``);
      for (const op of api.link?.pendingReview?.added ?? []) lines.push(`  - new ${markdownCell(op)}`);
    }
    lines.push('');
  }
  lines.push('### Services', '', '| service | source | subscription | resource group | gateway | state |', '|---|---|---|---|---|---|');
  for (const svc of inventory.services) lines.push(`| ${markdownCell(svc.name)} | ${markdownCell(svc.source)} | ${markdownCell(svc.subscriptionId)} | ${markdownCell(svc.resourceGroup)} | ${markdownCell(svc.gatewayUrl ?? undefined)} | ${markdownCell(svc.status === 'unreachable' ? `unreachable: ${svc.error ?? ''}` : 'ok', 300)} |`);
  lines.push('', '### APIs', '', '| API | type | status | endpoints | link | ', '|---|---|---|---|---|');
  for (const api of inventory.apis) lines.push(`| ${markdownCell(api.key)} | ${markdownCell(api.type)} | ${markdownCell(api.status)} | ${api.spec?.operations.length ?? 0} | ${markdownCell(linkState(api))} |`);
  if (input.pushes !== undefined && input.pushes.length > 0) {
    lines.push('', '### Last push', '', '| API | scan configuration | result | message |', '|---|---|---|---|');
    for (const p of input.pushes) lines.push(`| ${markdownCell(p.key)} | ${markdownCell(p.scanConfigName ?? p.scanConfig)} | ${markdownCell(p.result)} | ${markdownCell(p.message, 300)} |`);
  }
  lines.push('');
  return `${lines.join('\n')}\n`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1b1b1b;max-width:1200px}h1{font-size:22px}h2{font-size:17px;margin-top:28px}
table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f3f5f7}
.s-new{color:#1565c0}.s-changed{color:#ef6c00}.s-removed,.s-error,.s-unreachable,.r-failed{color:#c62828;font-weight:600}.r-partial{color:#ef6c00;font-weight:600}
.counts span{display:inline-block;margin-right:14px}code{font-family:ui-monospace,monospace;font-size:12px}ul.ops{margin:4px 0;padding-left:18px}`;

/**
 * The inventory as one self-contained HTML page (no script, no network: the CSP forbids both): sources with their
 * last sync, services, the changes since the last sync, and every API with its endpoints (method and path, under a
 * collapsed `<details>`), link state and last push. Every text from Azure or IAS is escaped.
 */
export function renderInventoryHtml(input: InventoryReportInput): string {
  const { inventory } = input;
  const e = escapeHtml;
  const s = inventory.summary;
  const cls = (status: string): string => `s-${status.replace(/[^a-z]/g, '')}`;
  const ops = (list: readonly string[], prefix: string): string => (list.length === 0 ? '' : `<ul class="ops">${list.map((o) => `<li>${e(prefix)}<code>${e(o)}</code></li>`).join('')}</ul>`);
  const out: string[] = [];
  out.push('<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', `<meta http-equiv="Content-Security-Policy" content="${INVENTORY_REPORT_CSP}">`, '<meta name="viewport" content="width=device-width, initial-scale=1">', '<title>API inventory</title>', `<style>${STYLE}</style></head><body>`);
  out.push('<h1>API inventory (Azure API Management)</h1>');
  out.push(`<p>Generated ${e(inventory.generatedAt)} by ${e(inventory.tool)}.</p>`);
  out.push(`<p class="counts" id="counts">${(['new', 'changed', 'unchanged', 'removed', 'skipped', 'error', 'unreachable'] as const).map((k) => `<span class="${cls(k)}" data-count="${k}">${s[k]} ${k}</span>`).join('')}</p>`);
  out.push('<h2>Sources</h2><table id="sources"><thead><tr><th>source</th><th>last sync</th><th>result</th><th>subscriptions</th><th>services</th><th>APIs</th><th>reason</th></tr></thead><tbody>');
  for (const r of input.sources) out.push(`<tr><td>${e(r.name)}</td><td>${e(r.at)}</td><td class="r-${e(r.result)}">${e(r.result)}</td><td>${r.subscriptions.map((x) => `<code>${e(x)}</code>`).join('<br>')}</td><td>${r.services}</td><td>${r.apis}</td><td>${e(r.reason ?? '')}</td></tr>`);
  out.push('</tbody></table>');
  const changes = inventory.apis.filter((a) => CHANGE_STATUSES.has(a.status));
  out.push('<h2>Changes since the last sync</h2>');
  if (changes.length === 0) out.push('<p id="changes">None.</p>');
  else {
    out.push('<table id="changes"><thead><tr><th>API</th><th>change</th><th>operations</th></tr></thead><tbody>');
    for (const api of changes) out.push(`<tr><td>${e(api.key)}</td><td class="${cls(api.status)}">${e(changeText(api))}</td><td>${ops(api.diff?.added ?? [], '+ ')}${ops(api.diff?.removed ?? [], '− ')}</td></tr>`);
    out.push('</tbody></table>');
  }
  const pending = inventory.apis.filter((a) => a.link?.pendingReview);
  out.push('<h2>Pending review</h2>');
  if (pending.length === 0) out.push('<p id="pending">None: every endpoint of a linked API is in its scan configuration.</p>');
  else {
    out.push('<table id="pending"><thead><tr><th>API</th><th>scan configuration</th><th>since</th><th>new endpoints (not scanned yet)</th></tr></thead><tbody>');
    for (const api of pending) out.push(`<tr><td>${e(api.key)}</td><td>${e(api.link?.scanConfigName ?? api.link?.scanConfig ?? '')}</td><td>${e(api.link?.pendingReview?.since ?? '')}</td><td>${ops(api.link?.pendingReview?.added ?? [], '+ ')}<small>ias discover approve ${e(api.key)}</small></td></tr>`);
    out.push('</tbody></table>');
  }
  out.push('<h2>Services</h2><table id="services"><thead><tr><th>service</th><th>source</th><th>subscription</th><th>resource group</th><th>gateway</th><th>state</th></tr></thead><tbody>');
  for (const svc of inventory.services) out.push(`<tr><td>${e(svc.name)}</td><td>${e(svc.source ?? '')}</td><td><code>${e(svc.subscriptionId)}</code></td><td>${e(svc.resourceGroup)}</td><td>${e(svc.gatewayUrl ?? '')}</td><td class="${svc.status === 'unreachable' ? 's-unreachable' : ''}">${e(svc.status === 'unreachable' ? `unreachable: ${svc.error ?? ''}` : 'ok')}</td></tr>`);
  out.push('</tbody></table>');
  out.push('<h2>APIs</h2><table id="apis"><thead><tr><th>API</th><th>type</th><th>status</th><th>endpoints</th><th>link</th></tr></thead><tbody>');
  for (const api of inventory.apis) {
    const endpoints = api.spec === null ? '—' : `<details><summary>${api.spec.operations.length} endpoint${api.spec.operations.length === 1 ? '' : 's'}</summary>${ops(api.spec.operations, '')}</details>`;
    out.push(`<tr data-key="${e(api.key)}"><td>${e(api.key)}<br><small>${e(api.displayName)}</small></td><td>${e(api.type)}</td><td class="${cls(api.status)}">${e(api.status)}${api.skipReason === null ? '' : `<br><small>${e(api.skipReason)}</small>`}</td><td>${endpoints}</td><td>${e(linkState(api))}</td></tr>`);
  }
  out.push('</tbody></table>');
  if (input.pushes !== undefined && input.pushes.length > 0) {
    out.push('<h2>Last push</h2><table id="pushes"><thead><tr><th>API</th><th>scan configuration</th><th>result</th><th>message</th></tr></thead><tbody>');
    for (const p of input.pushes) out.push(`<tr><td>${e(p.key)}</td><td>${e(p.scanConfigName ?? p.scanConfig)}</td><td>${e(p.result)}</td><td>${e(p.message)}</td></tr>`);
    out.push('</tbody></table>');
  }
  out.push('</body></html>', '');
  return out.join('\n');
}
