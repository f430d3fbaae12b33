import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Page } from 'playwright-core';

/*
 * The browser tests' Chromium: Debian's package, driven by playwright-core (no downloaded browser). It is required in
 * CI (`.ci/run` installs it); elsewhere a suite that needs it is skipped with one visible line, since no other test
 * needs anything but Node and npm.
 */

export const CHROMIUM = '/usr/bin/chromium';

/**
 * Whether Chromium is there for the suite `what`.
 * @throws Error when it is missing and CI=true, so CI never passes a browser test it did not run.
 */
export function chromiumFor(what: string): boolean {
  if (existsSync(CHROMIUM)) return true;
  const how = `install Debian's package (apt-get install -y chromium) to run it`;
  if (process.env.CI === 'true') throw new Error(`Chromium is not installed at ${CHROMIUM}; the ${what} browser test is required in CI: ${how}.`);
  process.stderr.write(`\nSKIPPED the ${what} browser test: Chromium is not installed at ${CHROMIUM}; ${how}.\n\n`);
  return false;
}

/** A report file open in headless Chromium, with every request it tried and every error or warning it logged. */
export interface ReportPage {
  page: Page;
  /** Every URL the page asked for; anything but the report file itself was refused. */
  requests: string[];
  /** Console errors and warnings, and uncaught page errors. */
  problems: string[];
  close(): Promise<void>;
}

/** Opens `file` in a fresh Chromium profile, refusing every request but the file itself. */
export async function openReportPage(file: string): Promise<ReportPage> {
  const reportUrl = pathToFileURL(file).href;
  const requests: string[] = [];
  const problems: string[] = [];
  const profile = mkdtempSync(join(tmpdir(), 'ias-chromium-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url === reportUrl) await route.continue();
    else await route.abort('blockedbyclient');
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('request', (request) => {
    if (!requests.includes(request.url())) requests.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  await page.goto(reportUrl, { waitUntil: 'load' });
  return {
    page,
    requests,
    problems,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
