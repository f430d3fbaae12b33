/**
 * Checks a syntax tree against the VULNERABILITY field catalogue: known fields, values of the right
 * type, operators that make sense for the type. Returns a tree with canonical field names and
 * normalised values (enum values upper-cased, dates parsed).
 */
import { editDistance } from '../closest-names';
import type { SourceSpan } from '../errors';
import type { ConditionNode, FieldRef, QueryExpression, QueryValue } from './ast';
import { parseIsoDate } from './dates';
import { queryError } from './diagnostics';
import type { FieldSpec } from './fields';
import { VULNERABILITY_FIELD_NAMES, VULNERABILITY_PREFIX, findField, severityRank } from './fields';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const DATE_FORMS = "a date-time such as 'YYYY-MM-DDThh:mm:ss' (UTC unless a zone such as Z or +02:00 follows)";

/** The catalogue name closest to an unknown `name`, if one is close enough to be a likely typo. */
export function suggestField(name: string): string | undefined {
  const prefixed = name.toLowerCase().startsWith(VULNERABILITY_PREFIX) ? name : `${VULNERABILITY_PREFIX}${name}`;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of VULNERABILITY_FIELD_NAMES) {
    const distance = editDistance(prefixed, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const path = prefixed.slice(VULNERABILITY_PREFIX.length);
  const limit = Math.max(1, Math.floor(path.length / 3));
  return bestDistance <= limit ? best : undefined;
}

class Validator {
  constructor(private readonly source: string) {}

  private fail(span: SourceSpan, message: string): never {
    throw queryError(this.source, span, message);
  }

  expression(node: QueryExpression): QueryExpression {
    switch (node.kind) {
      case 'and':
      case 'or':
        return { ...node, operands: node.operands.map((operand) => this.expression(operand)) };
      default:
        return this.condition(node);
    }
  }

  private resolveField(ref: FieldRef): { spec: FieldSpec; field: FieldRef } {
    const spec = findField(ref.written);
    if (spec === undefined) {
      const suggestion = suggestField(ref.written);
      if (suggestion !== undefined) this.fail(ref.span, `Unknown field ${ref.written}; did you mean ${suggestion}?`);
      this.fail(ref.span, `Unknown field ${ref.written} for type VULNERABILITY; use one of ${VULNERABILITY_FIELD_NAMES.join(', ')}.`);
    }
    const canonical = spec.aliasOf === undefined ? spec : findField(spec.aliasOf);
    if (canonical === undefined) this.fail(ref.span, `The field ${ref.written} points to a missing field; report this as a bug.`);
    return { spec: canonical, field: { name: canonical.name, written: ref.written, span: ref.span } };
  }

  private condition(node: ConditionNode): ConditionNode {
    const { spec, field } = this.resolveField(node.field);
    const name = field.written;
    switch (node.kind) {
      case 'comparison': {
        if (node.operator !== '=' && node.operator !== '!=') this.requireOrder(spec, name, node.operatorSpan, `'${node.operator}'`);
        return { ...node, field, value: this.value(spec, name, node.value) };
      }
      case 'like': {
        if (spec.type !== 'string' && spec.type !== 'uuid') {
          this.fail(node.operatorSpan, `LIKE works only on text fields and ${name} is ${describeType(spec)} field; compare it with = instead.`);
        }
        if (node.pattern.kind !== 'string') {
          this.fail(node.pattern.span, `LIKE takes a single-quoted pattern such as '%login%', not ${this.text(node.pattern.span)}; quote the pattern.`);
        }
        return { ...node, field };
      }
      case 'between': {
        this.requireOrder(spec, name, node.operatorSpan, 'BETWEEN');
        const low = this.value(spec, name, node.low);
        const high = this.value(spec, name, node.high);
        if (compareBounds(spec, low, high) > 0) {
          this.fail(
            { start: low.span.start, end: high.span.end },
            `The bounds of BETWEEN are reversed (${this.text(low.span)} is above ${this.text(high.span)}); put the lower bound first.`,
          );
        }
        return { ...node, field, low, high };
      }
    }
  }

  private requireOrder(spec: FieldSpec, name: string, span: SourceSpan, operator: string): void {
    const ordered = spec.type === 'number' || spec.type === 'date' || spec.type === 'string' || (spec.type === 'enum' && spec.ranked === true);
    if (!ordered) this.fail(span, `The values of ${name} have no order, so ${operator} cannot compare them; use = or != instead.`);
  }

  private text(span: SourceSpan): string {
    return this.source.slice(span.start, span.end);
  }

  private value(spec: FieldSpec, name: string, value: QueryValue): QueryValue {
    const written = this.text(value.span);
    switch (spec.type) {
      case 'enum': {
        const allowed = spec.values ?? [];
        if (value.kind !== 'string') this.fail(value.span, `${name} takes a single-quoted value such as '${allowed[0] ?? ''}', not ${written}; use one of ${allowed.join(', ')}.`);
        const upper = value.value.toUpperCase();
        if (!allowed.includes(upper)) this.fail(value.span, `The value ${written} is not a valid ${name}; use one of ${allowed.join(', ')}.`);
        return { ...value, value: upper };
      }
      case 'number': {
        if (value.kind === 'number') return value;
        const number = value.kind === 'string' && /^\s*-?(?:\d+(?:\.\d+)?|\.\d+)\s*$/.test(value.value) ? Number(value.value) : Number.NaN;
        if (Number.isNaN(number)) this.fail(value.span, `${name} takes a number, not ${written}; write an unquoted number such as 7.5.`);
        return { kind: 'number', value: number, span: value.span };
      }
      case 'date': {
        const range = value.kind === 'string' ? parseIsoDate(value.value) : undefined;
        if (value.kind !== 'string' || range === undefined) this.fail(value.span, `The value ${written} is not a date ${name} accepts; write ${DATE_FORMS}.`);
        if (range.dateOnly) {
          // Whether the server reads a date alone as midnight or as the whole day is unknown; refusing it keeps the
          // local and the server evaluation of a gate from silently differing (docs/query-language.md).
          this.fail(
            value.span,
            `A date alone (${written}) is not accepted, because the IAS server's reading of it is unknown; write a date-time such as '${value.value}T00:00:00'.`,
          );
        }
        return { kind: 'date', text: value.value, startMs: range.startMs, endMs: range.endMs, span: value.span };
      }
      case 'boolean': {
        if (value.kind === 'boolean') return value;
        const lower = value.kind === 'string' ? value.value.toLowerCase() : '';
        if (lower !== 'true' && lower !== 'false') this.fail(value.span, `${name} takes true or false, not ${written}; write true or false without quotes.`);
        return { kind: 'boolean', value: lower === 'true', span: value.span };
      }
      case 'uuid': {
        if (value.kind !== 'string') this.fail(value.span, `${name} takes a single-quoted id, not ${written}; put the id in single quotes.`);
        if (!UUID.test(value.value)) this.fail(value.span, `The value ${written} is not an id ${name} accepts; write a UUID such as '1b3f1f0e-8f6c-4a5e-9d3c-2f1e0a9b7c6d'.`);
        return value;
      }
      case 'string': {
        if (value.kind !== 'string') this.fail(value.span, `${name} takes text and ${written} is not quoted; write it in single quotes, as in '${written}'.`);
        return value;
      }
    }
  }
}

function describeType(spec: FieldSpec): string {
  const names: Record<FieldSpec['type'], string> = { string: 'a text', uuid: 'an id', enum: 'an enum', number: 'a number', date: 'a date', boolean: 'a boolean' };
  return names[spec.type];
}

/** Compares two validated bounds of the same field; positive when `a` is above `b`. */
function compareBounds(spec: FieldSpec, a: QueryValue, b: QueryValue): number {
  if (a.kind === 'number' && b.kind === 'number') return a.value - b.value;
  if (a.kind === 'date' && b.kind === 'date') return a.startMs - b.startMs;
  if (a.kind === 'string' && b.kind === 'string') {
    if (spec.ranked === true) return severityRank(a.value) - severityRank(b.value);
    return a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
  }
  return 0;
}

/**
 * Validates a syntax tree of `source` against the VULNERABILITY catalogue.
 * @throws {QueryError} code `QUERY_INVALID` naming the first problem.
 */
export function validateQuery(source: string, expression: QueryExpression): QueryExpression {
  return new Validator(source).expression(expression);
}
