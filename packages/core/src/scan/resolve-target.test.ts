// Name matching (issue 20, item 4): one rule for core's resolution and the simulator's search. Exact name first;
// with no exact match, a single match ignoring case is used with a warning; several are refused, naming them.
import { createManualClock, createSimulator, generateScenario, type Scenario, type Simulator } from '@ias/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiClient } from '../api/client';
import { ConfigError } from '../errors';
import { createRecordingLogger } from '../testing/sim-harness';
import { resolveTarget } from './resolve-target';

const BASE = 'http://ias.sim.test/ias/v1';
const JUICE = 'a3000000-0000-4000-8000-000000000001';
const PAY = 'a3000000-0000-4000-8000-000000000002';
const PAY_UPPER = 'a3000000-0000-4000-8000-000000000003';
const NAMES = { app: '--app', scanConfig: '--scan-config' };

/** Juice Shop (config Nightly), Payments and PAYMENTS (configs nightly and NIGHTLY under Payments). */
function scenario(): Scenario {
  const base = generateScenario({ findings: 3, modules: 2, seed: 5 });
  const config = base.scan_configs[0]!;
  return {
    ...base,
    apps: [
      { id: JUICE, name: 'Juice Shop' },
      { id: PAY, name: 'Payments' },
      { id: PAY_UPPER, name: 'PAYMENTS' },
    ],
    findings: [],
    finding_sets: {},
    scan_configs: [
      { ...config, id: 'c3000000-0000-4000-8000-000000000001', app_id: JUICE, name: 'Nightly', finding_set: undefined as never },
      { ...config, id: 'c3000000-0000-4000-8000-000000000002', app_id: PAY, name: 'nightly', finding_set: undefined as never },
      { ...config, id: 'c3000000-0000-4000-8000-000000000003', app_id: PAY, name: 'NIGHTLY', finding_set: undefined as never },
      { ...config, id: 'c3000000-0000-4000-8000-000000000004', app_id: PAY_UPPER, name: 'Smoke', finding_set: undefined as never },
    ].map(({ finding_set: _set, ...c }) => c),
  };
}

let sim: Simulator;
const simWarnings: string[] = [];

beforeAll(() => {
  sim = createSimulator({ scenario: scenario(), clock: createManualClock(), onWarning: (m) => simWarnings.push(m) });
});

afterAll(async () => {
  await sim.close();
});

async function resolve(app: string | undefined, scanConfig: string) {
  const logger = createRecordingLogger();
  const clock = { now: () => sim.clock.now(), sleep: async () => {} };
  const client = createApiClient({ baseUrl: BASE, apiKey: sim.apiKey, fetch: (input, init) => sim.fetch(input, init), userAgent: 'resolve-test', clock });
  try {
    const target = await resolveTarget(client, { app, scanConfig }, NAMES, logger);
    return { target, warnings: logger.lines.filter((l) => l.startsWith('warn: ')) };
  } catch (error) {
    return { error, warnings: logger.lines.filter((l) => l.startsWith('warn: ')) };
  }
}

describe('resolveTarget name matching', () => {
  it('takes the exact name without a warning', async () => {
    const { target, warnings } = await resolve('Juice Shop', 'Nightly');
    expect(target).toMatchObject({ app: { id: JUICE }, scanConfig: { id: 'c3000000-0000-4000-8000-000000000001' } });
    expect(warnings).toEqual([]);
  });

  it('prefers the exact name even when another name differs only in case', async () => {
    const { target, warnings } = await resolve('Payments', 'c3000000-0000-4000-8000-000000000002');
    expect(target?.app.id).toBe(PAY);
    expect(warnings).toEqual([]);
  });

  it('uses a single match ignoring case, with a warning (application and scan configuration)', async () => {
    simWarnings.length = 0;
    const { target, warnings } = await resolve('juice shop', 'NIGHTLY');
    expect(target).toMatchObject({ app: { id: JUICE, name: 'Juice Shop' }, scanConfig: { name: 'Nightly' } });
    expect(warnings).toEqual([
      "warn: --app 'juice shop' matches the application 'Juice Shop' only when case is ignored; using it. Write the name exactly as in InsightAppSec to silence this warning.",
      "warn: --scan-config 'NIGHTLY' matches the scan configuration of 'Juice Shop' 'Nightly' only when case is ignored; using it. Write the name exactly as in InsightAppSec to silence this warning.",
    ]);
    // The simulator's search read the name the same way and said so.
    expect(simWarnings.some((w) => w.includes("using 'Juice Shop'"))).toBe(true);
  });

  it('refuses several matches ignoring case, naming them', async () => {
    const { error } = await resolve('payments', 'Smoke');
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toBe(
      `--app 'payments' matches no application exactly and 2 ignoring case ('Payments' ${PAY}, 'PAYMENTS' ${PAY_UPPER}); give the exact name or the id of the one to scan.`,
    );
    const config = await resolve('Payments', 'Nightly');
    expect((config.error as Error).message).toMatch(/^--scan-config 'Nightly' matches no scan configuration of 'Payments' exactly and 2 ignoring case \('nightly' c3000000-0000-4000-8000-000000000002, 'NIGHTLY' c3000000-0000-4000-8000-000000000003\)/);
  });

  it('still lists the closest names when nothing matches either way', async () => {
    const { error } = await resolve('Juice Sop', 'Nightly');
    expect((error as Error).message).toBe("--app 'Juice Sop' matches no application (closest: 'Juice Shop'); check the name or use its id.");
  });
});
