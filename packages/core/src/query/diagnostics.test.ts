import { describe, expect, it } from 'vitest';
import { QueryError } from '../errors';
import { queryError, renderDiagnostic } from './diagnostics';

describe('renderDiagnostic', () => {
  it.each([
    ["a='x' && b", { start: 9, end: 10 }, "a='x' && b\n         ^"],
    ["a='x' && b", { start: 0, end: 5 }, "a='x' && b\n^^^^^"],
    ['', { start: 0, end: 0 }, '\n^'],
    ['a &&', { start: 4, end: 4 }, 'a &&\n    ^'],
    ["a='x'\n&& b", { start: 9, end: 10 }, "2 | && b\n       ^"],
    ["a='x\nyz'", { start: 2, end: 9 }, "1 | a='x\n      ^^"],
    ["\ta='x'", { start: 3, end: 6 }, "\ta='x'\n\t  ^^^"],
  ])('%j at %j', (source, span, expected) => {
    expect(renderDiagnostic(source, span)).toBe(expected);
  });

  it('builds a QueryError carrying source, span and diagnostic', () => {
    const error = queryError('a b', { start: 2, end: 3 }, 'Bad; fix it.');
    expect(error).toBeInstanceOf(QueryError);
    expect(error).toMatchObject({ code: 'QUERY_INVALID', message: 'Bad; fix it.', source: 'a b', span: { start: 2, end: 3 }, diagnostic: 'a b\n  ^' });
  });
});
