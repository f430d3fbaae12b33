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

/** A factory of report writers, one per file name. */
export interface ReportSink {
  /** Opens `name` (a bare file name such as `insightappsec-scan.sarif`) for writing, replacing any old file. */
  create(name: string): Promise<ReportWriter>;
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
      files.set(name, '');
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
  };
}

/** Writers that batch many small writes into larger chunks, so a file sink is not called per finding. */
export function createBufferedWriter(inner: ReportWriter, highWaterMark = 64 * 1024): ReportWriter {
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
