import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { appSchema, moduleSchema, scanConfigSchema, scanSchema, vulnerabilitySchema } from './schemas';
import { shapeCheckOf } from './shape-check';

// Seeded (project rule): a failure prints its seed; IAS_FUZZ_SEED=<seed> replays it.
const SEED = Number(process.env['IAS_FUZZ_SEED'] ?? 20_261_202);

/** Values near a vulnerability's shape: every field sometimes missing, null, or of another type. */
const scalar = fc.oneof(fc.string({ maxLength: 4 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const near = (valid: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> => fc.oneof({ weight: 12, arbitrary: valid }, { weight: 1, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 2 }) });
const reference = near(fc.record({ id: near(fc.string()) }, { requiredKeys: [] }));
const variance = near(
  fc.record(
    { id: near(fc.string()), module: reference, attack: reference, message: near(fc.string()), proof: near(fc.string()), extra: scalar },
    { requiredKeys: [] },
  ),
);
const vulnerability = near(
  fc.record(
    {
      id: near(fc.uuid()),
      app: reference,
      root_cause: near(fc.record({ url: near(fc.webUrl()), parameter: near(fc.string()), method: near(fc.constantFrom('GET', 'POST')) }, { requiredKeys: [] })),
      severity: near(fc.constantFrom('LOW', 'HIGH', 'CRITICAL')),
      newly_discovered: near(fc.boolean()),
      vulnerability_score: near(fc.oneof(fc.double(), fc.constantFrom(Infinity, Number.NaN))),
      variances: near(fc.array(variance, { maxLength: 3 })),
      unknown_field: scalar,
    },
    { requiredKeys: ['id', 'severity'] },
  ),
);

describe('shapeCheckOf', () => {
  it('answers as zod does, and a value it takes is one zod gives back unchanged (property)', () => {
    const check = shapeCheckOf(vulnerabilitySchema);
    expect(check).toBeDefined();
    let taken = 0;
    fc.assert(
      fc.property(vulnerability, (generated) => {
        expect(check?.(generated)).toBe(vulnerabilitySchema.safeParse(generated).success);
        // Items are always JSON.parse's output: that is the value whose copy must equal it.
        const text = JSON.stringify(generated);
        if (text === undefined) return;
        const value: unknown = JSON.parse(text);
        const parsed = vulnerabilitySchema.safeParse(value);
        expect(check?.(value)).toBe(parsed.success);
        if (parsed.success) {
          taken += 1;
          expect(parsed.data).toStrictEqual(value);
        }
      }),
      { numRuns: 3_000, seed: SEED },
    );
    // The generator must reach both answers often, or the property proves little.
    expect(taken).toBeGreaterThan(300);
    expect(taken).toBeLessThan(2_700);
  });

  it('covers every search item schema the API client pages through', () => {
    for (const schema of [vulnerabilitySchema, appSchema, scanConfigSchema, scanSchema, moduleSchema]) expect(shapeCheckOf(schema)).toBeDefined();
  });

  it('has no test for schemas whose answer is not the value itself', () => {
    expect(shapeCheckOf(z.object({ a: z.string() }))).toBeUndefined();
    expect(shapeCheckOf(z.looseObject({ a: z.string().min(1) }))).toBeUndefined();
    expect(shapeCheckOf(z.looseObject({ a: z.string().default('x') }))).toBeUndefined();
    expect(shapeCheckOf(z.looseObject({ a: z.union([z.string(), z.number()]) }))).toBeUndefined();
    expect(shapeCheckOf(z.looseObject({ a: z.string().transform((s) => s.length) }))).toBeUndefined();
  });
});
