/**
 * A recursive-descent parser for the query grammar of README.md. It builds the tree only; field names and
 * value types are checked afterwards by `validateQuery`.
 */
import type { QueryError, SourceSpan } from '../errors';
import type { ConditionNode, FieldRef, QueryExpression, QueryValue } from './ast';
import { queryError } from './diagnostics';
import type { Keyword, Token } from './lexer';
import { tokenize } from './lexer';

const OPERATOR_LIST = '=, !=, >, >=, <, <=, LIKE or BETWEEN';
const NEGATION_HINT = 'is not part of the IAS query language; write the opposite comparison instead, such as != or <';
/** Deeper nesting than any real query needs; the limit keeps recursion far from the stack's end. */
const MAX_DEPTH = 100;

function join(a: SourceSpan, b: SourceSpan): SourceSpan {
  return { start: Math.min(a.start, b.start), end: Math.max(a.end, b.end) };
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'eof':
      return 'the end of the query';
    case 'string':
      return `the value ${token.text}`;
    default:
      return `'${token.text}'`;
  }
}

class Parser {
  private index = 0;
  private depth = 0;
  private readonly end: Token;

  constructor(
    private readonly source: string,
    private readonly tokens: readonly Token[],
  ) {
    this.end = { kind: 'eof', text: '', span: { start: source.length, end: source.length } };
  }

  private peek(): Token {
    return this.tokens[this.index] ?? this.end;
  }

  private previous(): Token | undefined {
    return this.tokens[this.index - 1];
  }

  private advance(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.index += 1;
    return token;
  }

  private isKeyword(token: Token, keyword: Keyword): boolean {
    return token.kind === 'keyword' && token.keyword === keyword;
  }

  private fail(span: SourceSpan, message: string): QueryError {
    return queryError(this.source, span, message);
  }

  parse(): QueryExpression {
    const first = this.peek();
    if (first.kind === 'eof') {
      throw this.fail({ start: 0, end: this.source.length }, "The query is empty; write a condition such as vulnerability.severity='HIGH'.");
    }
    const expression = this.parseOr();
    const token = this.peek();
    if (token.kind === 'rparen') {
      throw this.fail(token.span, "This ')' has no matching '('; remove it or add the missing '('.");
    }
    if (token.kind !== 'eof') this.failAfterCondition(token);
    return expression;
  }

  /** What follows a complete condition but is neither &&, || nor the end. */
  private failAfterCondition(token: Token): never {
    if (this.isKeyword(token, 'AND')) throw this.fail(token.span, `The word ${token.text} is not a boolean operator in IAS queries; use && instead of ${token.text}.`);
    if (this.isKeyword(token, 'OR')) throw this.fail(token.span, `The word ${token.text} is not a boolean operator in IAS queries; use || instead of ${token.text}.`);
    throw this.fail(token.span, `Expected && or || after the condition but found ${describe(token)}; join conditions with && or ||.`);
  }

  private parseOr(): QueryExpression {
    const operands: QueryExpression[] = [];
    let expression = this.parseAnd();
    pushFlattened(operands, expression, 'or');
    while (this.peek().kind === 'or') {
      this.advance();
      expression = this.parseAnd();
      pushFlattened(operands, expression, 'or');
    }
    return wrap('or', operands);
  }

  private parseAnd(): QueryExpression {
    const operands: QueryExpression[] = [];
    pushFlattened(operands, this.parsePrimary(), 'and');
    while (this.peek().kind === 'and') {
      this.advance();
      pushFlattened(operands, this.parsePrimary(), 'and');
    }
    return wrap('and', operands);
  }

  private parsePrimary(): QueryExpression {
    const token = this.peek();
    switch (token.kind) {
      case 'lparen':
        return this.parseGroup(token);
      case 'identifier':
        return this.parseCondition();
      case 'bang':
        throw this.fail(token.span, `Negation with ! ${NEGATION_HINT}.`);
      case 'eof':
      case 'and':
      case 'or':
      case 'rparen': {
        const before = this.previous();
        if (token.kind === 'eof' && before !== undefined && (before.kind === 'and' || before.kind === 'or')) {
          throw this.fail(before.span, `The query ends after '${before.text}'; add a condition after it or remove the '${before.text}'.`);
        }
        if (token.kind === 'eof' && before?.kind === 'lparen') {
          throw this.fail(before.span, "This '(' is never closed; add a condition and a ')' after it.");
        }
        if (token.kind === 'and' || token.kind === 'or') {
          throw this.fail(token.span, `'${token.text}' needs a condition on each side; add a condition before it or remove it.`);
        }
        if (token.kind === 'rparen') {
          const hasOpen = this.tokens.slice(0, this.index).some((t) => t.kind === 'lparen');
          if (!hasOpen) throw this.fail(token.span, "This ')' has no matching '('; remove it or add the missing '('.");
          throw this.fail(token.span, `Expected a condition but found ')'; add a condition before it.`);
        }
        throw this.fail(token.span, `Expected a condition but found ${describe(token)}; write a condition such as vulnerability.severity='HIGH'.`);
      }
      case 'keyword': {
        if (token.keyword === 'NOT') throw this.fail(token.span, `Negation with ${token.text} ${NEGATION_HINT}.`);
        if (token.keyword === 'AND' || token.keyword === 'OR') {
          const replacement = token.keyword === 'AND' ? '&&' : '||';
          throw this.fail(token.span, `The word ${token.text} is not a boolean operator in IAS queries; use ${replacement} instead of ${token.text}.`);
        }
        throw this.fail(
          token.span,
          `Expected a field name but found the keyword ${token.text}; start the condition with a field such as vulnerability.severity.`,
        );
      }
      default:
        throw this.fail(
          token.span,
          `Expected a field name but found ${describe(token)}; start the condition with a field such as vulnerability.severity.`,
        );
    }
  }

  /** A parenthesised condition, at most MAX_DEPTH deep. */
  private parseGroup(open: Token): QueryExpression {
    this.advance();
    if (this.depth >= MAX_DEPTH) throw this.fail(open.span, `The query nests parentheses more than ${MAX_DEPTH} deep; remove the redundant ones.`);
    if (this.peek().kind === 'rparen') {
      throw this.fail(join(open.span, this.peek().span), "The parentheses are empty; put a condition inside them or remove them.");
    }
    this.depth += 1;
    const inner = this.parseOr();
    this.depth -= 1;
    const close = this.peek();
    if (close.kind === 'rparen') {
      this.advance();
      return inner;
    }
    if (close.kind === 'eof') throw this.fail(open.span, "This '(' is never closed; add a ')' after the condition it groups.");
    return this.failAfterCondition(close);
  }

  private parseCondition(): ConditionNode {
    const fieldToken = this.advance();
    const field: FieldRef = { name: fieldToken.text, written: fieldToken.text, span: fieldToken.span };
    const op = this.peek();
    if (op.kind === 'operator') {
      this.advance();
      const value = this.parseValue(op);
      return { kind: 'comparison', field, operator: op.operator, operatorSpan: op.span, value, span: join(field.span, value.span) };
    }
    if (op.kind === 'keyword') {
      switch (op.keyword) {
        case 'LIKE': {
          this.advance();
          const pattern = this.parseValue(op);
          return { kind: 'like', field, operatorSpan: op.span, pattern, span: join(field.span, pattern.span) };
        }
        case 'BETWEEN': {
          this.advance();
          const low = this.parseValue(op);
          const and = this.peek();
          if (!this.isKeyword(and, 'AND')) {
            throw this.fail(
              and.kind === 'eof' ? low.span : and.span,
              `BETWEEN needs the word AND between its two bounds but found ${describe(and)}; write ${field.written} BETWEEN 'low' AND 'high'.`,
            );
          }
          this.advance();
          const high = this.parseValue(and);
          return { kind: 'between', field, operatorSpan: join(op.span, and.span), low, high, span: join(field.span, high.span) };
        }
        case 'IN':
          throw this.fail(
            op.span,
            `The IN operator is not part of the IAS query language; write one comparison per value joined by ||, as in ${field.written}='A' || ${field.written}='B'.`,
          );
        case 'IS': {
          const after = this.tokens[this.index + 1];
          const end = after !== undefined && this.isKeyword(after, 'NOT') ? (this.tokens[this.index + 2] ?? after) : after;
          throw this.fail(
            join(op.span, end !== undefined && end.kind === 'keyword' ? end.span : op.span),
            'IS NULL is not part of the IAS query language; compare the field with a value instead (a missing field never matches).',
          );
        }
        case 'NOT':
          throw this.fail(op.span, `Negation with ${op.text} ${NEGATION_HINT}.`);
        default:
          break;
      }
    }
    if (op.kind === 'eof') {
      throw this.fail(field.span, `The condition on ${field.written} has no operator; add one of ${OPERATOR_LIST} and a value.`);
    }
    if (op.kind === 'bang') {
      throw this.fail(op.span, `Negation with ! ${NEGATION_HINT}.`);
    }
    throw this.fail(op.span, `Expected an operator (${OPERATOR_LIST}) after ${field.written} but found ${describe(op)}; add the operator.`);
  }

  private parseValue(after: Token): QueryValue {
    const token = this.peek();
    switch (token.kind) {
      case 'string':
        this.advance();
        return { kind: 'string', value: token.value, span: token.span };
      case 'number':
        this.advance();
        return { kind: 'number', value: token.value, span: token.span };
      case 'keyword':
        if (token.keyword === 'TRUE' || token.keyword === 'FALSE') {
          this.advance();
          return { kind: 'boolean', value: token.keyword === 'TRUE', span: token.span };
        }
        if (token.keyword === 'NULL') {
          throw this.fail(token.span, 'NULL is not a value in the IAS query language; compare the field with a value instead (a missing field never matches).');
        }
        throw this.fail(token.span, `Expected a value after '${after.text}' but found the keyword ${token.text}; put text values in single quotes.`);
      case 'identifier':
        throw this.fail(token.span, `The value ${token.text} must be quoted; write it in single quotes, as in '${token.text}'.`);
      case 'eof':
        throw this.fail(after.span, `The query ends after '${after.text}' without a value; add a value such as 'HIGH' or 4.`);
      default:
        throw this.fail(token.span, `Expected a value after '${after.text}' but found ${describe(token)}; add a single-quoted value or a number.`);
    }
  }
}

function pushFlattened(operands: QueryExpression[], expression: QueryExpression, kind: 'and' | 'or'): void {
  if (expression.kind === kind) operands.push(...expression.operands);
  else operands.push(expression);
}

function wrap(kind: 'and' | 'or', operands: readonly QueryExpression[]): QueryExpression {
  const [first] = operands;
  if (operands.length === 1 && first !== undefined) return first;
  const last = operands[operands.length - 1];
  const span = first !== undefined && last !== undefined ? join(first.span, last.span) : { start: 0, end: 0 };
  return { kind, operands, span };
}

/**
 * Parses query text into a syntax tree without checking fields or value types.
 * @throws {QueryError} code `QUERY_INVALID` on a syntax error.
 */
export function parseSyntax(source: string): QueryExpression {
  return new Parser(source, tokenize(source)).parse();
}
