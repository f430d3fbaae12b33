/**
 * Errors are data: every failure the product can report is an {@link IasError} with a typed `code`,
 * context fields and an optional `cause`. Messages are one sentence: the object, what happened, what to do.
 * Secrets never reach a message: callers pass them through {@link redactSecrets} first.
 */

export const ERROR_CODES = [
  'CONFIG_INVALID',
  'AUTH_FAILED',
  'HTTP_ERROR',
  'NETWORK_ERROR',
  'TIMEOUT',
  'RESPONSE_INVALID',
  'SCAN_FAILED',
  'SCAN_TIMEOUT',
  'QUERY_INVALID',
  'NOT_FOUND',
  'REPORT_WRITE_FAILED',
  'ABORTED',
] as const;

/** Every error code the product raises. */
export type ErrorCode = (typeof ERROR_CODES)[number];

/** The base class: a typed code and a one-sentence message. */
export class IasError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }
}

/** One problem in the configuration, named as the user typed it. */
export interface ConfigIssue {
  /** The input's name as the user knows it (a flag, a variable or a task field). */
  path: string;
  message: string;
  /** More lines to show under the message, such as a query with a caret under the problem. */
  detail?: string;
}

/** Bad configuration or input, found before anything is launched. */
export class ConfigError extends IasError {
  readonly issues: readonly ConfigIssue[];

  constructor(message: string, issues: readonly ConfigIssue[] = [], options?: { cause?: unknown; code?: 'CONFIG_INVALID' | 'NOT_FOUND' }) {
    super(options?.code ?? 'CONFIG_INVALID', message, options);
    this.issues = issues;
  }
}

/** Context carried by an {@link ApiError}. */
export interface ApiErrorContext {
  method: string;
  /** The URL with secrets removed. */
  url: string;
  /** The route template, for example `GET /scans/{id}`. */
  route: string;
  status?: number;
  correlationId?: string;
  bodyExcerpt?: string;
}

/** A failed exchange with the API that retries did not cure. */
export class ApiError extends IasError {
  readonly method: string;
  readonly url: string;
  readonly route: string;
  readonly status: number | undefined;
  readonly correlationId: string | undefined;
  readonly bodyExcerpt: string | undefined;

  constructor(
    code: 'AUTH_FAILED' | 'HTTP_ERROR' | 'NETWORK_ERROR' | 'TIMEOUT' | 'RESPONSE_INVALID' | 'ABORTED',
    message: string,
    context: ApiErrorContext,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.method = context.method;
    this.url = context.url;
    this.route = context.route;
    this.status = context.status;
    this.correlationId = context.correlationId;
    this.bodyExcerpt = context.bodyExcerpt;
  }
}

/** Context carried by a {@link ScanError}. */
export interface ScanErrorContext {
  scanId: string;
  lastStatus: string;
  failureReason?: string;
  elapsedMs: number;
}

/** The scan failed, was canceled, or ran out of a budget. */
export class ScanError extends IasError {
  readonly scanId: string;
  readonly lastStatus: string;
  readonly failureReason: string | undefined;
  readonly elapsedMs: number;

  constructor(code: 'SCAN_FAILED' | 'SCAN_TIMEOUT', message: string, context: ScanErrorContext, options?: { cause?: unknown }) {
    super(code, message, options);
    this.scanId = context.scanId;
    this.lastStatus = context.lastStatus;
    this.failureReason = context.failureReason;
    this.elapsedMs = context.elapsedMs;
  }
}

/** Where in a query a problem sits: 0-based offsets, end exclusive. */
export interface SourceSpan {
  start: number;
  end: number;
}

/** A query that does not parse or validate. */
export class QueryError extends IasError {
  readonly source: string;
  readonly span: SourceSpan;
  /** The query with a caret line under the problem. */
  readonly diagnostic: string;

  constructor(message: string, context: { source: string; span: SourceSpan; diagnostic: string }, options?: { cause?: unknown }) {
    super('QUERY_INVALID', message, options);
    this.source = context.source;
    this.span = context.span;
    this.diagnostic = context.diagnostic;
  }
}

/** True when the value is one of the product's errors. */
export function isIasError(value: unknown): value is IasError {
  return value instanceof IasError;
}

const REDACTED = '***';

/**
 * Replaces every occurrence of each secret (of 4 characters or more) in `text` with `***`.
 * Used on every message, URL and body excerpt before it can reach a log, an error or a report.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    const encoded = encodeURIComponent(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out;
}
