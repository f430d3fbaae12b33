/**
 * Builds the messages of the query language: every problem is a {@link QueryError} with a span and a
 * caret diagnostic under the offending text.
 */
import type { SourceSpan } from '../errors';
import { QueryError } from '../errors';

/**
 * Renders the line of `source` holding `span` with a `^` line under it. A multi-line query shows only the
 * line where the span starts, prefixed with its line number; an empty span gets a single caret.
 */
export function renderDiagnostic(source: string, span: SourceSpan): string {
  const start = Math.max(0, Math.min(span.start, source.length));
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const newline = source.indexOf('\n', start);
  const lineEnd = newline === -1 ? source.length : newline;
  const line = source.slice(lineStart, lineEnd).replace(/\r$/, '');
  const end = Math.max(start + 1, Math.min(span.end, lineEnd));
  // Keep tabs in the padding so the carets line up under tab-indented text.
  const padding = line.slice(0, start - lineStart).replace(/[^\t]/g, ' ');
  const carets = '^'.repeat(end - start);
  const multiLine = source.includes('\n');
  if (!multiLine) return `${line}\n${padding}${carets}`;
  const lineNumber = source.slice(0, lineStart).split('\n').length;
  const gutter = `${lineNumber} | `;
  return `${gutter}${line}\n${' '.repeat(gutter.length)}${padding}${carets}`;
}

/**
 * Creates the {@link QueryError} (code `QUERY_INVALID`) for a problem at `span` in `source`.
 */
export function queryError(source: string, span: SourceSpan, message: string): QueryError {
  return new QueryError(message, { source, span: { start: span.start, end: span.end }, diagnostic: renderDiagnostic(source, span) });
}
