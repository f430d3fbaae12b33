import { SEVERITY_RANK_COUNT } from './security-severity';
import type { ReportSink, ReportSpool } from './sink';
import { createMemorySpool } from './sink';

/**
 * Severity-ranked spooling of rendered findings, shared by the reports that must see every finding before they
 * can write (SARIF sorts and caps its results, JUnit writes counts ahead of each suite's cases).
 *
 * A report renders each finding at once and pushes its text to a {@link RankedQueue} under its severity rank.
 * Texts are held in memory until about `spoolThreshold` characters have gathered across every queue of the
 * spooler; then every queue's pending texts, one chunk per queue and rank, go to the sink's {@link ReportSpool} in one append (a
 * temporary file for the file sink; an in-memory spool when the sink has none). Reading a queue back gives its
 * texts most severe first, in arrival order within a rank.
 */

/** The default `spoolThreshold`, in characters. */
export const DEFAULT_SPOOL_THRESHOLD = 64 * 1024;

// Rendered SARIF (JSON) and JUnit (XML, where U+0000 is replaced) never hold a raw NUL, so it separates texts.
const SEPARATOR = '\u0000';

/** A severity rank as an index into the queues: an integer from 0 to `SEVERITY_RANK_COUNT - 1`. */
export function clampRank(rank: number): number {
  return Math.min(Math.max(0, Math.trunc(rank)), SEVERITY_RANK_COUNT - 1);
}

/** Rendered texts of one group of findings (a SARIF run, a JUnit suite), by severity rank. */
export interface RankedQueue {
  /** Adds a rendered text under `rank` (clamped); may move every queue's pending texts to the spool. */
  push(rank: number, text: string): Promise<void>;
  /** The texts, most severe first and in arrival order within a rank, at most `limit` of them. */
  texts(limit?: number): AsyncGenerator<string>;
  /** Forgets the texts (after they were written), so memory is freed as the report is written. */
  clear(): void;
}

/** The queues of one report sharing one spool and one threshold. */
export interface SeveritySpooler {
  /** A new, empty queue. */
  queue(): RankedQueue;
  /** Drops the spool, if one was opened. Idempotent. */
  close(): Promise<void>;
}

interface SpooledChunk {
  index: number;
  count: number;
}

function rankBuckets<T>(): T[][] {
  return Array.from({ length: SEVERITY_RANK_COUNT }, () => []);
}

class SpooledQueue implements RankedQueue {
  private spooled = rankBuckets<SpooledChunk>();
  private pending = rankBuckets<string>();

  constructor(private readonly owner: Spooler) {}

  async push(rank: number, text: string): Promise<void> {
    this.pending[clampRank(rank)]?.push(text);
    await this.owner.added(text.length);
  }

  /** Takes the pending texts out, one chunk per rank, for the spooler's next append; `settle` records where they went. */
  takePending(): { chunks: string[]; settle: (firstIndex: number) => void } {
    const chunks: string[] = [];
    const moved: { rank: number; count: number }[] = [];
    for (let rank = 0; rank < SEVERITY_RANK_COUNT; rank += 1) {
      const texts = this.pending[rank] ?? [];
      if (texts.length === 0) continue;
      chunks.push(texts.join(SEPARATOR));
      moved.push({ rank, count: texts.length });
      this.pending[rank] = [];
    }
    const settle = (firstIndex: number): void => {
      moved.forEach(({ rank, count }, i) => this.spooled[rank]?.push({ index: firstIndex + i, count }));
    };
    return { chunks, settle };
  }

  async *texts(limit = Number.POSITIVE_INFINITY): AsyncGenerator<string> {
    let remaining = limit;
    // Within a rank, spooled chunks (earlier arrivals) come before pending texts.
    for (let rank = 0; rank < SEVERITY_RANK_COUNT && remaining > 0; rank += 1) {
      for (const chunk of this.spooled[rank] ?? []) {
        if (remaining <= 0) break;
        const texts = (await this.owner.read(chunk.index)).split(SEPARATOR).slice(0, remaining);
        remaining -= texts.length;
        yield* texts;
      }
      for (const text of this.pending[rank] ?? []) {
        if (remaining <= 0) break;
        remaining -= 1;
        yield text;
      }
    }
  }

  clear(): void {
    this.spooled = rankBuckets();
    this.pending = rankBuckets();
  }
}

class Spooler implements SeveritySpooler {
  private readonly queues: SpooledQueue[] = [];
  private spool: ReportSpool | undefined;
  private pendingChars = 0;

  constructor(
    private readonly sink: ReportSink,
    private readonly threshold: number,
  ) {}

  queue(): RankedQueue {
    const queue = new SpooledQueue(this);
    this.queues.push(queue);
    return queue;
  }

  async added(chars: number): Promise<void> {
    this.pendingChars += chars;
    if (this.pendingChars < this.threshold) return;
    this.spool ??= this.sink.createSpool === undefined ? createMemorySpool() : await this.sink.createSpool();
    // Every queue's pending texts go out in one append (one write for a file spool), however many queues there are.
    const taken = this.queues.map((queue) => queue.takePending());
    this.pendingChars = 0;
    let index = await this.spool.append(taken.flatMap((t) => t.chunks));
    for (const { chunks, settle } of taken) {
      settle(index);
      index += chunks.length;
    }
  }

  read(index: number): Promise<string> {
    if (this.spool === undefined) throw new RangeError(`No spool chunk ${index}`);
    return this.spool.read(index);
  }

  async close(): Promise<void> {
    const spool = this.spool;
    this.spool = undefined;
    await spool?.close();
  }
}

/** Creates a {@link SeveritySpooler} over `sink`'s spool; `spoolThreshold` is at least 1 character. */
export function createSeveritySpooler(sink: ReportSink, spoolThreshold = DEFAULT_SPOOL_THRESHOLD): SeveritySpooler {
  return new Spooler(sink, Math.max(1, spoolThreshold));
}
