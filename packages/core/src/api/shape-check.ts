import type { z } from 'zod';

/**
 * A value test that answers `true` exactly when the schema accepts the value and would give back an equal value, so
 * the value itself can be used instead of zod's copy. `safeParse` copies every object it validates; a page of a
 * thousand findings was copied whole only to be checked. The test covers the plain shapes the API schemas are made of
 * (loose objects, strings, finite numbers, booleans, arrays, nullish); for a schema with anything else (checks,
 * transforms, defaults, unions, stripping objects) there is no test and callers parse with zod as before.
 */
export type ShapeCheck = (value: unknown) => boolean;

interface Def {
  type: string;
  checks?: unknown[];
  shape?: Record<string, { _zod: { def: Def } }>;
  catchall?: { _zod: { def: Def } };
  element?: { _zod: { def: Def } };
  innerType?: { _zod: { def: Def } };
}

const compiled = new WeakMap<object, ShapeCheck | null>();

/** The {@link ShapeCheck} of a schema, built once per schema; `undefined` when the schema holds more than plain shapes. */
export function shapeCheckOf(schema: z.ZodType): ShapeCheck | undefined {
  let check = compiled.get(schema);
  if (check === undefined) {
    check = compile((schema as unknown as { _zod: { def: Def } })._zod.def) ?? null;
    compiled.set(schema, check);
  }
  return check ?? undefined;
}

function compile(def: Def): ShapeCheck | undefined {
  if (def.checks !== undefined && def.checks.length > 0) return undefined;
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'unknown':
    case 'any':
      return () => true;
    case 'optional':
    case 'nullable':
      return nullish(def);
    case 'array':
      return arrayOf(def);
    case 'object':
      return looseObject(def);
    default:
      return undefined;
  }
}

function nullish(def: Def): ShapeCheck | undefined {
  const inner = def.innerType === undefined ? undefined : compile(def.innerType._zod.def);
  if (inner === undefined) return undefined;
  return def.type === 'optional' ? (v) => v === undefined || inner(v) : (v) => v === null || inner(v);
}

function arrayOf(def: Def): ShapeCheck | undefined {
  const element = def.element === undefined ? undefined : compile(def.element._zod.def);
  if (element === undefined) return undefined;
  return (v) => {
    if (!Array.isArray(v)) return false;
    for (let i = 0; i < v.length; i += 1) if (!element(v[i])) return false;
    return true;
  };
}

/** Only a loose object (unknown keys kept as they are) gives back what it got; a stripping or strict one does not. */
function looseObject(def: Def): ShapeCheck | undefined {
  const catchall = def.catchall?._zod.def.type;
  if (catchall !== 'unknown' && catchall !== 'any') return undefined;
  const keys: string[] = [];
  const checks: ShapeCheck[] = [];
  for (const [key, field] of Object.entries(def.shape ?? {})) {
    const check = compile(field._zod.def);
    if (check === undefined) return undefined;
    keys.push(key);
    checks.push(check);
  }
  // Index loops: this runs for every field of every item, and without the optimising compiler (see runAdapter) a
  // for-of allocates an iterator result at every step.
  return (v) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
    const record = v as Record<string, unknown>;
    for (let i = 0; i < keys.length; i += 1) if (!checks[i]!(record[keys[i]!])) return false;
    return true;
  };
}
