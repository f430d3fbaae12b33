import type { FetchResponse } from '../effects';
/**
 * Small facts about HTTP exchanges shared by the IAS client and the Azure discovery client: how long a response asks
 * us to wait, what a transport error was, and body reads that are bounded in size and stop when a signal aborts.
 */

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds from `now`. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** The most specific description of a transport error: the first `code` along its causes (ECONNRESET), else its message. */
export function describeCause(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The largest error body read (for its message); the rest is dropped unread. */
export const MAX_ERROR_BODY_BYTES = 64 * 1024;

/** Raised by {@link readBodyBounded} when a body is larger than allowed (and truncation was not asked for). */
export class BodyTooLargeError extends Error {
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(`the body is larger than ${formatBytes(maxBytes)}`);
    this.name = 'BodyTooLargeError';
    this.maxBytes = maxBytes;
  }
}

/** `32 MiB`, `64 KiB`, `512 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}

/**
 * Reads a body as UTF-8 text, chunk by chunk, never holding more than `maxBytes` of it: a larger body is cancelled
 * and either truncated (`truncate`) or refused with {@link BodyTooLargeError}. When `signal` aborts (a per-request
 * deadline, an interrupt) the read stops at once with the signal's reason, whatever the server is doing: a body
 * trickled at one byte a second cannot outlive the request's deadline.
 */
export async function readBodyBounded(response: FetchResponse, options: { maxBytes: number; signal?: AbortSignal | undefined; truncate?: boolean }): Promise<string> {
  const body = response.body;
  if (body === null) return '';
  const { signal } = options;
  if (signal?.aborted) {
    await body.cancel().catch(() => undefined);
    throw signal.reason;
  }
  const reader = body.getReader();
  // Bytes gathered and decoded once at the end: decoding chunk by chunk made a string per chunk and then joined
  // them, twice the page's size in short-lived strings for every page read.
  const parts: Uint8Array[] = [];
  let bytes = 0;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    for (;;) {
      const chunk = await Promise.race([reader.read(), aborted]);
      if (chunk.done) break;
      const value = chunk.value;
      if (bytes + value.byteLength > options.maxBytes) {
        if (options.truncate !== true) throw new BodyTooLargeError(options.maxBytes);
        parts.push(value.subarray(0, options.maxBytes - bytes));
        bytes = options.maxBytes;
        break;
      }
      bytes += value.byteLength;
      parts.push(value);
    }
    return new TextDecoder().decode(concatBytes(parts, bytes));
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  } finally {
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
    reader.cancel().catch(() => undefined);
  }
}

function concatBytes(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const all = new Uint8Array(total);
  let at = 0;
  for (let i = 0; i < parts.length; i += 1) {
    all.set(parts[i]!, at);
    at += parts[i]!.byteLength;
  }
  return all;
}

/** The largest body read by default: generous for any real page, spec or document, but bounded. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/**
 * Reads a body as text, at most `maxBytes` of it (the rest is dropped unread), or '' when the connection drops or
 * `signal` aborts while reading.
 */
export async function readBodyText(response: FetchResponse, maxBytes: number = DEFAULT_MAX_BODY_BYTES, signal?: AbortSignal): Promise<string> {
  try {
    return await readBodyBounded(response, { maxBytes, signal, truncate: true });
  } catch {
    return '';
  }
}

/** Discards a body without reading it. */
export async function discardBody(response: FetchResponse): Promise<void> {
  await response.body?.cancel().catch(() => undefined);
}

/** The status codes that redirect (`Location` says where). */
export const REDIRECT_STATUS = new Set([301, 302, 303, 307, 308]);
