/**
 * What other modules need from the HTML report, apart from its builder so that the builder is loaded only when a run
 * asks for HTML.
 */

/** The HTML report file name. */
export const HTML_FILE_NAME = 'insightappsec-scan-report.html';

const HTML_DROPPED = /[^\t\n\r\u0020-\u007E\u0080-\u{10FFFF}]/gu;
// The same characters as HTML_DROPPED, tested without the (slower) Unicode mode: surrogates fall in \u0080-\uFFFF.
const HTML_DROPPED_ANY = /[^\t\n\r\u0020-\u007E\u0080-\uFFFF]/;
const HTML_SPECIAL_ANY = /[&<>"']/;

/** Escapes text for HTML element content and quoted attribute values; controls other than whitespace are dropped. */
export function escapeHtml(text: string): string {
  // Most texts need nothing: two tests, and the text itself back. `&` goes first, so no escape is escaped twice.
  const kept = HTML_DROPPED_ANY.test(text) ? text.replace(HTML_DROPPED, '') : text;
  if (!HTML_SPECIAL_ANY.test(kept)) return kept;
  return kept.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}
