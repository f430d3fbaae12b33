// The long fuzz run of core's query parser and evaluator: every property of test/query-properties.ts with
// 100,000 cases (README.md). Usage: pnpm --filter @ias/faults fuzz [-- --runs N] [--seed S]
import { queryProperties } from './test/query-properties';

function option(name: string): number | undefined {
  const at = process.argv.indexOf(name);
  const text = at === -1 ? undefined : process.argv[at + 1];
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value)) throw new Error(`${name} must be a whole number, got '${text}'`);
  return value;
}

const runs = option('--runs') ?? Number(process.env.IAS_FUZZ_RUNS ?? 100_000);
const seed = option('--seed') ?? Date.now() % 2_147_483_647;
process.stdout.write(`Fuzzing the query parser and evaluator: ${runs} cases per property, seed ${seed}\n`);
let failed = 0;
for (const { name, check } of queryProperties()) {
  const started = Date.now();
  try {
    check(runs, seed);
    process.stdout.write(`ok    ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)\n`);
  } catch (error) {
    failed += 1;
    process.stdout.write(`FAIL  ${name}\n${error instanceof Error ? error.message : String(error)}\n`);
  }
}
process.stdout.write(failed === 0 ? 'All properties hold.\n' : `${failed} properties failed; rerun with --seed ${seed} to reproduce.\n`);
process.exitCode = failed === 0 ? 0 : 1;
