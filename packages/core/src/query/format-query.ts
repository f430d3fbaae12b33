/**
 * Writes a {@link ParsedQuery} back as canonical text: canonical field names, upper-case keywords and
 * enum values, single-quoted strings, spaces around operators, and explicit parentheses wherever `&&`
 * and `||` mix, so the text does not depend on the server's precedence (unknown, ias-api §6.5).
 */
import type { ParsedQuery, QueryExpression, QueryValue } from './ast';

function formatValue(value: QueryValue): string {
  switch (value.kind) {
    case 'string':
      return `'${value.value.replaceAll("'", "''")}'`;
    case 'number':
      return String(value.value);
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'date':
      return `'${value.text}'`;
  }
}

function formatExpression(expression: QueryExpression): string {
  switch (expression.kind) {
    case 'or':
      return expression.operands.map((operand) => (operand.kind === 'and' ? `(${formatExpression(operand)})` : formatExpression(operand))).join(' || ');
    case 'and':
      return expression.operands.map((operand) => (operand.kind === 'or' ? `(${formatExpression(operand)})` : formatExpression(operand))).join(' && ');
    case 'comparison':
      return `${expression.field.name} ${expression.operator} ${formatValue(expression.value)}`;
    case 'like':
      return `${expression.field.name} LIKE ${formatValue(expression.pattern)}`;
    case 'between':
      return `${expression.field.name} BETWEEN ${formatValue(expression.low)} AND ${formatValue(expression.high)}`;
  }
}

/**
 * The canonical text of a query, which `parseQuery` reads back to the same tree. Wrap it in parentheses
 * when combining it with a scope: `vulnerability.scans.id='…' && (` + formatQuery(q) + `)`.
 * Whether the server accepts it depends on {@link isServerSafe}.
 */
export function formatQuery(query: ParsedQuery): string {
  return formatExpression(query.expression);
}
