import { describe, expect, it } from 'vitest';
import { fixtureContext, fixtureRecords } from './__golden__/fixtures';
import { FINDINGS_FILE } from './findings';
import { MARKDOWN_FILE_NAME } from './markdown';
import { METRICS_FILE } from './metrics';
import { openReportSet } from './report-set';
import { SARIF_FILE_NAME } from './sarif';
import { createMemoryReportSink } from './sink';

async function fedReportSet(formats: Parameters<typeof openReportSet>[0]) {
  const sink = createMemoryReportSink();
  const set = await openReportSet(formats, sink);
  for (const record of fixtureRecords()) await set.add(record);
  return { sink, set };
}

describe('report set', () => {
  it('finishes the findings file once the findings are in, the metrics file next, and the other reports last', async () => {
    const { sink, set } = await fedReportSet(['metrics', 'findings', 'sarif', 'markdown', 'result']);
    expect([...sink.files.keys()]).toEqual([]);
    expect(await set.finishPhase('collected')).toEqual([{ format: 'findings', path: FINDINGS_FILE, notes: [] }]);
    expect([...sink.files.keys()]).toEqual([FINDINGS_FILE]);
    expect(await set.finishPhase('counted')).toEqual([{ format: 'metrics', path: METRICS_FILE, notes: [] }]);
    expect([...sink.files.keys()]).toEqual([FINDINGS_FILE, METRICS_FILE]);
    const written = await set.finish(fixtureContext());
    expect(written.map((report) => report.format)).toEqual(['sarif', 'markdown']);
    expect([...sink.files.keys()]).toEqual([FINDINGS_FILE, METRICS_FILE, SARIF_FILE_NAME, MARKDOWN_FILE_NAME]);
  });

  it('plans only the files of the last phase, the early ones being written before it', async () => {
    const { set } = await fedReportSet(['metrics', 'findings', 'markdown']);
    expect(set.plannedFiles).toEqual([{ format: 'markdown', path: MARKDOWN_FILE_NAME }]);
    expect(set.wantsRuleDocumentation).toBe(false);
  });

  it('writes the findings as the API returned them and the metrics from the counts of every finding added', async () => {
    const { sink, set } = await fedReportSet(['metrics', 'findings']);
    const records = fixtureRecords();
    const counts = set.counts();
    expect(counts.total).toBe(records.length);
    expect(Object.values(counts.bySeverity).reduce((a, b) => a + b, 0)).toBe(records.length);
    await set.finishPhase('collected');
    await set.finishPhase('counted');
    expect(sink.files.get(FINDINGS_FILE)).toBe(JSON.stringify(records.map((record) => record.vulnerability)));
    expect(sink.files.get(METRICS_FILE)).toBe(JSON.stringify({ metrics: { severity: counts.bySeverity, module: counts.byModule } }, null, 2));
  });

  it('counts the findings even when neither the findings nor the metrics file is asked for', async () => {
    const { sink, set } = await fedReportSet(['junit']);
    expect(set.counts().total).toBe(fixtureRecords().length);
    expect(await set.finishPhase('collected')).toEqual([]);
    expect(await set.finishPhase('counted')).toEqual([]);
    expect([...sink.files.keys()]).toEqual([]);
  });

  it('refuses to finish a phase twice', async () => {
    const { set } = await fedReportSet(['findings']);
    await set.finishPhase('collected');
    await expect(set.finishPhase('collected')).rejects.toThrow('already finished');
  });
});
