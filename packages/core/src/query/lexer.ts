/**
 * Turns query text into tokens. Quoting mistakes are caught here, where the characters are still in
 * view: double quotes, typographic quotes and strings that never close.
 */
import type { SourceSpan } from '../errors';
import type { ComparisonOperator } from './ast';
import { queryError } from './diagnostics';

/** Reserved words, matched case-insensitively when they stand alone (no dot). */
export const KEYWORDS = ['LIKE', 'BETWEEN', 'AND', 'OR', 'NOT', 'IN', 'IS', 'NULL', 'TRUE', 'FALSE'] as const;

/** One reserved word, upper-cased. */
export type Keyword = (typeof KEYWORDS)[number];

/** A token of the query language. */
export type Token =
  | { readonly kind: 'identifier'; readonly text: string; readonly span: SourceSpan }
  | { readonly kind: 'keyword'; readonly keyword: Keyword; readonly text: string; readonly span: SourceSpan }
  | { readonly kind: 'string'; readonly value: string; readonly text: string; readonly span: SourceSpan }
  | { readonly kind: 'number'; readonly value: number; readonly text: string; readonly span: SourceSpan }
  | { readonly kind: 'operator'; readonly operator: ComparisonOperator; readonly text: string; readonly span: SourceSpan }
  | { readonly kind: 'and' | 'or' | 'lparen' | 'rparen' | 'bang' | 'comma'; readonly text: string; readonly span: SourceSpan }
  | { readonly kind: 'eof'; readonly text: ''; readonly span: SourceSpan };

const TYPOGRAPHIC_QUOTES = '\u2018\u2019\u201C\u201D';
const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
// Plain decimals only: how the server reads an exponent (7.5e0) is unknown, so it is refused (docs/query-language.md).
const NUMBER = /-?(?:\d+(?:\.\d+)?|\.\d+)/y;
const WORD_CHAR = /[A-Za-z0-9_.]/;

function isKeyword(word: string): word is Keyword {
  return (KEYWORDS as readonly string[]).includes(word);
}

function typographicQuoteMessage(quote: string, context: string): string {
  return `The typographic quote ${quote} ${context}; replace it with a straight single quote (').`;
}

/**
 * Splits `source` into tokens, ending with an `eof` token.
 * @throws {QueryError} code `QUERY_INVALID` on a character or quoting mistake.
 */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  while (pos < source.length) {
    if (/\s/.test(source.charAt(pos))) {
      pos += 1;
      continue;
    }
    const token = readQuoted(source, pos) ?? readPunctuation(source, pos) ?? readNumber(source, pos) ?? readWord(source, pos);
    tokens.push(token);
    pos = token.span.end;
  }
  tokens.push({ kind: 'eof', text: '', span: { start: source.length, end: source.length } });
  return tokens;
}

/** A single-quoted value; double and typographic quotes are refused with the fix. */
function readQuoted(source: string, pos: number): Token | undefined {
  const ch = source.charAt(pos);
  if (ch === "'") return readString(source, pos);
  if (ch === '"') {
    const close = source.indexOf('"', pos + 1);
    const end = close === -1 ? source.length : close + 1;
    const inner = source.slice(pos + 1, close === -1 ? source.length : close);
    throw queryError(source, { start: pos, end }, `Double quotes are not accepted around values; write the value in single quotes, as in '${inner.replaceAll("'", "''")}'.`);
  }
  if (TYPOGRAPHIC_QUOTES.includes(ch)) throw queryError(source, { start: pos, end: pos + 1 }, typographicQuoteMessage(ch, 'cannot delimit a value'));
  return undefined;
}

type PunctuationKind = 'and' | 'or' | 'lparen' | 'rparen' | 'bang' | 'comma';

/** Operators, parentheses and commas; the look-alikes of other languages (`&`, `|`, `==`, `<>`) are refused with the fix. */
function readPunctuation(source: string, pos: number): Token | undefined {
  const ch = source.charAt(pos);
  const next = source.charAt(pos + 1);
  const mark = (kind: PunctuationKind, length: number): Token => ({ kind, text: source.slice(pos, pos + length), span: { start: pos, end: pos + length } });
  const operator = (op: ComparisonOperator): Token => ({ kind: 'operator', operator: op, text: op, span: { start: pos, end: pos + op.length } });
  switch (ch) {
    case '&':
      if (next === '&') return mark('and', 2);
      throw queryError(source, { start: pos, end: pos + 1 }, 'A single & is not an operator; use && to require both conditions.');
    case '|':
      if (next === '|') return mark('or', 2);
      throw queryError(source, { start: pos, end: pos + 1 }, 'A single | is not an operator; use || to accept either condition.');
    case '(':
      return mark('lparen', 1);
    case ')':
      return mark('rparen', 1);
    case ',':
      return mark('comma', 1);
    case '=':
      if (next === '=') throw queryError(source, { start: pos, end: pos + 2 }, 'The operator == does not exist; use a single = to compare.');
      return operator('=');
    case '!':
      return next === '=' ? operator('!=') : mark('bang', 1);
    case '<':
      if (next === '>') throw queryError(source, { start: pos, end: pos + 2 }, 'The operator <> does not exist; use != for "not equal".');
      return operator(next === '=' ? '<=' : '<');
    case '>':
      return operator(next === '=' ? '>=' : '>');
    default:
      return undefined;
  }
}

/** A plain decimal; exponents, numbers glued to words and numbers too large to hold are refused with the fix. */
function readNumber(source: string, pos: number): Token | undefined {
  NUMBER.lastIndex = pos;
  const number = NUMBER.exec(source);
  if (number === null || (source.charAt(pos) === '-' && !/[\d.]/.test(source.charAt(pos + 1)))) return undefined;
  const text = number[0];
  const rest = source.slice(pos + text.length);
  const after = rest.charAt(0);
  if (/^[eE][+-]?\d/.test(rest)) {
    const exponent = /^[eE][+-]?\d+/.exec(rest)?.[0] ?? '';
    const end = pos + text.length + exponent.length;
    throw queryError(
      source,
      { start: pos, end },
      `The number ${source.slice(pos, end)} is in exponent form, which the IAS server is not known to accept; write it as a plain decimal such as ${plainDecimal(Number(source.slice(pos, end)))}.`,
    );
  }
  if (WORD_CHAR.test(after) || after === '-' || after === ':') {
    let end = pos + text.length;
    while (end < source.length && /[A-Za-z0-9_.:+-]/.test(source.charAt(end))) end += 1;
    const word = source.slice(pos, end);
    throw queryError(source, { start: pos, end }, `The value ${word} is not a number; put text and dates in single quotes, as in '${word}'.`);
  }
  const value = Number(text);
  if (!Number.isFinite(value)) throw queryError(source, { start: pos, end: pos + text.length }, `The number ${text} is too large; write a number of ordinary size.`);
  return { kind: 'number', value, text, span: { start: pos, end: pos + text.length } };
}

/** A field name or a reserved word; any other character is refused. */
function readWord(source: string, pos: number): Token {
  IDENTIFIER.lastIndex = pos;
  const identifier = IDENTIFIER.exec(source);
  if (identifier !== null) {
    const text = identifier[0];
    const span = { start: pos, end: pos + text.length };
    const upper = text.toUpperCase();
    return isKeyword(upper) ? { kind: 'keyword', keyword: upper, text, span } : { kind: 'identifier', text, span };
  }
  const codePoint = String.fromCodePoint(source.codePointAt(pos) ?? 0);
  throw queryError(source, { start: pos, end: pos + codePoint.length }, `The character ${codePoint} is not allowed here; remove it or put it inside a single-quoted value.`);
}

/** A finite number in plain decimal notation, for the hint of the exponent error. */
function plainDecimal(value: number): string {
  if (!Number.isFinite(value)) return '10';
  const text = String(value);
  return /e/i.test(text) ? value.toFixed(20).replace(/\.?0+$/, '') : text;
}

/** Reads a single-quoted string starting at `start`; `''` inside stands for one quote. */
function readString(source: string, start: number): Token {
  let value = '';
  let pos = start + 1;
  while (pos < source.length) {
    const ch = source.charAt(pos);
    if (ch === "'") {
      if (source.charAt(pos + 1) === "'") {
        value += "'";
        pos += 2;
        continue;
      }
      const stray = strayTypographicQuote(source, start + 1, pos);
      if (stray !== -1) {
        throw queryError(source, { start: stray, end: stray + 1 }, typographicQuoteMessage(source.charAt(stray), 'does not close a value'));
      }
      return { kind: 'string', value, text: source.slice(start, pos + 1), span: { start, end: pos + 1 } };
    }
    value += ch;
    pos += 1;
  }
  // Unterminated: a typographic quote inside is almost certainly the intended closing quote
  // (an official Rapid7 example carries 'HIGH’).
  for (let i = start + 1; i < source.length; i += 1) {
    const ch = source.charAt(i);
    if (TYPOGRAPHIC_QUOTES.includes(ch)) {
      throw queryError(source, { start: i, end: i + 1 }, typographicQuoteMessage(ch, 'does not close a value'));
    }
  }
  throw queryError(
    source,
    { start, end: source.length },
    `The value ${source.slice(start, start + 24)} has no closing quote; add a single quote (') after the value.`,
  );
}

/**
 * In `'HIGH’ || x='LOW'` the straight quotes pair up wrongly and swallow the query text between them.
 * A closing typographic quote followed, inside the same string, by query syntax is reported as the
 * real mistake; `'O’Brien'` stays a valid value.
 */
function strayTypographicQuote(source: string, from: number, to: number): number {
  for (let i = from; i < to; i += 1) {
    const ch = source.charAt(i);
    if ((ch === '\u2019' || ch === '\u201D') && /&&|\|\||=|\)/.test(source.slice(i + 1, to))) return i;
  }
  return -1;
}
