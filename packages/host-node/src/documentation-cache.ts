import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DocumentationCache } from '@ias/core';

/**
 * Core's documentation cache as files under `folder`: one small JSON file per entry, named by the SHA-256 of the
 * key, because keys carry ids from the API and must never become a path. Writes go to a temporary file renamed
 * into place, so parallel runs sharing the folder never read half an entry. Core checks age and content.
 */
export function createDocumentationCache(folder: string): DocumentationCache {
  const dir = join(folder, 'rule-docs');
  const file = (key: string): string => join(dir, `${createHash('sha256').update(key).digest('hex')}.json`);
  let made: Promise<unknown> | undefined;
  return {
    async read(key) {
      try {
        return await readFile(file(key), 'utf8');
      } catch (error) {
        if ((error as { code?: unknown }).code === 'ENOENT') return undefined;
        throw error;
      }
    },
    async write(key, text) {
      made ??= mkdir(dir, { recursive: true });
      await made;
      const target = file(key);
      const temporary = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
      try {
        await writeFile(temporary, text, 'utf8');
        await rename(temporary, target);
      } catch (error) {
        await rm(temporary, { force: true });
        throw error;
      }
    },
  };
}

/**
 * `{ documentationCache }` for core's effects, kept in `<folder>/ias-ci` (the host's tool cache), or nothing when the
 * host has no such folder: every run then fetches the documentation it needs.
 */
export function documentationCacheIn(folder: string | undefined): { documentationCache?: DocumentationCache } {
  return folder === undefined || folder === '' ? {} : { documentationCache: createDocumentationCache(join(folder, 'ias-ci')) };
}
