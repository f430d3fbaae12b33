/**
 * What other modules need from the HTML report, apart from its builder so that the builder is loaded only when a run
 * asks for HTML.
 */

/** The HTML report file name. */
export const HTML_FILE_NAME = 'insightappsec-scan-report.html';

const HTML_DROPPED = /[^\t\n\r\u0020-\u007E\u0080-\u{10FFFF}]/gu;
const HTML_SPECIAL = /[&<>"']/g;
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values; controls other than whitespace are dropped. */
export function escapeHtml(text: string): string {
  return text.replace(HTML_DROPPED, '').replace(HTML_SPECIAL, (c) => HTML_ESCAPES[c] ?? c);
}
