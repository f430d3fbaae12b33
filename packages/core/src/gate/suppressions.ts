/**
 * Suppressions: reviewed exceptions to the gate, read from a YAML or JSON file. A suppressed finding is still
 * reported but never fails the gate. The file format is in gate/README.md.
 */
import type { Node, Pair } from 'yaml';
import { isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument } from 'yaml';
import type { Vulnerability } from '../api/schemas';
import { ConfigError } from '../errors';
import { findingFingerprint } from './fingerprint';

/** What one suppression entry matches. */
export type SuppressionMatcher =
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'fingerprint'; readonly fingerprint: string }
  | { readonly kind: 'module'; readonly module: string; readonly url: string };

/** One entry of a suppressions file. */
export interface SuppressionEntry {
  /** The entry's position in the file's list, from 1. */
  readonly entry: number;
  /** The line the entry starts on, from 1. */
  readonly line: number;
  readonly reason: string;
  /** The last day (UTC) the entry suppresses, `YYYY-MM-DD`, when it has one. */
  readonly expires: string | undefined;
  /** True when `expires` had passed when the file was read; such an entry matches nothing. */
  readonly expired: boolean;
  readonly matcher: SuppressionMatcher;
}

/** The entry that suppressed a finding. */
export interface SuppressionMatch {
  readonly reason: string;
  /** The entry's position in the file's list, from 1. */
  readonly entry: number;
  /** The line the entry starts on, from 1. */
  readonly line: number;
}

/** What {@link Suppressions.match} knows about a finding beyond its JSON. */
export interface SuppressionMatchOptions {
  /** The finding's {@link findingFingerprint}. @default computed from the finding */
  fingerprint?: string | undefined;
  /** The name of the module of the finding's first variance, for entries that name a module by name. */
  moduleName?: string | undefined;
}

/** Parsed suppressions; they remember which entries matched, for {@link Suppressions.unused}. */
export interface Suppressions {
  /** The file, as given. */
  readonly source: string;
  readonly entries: readonly SuppressionEntry[];
  /** The first unexpired entry that matches the finding, or undefined. */
  match(vulnerability: Vulnerability, options?: SuppressionMatchOptions): SuppressionMatch | undefined;
  /** Unexpired entries that matched no finding so far: candidates for removal. */
  unused(): SuppressionEntry[];
}

/** The outcome of {@link parseSuppressions}: warnings name expired entries and an empty file. */
export interface ParseSuppressionsResult {
  suppressions: Suppressions;
  warnings: string[];
}

const KEYS = ['id', 'fingerprint', 'module', 'url', 'reason', 'expires'] as const;
const DAY_MS = 86_400_000;
const FORMAT_HINT = 'each entry needs a reason and one of id, fingerprint, or module with url';

function isKnownKey(key: string): key is (typeof KEYS)[number] {
  return (KEYS as readonly string[]).includes(key);
}

/** The end of a `YYYY-MM-DD` day in UTC (epoch ms), or undefined for an impossible date. */
function endOfDay(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const [, y, m, d] = match;
  const start = Date.UTC(Number(y), Number(m) - 1, Number(d));
  const date = new Date(start);
  if (date.getUTCFullYear() !== Number(y) || date.getUTCMonth() !== Number(m) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  return start + DAY_MS;
}

/** A URL pattern as a predicate: `/regex/` (or `/regex/i`) searched in the URL, else a glob where `*` is any text. */
function compileUrlPattern(pattern: string): ((url: string) => boolean) | string {
  const regex = /^\/(.+)\/(i?)$/s.exec(pattern);
  if (regex !== null) {
    try {
      const compiled = new RegExp(regex[1] ?? '', regex[2] === 'i' ? 'iu' : 'u');
      return (url) => compiled.test(url);
    } catch (error) {
      return `the url pattern ${pattern} is not a valid regular expression (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  const body = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  const glob = new RegExp(`^${body}$`, 'su');
  return (url) => glob.test(url);
}

class FileReader {
  readonly lines = new LineCounter();

  constructor(
    private readonly text: string,
    private readonly source: string,
  ) {}

  lineOf(node: Node | Pair | null | undefined): number {
    if (node === null || node === undefined) return 1;
    const range = isPair(node) ? (isNode(node.key) ? node.key.range : undefined) : node.range;
    return range === undefined || range === null ? 1 : this.lines.linePos(range[0]).line;
  }

  fail(line: number, problem: string, fix: string): never {
    const lineText = this.text.split(/\r?\n/)[line - 1] ?? '';
    throw new ConfigError(`The suppressions file ${this.source} is invalid at line ${line}: ${problem}; ${fix}.`, [
      { path: `${this.source}:${line}`, message: problem, detail: `${line} | ${lineText}` },
    ]);
  }
}

/**
 * Reads a suppressions file, YAML or JSON: a list of entries, or an object `{ suppressions: [...] }`. Each entry
 * has a required `reason`, an optional `expires` date (`YYYY-MM-DD`, the last UTC day it applies) and exactly
 * one matcher: `id` (a vulnerability id), `fingerprint` (see {@link findingFingerprint}), or `module` (a module
 * name or id) together with `url` (a glob where `*` matches any text, matched against the whole
 * `root_cause.url`, or a regular expression written `/…/` or `/…/i`, searched in it).
 * An entry whose expiry date has passed at `now` gives a warning and suppresses nothing.
 * @param source the file's name as the user gave it, for messages.
 * @param now the current time in epoch milliseconds (expiry is checked against it).
 * @throws {ConfigError} code `CONFIG_INVALID` naming the file and the line of the problem, and the fix.
 */
export function parseSuppressions(text: string, source: string, now: number): ParseSuppressionsResult {
  const reader = new FileReader(text, source);
  const doc = parseDocument(text.replace(/^\uFEFF/, ''), { lineCounter: reader.lines, prettyErrors: false });
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const line = reader.lines.linePos(syntax.pos[0]).line;
    reader.fail(line, `${syntax.message.split('\n')[0]?.replace(/[.:]\s*$/, '') ?? 'syntax error'}`, 'fix the YAML (or JSON) syntax there');
  }
  const warnings: string[] = [];
  let list: Node | null = doc.contents;
  if (isMap(list)) {
    const map = list;
    list = null;
    for (const pair of map.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key !== 'suppressions') {
        reader.fail(reader.lineOf(pair), `unknown top-level key ${key === '' ? '(not text)' : key}`, 'put the entries in a list, either at the top level or under a suppressions key');
      }
      list = pair.value as Node | null;
    }
    if (list === null || (isScalar(list) && list.value === null)) list = null;
  }
  const entries: SuppressionEntry[] = [];
  if (list === null || (isScalar(list) && list.value === null)) {
    warnings.push(`The suppressions file ${source} holds no suppressions; add entries or stop passing the file.`);
  } else if (!isSeq(list)) {
    reader.fail(reader.lineOf(list), 'the file is not a list of suppressions', `write a list of entries (- reason: …), where ${FORMAT_HINT}`);
  } else {
    for (const [index, item] of list.items.entries()) {
      const entry = readEntry(reader, item as Node | null, index + 1, now);
      entries.push(entry);
      if (entry.expired) {
        warnings.push(
          `Suppression entry ${entry.entry} (line ${entry.line}) in ${source} expired on ${entry.expires ?? ''} and no longer suppresses; renew its expires date or remove it.`,
        );
      }
    }
  }
  return { suppressions: createSuppressions(source, entries), warnings };
}

function readEntry(reader: FileReader, node: Node | null, number: number, now: number): SuppressionEntry {
  const line = reader.lineOf(node);
  if (!isMap(node)) reader.fail(line, `entry ${number} is not a mapping of keys to values`, `write it as key: value lines, where ${FORMAT_HINT}`);
  const values = new Map<(typeof KEYS)[number], { text: string; line: number }>();
  for (const pair of node.items) {
    const keyLine = reader.lineOf(pair);
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (!isKnownKey(key)) reader.fail(keyLine, `entry ${number} has an unknown key ${key === '' ? '(not text)' : key}`, `use only ${KEYS.join(', ')}`);
    const value = pair.value as Node | null;
    if (!isScalar(value) || (typeof value.value !== 'string' && typeof value.value !== 'number') || String(value.value).trim() === '') {
      reader.fail(keyLine, `the ${key} of entry ${number} is empty or not text`, key === 'expires' ? "write a date such as '2026-12-31'" : `give ${key} a text value`);
    }
    values.set(key, { text: String(value.value).trim(), line: keyLine });
  }
  const reason = values.get('reason');
  if (reason === undefined) reader.fail(line, `entry ${number} has no reason`, 'add a reason saying why the finding is accepted (it is required)');
  const expires = values.get('expires');
  let expired = false;
  if (expires !== undefined) {
    const end = endOfDay(expires.text);
    if (end === undefined) reader.fail(expires.line, `the expires date ${expires.text} of entry ${number} is not a date`, "write it as YYYY-MM-DD, such as '2026-12-31'");
    expired = now >= end;
  }
  const matchers = (['id', 'fingerprint', 'module'] as const).filter((key) => values.has(key));
  const url = values.get('url');
  if (matchers.length !== 1) {
    reader.fail(line, matchers.length === 0 ? `entry ${number} matches nothing` : `entry ${number} has more than one matcher (${matchers.join(', ')})`, `give it exactly one of id, fingerprint, or module with url (split it into several entries if needed)`);
  }
  let matcher: SuppressionMatcher;
  const kind = matchers[0];
  const value = (kind === undefined ? undefined : values.get(kind)) ?? { text: '', line };
  if (kind !== 'module' && url !== undefined) reader.fail(url.line, `entry ${number} has a url but no module`, "add the module the url applies to, or remove the url (use url: '*' with a module for every URL)");
  switch (kind) {
    case 'id':
      matcher = { kind: 'id', id: value.text.toLowerCase() };
      break;
    case 'fingerprint':
      if (!/^[0-9a-f]{16}$/i.test(value.text)) reader.fail(value.line, `the fingerprint ${value.text} of entry ${number} is not 16 hex digits`, 'copy the fingerprint from a report of this tool');
      matcher = { kind: 'fingerprint', fingerprint: value.text.toLowerCase() };
      break;
    default: {
      if (url === undefined) reader.fail(line, `entry ${number} names a module but no url`, "add a url pattern (url: '*' for every URL of the module)");
      const compiled = compileUrlPattern(url.text);
      if (typeof compiled === 'string') reader.fail(url.line, compiled, 'fix the expression, or write a glob where * matches any text');
      matcher = { kind: 'module', module: value.text, url: url.text };
      break;
    }
  }
  return { entry: number, line, reason: reason.text, expires: expires?.text, expired, matcher };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function moduleIdsOf(vulnerability: Vulnerability): string[] {
  const variances: unknown = vulnerability.variances;
  if (!Array.isArray(variances)) return [];
  return variances.flatMap((variance: unknown) => {
    const module = isRecord(variance) ? variance['module'] : undefined;
    const id = isRecord(module) ? module['id'] : undefined;
    return typeof id === 'string' ? [id.toLowerCase()] : [];
  });
}

function createSuppressions(source: string, entries: readonly SuppressionEntry[]): Suppressions {
  const used = new Set<number>();
  const tests = entries.map((entry): ((vulnerability: Vulnerability, options: SuppressionMatchOptions) => boolean) => {
    const matcher = entry.matcher;
    switch (matcher.kind) {
      case 'id':
        return (vulnerability) => vulnerability.id.toLowerCase() === matcher.id;
      case 'fingerprint':
        return (vulnerability, options) => (options.fingerprint ?? findingFingerprint(vulnerability)).toLowerCase() === matcher.fingerprint;
      case 'module': {
        const compiled = compileUrlPattern(matcher.url);
        const urlMatches = typeof compiled === 'string' ? () => false : compiled;
        const wanted = matcher.module.toLowerCase();
        return (vulnerability, options) => {
          const url = vulnerability.root_cause?.url;
          if (typeof url !== 'string' || !urlMatches(url)) return false;
          return options.moduleName?.trim().toLowerCase() === wanted || moduleIdsOf(vulnerability).includes(wanted);
        };
      }
    }
  });
  return {
    source,
    entries,
    match(vulnerability, options = {}) {
      for (const [index, entry] of entries.entries()) {
        if (entry.expired) continue;
        if (tests[index]?.(vulnerability, options) === true) {
          used.add(index);
          return { reason: entry.reason, entry: entry.entry, line: entry.line };
        }
      }
      return undefined;
    },
    unused() {
      return entries.filter((entry, index) => !entry.expired && !used.has(index));
    },
  };
}
