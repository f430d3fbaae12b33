import { formatPreflightItem, formatPreflightSummary, formatUserAgent, parseConfig, preflightOfInvalidSettings, redactSecrets, runPreflight, type PreflightResult } from '@ias/core';
import { createFileReportSink, proxyForUrl } from '@ias/host-node';
import type { CliHost } from './host';
import { readScanInputs } from './inputs';
import { createCliLogger } from './outputs';

// What `ias check` does; its action (check-command.ts) loads this module.

/** `ias check`: runs the preflight checks of the scan settings and prints one line per check. */
export async function runCheck(host: CliHost, flags: Record<string, unknown>): Promise<number> {
  const json = flags.json === true;
  const debug = flags.debug === true || /^(1|true|yes)$/i.test(host.env.IAS_DEBUG ?? '');
  const logger = createCliLogger(host, { json, debug, now: () => host.clock.now() });
  const { raw, names } = readScanInputs({ flags, env: host.env });
  const secret = [raw.apiKey?.toString()];
  const parsed = parseConfig(raw, { names });
  for (const warning of parsed.warnings) logger.warn(warning);
  let result: PreflightResult;
  if (!parsed.ok) {
    // Settings that do not parse are the first failures; the API is not asked about a job that cannot run.
    result = preflightOfInvalidSettings(parsed.errors.map((issue) => `${redactSecrets(issue.message, secret)}.`));
  } else {
    const job = parsed.job;
    result = await runPreflight(job, {
      fetch: host.fetch,
      clock: host.clock,
      logger,
      sink: (host.createSink ?? createFileReportSink)(job.outputDir ?? 'ias-reports'),
      userAgent: formatUserAgent('cli', host.version, host.runtime),
      proxy: proxyForUrl(job.baseUrl, host.env),
      inputNames: names,
      readText: host.readText,
      ...(host.signal === undefined ? {} : { signal: host.signal }),
    });
  }
  if (json) {
    host.out(`${JSON.stringify(result)}\n`);
  } else {
    for (const item of result.items) (item.state === 'failed' ? host.err : host.out)(`${formatPreflightItem(item)}\n`);
    host.out(`${formatPreflightSummary(result)}\n`);
  }
  return result.exitCode;
}
