import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';

/** Every file below `dir` as text, keyed by its path relative to `dir` (forward slashes). */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(dir, path).split('\\').join('/'), await readFile(path, 'utf8'));
  }
  return files;
}
