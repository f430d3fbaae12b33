import { describe, expect, it } from 'vitest';
import { reportFixture } from './__golden__/report-fixture';
import { renderInventoryHtml, renderInventoryMarkdown } from './inventory-report';

describe('inventory report', () => {
  it('lists sources, changes with their operations, services, APIs with link state, escaping Azure names', () => {
    const md = renderInventoryMarkdown(reportFixture());
    expect(md).toContain('| default | 2026-01-05T06:00:00.000Z | partial | 1 | 1 | 2 | fabrikam: no longer listed |');
    expect(md).toMatch(/- \*\*contoso\/echo-api\*\*: changed; \+1 −0 operations\n {2}- added GET \/echo\/status/);
    expect(md).toContain('linked to Full, pushed 2026-01-05T06:00:00.000Z');
    expect(md).not.toContain('<img');
    expect(md).not.toMatch(/[^\\]\*\*bold/);
  });

  it('is one page with a CSP, no script, and no markup from Azure names', () => {
    const html = renderInventoryHtml(reportFixture());
    expect(html).toContain('Content-Security-Policy');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});
