import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDocumentationCache } from './documentation-cache';
import { userCacheFolder } from './user-cache-folder';

const folders: string[] = [];
const folder = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'ias-doc-cache-'));
  folders.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of folders.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('createDocumentationCache', () => {
  it('keeps text between instances, under file names that never come from the key', async () => {
    const dir = folder();
    const key = 'attack-documentation/v1/../../etc/passwd/<script>';
    await createDocumentationCache(dir).write(key, '{"a":1}');
    expect(await createDocumentationCache(dir).read(key)).toBe('{"a":1}');
    expect(await createDocumentationCache(dir).read('other')).toBeUndefined();
    expect(readdirSync(join(dir, 'rule-docs'))).toEqual([expect.stringMatching(/^[0-9a-f]{64}\.json$/)]);
  });

  it('reports a folder it cannot create or read as an error, for core to warn about once', async () => {
    const dir = folder();
    writeFileSync(join(dir, 'rule-docs'), 'a file where the folder should be');
    const cache = createDocumentationCache(dir);
    await expect(cache.write('k', 'v')).rejects.toMatchObject({ code: expect.stringMatching(/^E/) });
    await expect(cache.read('k')).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});

describe('userCacheFolder', () => {
  it('follows XDG_CACHE_HOME, else ~/.cache', () => {
    expect(userCacheFolder({ XDG_CACHE_HOME: '/var/cache/me' }, () => '/home/me')).toBe('/var/cache/me/ias-ci');
    expect(userCacheFolder({ XDG_CACHE_HOME: 'relative' }, () => '/home/me')).toBe('/home/me/.cache/ias-ci');
    expect(userCacheFolder({}, () => '/home/me')).toBe('/home/me/.cache/ias-ci');
    expect(userCacheFolder({}, () => '')).toBeUndefined();
  });
});
