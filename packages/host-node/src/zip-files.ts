import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { createDeflateRaw } from 'node:zlib';

/** One file to put in a zip: its name inside the archive and where it is on disk. */
export interface ZipEntry {
  name: string;
  path: string;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n += 1) {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Continues a CRC-32 over `data` (start with 0). */
function crc32(crc: number, data: Uint8Array): number {
  let c = ~crc >>> 0;
  for (const byte of data) c = (CRC_TABLE[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8);
  return ~c >>> 0;
}

/** Writes `chunk`, waiting for the stream to drain when its buffer is full. */
async function put(out: WriteStream, chunk: Uint8Array): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * Writes a zip archive of `entries` to `zipPath` (deflated, no zip64: for report bundles, not for gigabytes).
 * Hosts without an artifact store (Azure DevOps release pipelines) attach it as one file. Each file is streamed
 * through the compressor, its CRC and sizes following in a data descriptor, so memory stays flat however large
 * the reports are.
 */
export async function zipFiles(zipPath: string, entries: readonly ZipEntry[]): Promise<void> {
  const out = createWriteStream(zipPath);
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  failed.catch(() => undefined);
  const work = async (): Promise<void> => {
    const centrals: Buffer[] = [];
    let offset = 0;
    for (const entry of entries) {
      const name = Buffer.from(entry.name.replace(/\\/g, '/'), 'utf8');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x0808, 6); // UTF-8 names; CRC and sizes in the data descriptor
      local.writeUInt16LE(8, 8);
      local.writeUInt16LE(name.length, 26);
      await put(out, local);
      await put(out, name);
      let crc = 0;
      let size = 0;
      let compressedSize = 0;
      const deflate = createDeflateRaw();
      const source = createReadStream(entry.path);
      source.on('data', (chunk) => {
        const bytes = chunk as Buffer;
        crc = crc32(crc, bytes);
        size += bytes.length;
      });
      source.on('error', (error) => deflate.destroy(error));
      source.pipe(deflate);
      for await (const chunk of deflate as AsyncIterable<Buffer>) {
        compressedSize += chunk.length;
        await put(out, chunk);
      }
      const descriptor = Buffer.alloc(16);
      descriptor.writeUInt32LE(0x08074b50, 0);
      descriptor.writeUInt32LE(crc, 4);
      descriptor.writeUInt32LE(compressedSize, 8);
      descriptor.writeUInt32LE(size, 12);
      await put(out, descriptor);
      const central = Buffer.alloc(46);
      central.writeUInt32LE(0x02014b50, 0);
      central.writeUInt16LE(20, 4);
      central.writeUInt16LE(20, 6);
      central.writeUInt16LE(0x0808, 8);
      central.writeUInt16LE(8, 10);
      central.writeUInt32LE(crc, 16);
      central.writeUInt32LE(compressedSize, 20);
      central.writeUInt32LE(size, 24);
      central.writeUInt16LE(name.length, 28);
      central.writeUInt32LE(offset, 42);
      centrals.push(central, name);
      offset += local.length + name.length + compressedSize + descriptor.length;
    }
    const directory = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(entries.length, 8);
    end.writeUInt16LE(entries.length, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    await put(out, directory);
    await put(out, end);
    out.end();
    await once(out, 'finish');
  };
  try {
    await Promise.race([work(), failed]);
  } catch (error) {
    out.destroy();
    throw error;
  }
}
