import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { zipFiles } from './zip-files';

/** Reads a zip through its central directory, the way unzip tools do. */
function readZip(zip: Buffer): Map<string, string> {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files = new Map<string, string>();
  for (let i = 0; i < count; i += 1) {
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    files.set(name, inflateRawSync(zip.subarray(start, start + size)).toString('utf8'));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files;
}

describe('zipFiles', () => {
  it('writes an archive whose entries read back unchanged', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zip-'));
    await writeFile(join(dir, 'a.json'), '{"metrics":{}}');
    await writeFile(join(dir, 'b.md'), '# Summary\n'.repeat(100));
    await zipFiles(join(dir, 'out.zip'), [
      { name: 'a.json', path: join(dir, 'a.json') },
      { name: 'reports\\b.md', path: join(dir, 'b.md') },
    ]);
    const files = readZip(await readFile(join(dir, 'out.zip')));
    expect([...files.keys()]).toEqual(['a.json', 'reports/b.md']);
    expect(files.get('a.json')).toBe('{"metrics":{}}');
    expect(files.get('reports/b.md')).toBe('# Summary\n'.repeat(100));
  });

  it('streams a file of several megabytes, with the CRC and sizes unzip tools check', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zip-'));
    const big = Array.from({ length: 60_000 }, (_, i) => `{"id":"${i}","url":"https://shop.example.test/item/${(i * 7919) % 100_003}"}`).join('\n');
    await writeFile(join(dir, 'findings.json'), big);
    await zipFiles(join(dir, 'out.zip'), [{ name: 'findings.json', path: join(dir, 'findings.json') }]);
    const zip = await readFile(join(dir, 'out.zip'));
    expect(readZip(zip).get('findings.json')).toBe(big);
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    expect(zip.readUInt32LE(central + 16)).toBe(crc32(Buffer.from(big)));
    expect(zip.readUInt32LE(central + 24)).toBe(Buffer.byteLength(big));
  });

  it('rejects when a file is missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'zip-'));
    await expect(zipFiles(join(dir, 'out.zip'), [{ name: 'gone.json', path: join(dir, 'gone.json') }])).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
