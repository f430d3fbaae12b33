import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assertScenario, type Scenario } from './scenario.js';

/** The folder of built-in scenario files: `packages/simulator/scenarios`, beside both `src` and `dist`. */
const SCENARIO_DIR = fileURLToPath(new URL('../scenarios/', import.meta.url));

/** Names of the scenarios shipped with the package (`demo`, `empty`, …). */
export function listScenarios(): string[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json'))
    .map((f) => f.slice(0, -'.json'.length))
    .sort();
}

/**
 * Loads a built-in scenario by name from `scenarios/<name>.json` and validates it.
 * @throws Error when no such scenario exists or it is inconsistent.
 */
export function loadScenario(name: string): Scenario {
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(name)) throw new Error(`Unknown scenario "${name}"; built-ins: ${listScenarios().join(', ')}`);
  let text: string;
  try {
    text = readFileSync(`${SCENARIO_DIR}${name}.json`, 'utf8');
  } catch {
    throw new Error(`Unknown scenario "${name}"; built-ins: ${listScenarios().join(', ')}`);
  }
  const scenario = JSON.parse(text) as Scenario;
  assertScenario(scenario);
  return scenario;
}
