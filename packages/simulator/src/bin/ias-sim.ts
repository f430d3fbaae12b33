import { parseArgs } from 'node:util';
import { generateScenario } from '../generate-scenario.js';
import { listScenarios } from '../load-scenario.js';
import { createSimulator } from '../simulator.js';

const HELP = `ias-sim: a local simulator of the Rapid7 InsightAppSec API v1

Usage: ias-sim [options]

  --scenario NAME      built-in scenario (${listScenarios().join(', ')}); default demo
  --findings N         instead of a scenario, generate one with N findings ("Generated App")
  --modules M          modules for --findings; default 14
  --seed S             seed for --findings; default 1
  --host HOST          listen address; default 127.0.0.1
  --port PORT          listen port, 0 for a free one; default 0
  --api-key KEY        the key clients send in X-Api-Key; default sim-api-key
  --time-scale F       multiply every scan duration (0.005 turns a 20-minute scan into 6 s); default 1
  --help               show this help

Prints IAS_BASE_URL=... and IAS_API_KEY=... and serves until SIGINT or SIGTERM.`;

function fail(message: string): never {
  process.stderr.write(`ias-sim: ${message}\n\n${HELP}\n`);
  process.exit(2);
}

function numberOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(value)) fail(`--${name} needs a number, got "${raw}"`);
  return value;
}

async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        scenario: { type: 'string' },
        findings: { type: 'string' },
        modules: { type: 'string' },
        seed: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'api-key': { type: 'string' },
        'time-scale': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    fail(error instanceof Error ? error.message : String(error));
  }
  const { values } = parsed;
  if (values.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const scenario =
    values.findings !== undefined
      ? generateScenario({ findings: numberOption('findings', values.findings, 0), modules: numberOption('modules', values.modules, 14), seed: numberOption('seed', values.seed, 1) })
      : (values.scenario ?? 'demo');
  const simulator = createSimulator({
    scenario,
    apiKey: values['api-key'] ?? 'sim-api-key',
    timeScale: numberOption('time-scale', values['time-scale'], 1),
    // A warning quotes the client's query: one line, prefixed, so it can never act as a CI logging command.
    onWarning: (message) => process.stderr.write(`ias-sim: warning: ${[...message].map((ch) => (ch < ' ' || ch === '\u007f' ? ' ' : ch)).join('').replaceAll('##vso[', '##vso%5B')}\n`),
  });
  const listener = await simulator.listen({ host: values.host ?? '127.0.0.1', port: numberOption('port', values.port, 0) });
  process.stdout.write(`IAS_BASE_URL=${listener.baseUrl}\nIAS_API_KEY=${simulator.apiKey}\n`);
  const stop = (): void => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`ias-sim: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
