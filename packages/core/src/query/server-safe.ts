/**
 * Decides whether a query may be sent to the IAS search endpoint as is, using only what Rapid7 and
 * third-party sources show the server accepting (ias-api §6.2, §6.3). Anything else is evaluated locally.
 */
import type { ParsedQuery, QueryExpression, QueryValue } from './ast';
import { isServerConfirmedField } from './fields';

function hasQuote(value: QueryValue): boolean {
  return (value.kind === 'string' || value.kind === 'date') && (value.kind === 'string' ? value.value : value.text).includes("'");
}

function collectIssues(expression: QueryExpression, issues: string[]): void {
  switch (expression.kind) {
    case 'and':
    case 'or':
      for (const operand of expression.operands) collectIssues(operand, issues);
      return;
    default:
      break;
  }
  const name = expression.field.name;
  if (!isServerConfirmedField(name)) issues.push(`the field ${name} is not known to be searchable on the server`);
  const values = expression.kind === 'comparison' ? [expression.value] : expression.kind === 'like' ? [expression.pattern] : [expression.low, expression.high];
  if (expression.kind === 'comparison' && expression.operator !== '=' && expression.operator !== '>') {
    issues.push(`the operator ${expression.operator} on ${name} is not known to work on the server`);
  }
  if (values.some(hasQuote)) issues.push(`a value for ${name} contains a quote, and the server's escaping is unknown`);
}

/**
 * The reasons a query cannot be sent to the server as is, one short clause each; empty when it can.
 * Confirmed: the fields of {@link SERVER_CONFIRMED_FIELDS}, `=`, `>`, `&&`, `||`, parentheses, LIKE, BETWEEN,
 * and values without a single quote inside.
 */
export function listServerSafetyIssues(query: ParsedQuery): string[] {
  const issues: string[] = [];
  collectIssues(query.expression, issues);
  return issues;
}

/**
 * True when {@link formatQuery} of the query uses only fields and operators the server is known to accept,
 * so the search endpoint can filter; otherwise fetch the scan's vulnerabilities and use `evaluateQuery`.
 */
export function isServerSafe(query: ParsedQuery): boolean {
  return listServerSafetyIssues(query).length === 0;
}
