import { constants, createWriteStream, rmSync } from 'node:fs';
import { access, mkdir, mkdtemp, open, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { ReportSink } from '@ias/core';

type ReportSpool = Awaited<ReturnType<NonNullable<ReportSink['createSpool']>>>;

/**
 * A report sink backed by files in `directory` (created on first use); writes honour back-pressure. Each report
 * is written to a temporary file beside its final name and renamed into place on `close`, so a report is complete
 * or absent: an interrupted run calls `discard` (and, failing that, the process's exit removes them). Its spool
 * (temporary storage for reports that need totals first) is a file in a fresh folder under the OS temporary
 * folder, deleted on `close` or, failing that, when the process exits.
 */
export function createFileReportSink(directory: string): ReportSink {
  const root = resolve(directory);
  let made: Promise<unknown> | undefined;
  // Temporary files of reports not yet closed, with their streams.
  // A report this run was replacing goes too: an older run's file must not pass for this run's.
  const pending = new Map<string, { stream: { destroy(): void }; path: string }>();
  const removePending = (): void => {
    for (const [temp, { stream, path }] of pending) {
      stream.destroy();
      rmSync(temp, { force: true });
      rmSync(path, { force: true });
    }
    pending.clear();
  };
  return {
    async create(name) {
      made ??= mkdir(root, { recursive: true });
      await made;
      const path = join(root, name);
      const temp = join(root, `.${name}.${process.pid}.partial`);
      if (pending.size === 0) process.once('exit', removePending);
      const stream = createWriteStream(temp, { encoding: 'utf8' });
      pending.set(temp, { stream, path });
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
          if (!pending.delete(temp)) return;
          await rename(temp, path);
          if (pending.size === 0) process.removeListener('exit', removePending);
        },
      };
    },
    async discard() {
      removePending();
      process.removeListener('exit', removePending);
    },
    createSpool: () => createFileSpool(),
    async prepare() {
      made ??= mkdir(root, { recursive: true });
      await made;
      await access(root, constants.W_OK);
    },
  };
}

/**
 * A {@link ReportSpool} in a temporary file: chunks are appended as UTF-8 and remembered by offset and length,
 * so memory holds two numbers per chunk whatever their size.
 */
export async function createFileSpool(parent: string = tmpdir()): Promise<ReportSpool> {
  const folder = await mkdtemp(join(parent, 'ias-spool-'));
  const removeNow = (): void => rmSync(folder, { recursive: true, force: true });
  process.once('exit', removeNow);
  const handle = await open(join(folder, 'spool'), 'w+');
  const chunks: { offset: number; length: number }[] = [];
  let end = 0;
  let closed = false;
  return {
    async append(chunk) {
      const bytes = Buffer.from(chunk, 'utf8');
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, end + written);
        written += bytesWritten;
      }
      chunks.push({ offset: end, length: bytes.length });
      end += bytes.length;
      return chunks.length - 1;
    },
    async read(index) {
      const chunk = chunks[index];
      if (chunk === undefined) throw new RangeError(`No spool chunk ${index}`);
      const bytes = Buffer.alloc(chunk.length);
      let read = 0;
      while (read < chunk.length) {
        const { bytesRead } = await handle.read(bytes, read, chunk.length - read, chunk.offset + read);
        if (bytesRead === 0) throw new Error(`The spool file ended early at chunk ${index}`);
        read += bytesRead;
      }
      return bytes.toString('utf8');
    },
    async close() {
      if (closed) return;
      closed = true;
      await handle.close();
      await rm(folder, { recursive: true, force: true });
      process.removeListener('exit', removeNow);
    },
  };
}
