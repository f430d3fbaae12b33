// Secret hygiene of the Azure client secret (issue 10, "What to build" 3): `ias discover azure-apim` against the
// simulator's Azure fake on 127.0.0.1, with debug logging on, once clean, once per failing Azure call, and once with
// the secret given as a flag (refused). Neither the client secret nor the IAS API key may appear in any output or file.
import { AZURE_FAKE_IDS, createAzureFake, defaultAzureFixture, type AzureFaultRule } from '@ias/simulator';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { allCaptures, CANARY_API_KEY, CLI_BUNDLE, findSecret, runBundle, startSimulator, type Capture, type CliRun } from './harness';
import { writeFragment } from './results';

/** A distinctive Azure client secret. */
const AZURE_CANARY = 'az~CANARY-CLIENT-SECRET.9c2e7d41b05a';

async function discover(label: string, faults: AzureFaultRule[], extraArgs: string[] = []): Promise<CliRun> {
  const azure = createAzureFake({ fixture: { ...defaultAzureFixture(), clientSecret: AZURE_CANARY } });
  for (const rule of faults) azure.faults.add(rule);
  const { baseUrl } = await azure.listen({ host: '127.0.0.1', port: 0 });
  const ias = await startSimulator({ timeScale: 0.002 });
  try {
    return await runBundle({
      bundle: CLI_BUNDLE,
      label: `azure discovery ${label}`,
      killAfterMs: 60_000,
      setup: (workDir) => ({
        args: [
          'discover',
          'azure-apim',
          '--tenant-id',
          AZURE_FAKE_IDS.tenantId,
          '--client-id',
          AZURE_FAKE_IDS.clientId,
          '--subscription',
          AZURE_FAKE_IDS.subscriptionId,
          '--arm-endpoint',
          baseUrl,
          '--authority-host',
          baseUrl,
          '--out',
          `${workDir}/apim`,
          ...extraArgs,
        ],
        env: { AZURE_CLIENT_SECRET: AZURE_CANARY, IAS_API_KEY: CANARY_API_KEY, IAS_BASE_URL: ias.baseUrl, IAS_DEBUG: '1' },
      }),
    });
  } finally {
    await azure.close();
    await ias.close();
  }
}

const mine = (): Capture[] => allCaptures().filter((c) => c.label.startsWith('azure discovery'));

afterAll(() => {
  writeFragment(inject('resultsDir'), 'azure-secret', {
    secrets: [
      { source: 'ias discover azure-apim: Azure client secret (debug on)', texts: mine().length, hits: findSecret(AZURE_CANARY, mine()).length },
      { source: 'ias discover azure-apim: IAS API key (debug on)', texts: mine().length, hits: findSecret(CANARY_API_KEY, mine()).length },
    ],
  });
});

describe.concurrent('ias discover azure-apim: the Azure client secret never shows', () => {
  it('a clean discovery exits 0 and writes the inventory', async () => {
    const run = await discover('clean', []);
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(Object.keys(run.files).some((f) => f.endsWith('inventory.json'))).toBe(true);
  });

  it.each([
    ['the token request is refused (401)', [{ route: 'POST /token', status: 401 }]],
    ['the token request fails (500)', [{ route: 'POST /token', status: 500 }]],
    ['listing services is forbidden (403)', [{ route: 'GET /services', status: 403 }]],
    ['every export fails (500)', [{ route: 'GET /export', status: 500 }]],
  ] as const)('%s: exit 5', async (label, faults) => {
    const run = await discover(label, [...faults]);
    expect(run.code, run.stdout + run.stderr).toBe(5);
  });

  it('--client-secret on the command line is refused with exit 2', async () => {
    const run = await discover('secret flag', [], ['--client-secret', 'not-the-canary']);
    expect(run.code, run.stdout + run.stderr).toBe(2);
  });
});

describe('secret search over the discovery runs', () => {
  it('neither the client secret nor the API key appears', () => {
    expect(mine().length).toBeGreaterThan(0);
    expect(findSecret(AZURE_CANARY, mine())).toEqual([]);
    expect(findSecret(CANARY_API_KEY, mine())).toEqual([]);
  });
});
