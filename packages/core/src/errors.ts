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
  'INTERNAL_ERROR',
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

/** The URL-encoded form of a secret; a secret no encoder accepts (a lone surrogate) is its own form. */
function encodeSafely(secret: string): string {
  try {
    return encodeURIComponent(secret);
  } catch {
    return secret;
  }
}

/**
 * The password in a URL's userinfo (`http://user:password@proxy:8080`), decoded, so that it can be registered as a
 * secret and redacted; `undefined` when there is none or the text is not a URL.
 */
export function urlPassword(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  try {
    const password = new URL(url).password;
    return password === '' ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}

/**
 * Replaces every occurrence of each secret (of 4 characters or more) in `text` with `***`.
 * Used on every message, URL and body excerpt before it can reach a log, an error or a report.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === undefined || secret.length < 4) continue;
    out = out.split(secret).join(REDACTED);
    const encoded = encodeSafely(secret);
    if (encoded !== secret) out = out.split(encoded).join(REDACTED);
  }
  return out;
}

/**
 * Applies `fn` to every string inside a JSON-like value (objects, arrays, strings; object keys included) and
 * returns the value itself when `fn` changed nothing, so the common case allocates nothing.
 */
export function mapStringsDeep<T>(value: T, fn: (text: string) => string): T {
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return fn(v);
    if (Array.isArray(v)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < v.length; i += 1) {
        const next = walk(v[i]);
        if (next !== v[i]) (copy ??= v.slice())[i] = next;
      }
      return copy ?? v;
    }
    if (v !== null && typeof v === 'object') {
      let copy: Record<string, unknown> | undefined;
      for (const [key, item] of Object.entries(v)) {
        const next = walk(item);
        const safeKey = fn(key);
        if (next !== item || safeKey !== key) {
          copy ??= { ...(v as Record<string, unknown>) };
          if (safeKey !== key) delete copy[key];
          copy[safeKey] = next;
        }
      }
      return copy ?? v;
    }
    return v;
  };
  return walk(value) as T;
}

/** The texts {@link redactSecrets} looks for: each secret of 4 characters or more, and its URL-encoded form. */
export function secretNeedles(secrets: readonly (string | undefined)[]): string[] {
  const active = secrets.filter((s): s is string => s !== undefined && s.length >= 4);
  return [...new Set(active.flatMap((s) => [s, encodeSafely(s)]))];
}

/**
 * A redactor for many strings: {@link redactSecrets} with the given secrets, skipping the split when a string
 * holds none of them (the common case).
 */
export function createRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const needles = secretNeedles(secrets);
  if (needles.length === 0) return (text) => text;
  return (text) => (needles.some((n) => text.includes(n)) ? redactSecrets(text, secrets) : text);
}

/**
 * {@link redactSecrets} over every string inside a JSON-like value. Used on the outcome and on what the server
 * sends (findings, modules, documentation), so a secret the server reflects back (in a failure reason, an event, a
 * finding) reaches no report, summary, log or result file.
 */
export function redactDeep<T>(value: T, secrets: readonly (string | undefined)[]): T {
  return mapStringsDeep(value, createRedactor(secrets));
}
