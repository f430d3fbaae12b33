import { Option, type Command } from 'commander';
import { AZURE_CLOUDS, DEFAULT_APIM_API_VERSION, EXPORT_FORMATS } from '@ias/core';
import type { CliHost } from './host';

/** One `ias discover azure-apim` option: flag, variable, help and the default shown in `--help`. */
interface DiscoverOption {
  name: string;
  flag: string;
  env?: string;
  placeholder?: string;
  help: string;
  shownDefault?: string;
  repeatable?: boolean;
}

/** Every option, in help order. The client secret has no flag: it comes from AZURE_CLIENT_SECRET only. */
export const DISCOVER_OPTIONS: readonly DiscoverOption[] = [
  { name: 'tenantId', flag: '--tenant-id', env: 'AZURE_TENANT_ID', placeholder: 'ID', help: 'Directory (tenant) ID of the app registration (required)' },
  { name: 'clientId', flag: '--client-id', env: 'AZURE_CLIENT_ID', placeholder: 'ID', help: 'Application (client) ID of the app registration (required); its secret is read from AZURE_CLIENT_SECRET' },
  { name: 'sources', flag: '--sources', env: 'IAS_APIM_SOURCES', placeholder: 'FILE', help: 'sources file (YAML) naming one or more Azure sources (tenant, client id, the variable of its secret, optional subscriptions and services); replaces the single-source options' },
  { name: 'subscription', flag: '--subscription', env: 'AZURE_SUBSCRIPTION_ID', placeholder: 'ID', help: 'subscription to read; repeat the flag (or comma-separate the variable) for several', shownDefault: 'every subscription the app can see', repeatable: true },
  { name: 'resourceGroup', flag: '--resource-group', env: 'IAS_APIM_RESOURCE_GROUP', placeholder: 'NAME', help: 'only API Management services of this resource group' },
  { name: 'service', flag: '--service', env: 'IAS_APIM_SERVICES', placeholder: 'NAME', help: 'only this API Management service; repeatable (comma-separated in the variable)', repeatable: true },
  { name: 'workspace', flag: '--workspace', env: 'IAS_APIM_WORKSPACES', placeholder: 'NAME', help: "also read the APIs of this APIM workspace ('*': every workspace); repeatable (comma-separated in the variable)", repeatable: true },
  { name: 'apiFilter', flag: '--api-filter', env: 'IAS_APIM_API_FILTER', placeholder: 'ODATA', help: 'OData $filter for the API list ("" for none)', shownDefault: 'isCurrent eq true' },
  { name: 'includeTypes', flag: '--include-types', env: 'IAS_APIM_INCLUDE_TYPES', placeholder: 'LIST', help: 'API types to export (http, soap, websocket, graphql, odata, grpc); others are listed as skipped', shownDefault: 'http' },
  { name: 'format', flag: '--format', env: 'IAS_APIM_FORMAT', placeholder: 'FORMAT', help: `definition to export: ${EXPORT_FORMATS.join(', ')} (auto: OpenAPI 3 JSON, then Swagger 2)`, shownDefault: 'auto' },
  { name: 'cloud', flag: '--cloud', env: 'AZURE_CLOUD', placeholder: 'CLOUD', help: `Azure cloud: ${Object.keys(AZURE_CLOUDS).join(', ')}`, shownDefault: 'public' },
  { name: 'armEndpoint', flag: '--arm-endpoint', env: 'AZURE_ARM_ENDPOINT', placeholder: 'URL', help: "Azure Resource Manager endpoint, overrides the cloud's" },
  { name: 'authorityHost', flag: '--authority-host', env: 'AZURE_AUTHORITY_HOST', placeholder: 'URL', help: "Entra ID authority host, overrides the cloud's" },
  { name: 'apimApiVersion', flag: '--apim-api-version', env: 'IAS_APIM_API_VERSION', placeholder: 'VERSION', help: 'ARM api-version of the API Management calls', shownDefault: DEFAULT_APIM_API_VERSION },
  { name: 'out', flag: '--out', env: 'IAS_APIM_OUT', placeholder: 'DIR', help: 'inventory folder: inventory.json and specs/<service>/<api>.json', shownDefault: '.ias/apim' },
  { name: 'concurrency', flag: '--concurrency', env: 'IAS_APIM_CONCURRENCY', placeholder: 'N', help: 'parallel export calls (1-16)', shownDefault: '4' },
  { name: 'links', flag: '--links', env: 'IAS_APIM_LINKS', placeholder: 'FILE', help: 'links file (YAML) mapping API keys (<service>/<api>) to scan configurations' },
  { name: 'region', flag: '--region', env: 'IAS_REGION', placeholder: 'REGION', help: 'InsightAppSec region for --push (key from IAS_API_KEY)', shownDefault: 'us' },
  { name: 'baseUrl', flag: '--base-url', env: 'IAS_BASE_URL', placeholder: 'URL', help: 'full InsightAppSec API base URL for --push, overrides --region' },
];

const SWITCHES = [
  { name: 'failOnChange', flag: '--fail-on-change', env: 'IAS_APIM_FAIL_ON_CHANGE', help: 'exit 1 when any API is new, changed or removed' },
  { name: 'dryRun', flag: '--dry-run', env: 'IAS_APIM_DRY_RUN', help: 'write nothing and push nothing; show what would change (with --push: the options diff)' },
  { name: 'push', flag: '--push', env: 'IAS_APIM_PUSH', help: 'attach changed definitions of linked APIs to their scan configurations (needs --links and IAS_API_KEY)' },
  { name: 'force', flag: '--force', env: 'IAS_APIM_FORCE', help: "with --push: push every linked definition, changed or not, also to a host outside the scan configuration's scope" },
  { name: 'approveNew', flag: '--approve-new', env: 'IAS_APIM_APPROVE_NEW', help: 'with --push: approve new endpoints of every link at once (they wait for `ias discover approve` otherwise, unless the link says review: auto)' },
  { name: 'acceptMissing', flag: '--accept-missing', env: 'IAS_APIM_ACCEPT_MISSING', help: 'mark the APIs of services that can no longer be read as removed (they are kept as unreachable otherwise)' },
  { name: 'json', flag: '--json', help: 'print the outcome as one JSON object on stdout (human lines go to stderr)' },
  { name: 'debug', flag: '--debug', env: 'IAS_DEBUG', help: 'log retries and token renewals (secrets are never shown)' },
] as const;

/**
 * Registers `ias discover azure-apim`. `setExit` receives the exit status: 0 done, 1 changes found with
 * --fail-on-change, 2 bad input, 5 Azure, IAS or network error (or an API whose export failed), 130 interrupted.
 */
export function registerDiscoverCommand(program: Command, host: CliHost, setExit: (code: number) => void = () => undefined): void {
  const discover = program
    .command('discover')
    .description('Discover APIs and keep an inventory of their definitions.')
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) });
  const azure = discover
    .command('azure-apim')
    .description(
      'Import the OpenAPI/Swagger definitions of the APIs in Azure API Management into an inventory (inventory.json and\n' +
        'specs/<service>/<api>.json), report new, changed and removed APIs, and with --push attach linked definitions to\n' +
        'InsightAppSec scan configurations. The app registration needs the "API Management Service Reader Role".\n' +
        'The client secret comes from AZURE_CLIENT_SECRET only. Every option can also be set with the variable shown.\n' +
        'Exit status: 0 done, 1 changes found (--fail-on-change), 2 bad input, 5 Azure/IAS/network error or an API that failed to export, 130 interrupted.',
    )
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) });
  for (const o of DISCOVER_OPTIONS) {
    const def = o.shownDefault === undefined ? '' : ` (default: ${o.shownDefault})`;
    const option = new Option(`${o.flag} <${o.placeholder ?? 'VALUE'}>`, `${o.help}${def}${o.env === undefined ? '' : ` [${o.env}]`}`);
    if (o.repeatable === true) option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), value]);
    azure.addOption(option);
  }
  for (const s of SWITCHES) azure.addOption(new Option(s.flag, `${s.help}${'env' in s ? ` [${s.env}]` : ''}`));
  azure.addOption(new Option('--client-secret <SECRET>').hideHelp());
  discover
    .command('approve')
    .description(
      'Approve the new endpoints of linked APIs (<service>/<api>, or --all): they are recorded in the inventory as\n' +
        'approved, and the next --push attaches them to the scan configuration. Exit status: 0 done, 2 bad input.',
    )
    .argument('[keys...]', 'the APIs to approve, <service>/<api>')
    .addOption(new Option('--all', 'approve every pending review'))
    .addOption(new Option('--out <DIR>', 'inventory folder (default: .ias/apim) [IAS_APIM_OUT]'))
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) })
    .action(async (keys: string[], flags: Record<string, unknown>) => {
      const { runApprove } = await import('./discover-actions');
      setExit(await runApprove(host, keys, flags));
    });
  discover
    .command('unlink')
    .description(
      'Remove exactly what discovery pushed for one API (<service>/<api>) from its scan configuration: its definition, and\n' +
        'the subscription-key header and restriction the push added once none of its definitions remain. The link is\n' +
        'removed from the links file too. Exit status: 0 done, 2 bad input, 5 IAS or network error.',
    )
    .argument('<key>', 'the API as the links file names it, <service>/<api>')
    .addOption(new Option('--links <FILE>', 'links file (YAML) [IAS_APIM_LINKS]'))
    .addOption(new Option('--out <DIR>', 'inventory folder (default: .ias/apim) [IAS_APIM_OUT]'))
    .addOption(new Option('--region <REGION>', 'InsightAppSec region (default: us) [IAS_REGION]'))
    .addOption(new Option('--base-url <URL>', 'full InsightAppSec API base URL [IAS_BASE_URL]'))
    .addOption(new Option('--dry-run', 'show the options diff, change nothing'))
    .addOption(new Option('--json', 'print the outcome as one JSON object on stdout'))
    .addOption(new Option('--debug', 'log retries [IAS_DEBUG]'))
    .exitOverride()
    .configureOutput({ writeOut: (s) => host.out(s), writeErr: (s) => host.err(s) })
    .action(async (key: string, flags: Record<string, unknown>) => {
      const { runUnlink } = await import('./discover-actions');
      setExit(await runUnlink(host, key, flags));
    });
  azure.action(async (flags: Record<string, unknown>) => {
    const { runDiscover } = await import('./discover-actions');
    setExit(await runDiscover(host, flags));
  });
}

/** What the CLI prints on the first SIGINT/SIGTERM: only a scan is canceled; discovery just stops. */
export function interruptNotice(argv: readonly string[], signal: string): string {
  const command = argv.find((a) => !a.startsWith('-'));
  return command === 'discover' ? `\nReceived ${signal}: stopping discovery (no scan is running, none is canceled)…\n` : `\nReceived ${signal}: stopping the run and canceling the scan…\n`;
}
