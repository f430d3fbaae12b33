import { constants, createWriteStream, rmSync } from 'node:fs';
import { access, mkdir, mkdtemp, open, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
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
      made ??= makeFolder(root);
      await made;
      const path = join(root, name);
      const temp = join(root, `.${name}.${process.pid}.partial`);
      if (pending.size === 0) process.once('exit', removePending);
      const stream = createWriteStream(temp, { encoding: 'utf8', highWaterMark: WRITE_AHEAD_BYTES });
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
      made ??= makeFolder(root);
      await made;
      await access(root, constants.W_OK);
      await probeWrite(root);
    },
  };
}

/**
 * How many bytes a report's stream takes before a write waits for the disk. Node's default (16 KiB) is one batch of
 * core's buffered writer, so every batch waited for its write to finish and the collection with it; four batches
 * in flight let the writes overlap the work (tooling/bench: about a tenth off a 5,000-finding run).
 */
export const WRITE_AHEAD_BYTES = 64 * 1024;

/** How long creating the folder or writing a probe file may take before the folder is called unusable. */
export const PREPARE_TIMEOUT_MS = 10_000;

/**
 * Creates `folder` and its missing parents one level at a time. Node's `mkdir(…, { recursive: true })` never
 * returns for a path under `/proc` (it keeps retrying the parent), which hung a run for good; a plain `mkdir`
 * fails there at once with ENOENT.
 */
async function makeFolder(folder: string): Promise<void> {
  const missing: string[] = [];
  let current = folder;
  for (;;) {
    try {
      const info = await stat(current);
      if (!info.isDirectory()) throw Object.assign(new Error(`${current} is not a folder`), { code: 'ENOTDIR' });
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      const parent = dirname(current);
      if (parent === current) throw error;
      missing.unshift(current);
      current = parent;
    }
  }
  for (const path of missing) {
    try {
      await withTimeout(mkdir(path), `creating ${path}`);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
  }
}

/** Writes and removes a probe file, so a folder where writes fail or hang is refused before the scan starts. */
async function probeWrite(folder: string): Promise<void> {
  const probe = join(folder, `.ias-write-probe-${process.pid}`);
  await withTimeout(writeFile(probe, ''), `writing to ${folder}`);
  await rm(probe, { force: true });
}

async function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`${what} did not finish in ${PREPARE_TIMEOUT_MS / 1000}s`), { code: 'ETIMEDOUT' })), PREPARE_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * A {@link ReportSpool} in a temporary file: each call's chunks are appended as UTF-8 in one write and remembered by offset and length,
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
    async append(added) {
      const first = chunks.length;
      const parts = added.map((chunk) => Buffer.from(chunk, 'utf8'));
      const bytes = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
      let written = 0;
      while (written < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, written, bytes.length - written, end + written);
        written += bytesWritten;
      }
      for (const part of parts) {
        chunks.push({ offset: end, length: part.length });
        end += part.length;
      }
      return first;
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
