import type { Vulnerability } from '../api/schemas';
import { vulnerabilitySchema } from '../api/schemas';
import { ConfigError } from '../errors';

/** Where a position in a text falls, both 1-based. */
export interface TextPosition {
  line: number;
  column: number;
}

/** The 1-based line and column of a 0-based offset in `text`. */
export function positionAt(text: string, offset: number): TextPosition {
  const before = text.slice(0, Math.max(0, Math.min(offset, text.length)));
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: before.length - lineStart + 1 };
}

/** Where JSON.parse stopped, from its message (V8 names the offset), if it says. */
function jsonProblem(text: string, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (text.trim() === '') return 'the file is empty';
  if (/unexpected end of json input/i.test(message)) return 'the text ends too early (the file looks truncated)';
  const offset = /at position (\d+)/.exec(message)?.[1];
  const what = (message.split(/ in JSON| at position|,\s*"/)[0] ?? message).trim().replace(/\.$/, '');
  if (offset === undefined) return what.charAt(0).toLowerCase() + what.slice(1);
  const { line, column } = positionAt(text, Number(offset));
  return `${what.charAt(0).toLowerCase()}${what.slice(1)} at line ${line}, column ${column}`;
}

/**
 * Reads a findings report: a JSON array of vulnerabilities as the API returns them, such as the
 * `insightappsec-scan-findings.json` an earlier run wrote. Each entry needs a text `id` and `severity`;
 * every other field is optional and unknown fields are kept.
 * @param role how messages name the file, e.g. `baseline` or `findings report`.
 * @throws {ConfigError} code `CONFIG_INVALID` naming the file, the line and column (malformed JSON) or the
 * entry (not a vulnerability), and what to pass instead.
 */
export function parseFindingsReport(text: string, source: string, role = 'findings report'): Vulnerability[] {
  const fix = 'pass the insightappsec-scan-findings.json that an earlier run wrote, unchanged';
  let data: unknown;
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (error) {
    const problem = jsonProblem(text, error);
    throw new ConfigError(`The ${role} ${source} is not valid JSON (${problem}); ${fix}.`, [{ path: source, message: `not valid JSON: ${problem}` }], { cause: error });
  }
  if (!Array.isArray(data)) {
    const found = data === null ? 'null' : typeof data === 'object' ? 'a JSON object' : `a JSON ${typeof data}`;
    throw new ConfigError(`The ${role} ${source} holds ${found}, not an array of vulnerabilities; ${fix}.`, [{ path: source, message: `expected a JSON array, found ${found}` }]);
  }
  const findings: Vulnerability[] = [];
  for (const [index, entry] of data.entries()) {
    const parsed = vulnerabilitySchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue === undefined || issue.path.length === 0 ? 'the entry' : `field ${issue.path.map(String).join('.')}`;
      const problem = typeof entry !== 'object' || entry === null || Array.isArray(entry) ? 'it is not a JSON object' : `${field}: ${issue?.message ?? 'invalid'}`;
      throw new ConfigError(`Entry ${index + 1} of the ${role} ${source} is not a vulnerability (${problem}); ${fix}.`, [{ path: `${source}[${index}]`, message: problem }]);
    }
    findings.push(parsed.data);
  }
  return findings;
}
