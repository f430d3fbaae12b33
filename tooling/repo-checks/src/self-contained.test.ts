import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/*
 * A clone has nothing beside it: no file of the project may point outside the repository (a sibling folder of the
 * clone, or an absolute path of the machine it was written on). Paths of CI agents used as test data
 * (/home/vsts/work/…, /home/runner/work/…) are facts about those hosts, not references, and are not matched.
 */
const ROOT = join(import.meta.dirname, '..', '..', '..');

/** Patterns that mean "outside this clone". */
const OUTSIDE = [
  { name: 'a sibling folder of the clone', pattern: /\.\.\/shared\b/ },
  { name: 'an absolute path of the build machine', pattern: /(^|[\s'"`(=:])\/(work|root)\/[\w.-]/ },
  { name: 'a file URL of the build machine', pattern: /file:\/\/\/(work|root)\// },
];

/** Tracked files, text only; generated and vendored files aside. */
function trackedFiles(): string[] {
  const out = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' });
  return out
    .split('\0')
    .filter(Boolean)
    .filter((f) => !/(^|\/)(dist|node_modules)\//.test(f) && f !== 'pnpm-lock.yaml' && !f.startsWith('tooling/schemas/'))
    .filter((f) => !/\.(png|jpe?g|gif|ico|zip|vsix|tgz|woff2?)$/i.test(f));
}

describe('the repository is self-contained', () => {
  it('has no reference to a folder outside it and no absolute path of a build machine', () => {
    const hits: string[] = [];
    for (const file of trackedFiles()) {
      const lines = readFileSync(join(ROOT, file), 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const { name, pattern } of OUTSIDE) if (pattern.test(line)) hits.push(`${file}:${i + 1}: ${name}: ${line.trim().slice(0, 160)}`);
      });
    }
    expect(hits, `Files that reach outside the repository (a fresh clone has nothing there):\n${hits.join('\n')}`).toEqual([]);
  });

  it('finds the patterns it is meant to find', () => {
    // Built from parts, so this file does not itself hold what it looks for.
    const [up, sibling, work, root] = ['..', 'shared', 'work', 'root'];
    const samples = [`readFileSync('${up}/${sibling}/schemas/junit.xsd')`, `const p = '/${work}/main/x';`, `new URL("file:///${root}/a")`];
    for (const sample of samples) expect(OUTSIDE.some(({ pattern }) => pattern.test(sample)), sample).toBe(true);
    expect(OUTSIDE.some(({ pattern }) => pattern.test("'/home/vsts/work/1/a'"))).toBe(false);
  });
});
