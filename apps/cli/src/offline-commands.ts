import { Option, type Command } from 'commander';
import type { GateFlags, OfflineHost } from './offline-actions';

export type { OfflineHost } from './offline-actions';

/** Registers the commands that need no API key (`ias query check`, `ias gate`). */
export function registerOfflineCommands(program: Command, terminal: OfflineHost, setExit: (code: number) => void): void {
  const query = program.command('query').description('Work with IAS vulnerability queries offline.');
  query
    .command('check')
    .description(
      'Validate a vulnerability query without calling the API.\n' +
        'Prints the normalised query (canonical spacing and parentheses) and exits 0 when it is valid; prints the problem with a caret under it and exits 2 when not.',
    )
    .argument('<query>', "the query, e.g. \"vulnerability.severity='HIGH' || vulnerability.severity='CRITICAL'\"")
    .action(async (text: string) => {
      const { checkQuery } = await import('./offline-actions');
      setExit(checkQuery(terminal, text));
    });

  program
    .command('gate')
    .description(
      'Evaluate a gate query over a stored findings report (insightappsec-scan-findings.json), offline: no API key needed.\n' +
        'Exit status: 0 when no finding matches, 1 when some do (they are listed: severity, method, URL, parameter, id), 2 for a bad query or file.\n' +
        'A stored report does not say which scans found a finding: vulnerability.scans.id conditions match only the --scan-id values.',
    )
    .requiredOption('--findings <FILE>', 'the findings report of a run (a JSON array of vulnerabilities)')
    .requiredOption('--query <QUERY>', 'the gate query; matching findings fail the gate')
    .addOption(new Option('--scan-id <UUID...>', 'the scan(s) the report belongs to, for vulnerability.scans.id conditions'))
    .addOption(new Option('--baseline <FILE>', 'a findings report of an earlier run: findings are counted new, known or fixed'))
    .addOption(new Option('--new-only', 'only findings the baseline does not know fail the gate (needs --baseline)'))
    .addOption(new Option('--suppressions <FILE>', 'reviewed exceptions (YAML or JSON); suppressed findings are listed but never fail the gate'))
    .addOption(new Option('--json', 'print { "gate": { "passed", "matched", "findings" } } on stdout'))
    .action(async (flags: GateFlags) => {
      const { runOfflineGate } = await import('./offline-actions');
      setExit(await runOfflineGate(terminal, flags));
    });
}
