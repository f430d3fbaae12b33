/**
 * Text that reaches a log line or a host command. Scan data is hostile: a finding's parameter, a failure reason,
 * an event text or an application name comes from the scanned application or the server, and a CI host reads
 * its log as a command channel. The GitHub runner runs `::command::` when it starts a line (after leading white
 * space) and the legacy `##[command]` anywhere in a line; the Azure Pipelines agent runs `##vso[command]` anywhere
 * in a line; a terminal obeys ANSI escapes and a carriage return rewrites the line shown. So scan-derived text is
 * made inert here, once, for every host: control characters become visible escapes (`\n`, `\r`, `\x1b`, `\u2028`),
 * command markers lose their meaning, and no line can begin with `::` or `##`.
 */

import type { Logger } from './effects';
import { redactSecrets } from './errors';

// C0 controls (tab aside), DEL, C1 controls (NEL, CSI…), the Unicode line and paragraph separators, the bidi
// embedding/override/isolate controls (text that reads differently than it is), and lone surrogates.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
// The same, keeping line feeds: whole log messages may span lines on purpose (a query with a caret under it).
// eslint-disable-next-line no-control-regex
const UNSAFE_KEEP_LF = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\u001b': '\\x1b', '\u0000': '\\0' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named !== undefined) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Breaks the markers hosts look for inside a line: `##vso[` (Azure Pipelines) and `##[` (GitHub's legacy form). */
function defuseMarkers(text: string): string {
  return text.replace(/##(?=vso\[|\[)/gi, '#\\x23');
}

/** Makes a line that would start (after white space) with `::` or `##` start with a visible escape instead. */
function defuseLineStart(line: string): string {
  return line.replace(/^(\s*)([:#])(?=\2)/, (_m, space: string, c: string) => `${space}${c === ':' ? '\\x3a' : '\\x23'}`);
}

/**
 * Escapes one piece of scan-derived text (a finding field, a status, a failure reason, a name) for a log line:
 * the result is a single line with every control character, ANSI escape and lone surrogate shown as an escape,
 * no host command marker, and no `::`/`##` at its start. Idempotent in effect: escaping twice is still inert.
 */
export function escapeLogText(text: string): string {
  return defuseLineStart(defuseMarkers(text.replace(UNSAFE, escapeChar)));
}

/**
 * The last line of defence for a whole log message, applied by every logger: line feeds the message has on
 * purpose stay, but each of its lines has its control characters (carriage returns and ANSI escapes included)
 * escaped, no host command marker, and no `::`/`##` at its start. Text the adapter itself adds around the message
 * (its own commands, colours) is added after this.
 */
export function sanitizeLogMessage(message: string): string {
  return defuseMarkers(message.replace(UNSAFE_KEEP_LF, escapeChar))
    .split('\n')
    .map(defuseLineStart)
    .join('\n');
}

/**
 * Replaces lone surrogates (text no UTF-8 encoder can write, which `encodeURIComponent` refuses with a URIError)
 * with U+FFFD, so an identifier from the server can always be sent back, hashed and written.
 */
export function toWellFormedText(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

/**
 * Wraps a host's logger so every message is redacted (the given secrets become `***`) and sanitised by
 * {@link sanitizeLogMessage} before the host sees it: core's own defence, whatever the adapter does on top.
 */
export function createSafeLogger(logger: Logger, secrets: readonly (string | undefined)[]): Logger {
  const clean = (message: string): string => sanitizeLogMessage(redactSecrets(message, secrets));
  return {
    debug: (m) => logger.debug(clean(m)),
    info: (m) => logger.info(clean(m)),
    warn: (m) => logger.warn(clean(m)),
    error: (m) => logger.error(clean(m)),
  };
}
