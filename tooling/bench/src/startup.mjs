/* global process */
// The start-up half of the benchmark: `ias --version` beside `node -e 0`, and what a bundle can load. bench.mjs
// reports both; they need no simulator.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';

const median = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  return (sorted[(sorted.length - 1) >> 1] + sorted[sorted.length >> 1]) / 2;
};

function wallTime(args) {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`node ${args.join(' ')} exited ${code}`))));
  });
}

/**
 * Wall times of `node <cli> --version` and of `node -e 0`, `runs` of each, taken in turns so that both see the same
 * load of a shared machine; with their medians and what the CLI costs over Node's own start-up (the difference).
 */
export async function versionTimes(cli, runs) {
  const version = [];
  const node = [];
  for (let i = 0; i < runs; i += 1) {
    version.push(await wallTime([cli, '--version']));
    node.push(await wallTime(['-e', '0']));
  }
  const result = { version: { median: median(version), times: version }, node: { median: median(node), times: node } };
  return { ...result, overNode: result.version.median - result.node.median };
}

/** Relative specifiers of the modules a bundle file imports, statically or with `import()` (esbuild's output). */
const RELATIVE_IMPORT = /(?:\bfrom|\bimport)\s*\(?\s*["'](\.{1,2}\/[^"']+)["']/g;

/**
 * Every JavaScript file a bundle can load: the entry and, for a split bundle, each chunk it imports statically or
 * with `import()`, transitively. `undefined` when the entry is not built.
 * @returns the files (entry first) with their sizes in bytes, and the total
 */
export function bundleFiles(entry) {
  if (!existsSync(entry)) return undefined;
  const files = [];
  const visit = (file) => {
    if (files.some((f) => f.file === file)) return;
    files.push({ file, bytes: statSync(file).size });
    for (const match of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      const next = join(dirname(file), match[1]);
      if (existsSync(next)) visit(next);
    }
  };
  visit(entry);
  return { files, bytes: files.reduce((sum, f) => sum + f.bytes, 0) };
}
