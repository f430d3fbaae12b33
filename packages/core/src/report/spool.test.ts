import { describe, expect, it } from 'vitest';
import { SEVERITY_RANK_COUNT } from './security-severity';
import type { ReportSink } from './sink';
import { createMemoryReportSink, createMemorySpool } from './sink';
import { clampRank, createSeveritySpooler } from './spool';

async function collect(texts: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const text of texts) out.push(text);
  return out;
}

/** A memory sink that counts the chunks appended to its spool. */
function countingSink(): { sink: ReportSink; appended: string[] } {
  const appended: string[] = [];
  const sink: ReportSink = {
    ...createMemoryReportSink(),
    async createSpool() {
      const spool = createMemorySpool();
      return {
        ...spool,
        append: (chunks) => {
          appended.push(...chunks);
          return spool.append(chunks);
        },
      };
    },
  };
  return { sink, appended };
}

const arrivals: [number, string][] = [
  [3, 'low-1'],
  [0, 'critical-1'],
  [3, 'low-2'],
  [1, 'high-1'],
  [0, 'critical-2'],
];
const ordered = ['critical-1', 'critical-2', 'high-1', 'low-1', 'low-2'];

describe('createSeveritySpooler', () => {
  it.each([1, 12, 1_000_000])('gives texts most severe first, in arrival order within a rank (threshold %i)', async (threshold) => {
    const { sink } = countingSink();
    const spooler = createSeveritySpooler(sink, threshold);
    const queue = spooler.queue();
    for (const [rank, text] of arrivals) await queue.push(rank, text);
    expect(await collect(queue.texts())).toEqual(ordered);
    expect(await collect(queue.texts(3))).toEqual(ordered.slice(0, 3));
    expect(await collect(queue.texts(0))).toEqual([]);
    await spooler.close();
  });

  it('moves every queue to the spool once the threshold is reached across queues, one chunk per rank', async () => {
    const { sink, appended } = countingSink();
    const spooler = createSeveritySpooler(sink, 10);
    const a = spooler.queue();
    const b = spooler.queue();
    await a.push(2, 'aaaa');
    await b.push(2, 'bbbb');
    expect(appended).toEqual([]);
    await a.push(0, 'cc');
    expect(appended).toEqual(['cc', 'aaaa', 'bbbb']);
    await b.push(0, 'late');
    expect(await collect(a.texts())).toEqual(['cc', 'aaaa']);
    expect(await collect(b.texts())).toEqual(['late', 'bbbb']);
    a.clear();
    expect(await collect(a.texts())).toEqual([]);
    await spooler.close();
  });

  it('falls back to memory when the sink has no spool', async () => {
    const plain: ReportSink = { create: createMemoryReportSink().create };
    const spooler = createSeveritySpooler(plain, 1);
    const queue = spooler.queue();
    for (const [rank, text] of arrivals) await queue.push(rank, text);
    expect(await collect(queue.texts())).toEqual(ordered);
    await spooler.close();
    await spooler.close();
  });

  it('clamps ranks into the queues', () => {
    expect(clampRank(-3)).toBe(0);
    expect(clampRank(1.7)).toBe(1);
    expect(clampRank(99)).toBe(SEVERITY_RANK_COUNT - 1);
  });
});
