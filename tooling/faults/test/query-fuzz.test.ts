// Fuzzing core's query parser and evaluator (issue 10, "What to build" 4): the CI share, 5,000 cases per property.
// `pnpm --filter @ias/faults fuzz` runs the same properties with 100,000 cases each (fuzz.ts, README.md).
import { afterAll, describe, inject, it } from 'vitest';
import { queryProperties } from './query-properties';
import { writeFragment } from './results';

/** Cases per property; IAS_FUZZ_RUNS overrides it. */
const RUNS = Number(process.env.IAS_FUZZ_RUNS ?? 5_000);
/** A fixed seed, so a run replays exactly; fast-check prints the seed and path of a failure (IAS_FUZZ_SEED replays it). */
const SEED = Number(process.env.IAS_FUZZ_SEED ?? 20_261_202);
const done: { property: string; runs: number; pass: boolean }[] = [];

afterAll(() => writeFragment(inject('resultsDir'), 'query-fuzz', { fuzz: done }));

describe(`query parser and evaluator: ${RUNS} cases per property, seed ${SEED}`, () => {
  for (const { name, check } of queryProperties()) {
    it(name, () => {
      const row = { property: name, runs: RUNS, pass: false };
      done.push(row);
      check(RUNS, SEED);
      row.pass = true;
    }, 600_000);
  }
});
