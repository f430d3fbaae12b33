import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { version } from '../package.json';
import { CLI, runCli } from './spawn-cli';

// The built CLI is an entry and chunks: a lone `--version` loads the entry and its static imports only; `--help` adds
// the program, start.ts's chunk and its static imports; each command's code is a chunk its action loads. An import that drags a package's whole index back into the entry
// (core's zod and yaml, host-node's transports) shows here as a jump of the start-up bytes.

const IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

/** The files a bundle file loads, transitively: statically imported ones only, or with `import()` too. */
function reach(entry: string, dynamic: boolean): string[] {
  const files: string[] = [];
  const visit = (file: string): void => {
    if (files.includes(file)) return;
    files.push(file);
    for (const match of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (!dynamic && match[0].includes('(')) continue;
      visit(join(dirname(file), match[1] as string));
    }
  };
  visit(entry);
  return files;
}

const bytes = (files: string[]): number => files.reduce((sum, f) => sum + statSync(f).size, 0);

describe('the built CLI bundle', () => {
  it('holds no path of the machine that built it (the split build resolves imports to absolute paths)', () => {
    const root = join(dirname(CLI), '..', '..', '..');
    for (const file of reach(CLI, true)) expect(readFileSync(file, 'utf8'), file).not.toContain(root);
  });

  it('starts with a shebang and is executable; its chunks have neither', () => {
    expect(readFileSync(CLI, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(statSync(CLI).mode & 0o111).not.toBe(0);
    for (const chunk of readdirSync(dirname(CLI)).filter((f) => f.endsWith('.js') && join(dirname(CLI), f) !== CLI)) {
      expect(readFileSync(join(dirname(CLI), chunk), 'utf8').startsWith('#!'), chunk).toBe(false);
    }
  });

  it('answers a lone version flag from a few KB; the program (commander, the option catalogue) loads under 150 KB', () => {
    const version = reach(CLI, false);
    expect(bytes(version)).toBeLessThan(5_000);
    const program = /\bimport\(\s*["'](\.\/start-[^"']+)["']/.exec(readFileSync(CLI, 'utf8'));
    expect(program, 'the entry loads start.ts with import()').not.toBeNull();
    const start = [...new Set([...version, ...reach(join(dirname(CLI), program?.[1] as string), false)])];
    const all = reach(CLI, true);
    expect(bytes(start)).toBeLessThan(150_000);
    expect(bytes(all)).toBeGreaterThan(4 * bytes(start));
    // Every file in dist/ is one the entry can load: nothing stale from an earlier build is shipped.
    expect(readdirSync(dirname(CLI)).map((f) => join(dirname(CLI), f)).sort()).toEqual([...all].sort());
  });

  it.each([[['--version']], [['-V']], [['--version', '--version']], [['-V', 'scan']]])('answers %j with the package version', async (argv) => {
    const run = await runCli(argv, {});
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${version}\n`);
    expect(run.stderr).toBe('');
  });
});
