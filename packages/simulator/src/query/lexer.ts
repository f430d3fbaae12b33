import { QueryError } from './query-error.js';

/** A token of the search language. */
export type Token =
  | { kind: 'ident'; text: string; offset: number }
  | { kind: 'string'; text: string; offset: number }
  | { kind: 'number'; text: string; value: number; offset: number }
  | { kind: 'op'; text: '=' | '!=' | '<' | '<=' | '>' | '>='; offset: number }
  | { kind: 'and' | 'or' | 'lparen' | 'rparen' | 'comma' | 'end'; text: string; offset: number };

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_.]/;

/** Splits a query into tokens; throws QueryError on a character the language does not have. */
export function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const ch = source[i] ?? '';
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const start = i;
    const two = source.slice(i, i + 2);
    if (two === '&&') {
      tokens.push({ kind: 'and', text: two, offset: start });
      i += 2;
    } else if (two === '||') {
      tokens.push({ kind: 'or', text: two, offset: start });
      i += 2;
    } else if (two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two, offset: start });
      i += 2;
    } else if (ch === '=' || ch === '<' || ch === '>') {
      tokens.push({ kind: 'op', text: ch, offset: start });
      i += 1;
    } else if (ch === '(') {
      tokens.push({ kind: 'lparen', text: ch, offset: start });
      i += 1;
    } else if (ch === ')') {
      tokens.push({ kind: 'rparen', text: ch, offset: start });
      i += 1;
    } else if (ch === ',') {
      tokens.push({ kind: 'comma', text: ch, offset: start });
      i += 1;
    } else if (ch === "'") {
      let text = '';
      i += 1;
      for (;;) {
        if (i >= source.length) throw new QueryError('Unterminated string value (missing closing single quote)', start);
        const c = source[i];
        if (c === "'") {
          if (source[i + 1] === "'") {
            text += "'";
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        text += c;
        i += 1;
      }
      tokens.push({ kind: 'string', text, offset: start });
    } else if (ch === '"') {
      throw new QueryError('Double quotes are not allowed; put string values in single quotes', start);
    } else if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(source[i + 1] ?? '')) || (ch === '-' && /[0-9.]/.test(source[i + 1] ?? ''))) {
      // Plain decimals only: how the real API reads exponents (7.5e0) is unknown, so they are refused.
      const match = /^-?(?:\d+(?:\.\d+)?|\.\d+)/.exec(source.slice(i));
      const text = match?.[0] ?? ch;
      const value = Number(text);
      if (!Number.isFinite(value)) throw new QueryError(`The number ${text} is too large`, start);
      tokens.push({ kind: 'number', text, value, offset: start });
      i += text.length;
      if (/[A-Za-z0-9_.:]/.test(source[i] ?? '')) throw new QueryError(`Unexpected character '${source[i]}' after number ${text}`, i);
    } else if (IDENT_START.test(ch)) {
      while (i < source.length && IDENT_PART.test(source[i] ?? '')) i += 1;
      tokens.push({ kind: 'ident', text: source.slice(start, i), offset: start });
    } else {
      throw new QueryError(`Unexpected character '${ch}'`, start);
    }
  }
  tokens.push({ kind: 'end', text: '', offset: source.length });
  return tokens;
}
