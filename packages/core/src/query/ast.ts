/**
 * The syntax tree of a vulnerability query. Every node carries its {@link SourceSpan} in the text the
 * user wrote, so validation and evaluation problems can point at it.
 */
import type { SourceSpan } from '../errors';

/** The comparison operators of the language (`=` and `>` are the ones seen in Rapid7 sources). */
export const COMPARISON_OPERATORS = ['=', '!=', '>', '>=', '<', '<='] as const;

/** One comparison operator. */
export type ComparisonOperator = (typeof COMPARISON_OPERATORS)[number];

/** A field name as it appears in a condition; after validation `name` is the catalogue's canonical name. */
export interface FieldRef {
  readonly name: string;
  /** The name exactly as written (differs from `name` for an alias such as `vulnerability.vulnerability_score`). */
  readonly written: string;
  readonly span: SourceSpan;
}

/** A single-quoted string (quotes removed, `''` unescaped); enum values are upper-cased by validation. */
export interface StringValue {
  readonly kind: 'string';
  readonly value: string;
  readonly span: SourceSpan;
}

/** An unquoted number (or, after validation, a quoted number given to a number field). */
export interface NumberValue {
  readonly kind: 'number';
  readonly value: number;
  readonly span: SourceSpan;
}

/** `true` or `false`. */
export interface BooleanValue {
  readonly kind: 'boolean';
  readonly value: boolean;
  readonly span: SourceSpan;
}

/**
 * A date or date-time given to a date field, produced by validation. It denotes the half-open interval
 * `[startMs, endMs)`: a whole UTC day for `YYYY-MM-DD`, one millisecond for a date-time.
 */
export interface DateValue {
  readonly kind: 'date';
  /** The text as written, without quotes. */
  readonly text: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly span: SourceSpan;
}

/** Any value in a condition. */
export type QueryValue = StringValue | NumberValue | BooleanValue | DateValue;

/** `field op value`. */
export interface ComparisonNode {
  readonly kind: 'comparison';
  readonly field: FieldRef;
  readonly operator: ComparisonOperator;
  readonly operatorSpan: SourceSpan;
  readonly value: QueryValue;
  readonly span: SourceSpan;
}

/** `field LIKE 'pattern'`: `%` matches any run of characters, `_` exactly one. */
export interface LikeNode {
  readonly kind: 'like';
  readonly field: FieldRef;
  readonly operatorSpan: SourceSpan;
  readonly pattern: QueryValue;
  readonly span: SourceSpan;
}

/** `field BETWEEN low AND high`, both bounds inclusive. */
export interface BetweenNode {
  readonly kind: 'between';
  readonly field: FieldRef;
  readonly operatorSpan: SourceSpan;
  readonly low: QueryValue;
  readonly high: QueryValue;
  readonly span: SourceSpan;
}

/** Conditions joined by `&&`; never directly contains another `and` node. */
export interface AndNode {
  readonly kind: 'and';
  readonly operands: readonly QueryExpression[];
  readonly span: SourceSpan;
}

/** Alternatives joined by `||`; never directly contains another `or` node. */
export interface OrNode {
  readonly kind: 'or';
  readonly operands: readonly QueryExpression[];
  readonly span: SourceSpan;
}

/** A single condition. */
export type ConditionNode = ComparisonNode | LikeNode | BetweenNode;

/** Any node of the tree. Parentheses leave no node: the tree's shape records the grouping. */
export type QueryExpression = ConditionNode | AndNode | OrNode;

/** The search types the language knows; only VULNERABILITY is implemented. */
export type QueryType = 'VULNERABILITY';

/** A query that parsed and validated against the field catalogue; obtain one from `parseQuery`. */
export interface ParsedQuery {
  readonly type: QueryType;
  /** The text the user wrote. */
  readonly source: string;
  readonly expression: QueryExpression;
}
