import { Command, CommanderError, Option } from 'commander';
import { EXIT_CODES } from '@ias/core';
import { addScanOptions } from './inputs';
import type { CliHost } from './host';
import { registerOfflineCommands } from './offline-commands';
import { registerDiscoverCommand } from './discover-command';
import { registerCheckCommand } from './check-command';

// The program: every command, option and help text, built from light modules only (commander, the option catalogue).
// What a command does lives in a module its action loads with import(), a chunk of its own in the bundle, so
// `ias --version`, `--help` and a bad flag evaluate none of it (tooling/bench measures `ias --version`).

export type { CliHost } from './host';

/** Runs the `ias` command line and returns the exit status. */
export async function run(host: CliHost): Promise<number> {
  if (host.argv.some((a) => a === '--api-key' || a.startsWith('--api-key='))) {
    host.err('--api-key is not accepted: flags show up in process lists and logs; set the key in the IAS_API_KEY variable instead.\n');
    return EXIT_CODES.configError;
  }
  let exitCode: number = EXIT_CODES.passed;
  const program = new Command('ias')
    .description('Run Rapid7 InsightAppSec DAST scans from CI/CD pipelines.')
    .version(host.version, '-V, --version')
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) })
    .showHelpAfterError('(run with --help for the options)');

  const scan = program
    .command('scan')
    .description(
      'Launch a scan (or attach to one), follow it, write reports and evaluate the gate.\n' +
        'The API key comes from the IAS_API_KEY variable only. Every option can also be set with the IAS_* variable shown.\n' +
        'Exit status: 0 passed, 1 gate failed, 2 bad input, 3 scan failed, 4 budget ran out, 5 API or network error, 130 interrupted.',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) });
  addScanOptions(scan);
  scan.addOption(new Option('--json', 'print the outcome as one JSON object on stdout (human lines go to stderr)'));
  scan.addOption(new Option('--debug', 'log every retry and request decision (the API key is never shown) [IAS_DEBUG]'));
  scan.action(async (flags: Record<string, unknown>) => {
    const { runScan } = await import('./scan-actions');
    exitCode = await runScan(host, flags);
  });

  program
    .command('status')
    .description('Print a scan\'s state (status, failure reason, engine counters) and exit 0. The API key comes from IAS_API_KEY.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) })
    .addOption(new Option('--scan-id <UUID>', 'the scan [IAS_SCAN_ID]'))
    .addOption(new Option('--region <REGION>', 'InsightAppSec region (default: us) [IAS_REGION]'))
    .addOption(new Option('--base-url <URL>', 'full API base URL, overrides --region [IAS_BASE_URL]'))
    .addOption(new Option('--json', 'print the scan as JSON'))
    .action(async (flags: Record<string, unknown>) => {
      const { runStatus } = await import('./scan-actions');
      exitCode = await runStatus(host, flags);
    });

  registerOfflineCommands(program, host, (code) => {
    exitCode = code;
  });
  registerDiscoverCommand(program, host, (code) => (exitCode = code));
  registerCheckCommand(program, host, (code) => (exitCode = code));

  try {
    await program.parseAsync(['node', 'ias', ...host.argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT_CODES.passed;
      return EXIT_CODES.configError;
    }
    throw error;
  }
  if (host.argv.length === 0) {
    program.outputHelp();
    return EXIT_CODES.configError;
  }
  return exitCode;
}
