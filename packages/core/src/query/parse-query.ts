/**
 * The entry points that turn query text into a {@link ParsedQuery}: parse, then validate against the
 * VULNERABILITY catalogue.
 */
import { QueryError } from '../errors';
import type { ParsedQuery } from './ast';
import { queryError } from './diagnostics';
import { parseSyntax } from './parser';
import { validateQuery } from './validate';

/** The outcome of {@link parseQuery}. */
export type ParseQueryResult = { readonly ok: true; readonly query: ParsedQuery } | { readonly ok: false; readonly error: QueryError };

/**
 * Parses and validates a VULNERABILITY query, for example `vulnerability.severity='CRITICAL' || vulnerability.severity='HIGH'`.
 * Never throws: a problem comes back as `{ ok: false, error }`, a {@link QueryError} with code `QUERY_INVALID`,
 * a span and a caret diagnostic.
 */
export function parseQuery(source: string): ParseQueryResult {
  try {
    return { ok: true, query: assertValidQuery(source) };
  } catch (error) {
    if (error instanceof QueryError) return { ok: false, error };
    // A defect of ours, not of the query: still report it as data, pointing at the whole query.
    return { ok: false, error: withCause(queryError(source, { start: 0, end: source.length }, 'The query could not be read because of an internal error; report this query as a bug.'), error) };
  }
}

function withCause(error: QueryError, cause: unknown): QueryError {
  return new QueryError(error.message, { source: error.source, span: error.span, diagnostic: error.diagnostic }, { cause });
}

/**
 * Parses and validates a VULNERABILITY query.
 * @throws {QueryError} code `QUERY_INVALID` when the query does not parse or names an unknown field or a wrong value.
 */
export function assertValidQuery(source: string): ParsedQuery {
  const expression = validateQuery(source, parseSyntax(source));
  return { type: 'VULNERABILITY', source, expression };
}
