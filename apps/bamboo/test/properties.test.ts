import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeProperty } from '../src/outputs';

// The variables file is read by Bamboo's "Inject Bamboo variables" task with java.util.Properties#load. Each value
// must come back exactly, on its own line, whatever it holds.
const HOSTILE: [string, string][] = [
  ['ends in a backslash', 'C:\\reports\\'],
  ['newlines', 'line one\nline two\r\nthree'],
  ['separators', 'a=b:c d'],
  ['comment marks', '#not a comment !nor this'],
  ['leading and trailing spaces', '  padded  '],
  ['tab and form feed', 'a\tb\fc'],
  ['control characters', 'nul\u0000bell\u0007esc\u001b'],
  ['Latin-1 and beyond', 'café – 東京 🚀'],
  ['an injected second variable', 'x\nexitCode=0'],
  ['empty', ''],
];

/** Properties#load, written from its Javadoc: logical lines, continuations, escapes and the key/value separator. */
function loadProperties(text: string): Map<string, string> {
  const result = new Map<string, string>();
  const physical = text.split(/\r\n|\r|\n/);
  for (let i = 0; i < physical.length; i += 1) {
    let line = physical[i]!.replace(/^[ \t\f]+/, '');
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    // A line ending in an odd number of backslashes continues on the next one.
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i + 1 < physical.length) {
      i += 1;
      line = line.slice(0, -1) + physical[i]!.replace(/^[ \t\f]+/, '');
    }
    let k = 0;
    let key = '';
    while (k < line.length && !/[=: \t\f]/.test(line[k]!)) {
      if (line[k] === '\\') k += 1;
      key += line[k] ?? '';
      k += 1;
    }
    while (k < line.length && /[ \t\f]/.test(line[k]!)) k += 1;
    if (line[k] === '=' || line[k] === ':') k += 1;
    while (k < line.length && /[ \t\f]/.test(line[k]!)) k += 1;
    result.set(unescape(key), unescape(line.slice(k)));
  }
  return result;
}

function unescape(text: string): string {
  return text.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
    if (e.startsWith('u') && e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[e] ?? e;
  });
}

const file = HOSTILE.map(([name, value], i) => `${escapeProperty(`k${i} ${name}`, true)}=${escapeProperty(value, false)}`).join('\n') + '\n';

describe('escapeProperty (the variables file for "Inject Bamboo variables")', () => {
  it('keeps every line printable ASCII, one line per variable', () => {
    expect(file.split('\n').filter(Boolean)).toHaveLength(HOSTILE.length);
    expect(/^[\x20-\x7e\n]*$/.test(file)).toBe(true);
    expect(escapeProperty('C:\\reports\\', false)).toBe('C\\:\\\\reports\\\\');
    expect(escapeProperty('café', false)).toBe('caf\\u00E9');
    expect(escapeProperty('🚀', false)).toBe('\\uD83D\\uDE80');
    expect(escapeProperty(' a', false)).toBe('\\ a');
  });

  it('round-trips through the Properties#load rules', () => {
    const loaded = loadProperties(file);
    HOSTILE.forEach(([name, value], i) => expect(loaded.get(`k${i} ${name}`), name).toBe(value));
    expect(loaded.size).toBe(HOSTILE.length);
  });

  // Java 11+ runs a single source file directly; this is the loader Bamboo itself uses.
  const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
  it.runIf(java.status === 0)('round-trips through java.util.Properties#load (when a JDK is on PATH)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ias-props-'));
    writeFileSync(join(dir, 'vars.properties'), file, 'latin1');
    writeFileSync(
      join(dir, 'Load.java'),
      [
        'import java.io.*; import java.util.*;',
        'public class Load { public static void main(String[] a) throws Exception {',
        '  Properties p = new Properties(); try (InputStream in = new FileInputStream(a[0])) { p.load(in); }',
        // Each key and value as UTF-16 code units in hex, so no character can be lost on the way back.
        '  for (String k : p.stringPropertyNames()) System.out.println(hex(k) + "=" + hex(p.getProperty(k))); }',
        '  static String hex(String s) { StringBuilder b = new StringBuilder(); for (char c : s.toCharArray()) b.append(String.format("%04x", (int) c)); return b.toString(); } }',
      ].join('\n'),
    );
    const run = spawnSync('java', [join(dir, 'Load.java'), join(dir, 'vars.properties')], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const fromHex = (hex: string): string => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((unit) => parseInt(unit, 16)));
    const loaded = new Map(run.stdout.trim().split('\n').map((line) => line.split('=').map(fromHex) as [string, string]));
    HOSTILE.forEach(([name, value], i) => expect(loaded.get(`k${i} ${name}`), name).toBe(value));
    expect(loaded.size).toBe(HOSTILE.length);
  }, 30_000);
});
