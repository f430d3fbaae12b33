import { Option, type Command } from 'commander';
import type { CliHost } from './host';
import { addScanOptions } from './inputs';

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
    const { runCheck } = await import('./check-action');
    setExitCode(await runCheck(host, flags));
  });
}
