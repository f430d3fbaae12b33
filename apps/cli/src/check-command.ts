import { Option, type Command } from 'commander';
import { formatPreflightItem, formatPreflightSummary, formatUserAgent, parseConfig, preflightOfInvalidSettings, redactSecrets, runPreflight, type PreflightResult } from '@ias/core';
import { createFileReportSink, proxyForUrl } from '@ias/host-node';
import type { CliHost } from './host';
import { addScanOptions, readScanInputs } from './inputs';
import { createCliLogger } from './outputs';

/**
 * `ias check`: the options of `ias scan`, checked without launching anything (key and region, app and scan
 * configuration, gate query, gate files, output folder, proxy), one line per check.
 */
export function registerCheckCommand(program: Command, host: CliHost, setExitCode: (code: number) => void): void {
  const check = program
    .command('check')
    .description(
      'Check the settings of `ias scan` without launching a scan: the API key and region, the application and scan configuration,\n' +
        'the gate query, the baseline and suppressions files, the output folder and the proxy; one line per check.\n' +
        'Takes the same options and IAS_* variables as `ias scan`. Exit status: 0 all ok, 2 bad input, 5 API, authentication or network problem.',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) });
  addScanOptions(check);
  check.addOption(new Option('--json', 'print the checks as one JSON object on stdout'));
  check.addOption(new Option('--debug', 'log every request decision (the API key is never shown) [IAS_DEBUG]'));
  check.action(async (flags: Record<string, unknown>) => {
    setExitCode(await runCheck(host, flags));
  });
}

async function runCheck(host: CliHost, flags: Record<string, unknown>): Promise<number> {
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
