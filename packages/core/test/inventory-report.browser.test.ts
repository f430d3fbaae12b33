import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumFor, openReportPage, type ReportPage } from './chromium-page';
import { HOSTILE_NAME, reportFixture } from '../src/discovery/__golden__/report-fixture';
import { INVENTORY_REPORT_HTML, renderInventoryHtml } from '../src/discovery/inventory-report';

/*
 * Opens the discovery inventory report in Debian's headless Chromium (driven by playwright-core, as the scan report's
 * browser test does): the tables render, endpoints stay collapsed until asked, an API name carrying markup stays
 * text, and the page sends no request, runs no script and logs no error. Without Chromium the test is skipped with
 * one line, except in CI (CI=true), where it is required.
 */

const available = chromiumFor('inventory report');

const here = dirname(fileURLToPath(import.meta.url));
const OUTPUT = join(here, '..', 'test-output');

let opened: ReportPage | undefined;
let page: Page;
let reportUrl: string;

describe.skipIf(!available)('inventory report in headless Chromium', () => {
  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    const file = join(OUTPUT, INVENTORY_REPORT_HTML);
    const fixture = reportFixture();
    writeFileSync(file, renderInventoryHtml({ ...fixture, pushes: [{ key: 'contoso/echo-api', scanConfig: 'Full', scanConfigId: 'id', scanConfigName: 'Full', result: 'pushed', message: "contoso/echo-api: attached the definition (2 operations) to 'Full'" }] }));
    reportUrl = pathToFileURL(file).href;
    opened = await openReportPage(file);
    page = opened.page;
  }, 60_000);

  afterAll(async () => {
    await opened?.close();
  });

  it('renders sources, changes, services, APIs and the last push', async () => {
    expect(await page.locator('#sources tbody tr').count()).toBe(1);
    expect(await page.locator('#sources tbody tr td').nth(2).textContent()).toBe('partial');
    expect(await page.locator('#changes tbody tr').count()).toBe(2);
    expect(await page.locator('#services tbody tr').count()).toBe(2);
    expect(await page.locator('#apis tbody tr').count()).toBe(2);
    expect(await page.locator('#pushes tbody tr').count()).toBe(1);
    expect(await page.locator('#pending tbody tr').count()).toBe(1);
    expect(await page.locator('#pending tbody tr li').allTextContents()).toEqual(['+ GET /echo/status']);
    expect(await page.locator('[data-count="changed"]').textContent()).toBe('1 changed');
    const width = (await page.locator('#apis').boundingBox())?.width ?? 0;
    expect(width).toBeGreaterThan(600);
  });

  it('keeps endpoints collapsed until asked, and shows method and path', async () => {
    const row = page.locator('#apis tbody tr[data-key="contoso/echo-api"]');
    await expect.poll(() => row.locator('details li').first().isVisible()).toBe(false);
    await row.locator('summary').click();
    await expect.poll(() => row.locator('details li').first().isVisible()).toBe(true);
    expect(await row.locator('details li').allTextContents()).toEqual(['GET /echo/resource', 'GET /echo/status']);
  });

  it('shows a name with markup as text: no element and no script came from it', async () => {
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('#apis').textContent()).toContain(HOSTILE_NAME);
  });

  it('sends no request besides loading itself and logs no error; leaves a screenshot', async () => {
    await page.screenshot({ path: join(OUTPUT, 'inventory-report.png'), fullPage: true });
    expect(opened?.requests.filter((url) => url !== reportUrl)).toEqual([]);
    expect(opened?.problems).toEqual([]);
  });
});
