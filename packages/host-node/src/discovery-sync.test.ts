import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock, silentLogger } from '@ias/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFolderDiscoveryFiles, runDiscoverySync } from './discovery-sync';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ias-discovery-sync-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('discovery on a CI host', () => {
  it('keeps every file inside the inventory folder', async () => {
    const files = createFolderDiscoveryFiles(join(dir, 'apim'));
    await files.writeText('specs/a/b.json', '{}');
    expect(await readFile(join(dir, 'apim/specs/a/b.json'), 'utf8')).toBe('{}');
    expect(await files.readText('missing.json')).toBeUndefined();
    await expect(files.writeText('../escape.json', 'x')).rejects.toThrow(/outside/);
    await expect(files.readText('/etc/passwd')).rejects.toThrow(/outside/);
  });

  it('turns an unset secret variable of a sources file into a config error naming the variable, before any request', async () => {
    const sources = join(dir, 'sources.yaml');
    await writeFile(sources, 'sources:\n  - name: prod\n    tenantId: 11111111-1111-4111-8111-111111111111\n    clientId: 22222222-2222-4222-8222-222222222222\n    clientSecretEnv: PROD_SECRET\n');
    let requests = 0;
    const result = await runDiscoverySync(
      { out: join(dir, 'apim'), sourcesFile: sources, tool: 'test' },
      {
        fetch: async () => {
          requests += 1;
          return new Response('{}');
        },
        clock: systemClock,
        logger: silentLogger,
        readVariable: () => undefined,
      },
    );
    expect(result.outcome).toMatchObject({ exitCode: 2, result: 'config-error', message: expect.stringMatching(/reads its client secret from PROD_SECRET, which is not set/) });
    expect(requests).toBe(0);
  });
});
