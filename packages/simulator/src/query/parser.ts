import { tokenize, type Token } from './lexer.js';
import { QueryError } from './query-error.js';

/** A literal value of a condition. */
export type QueryValue =
  | { kind: 'string'; value: string; offset: number }
  | { kind: 'number'; value: number; offset: number }
  | { kind: 'boolean'; value: boolean; offset: number };

/** A comparison operator. */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** The syntax tree of a query. */
export type QueryNode =
  | { kind: 'and' | 'or'; left: QueryNode; right: QueryNode }
  | { kind: 'compare'; field: string; fieldOffset: number; op: CompareOp; value: QueryValue }
  | { kind: 'like'; field: string; fieldOffset: number; value: QueryValue }
  | { kind: 'between'; field: string; fieldOffset: number; low: QueryValue; high: QueryValue };

/**
 * Parses a query: `||` of `&&` of conditions (`&&` binds tighter), parentheses, `field op value`,
 * `field LIKE value`, `field BETWEEN value AND value`. Throws QueryError on any syntax error.
 */
export function parseQuery(source: string): QueryNode {
  const tokens = tokenize(source);
  let pos = 0;
  const peek = (): Token => tokens[pos] ?? { kind: 'end', text: '', offset: source.length };
  const take = (): Token => {
    const t = peek();
    pos += 1;
    return t;
  };
  const describe = (t: Token): string => (t.kind === 'end' ? 'end of query' : t.kind === 'string' ? `'${t.text}'` : `'${t.text}'`);
  const isKeyword = (t: Token, word: string): boolean => t.kind === 'ident' && t.text.toUpperCase() === word;

  const parseValue = (): QueryValue => {
    const t = take();
    if (t.kind === 'string') return { kind: 'string', value: t.text, offset: t.offset };
    if (t.kind === 'number') return { kind: 'number', value: t.value, offset: t.offset };
    if (t.kind === 'ident' && /^(true|false)$/i.test(t.text)) return { kind: 'boolean', value: t.text.toLowerCase() === 'true', offset: t.offset };
    throw new QueryError(`Expected a value (a single-quoted string, a number, true or false) but found ${describe(t)}`, t.offset);
  };

  const parseCondition = (): QueryNode => {
    const t = take();
    if (t.kind !== 'ident' || isKeyword(t, 'LIKE') || isKeyword(t, 'BETWEEN') || isKeyword(t, 'AND')) {
      throw new QueryError(`Expected a field name but found ${describe(t)}`, t.offset);
    }
    const field = t.text;
    const next = peek();
    if (next.kind === 'op') {
      take();
      return { kind: 'compare', field, fieldOffset: t.offset, op: next.text, value: parseValue() };
    }
    if (isKeyword(next, 'LIKE')) {
      take();
      return { kind: 'like', field, fieldOffset: t.offset, value: parseValue() };
    }
    if (isKeyword(next, 'BETWEEN')) {
      take();
      const low = parseValue();
      const and = take();
      if (!isKeyword(and, 'AND')) throw new QueryError(`Expected AND in BETWEEN but found ${describe(and)}`, and.offset);
      return { kind: 'between', field, fieldOffset: t.offset, low, high: parseValue() };
    }
    throw new QueryError(`Expected an operator (=, !=, <, <=, >, >=, LIKE, BETWEEN) after ${field} but found ${describe(next)}`, next.offset);
  };

  let depth = 0;
  const parsePrimary = (): QueryNode => {
    if (peek().kind === 'lparen') {
      const open = take();
      // The same bound as any real query needs; it keeps recursion far from the stack's end.
      if (depth >= 100) throw new QueryError('Parentheses nest more than 100 deep', open.offset);
      depth += 1;
      const inner = parseOr();
      depth -= 1;
      const close = take();
      if (close.kind !== 'rparen') throw new QueryError(`Expected ')' to close the '(' at position ${open.offset + 1} but found ${describe(close)}`, close.offset);
      return inner;
    }
    return parseCondition();
  };

  const parseAnd = (): QueryNode => {
    let left = parsePrimary();
    while (peek().kind === 'and') {
      take();
      left = { kind: 'and', left, right: parsePrimary() };
    }
    return left;
  };

  function parseOr(): QueryNode {
    let left = parseAnd();
    while (peek().kind === 'or') {
      take();
      left = { kind: 'or', left, right: parseAnd() };
    }
    return left;
  }

  const root = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') throw new QueryError(`Unexpected ${describe(rest)}; expected && or || or the end of the query`, rest.offset);
  return root;
}
