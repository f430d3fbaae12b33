import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumFor, openReportPage, type ReportPage } from './chromium-page';
import { fixtureContext, fixtureRecords } from '../src/report/__golden__/fixtures';
import type { FindingRecord } from '../src/report/finding-record';
import { createHtmlReport, HTML_FILE_NAME, HTML_PAGE_SIZE } from '../src/report/html';
import { createMemoryReportSink } from '../src/report/sink';

/*
 * Opens the HTML report in Debian's headless Chromium (driven by playwright-core, no downloaded browser): the
 * chart and tables render, the filters and paging work, the page sends no request and logs no error. A
 * screenshot is left in packages/core/test-output/ for people to look at.
 */

const here = dirname(fileURLToPath(import.meta.url));
const OUTPUT = join(here, '..', 'test-output');
const SCREENSHOT = join(OUTPUT, 'html-report.png');

const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;

/** The eight fixture findings plus 242 generated ones (250 in all: three pages of 100). */
function records(): FindingRecord[] {
  const generated: FindingRecord[] = Array.from({ length: 242 }, (_, i) => {
    const severity = SEVERITIES[i % SEVERITIES.length]!;
    const module = `Module ${String.fromCharCode(65 + (i % 6))}`;
    return {
      vulnerability: {
        id: `gen-${i}`,
        severity,
        status: 'UNREVIEWED',
        root_cause: { url: `https://shop.example.com/generated/${i}`, method: i % 3 === 0 ? 'POST' : 'GET', parameter: `p${i}` },
        variances: [
          {
            module: { id: `m${i % 6}` },
            attack: { id: `a${i % 4}` },
            message: `Generated finding ${i}`,
            original_exchange: { request: `GET /generated/${i} HTTP/1.1\r\nHost: shop.example.com\r\n\r\n`, response: 'HTTP/1.1 200 OK\r\n\r\n<html></html>' },
          },
        ],
      },
      moduleId: `m${i % 6}`,
      moduleName: module,
      attackId: `a${i % 4}`,
      gateMatched: severity === 'CRITICAL',
    };
  });
  return [...fixtureRecords(), ...generated];
}

let opened: ReportPage | undefined;
let page: Page;
let reportUrl: string;

const HAVE_CHROMIUM = chromiumFor('HTML report');

beforeAll(async () => {
  if (!HAVE_CHROMIUM) return;
  const all = records();
  const sink = createMemoryReportSink();
  const report = await createHtmlReport(sink);
  for (const record of all) await report.add(record);
  const bySeverity: Record<string, number> = {};
  const byModule: Record<string, number> = {};
  for (const r of all) {
    const s = r.vulnerability.severity.toUpperCase();
    bySeverity[s] = (bySeverity[s] ?? 0) + 1;
    byModule[r.moduleName] = (byModule[r.moduleName] ?? 0) + 1;
  }
  await report.finish(fixtureContext({ counts: { total: all.length, bySeverity, byModule } }));

  mkdirSync(OUTPUT, { recursive: true });
  const file = join(OUTPUT, HTML_FILE_NAME);
  writeFileSync(file, sink.files.get(HTML_FILE_NAME) ?? '');
  reportUrl = pathToFileURL(file).href;

  opened = await openReportPage(file);
  page = opened.page;
}, 60_000);

afterAll(async () => {
  await opened?.close();
});

async function visibleRows(): Promise<{ severity: string | null; text: string }[]> {
  return page.locator('#findings-body tr:visible').evaluateAll((rows) =>
    rows.map((row) => ({ severity: row.getAttribute('data-severity'), text: row.textContent ?? '' })),
  );
}

describe.skipIf(!HAVE_CHROMIUM)('HTML report in headless Chromium', () => {
  it('renders the chart and both tables, with the script running under the CSP', async () => {
    expect(await page.locator('#severity-chart svg rect').count()).toBe(7);
    const chartBox = await page.locator('#severity-chart svg').boundingBox();
    expect(chartBox?.width).toBeGreaterThan(100);
    expect(await page.locator('#modules tbody tr').count()).toBe(13);
    expect(await page.locator('#findings-body tr').count()).toBe(250);
    // The controls are hidden until the script runs: visible means the CSP hash let it run.
    await expect.poll(() => page.locator('#findings-controls').isVisible()).toBe(true);
    expect(await visibleRows()).toHaveLength(HTML_PAGE_SIZE);
    expect(await page.locator('#filter-status').textContent()).toBe('Showing 1–100 of 250 matching (250 listed), page 1 of 3.');
  });

  it('keeps details collapsed until asked', async () => {
    expect(await page.locator('details[open]').count()).toBe(0);
    const first = page.locator('#findings-body tr:visible').first();
    await expect.poll(() => first.locator('pre').first().isVisible()).toBe(false);
    await first.locator('summary').click();
    expect(await page.locator('details[open]').count()).toBe(1);
    await expect.poll(() => first.locator('pre').first().isVisible()).toBe(true);
    await first.locator('summary').click();
  });

  it('filters by text, by severity, and pages through the rest', async () => {
    await page.fill('#filter-text', 'generated/17');
    const byText = await visibleRows();
    // generated/17 and generated/170…179.
    expect(byText).toHaveLength(11);
    expect(byText.every((row) => row.text.includes('generated/17'))).toBe(true);

    await page.fill('#filter-text', '');
    await page.selectOption('#filter-severity', 'CRITICAL');
    const critical = await visibleRows();
    expect(critical.length).toBe(1 + 49);
    expect(critical.every((row) => row.severity === 'CRITICAL')).toBe(true);

    await page.fill('#filter-text', 'login');
    const both = await visibleRows();
    expect(both.map((row) => row.severity)).toEqual(['CRITICAL']);
    expect(both[0]?.text).toContain('https://shop.example.com/api/login');

    await page.fill('#filter-text', 'no such text anywhere');
    expect(await visibleRows()).toHaveLength(0);
    expect(await page.locator('#filter-status').textContent()).toBe('No listed finding matches the filters.');

    await page.fill('#filter-text', '');
    await page.selectOption('#filter-severity', '');
    await page.click('#page-next');
    await page.click('#page-next');
    expect(await visibleRows()).toHaveLength(50);
    expect(await page.locator('#page-next').isDisabled()).toBe(true);
    await page.click('#page-prev');
    await page.click('#page-prev');
    expect(await page.locator('#page-prev').isDisabled()).toBe(true);
  });

  it('sends no request besides loading itself and logs no error; leaves a screenshot', async () => {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect(existsSync(SCREENSHOT)).toBe(true);
    expect(opened?.requests.filter((url) => url !== reportUrl)).toEqual([]);
    expect(opened?.problems).toEqual([]);
  });
});
