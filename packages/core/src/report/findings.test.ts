import { describe, expect, it } from 'vitest';
import { fixtureContext, fixtureRecords } from './__golden__/fixtures';
import { createFindingsReport, FINDINGS_FILE } from './findings';
import { createMemoryReportSink } from './sink';

describe('createFindingsReport', () => {
  it('writes each vulnerability once, its text as received when the record carries it, else serialised', async () => {
    const records = fixtureRecords();
    const sink = createMemoryReportSink();
    const report = await createFindingsReport(sink);
    // The first record as the API might have spelled it (spacing kept), the rest without their text.
    const received = JSON.stringify(records[0]!.vulnerability, null, 1);
    await report.add({ ...records[0]!, json: received });
    for (const record of records.slice(1)) await report.add(record);
    await report.finish({ counts: fixtureContext().counts });
    const text = sink.files.get(FINDINGS_FILE) ?? '';
    expect(text.startsWith(`[${received},`)).toBe(true);
    expect(JSON.parse(text)).toStrictEqual(records.map((r) => r.vulnerability));
  });
});
