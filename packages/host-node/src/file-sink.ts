import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ReportSink } from '@ias/core';

/** A report sink backed by files in `directory` (created on first use); writes honour back-pressure. */
export function createFileReportSink(directory: string): ReportSink {
  const root = resolve(directory);
  let made: Promise<unknown> | undefined;
  return {
    async create(name) {
      made ??= mkdir(root, { recursive: true });
      await made;
      const path = join(root, name);
      const stream = createWriteStream(path, { encoding: 'utf8' });
      const failed = new Promise<never>((_, reject) => stream.once('error', reject));
      failed.catch(() => undefined);
      return {
        path,
        async write(chunk) {
          if (!stream.write(chunk)) {
            await Promise.race([new Promise<void>((done) => stream.once('drain', () => done())), failed]);
          }
        },
        async close() {
          await Promise.race([new Promise<void>((done) => stream.end(() => done())), failed]);
        },
      };
    },
  };
}
