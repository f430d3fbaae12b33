/**
 * The IAS vulnerability query language: parse and validate a query, evaluate it against vulnerabilities,
 * format it for the search endpoint and decide whether the server can run it. Grammar: README.md.
 */
export { parseQuery, assertValidQuery } from './parse-query';
export type { ParseQueryResult } from './parse-query';
export { evaluateQuery } from './evaluate';
export type { EvaluateContext } from './evaluate';
export { formatQuery } from './format-query';
export { isServerSafe, listServerSafetyIssues } from './server-safe';
export {
  SEVERITIES,
  VULNERABILITY_STATUSES,
  VULNERABILITY_FIELDS,
  VULNERABILITY_FIELD_NAMES,
  VULNERABILITY_PREFIX,
  SERVER_CONFIRMED_FIELDS,
  FIELD_TYPES,
  severityRank,
  findField,
  isServerConfirmedField,
} from './fields';
export type { Severity, VulnerabilityStatus, FieldType, FieldSource, FieldSpec, VulnerabilityFieldName } from './fields';
export { COMPARISON_OPERATORS } from './ast';
export type {
  ComparisonOperator,
  FieldRef,
  StringValue,
  NumberValue,
  BooleanValue,
  DateValue,
  QueryValue,
  ComparisonNode,
  LikeNode,
  BetweenNode,
  AndNode,
  OrNode,
  ConditionNode,
  QueryExpression,
  QueryType,
  ParsedQuery,
} from './ast';
