import { IasError } from '../errors';

/**
 * Where reports go. Core never touches the filesystem: an adapter passes a sink backed by files, tests pass
 * {@link createMemoryReportSink}. Writers are streaming: a report is written chunk by chunk as findings arrive.
 */

/** One report file being written. */
export interface ReportWriter {
  /** The path (or name) the sink gave this report, as shown to users. */
  readonly path: string;
  /** Appends text. */
  write(chunk: string): Promise<void>;
  /** Finishes the file. */
  close(): Promise<void>;
}

/**
 * Temporary storage for a report that must know totals before it can write what it has already rendered (JUnit
 * suite attributes): chunks are stored as they are rendered and read back at the end, so the builder holds only
 * small descriptors instead of every rendered finding.
 */
export interface ReportSpool {
  /**
   * Stores chunks, all in one write; resolves to the index of the first, the others following it (0, 1, 2, … in
   * order across calls).
   */
  append(chunks: readonly string[]): Promise<number>;
  /** Reads back the chunk stored under `index`, in any order, any number of times before `close`. */
  read(index: number): Promise<string>;
  /** Drops the storage (a temporary file is deleted). Idempotent. */
  close(): Promise<void>;
}

/** A factory of report writers, one per file name. */
export interface ReportSink {
  /** Opens `name` (a bare file name such as `insightappsec-scan.sarif`) for writing, replacing any old file. */
  create(name: string): Promise<ReportWriter>;
  /**
   * Optional: opens a {@link ReportSpool}. A file sink backs it with a temporary file so memory does not grow
   * with the number of findings; builders fall back to memory when a sink has none.
   */
  createSpool?(): Promise<ReportSpool>;
  /**
   * Optional: checks that reports can be written here (creating the folder), so a bad destination is found before
   * a scan is launched. Rejects with the system error.
   */
  prepare?(): Promise<void>;
  /**
   * Optional: drops every report opened but not yet closed, so an interrupted or failed run leaves reports that
   * are complete or absent, never truncated. A file sink writes each report to a temporary file and renames it
   * into place on `close`; this deletes those temporary files. Closed reports stay.
   */
  discard?(): Promise<void>;
}

/** A {@link ReportSpool} kept in memory: the memory sink's, and the fallback of sinks without one. */
export function createMemorySpool(): ReportSpool {
  let chunks: string[] = [];
  return {
    async append(added) {
      const first = chunks.length;
      chunks.push(...added);
      return first;
    },
    async read(index) {
      const chunk = chunks[index];
      if (chunk === undefined) throw new RangeError(`No spool chunk ${index}`);
      return chunk;
    },
    async close() {
      chunks = [];
    },
  };
}

/** An in-memory sink for tests: `files` maps each name to its full text once written. */
export interface MemoryReportSink extends ReportSink {
  readonly files: Map<string, string>;
}

/** Creates an in-memory {@link ReportSink}. */
export function createMemoryReportSink(): MemoryReportSink {
  const files = new Map<string, string>();
  return {
    files,
    async create(name) {
      const chunks: string[] = [];
      return {
        path: name,
        async write(chunk) {
          chunks.push(chunk);
        },
        async close() {
          files.set(name, chunks.join(''));
        },
      };
    },
    async createSpool() {
      return createMemorySpool();
    },
  };
}

/**
 * Writers that batch many small writes into larger chunks, so a file sink is not called per finding. The chunk is
 * kept small (16 Ki characters): pieces waiting in it outlive young-generation collections and get copied.
 */
export function createBufferedWriter(inner: ReportWriter, highWaterMark = 16 * 1024): ReportWriter {
  let buffer: string[] = [];
  let size = 0;
  const flush = async (): Promise<void> => {
    if (buffer.length === 0) return;
    const text = buffer.join('');
    buffer = [];
    size = 0;
    await inner.write(text);
  };
  return {
    path: inner.path,
    async write(chunk) {
      buffer.push(chunk);
      size += chunk.length;
      if (size >= highWaterMark) await flush();
    },
    async close() {
      await flush();
      await inner.close();
    },
  };
}

/**
 * A report could not be written: the host's sink rejected (disk full, folder removed). Core does not read the
 * host's error; {@link guardSink} wraps whatever the sink threw, and the code it carried (`ENOSPC`), when it has one.
 */
export class ReportWriteError extends IasError {
  /** The host's own short code for the failure, when its error carried one. */
  readonly hostCode: string | undefined;

  constructor(cause: unknown) {
    const code = (cause as { code?: unknown } | null)?.code;
    const hostCode = typeof code === 'string' ? code : undefined;
    super('REPORT_WRITE_FAILED', `Writing the reports failed${hostCode === undefined ? '' : ` (${hostCode})`}; check the output folder and the free disk space, then run again.`, { cause });
    this.hostCode = hostCode;
  }
}

/** The sink's contract as core relies on it: every failure of a writer or spool it opens is a {@link ReportWriteError}. */
export function guardSink(sink: ReportSink): ReportSink {
  const guard = async <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return await call();
    } catch (error) {
      throw error instanceof ReportWriteError ? error : new ReportWriteError(error);
    }
  };
  const guarded: ReportSink = {
    create: async (name) => {
      const writer = await guard(() => sink.create(name));
      return { path: writer.path, write: (chunk) => guard(() => writer.write(chunk)), close: () => guard(() => writer.close()) };
    },
  };
  const createSpool = sink.createSpool?.bind(sink);
  if (createSpool !== undefined) {
    guarded.createSpool = async () => {
      const spool = await guard(createSpool);
      return { append: (chunks) => guard(() => spool.append(chunks)), read: (index) => guard(() => spool.read(index)), close: () => guard(() => spool.close()) };
    };
  }
  const prepare = sink.prepare?.bind(sink);
  if (prepare !== undefined) guarded.prepare = () => guard(prepare);
  if (sink.discard !== undefined) guarded.discard = sink.discard.bind(sink);
  return guarded;
}
