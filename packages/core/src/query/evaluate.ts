/**
 * Evaluates a validated query against one vulnerability as the API returns it (snake_case JSON,
 * ias-api §3.6). Data is read defensively: a missing field, a value of the wrong type or an unknown
 * enum value makes a condition false, never an exception.
 */
import type { ComparisonOperator, ConditionNode, ParsedQuery, QueryExpression, QueryValue } from './ast';
import { parseIsoDate } from './dates';
import type { FieldSpec } from './fields';
import { findField, severityRank } from './fields';

/** What the caller knows about a vulnerability beyond its JSON. */
export interface EvaluateContext {
  /**
   * The scans the vulnerability was collected from; `vulnerability.scans.id` is a server-side relation
   * absent from the JSON. Without it, conditions on `vulnerability.scans.id` never match.
   */
  readonly scanIds?: readonly string[];
}

/** A data value read for one field, normalised to the field's type. */
type DataValue = { kind: 'text'; value: string } | { kind: 'number'; value: number } | { kind: 'boolean'; value: boolean } | { kind: 'date'; ms: number };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  // Index loops here and below: the gate reads every finding, and a for-of allocates at every step without the
  // optimising compiler (see runAdapter in host-node).
  for (let i = 0; i < path.length; i += 1) {
    const key = path[i]!;
    if (!isRecord(current) || !Object.hasOwn(current, key)) return undefined;
    current = current[key];
  }
  return current;
}

function normalise(spec: FieldSpec, raw: unknown): DataValue | undefined {
  switch (spec.type) {
    case 'string':
      return typeof raw === 'string' ? { kind: 'text', value: raw } : undefined;
    case 'uuid':
      return typeof raw === 'string' ? { kind: 'text', value: raw.toLowerCase() } : undefined;
    case 'enum':
      return typeof raw === 'string' ? { kind: 'text', value: raw.toUpperCase() } : undefined;
    case 'number': {
      const number = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
      return Number.isFinite(number) ? { kind: 'number', value: number } : undefined;
    }
    case 'boolean':
      return typeof raw === 'boolean' ? { kind: 'boolean', value: raw } : undefined;
    case 'date': {
      const range = typeof raw === 'string' ? parseIsoDate(raw) : undefined;
      return range === undefined ? undefined : { kind: 'date', ms: range.startMs };
    }
  }
}

/** Every present value of the field: one for a plain field, one per variance or per scan for the others. */
function readValues(spec: FieldSpec, vulnerability: unknown, context: EvaluateContext | undefined): DataValue[] {
  const source = spec.source;
  let raws: unknown[];
  switch (source.kind) {
    case 'json':
      raws = [at(vulnerability, source.path)];
      break;
    case 'variances': {
      const variances = at(vulnerability, ['variances']);
      raws = Array.isArray(variances) ? variances.map((variance: unknown) => at(variance, source.path)) : [];
      break;
    }
    case 'scans':
      raws = [...(context?.scanIds ?? [])];
      break;
  }
  const values: DataValue[] = [];
  for (let i = 0; i < raws.length; i += 1) {
    const value = normalise(spec, raws[i]);
    if (value !== undefined) values.push(value);
  }
  return values;
}

/** Orders a data value against a query value: negative, zero or positive; undefined when incomparable. */
function compare(spec: FieldSpec, data: DataValue, value: QueryValue): number | undefined {
  if (data.kind === 'number' && value.kind === 'number') return data.value - value.value;
  if (data.kind === 'boolean' && value.kind === 'boolean') return data.value === value.value ? 0 : undefined;
  if (data.kind === 'text' && value.kind === 'string') {
    if (spec.ranked === true) return severityRank(data.value) - severityRank(value.value);
    const expected = spec.type === 'uuid' ? value.value.toLowerCase() : value.value;
    return data.value < expected ? -1 : data.value > expected ? 1 : 0;
  }
  return undefined;
}

function equals(spec: FieldSpec, data: DataValue, value: QueryValue): boolean {
  if (data.kind === 'date' && value.kind === 'date') return data.ms >= value.startMs && data.ms < value.endMs;
  // Equality on enums compares the strings, so an unknown severity equals only itself.
  if (data.kind === 'text' && value.kind === 'string') return data.value === (spec.type === 'uuid' ? value.value.toLowerCase() : value.value);
  return compare(spec, data, value) === 0;
}

function ordered(spec: FieldSpec, operator: Exclude<ComparisonOperator, '=' | '!='>, data: DataValue, value: QueryValue): boolean {
  if (data.kind === 'date' && value.kind === 'date') {
    // A query date is an interval (a whole day for YYYY-MM-DD): '>' means after it, '<=' up to its end.
    switch (operator) {
      case '>':
        return data.ms >= value.endMs;
      case '>=':
        return data.ms >= value.startMs;
      case '<':
        return data.ms < value.startMs;
      case '<=':
        return data.ms < value.endMs;
    }
  }
  const order = compare(spec, data, value);
  if (order === undefined) return false;
  switch (operator) {
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
  }
}

const likeCache = new WeakMap<QueryValue, RegExp>();

function likePattern(pattern: QueryValue, caseInsensitive: boolean): RegExp | undefined {
  if (pattern.kind !== 'string') return undefined;
  const cached = likeCache.get(pattern);
  if (cached !== undefined) return cached;
  let body = '';
  for (const ch of pattern.value) {
    if (ch === '%') body += '.*';
    else if (ch === '_') body += '.';
    else body += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  const regex = new RegExp(`^${body}$`, caseInsensitive ? 'isu' : 'su');
  likeCache.set(pattern, regex);
  return regex;
}

function matchesValue(spec: FieldSpec, node: ConditionNode, data: DataValue): boolean {
  switch (node.kind) {
    case 'comparison':
      if (node.operator === '=') return equals(spec, data, node.value);
      if (node.operator === '!=') return !equals(spec, data, node.value);
      return ordered(spec, node.operator, data, node.value);
    case 'like': {
      const regex = likePattern(node.pattern, spec.type === 'uuid');
      return regex !== undefined && data.kind === 'text' && regex.test(data.value);
    }
    case 'between':
      return ordered(spec, '>=', data, node.low) && ordered(spec, '<=', data, node.high);
  }
}

function matchesCondition(node: ConditionNode, vulnerability: unknown, context: EvaluateContext | undefined): boolean {
  const spec = findField(node.field.name);
  if (spec === undefined) return false;
  const values = readValues(spec, vulnerability, context);
  if (values.length === 0) return false;
  if (node.kind === 'comparison' && node.operator === '!=') {
    // '!=' is '=' negated over the values present: with several values (variances, scans) it holds only
    // when none of them equals the query value.
    return !values.some((data) => equals(spec, data, node.value));
  }
  return values.some((data) => matchesValue(spec, node, data));
}

function matches(expression: QueryExpression, vulnerability: unknown, context: EvaluateContext | undefined): boolean {
  switch (expression.kind) {
    case 'and':
      return expression.operands.every((operand) => matches(operand, vulnerability, context));
    case 'or':
      return expression.operands.some((operand) => matches(operand, vulnerability, context));
    default:
      return matchesCondition(expression, vulnerability, context);
  }
}

/**
 * True when `vulnerability` (the JSON the API returns, read defensively) matches the query.
 * Missing fields never match, `!=` included: `!=` matches when the field is present and no value of it
 * equals the query value. `variances.*` fields match when any variance matches; `vulnerability.scans.id`
 * matches against `context.scanIds`. Never throws.
 */
export function evaluateQuery(query: ParsedQuery, vulnerability: unknown, context?: EvaluateContext): boolean {
  return matches(query.expression, vulnerability, context);
}
